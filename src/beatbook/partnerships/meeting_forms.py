"""The meeting forms: scheduling a meeting, its minutes (with decisions and new actions), and an
action's progress. They read and check what was typed; ``meeting_services`` saves it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet

from beatbook.accounts.models import Organisation
from beatbook.partnerships.meeting_services import NewAction
from beatbook.partnerships.models import ActionStatus, PartnershipGroup
from beatbook.teams.fields import GovukDateField, GovukTimeField, london_datetime

ACTION_ROWS = 3


class MeetingForm(forms.Form):
    group = forms.ModelChoiceField(
        label="Group",
        queryset=PartnershipGroup.objects.none(),
        error_messages={"required": "Choose the group that meets"},
    )
    meeting_date = GovukDateField(label="Date")
    meeting_time = GovukTimeField(label="Time it starts")
    place = forms.CharField(label="Place", max_length=200, required=False)

    def __init__(self, *args: Any, groups: QuerySet[PartnershipGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["group"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = groups

    def starts_at(self) -> datetime:
        data = self.cleaned_data
        return london_datetime(data["meeting_date"], data["meeting_time"])


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label="Minutes",
        widget=forms.Textarea,
        error_messages={"required": "Enter the minutes"},
    )
    decisions = forms.CharField(
        label="Decisions",
        widget=forms.Textarea,
        required=False,
        help_text="One decision a line.",
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for row in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{row}_description"] = forms.CharField(
                label=f"Action {row}: what is to be done", required=False, widget=forms.Textarea
            )
            self.fields[f"action_{row}_owner"] = forms.ModelChoiceField(
                label=f"Action {row}: member organisation",
                queryset=organisations,
                required=False,
                empty_label="Choose an organisation",
            )
            self.fields[f"action_{row}_lead"] = forms.CharField(
                label=f"Action {row}: named lead", max_length=120, required=False
            )
            self.fields[f"action_{row}_due"] = GovukDateField(
                label=f"Action {row}: due", required=False
            )

    def action_rows(self) -> list[list[forms.BoundField]]:
        parts = ("description", "owner", "lead", "due")
        return [
            [self[f"action_{row}_{part}"] for part in parts] for row in range(1, ACTION_ROWS + 1)
        ]

    def decision_texts(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["decisions"].splitlines() if line.strip()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in range(1, ACTION_ROWS + 1):
            given = [data.get(f"action_{row}_{p}") for p in ("description", "owner", "lead", "due")]
            if any(given) and not data.get(f"action_{row}_description"):
                self.add_error(f"action_{row}_description", f"Action {row}: say what is to be done")
            if data.get(f"action_{row}_description"):
                if not data.get(f"action_{row}_owner"):
                    self.add_error(f"action_{row}_owner", f"Action {row}: choose the organisation")
                if not data.get(f"action_{row}_due") and f"action_{row}_due" not in self.errors:
                    self.add_error(f"action_{row}_due", f"Action {row}: give the date it is due")
        return data

    def new_actions(self) -> list[NewAction]:
        data = self.cleaned_data
        return [
            NewAction(
                description=data[f"action_{row}_description"],
                owner=data[f"action_{row}_owner"],
                lead=data[f"action_{row}_lead"],
                due=data[f"action_{row}_due"],
            )
            for row in range(1, ACTION_ROWS + 1)
            if data.get(f"action_{row}_description")
        ]


class ActionForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the action's status"},
    )
    progress_note = forms.CharField(label="Progress so far", widget=forms.Textarea, required=False)
