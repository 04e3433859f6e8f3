"""The operation's evaluation page: did recorded crime in its area change after it started,
against what comparable areas of the same force predict (``operations.evaluations``)?

It starts from the operation's first month; an analyst may choose another start month, a crime
category and how many months after to look at. Answers are kept per data version, so the page
is worked out once per import, not once per visit.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from beatbook.accounts.access import staff_required
from beatbook.analysis.evaluation import MONTHS_AFTER
from beatbook.common.months import is_month, month_name
from beatbook.common.policeuk import CRIME_TYPES
from beatbook.operations.evaluations import (
    AreaEvaluation,
    EvaluationInputError,
    StartAfterDataError,
    evaluation_for_area,
)
from beatbook.operations.models import Operation
from beatbook.operations.views import operation_for_viewer
from beatbook.records.models import SourceKind
from beatbook.records.versions import cached_for_version, data_version

_CATEGORY_CHOICES = [("", "All crime")] + sorted(
    ((slug, name) for name, slug in CRIME_TYPES.items()), key=lambda pair: pair[1]
)


class EvaluationForm(forms.Form):
    start = forms.CharField(
        label="Start month",
        error_messages={"required": "Enter the start month as YYYY-MM, like 2025-03"},
        help_text="Written YYYY-MM, like 2025-03. The operation's own month unless you change it.",
    )
    months_after = forms.IntegerField(
        label="Months after the start to look at",
        min_value=1,
        max_value=12,
        error_messages={
            "min_value": "Look at 1 month or more",
            "max_value": "Look at 12 months or fewer",
            "invalid": "Enter the number of months as a whole number, like 3",
            "required": "Enter the number of months to look at",
        },
    )
    category = forms.ChoiceField(label="Crime", choices=_CATEGORY_CHOICES, required=False)

    def clean_start(self) -> str:
        start = str(self.cleaned_data["start"]).strip()
        if not is_month(start):
            raise forms.ValidationError("Enter the start month as YYYY-MM, like 2025-03")
        return start


def _evaluated(operation: Operation, start: str, months: int, category: str) -> AreaEvaluation:
    codes = sorted(operation.lsoas.values_list("code", flat=True))
    area = hashlib.sha256(",".join(codes).encode()).hexdigest()[:16]
    version = data_version(kinds=[SourceKind.STREET], force_ids=[operation.force_id])
    return cached_for_version(
        f"operation-evaluation:{operation.force_id}:{area}:{start}:{months}:{category}",
        version=version,
        build=lambda: evaluation_for_area(
            force_id=operation.force_id,
            lsoa_codes=codes,
            start=start,
            months_after=months,
            category=category or None,
            leave_out_unknown=True,
        ),
    )


def _answer(form: EvaluationForm, operation: Operation) -> dict[str, Any]:
    data = form.cleaned_data
    try:
        found = _evaluated(operation, data["start"], data["months_after"], data["category"])
    except StartAfterDataError as error:
        return {"too_early": str(error)}
    except EvaluationInputError as error:
        return {"problem": str(error)}
    e = found.evaluation
    shown: dict[str, Any] = {
        "result": found,
        "start_name": month_name(found.start),
        "category_name": dict(_CATEGORY_CHOICES).get(found.category or "", "All crime"),
    }
    if e.estimate is not None and e.ci_low is not None and e.ci_high is not None:
        shown["change"] = _percent(e.estimate)
        shown["interval"] = f"{_percent(e.ci_low)} to {_percent(e.ci_high)}"
    return shown


def _percent(value: float) -> str:
    """-0.123 as "-12%", 0.05 as "+5%": a change says which way it went."""
    return f"{value * 100:+.0f}%".replace("-", "\u2212")


@staff_required
def operation_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    operation = operation_for_viewer(request, pk)
    own_month = operation.first_day.strftime("%Y-%m")
    form = EvaluationForm(
        request.GET or {"start": own_month, "months_after": MONTHS_AFTER, "category": ""}
    )
    context: dict[str, Any] = {
        "nav_operations": True,
        "operation": operation,
        "form": form,
        "own_month": own_month,
    }
    if form.is_valid():
        context.update(_answer(form, operation))
    return render(
        request,
        "operations/evaluation.html",
        context,
        status=400 if form.errors else 200,
    )
