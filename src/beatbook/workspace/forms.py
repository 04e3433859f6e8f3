"""The workspace dashboard's filters: they read and check the query string, nothing more.

The forms of the team's own pages (team, priorities, events) are in ``beatbook.teams.forms``.
"""

from __future__ import annotations

from typing import Any

from django import forms

from beatbook.workspace.selectors import ALL, SHOW_CHOICES, DashboardFilters


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, sent with GET: a part of a neighbourhood's name, which
    neighbourhoods to show, and one force's (where the user works in more than one)."""

    q = forms.CharField(
        label="Neighbourhood name",
        required=False,
        max_length=100,
        error_messages={"max_length": "Enter 100 characters or fewer for the neighbourhood name"},
    )
    show = forms.ChoiceField(
        label="Show",
        choices=SHOW_CHOICES,
        required=False,
        error_messages={"invalid_choice": "Select which neighbourhoods to show from the list"},
    )
    force = forms.ChoiceField(
        label="Force",
        required=False,
        error_messages={"invalid_choice": "Select a force from the list"},
    )

    def __init__(self, data: Any, *, forces: list[tuple[str, str]]) -> None:
        super().__init__(data)
        force = self.fields["force"]
        assert isinstance(force, forms.ChoiceField)
        force.choices = [("", "All your forces"), *forces]

    def filters(self) -> DashboardFilters:
        """The filters asked for; one that is not valid is left out (the form says why)."""
        self.is_valid()
        data = self.cleaned_data
        return DashboardFilters(
            search=(data.get("q") or "").strip(),
            show=data.get("show") or ALL,
            force_id=data.get("force") or "",
        )
