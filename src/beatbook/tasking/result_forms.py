"""The forms of tasking's results pages: they check types and shapes; ``visit_results`` checks
the rules (minutes against the visit's length, a reason when not done, sane counts)."""

from __future__ import annotations

from typing import Any

from django import forms

from beatbook.tasking.models import NotDoneReason, RequestOutcome
from beatbook.tasking.visit_results import COUNT_LABELS, MOST, NOTE_LENGTH, VisitResultDetails


def _count(label: str, most: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=most,
        error_messages={
            "invalid": f"{label} must be a whole number, like 2",
            "min_value": f"{label} must be 0 or more",
            "max_value": f"{label} must be {most} or fewer for one visit",
        },
    )


class VisitResultForm(forms.Form):
    done = forms.ChoiceField(
        label="Was the visit done?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes if the visit was done"},
    )
    not_done_reason = forms.ChoiceField(
        label="If not, why not?",
        choices=[("", "Choose a reason"), *NotDoneReason.choices],
        required=False,
    )
    not_done_note = forms.CharField(
        label="Anything to add about why (optional unless you chose another reason)",
        required=False,
        max_length=NOTE_LENGTH,
        error_messages={"max_length": f"Keep the reason to {NOTE_LENGTH} characters or fewer"},
    )
    minutes_in_place = forms.IntegerField(
        label="Minutes in place",
        required=False,
        min_value=0,
        help_text="0 if the visit was not done.",
        error_messages={
            "invalid": "Minutes in place must be a whole number, like 15",
            "min_value": "Minutes in place must be 0 or more",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, most in MOST.items():
            self.fields[name] = _count(COUNT_LABELS[name], most)

    def details(self) -> VisitResultDetails:
        data = self.cleaned_data
        return VisitResultDetails(
            done=data["done"] == "yes",
            not_done_reason=data.get("not_done_reason") or "",
            not_done_note=data.get("not_done_note") or "",
            minutes_in_place=data.get("minutes_in_place") or 0,
            **{name: data.get(name) or 0 for name in MOST},
        )

    def count_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in MOST]


class RequestOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=RequestOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the request's outcome"},
    )
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea,
        help_text="Needed when the request was partly met or not met: say what was not done.",
    )


class PeriodForm(forms.Form):
    """The results page's choices: force, neighbourhood and months (YYYY-MM)."""

    force = forms.ChoiceField(label="Force", required=False)
    neighbourhood = forms.ChoiceField(label="Neighbourhood", required=False)
    since = forms.RegexField(
        label="From (month)",
        regex=r"^[0-9]{4}-(0[1-9]|1[0-2])$",
        required=False,
        help_text="Written YYYY-MM, like 2026-01.",
        error_messages={"invalid": "Enter the month as YYYY-MM, like 2026-01"},
    )
    until = forms.RegexField(
        label="To (month)",
        regex=r"^[0-9]{4}-(0[1-9]|1[0-2])$",
        required=False,
        help_text="Written YYYY-MM, like 2026-06.",
        error_messages={"invalid": "Enter the month as YYYY-MM, like 2026-06"},
    )

    def __init__(
        self,
        *args: Any,
        forces: list[tuple[str, str]],
        neighbourhoods: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["force"].choices = forces  # type: ignore[attr-defined]
        self.fields["neighbourhood"].choices = neighbourhoods  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The last month must not be before the first")
        return data


class EvaluationForm(forms.Form):
    force = forms.ChoiceField(label="Force", required=False)
    neighbourhood = forms.ChoiceField(label="Neighbourhood", required=False)
    start = forms.RegexField(
        label="Start month",
        regex=r"^[0-9]{4}-(0[1-9]|1[0-2])$",
        required=False,
        help_text="Written YYYY-MM. Leave blank for the month of the first visit done.",
        error_messages={"invalid": "Enter the start month as YYYY-MM, like 2026-01"},
    )
    months_after = forms.IntegerField(
        label="Months to look at",
        required=False,
        min_value=1,
        max_value=12,
        help_text="Leave blank for the months the visits span.",
        error_messages={
            "invalid": "Enter the number of months as a whole number, like 3",
            "min_value": "Look at 1 month or more",
            "max_value": "Look at 12 months or fewer",
        },
    )

    def __init__(
        self,
        *args: Any,
        forces: list[tuple[str, str]],
        neighbourhoods: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["force"].choices = forces  # type: ignore[attr-defined]
        self.fields["neighbourhood"].choices = neighbourhoods  # type: ignore[attr-defined]
