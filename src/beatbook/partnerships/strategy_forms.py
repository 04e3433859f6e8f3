"""The partnership plan's forms. They only read what was typed; the rules (and their messages)
are the services' (``strategy_plans``), whose errors the views put back on these fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from beatbook.partnerships.models import (
    Action,
    ActionStatus,
    Direction,
    Measure,
    Objective,
    PartnershipPlan,
    PlanPriority,
)
from beatbook.partnerships.strategy_indicators import indicator_choices
from beatbook.partnerships.strategy_plans import (
    ActionDetails,
    MeasureDetails,
    PlanDetails,
    action_owners,
)
from beatbook.teams.fields import GovukDateField


def _year(label: str, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        help_text=help_text,
        error_messages={"invalid": f"The {label.lower()} must be a year, like 2026"},
    )


class PlanForm(forms.Form):
    title = forms.CharField(label="Title", required=False, max_length=200)
    year_from = _year("First year", "For example, 2026")
    year_to = _year("Last year", "For example, 2028")
    introduction = forms.CharField(
        label="Introduction", required=False, widget=forms.Textarea, help_text="Shown first."
    )

    def __init__(self, *args: Any, plan: PartnershipPlan | None = None, **kwargs: Any) -> None:
        if plan is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": plan.title,
                    "year_from": plan.year_from,
                    "year_to": plan.year_to,
                    "introduction": plan.introduction,
                },
            )
        super().__init__(*args, **kwargs)

    def details(self) -> PlanDetails:
        data = self.cleaned_data
        return PlanDetails(
            data["title"] or "", data["year_from"], data["year_to"], data["introduction"] or ""
        )


class PlanCreateForm(PlanForm):
    assessment = forms.TypedChoiceField(
        label="Start from an assessment",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Its recommended priorities become the plan's first priorities.",
        error_messages={"invalid_choice": "Choose one of this partnership's own assessments"},
    )

    def __init__(self, *args: Any, assessments: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assessment"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "None: start with no priorities"), *assessments]


class PriorityForm(forms.Form):
    title = forms.CharField(label="Priority", required=False, max_length=200)
    rationale = forms.CharField(
        label="Why it is a priority",
        required=False,
        widget=forms.Textarea,
        help_text="The evidence: what the assessment found.",
    )

    def __init__(self, *args: Any, item: PlanPriority | None = None, **kwargs: Any) -> None:
        if item is not None:
            kwargs.setdefault("initial", {"title": item.title, "rationale": item.rationale})
        super().__init__(*args, **kwargs)


class ObjectiveForm(forms.Form):
    text = forms.CharField(label="Objective", required=False, widget=forms.Textarea)

    def __init__(self, *args: Any, item: Objective | None = None, **kwargs: Any) -> None:
        if item is not None:
            kwargs.setdefault("initial", {"text": item.text})
        super().__init__(*args, **kwargs)


class ActionForm(forms.Form):
    description = forms.CharField(label="What will be done", required=False, widget=forms.Textarea)
    owner = forms.TypedChoiceField(
        label="Owner organisation",
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose one of the partnership's member organisations"},
    )
    lead = forms.CharField(
        label="Lead", required=False, max_length=120, help_text="The named person who leads it."
    )
    due = GovukDateField(label="Due date", required=False)
    status = forms.ChoiceField(
        label="Status", choices=ActionStatus.choices, widget=forms.RadioSelect, required=False
    )
    completed_on = GovukDateField(
        label="Completion date", required=False, help_text="Only for a done action."
    )
    progress_note = forms.CharField(label="Progress", required=False, widget=forms.Textarea)

    def __init__(
        self, *args: Any, plan: PartnershipPlan, item: Action | None = None, **kw: Any
    ) -> None:
        if item is not None:
            kw.setdefault(
                "initial",
                {
                    "description": item.description,
                    "owner": item.owner_id,
                    "lead": item.lead,
                    "due": item.due,
                    "status": item.status,
                    "completed_on": item.completed_on,
                    "progress_note": item.progress_note,
                },
            )
        else:
            kw.setdefault("initial", {"status": ActionStatus.NOT_STARTED})
        super().__init__(*args, **kw)
        self.owners = {o.pk: o for o in action_owners(partnership=plan.partnership)}
        field = self.fields["owner"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            ("", "Choose an organisation"),
            *((k, str(o)) for k, o in self.owners.items()),
        ]

    def details(self) -> ActionDetails:
        data = self.cleaned_data
        return ActionDetails(
            description=data["description"] or "",
            owner=self.owners.get(data["owner"]) if data["owner"] is not None else None,
            lead=data["lead"] or "",
            due=data["due"],
            status=data["status"] or "",
            completed_on=data["completed_on"],
            progress_note=data["progress_note"] or "",
        )


class MeasureForm(forms.Form):
    indicator = forms.ChoiceField(
        label="Indicator",
        required=False,
        error_messages={"invalid_choice": "Choose an indicator from the list"},
    )
    baseline_year = _year(
        "Baseline year",
        "The baseline is the indicator over this calendar year, computed from the data.",
    )
    target = forms.FloatField(
        label="Target",
        required=False,
        help_text="The value to reach in the plan's last year, on the indicator's scale.",
        error_messages={"invalid": "The target must be a number, like 25.5"},
    )
    direction = forms.ChoiceField(
        label="Which way is better",
        choices=Direction.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def __init__(
        self, *args: Any, plan: PartnershipPlan, item: Measure | None = None, **kw: Any
    ) -> None:
        if item is not None:
            kw.setdefault(
                "initial",
                {
                    "indicator": item.indicator,
                    "baseline_year": item.baseline_year,
                    "target": item.target,
                    "direction": item.direction,
                },
            )
        else:
            kw.setdefault(
                "initial", {"baseline_year": plan.year_from - 1, "direction": Direction.DOWN}
            )
        super().__init__(*args, **kw)
        field = self.fields["indicator"]
        assert isinstance(field, forms.ChoiceField)
        choices = [(c.key, c.label) for c in indicator_choices(partnership=plan.partnership)]
        field.choices = [("", "Choose an indicator"), *choices]

    def details(self) -> MeasureDetails:
        data = self.cleaned_data
        return MeasureDetails(
            indicator=data["indicator"] or "",
            baseline_year=data["baseline_year"],
            target=data["target"],
            direction=data["direction"] or "",
        )


def errors_onto(form: forms.Form, error: ValidationError) -> None:
    """Puts a service's errors on the form's fields (or on the form when none matches)."""
    if hasattr(error, "error_dict"):
        for name, problems in error.message_dict.items():
            form.add_error(name if name in form.fields else None, problems)
    else:
        form.add_error(None, list(error.messages))
