"""The form that links a neighbourhood priority to the wave whose answers led to it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.html import strip_tags

from beatbook.teams.models import Priority


class PriorityChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        text = " ".join(strip_tags(obj.issue).split())
        return f"{obj.neighbourhood.name}: {text[:120]}"


class PriorityLinkForm(forms.Form):
    priority = PriorityChoice(
        queryset=Priority.objects.none(),
        label="Priority",
        empty_label="Choose a priority",
        error_messages={
            "required": "Choose the priority the answers led to",
            "invalid_choice": "Choose one of the survey's neighbourhoods' priorities",
        },
    )
    note = forms.CharField(
        label="What in the answers led to it",
        help_text="For example: 'Speeding was the top priority residents of Meir ranked.'",
        max_length=300,
        error_messages={
            "required": "Say what in the answers led to the priority",
            "max_length": "Keep it to 300 characters or fewer",
        },
    )

    def __init__(self, *args: Any, priorities: QuerySet[Priority], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = priorities  # type: ignore[attr-defined]
