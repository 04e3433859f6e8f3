"""Forms of the tasking request pages: they read and check input, nothing more. The rules
(the link, the days, the place, the effort) live in ``tasking.request_services``."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms
from django.db import models
from django.db.models import QuerySet

from beatbook.accounts.models import Organisation
from beatbook.operations.models import Operation
from beatbook.places.models import Neighbourhood
from beatbook.tasking.models import (
    ProblemLink,
    RequestStatus,
    Skill,
    Tactic,
    TaskingRequest,
    Urgency,
)
from beatbook.tasking.request_places import MAX_RADIUS_M, cells_near_postcode
from beatbook.tasking.request_services import RequestDetails
from beatbook.teams.fields import GovukDateField, GovukTimeField
from beatbook.teams.forms import GovukForm
from beatbook.teams.models import Priority

_SEPARATORS = re.compile(r"[\s,;]+")


class _PriorityChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A priority by its neighbourhood and the start of its issue, without HTML."""

    def label_from_instance(self, obj: Any) -> str:
        issue = re.sub(r"<[^>]+>", "", obj.issue).strip()
        return f"{obj.neighbourhood.name}: {issue[:80]}"


class RequestForm(GovukForm):
    neighbourhood = forms.ModelChoiceField(
        label="Neighbourhood",
        queryset=Neighbourhood.objects.none(),
        empty_label=None,
        help_text="The neighbourhood team asking for help.",
        error_messages={"required": "Select the neighbourhood"},
    )
    title = forms.CharField(
        label="Short title",
        max_length=200,
        help_text="For example, Burglaries on Belgrave Road at night.",
        error_messages={"required": "Enter a short title"},
    )
    problem = forms.CharField(
        label="The problem",
        widget=forms.Textarea,
        error_messages={"required": "Enter the problem"},
    )
    link = forms.ChoiceField(
        label="What the problem is linked to",
        choices=ProblemLink.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the problem is linked to"},
    )
    priority = _PriorityChoice(
        label="Neighbourhood priority", queryset=Priority.objects.none(), required=False
    )
    operation = forms.ModelChoiceField(
        label="Operation", queryset=Operation.objects.none(), required=False
    )
    hotspot_cell = forms.CharField(
        label="Hotspot cell",
        required=False,
        max_length=20,
        help_text="The 250 m cell, like E398000N345250.",
    )
    repeat_victim_reference = forms.CharField(
        label="Crime or occurrence reference",
        required=False,
        max_length=40,
        help_text="Only the reference, like CRI/12345/26. Never a name, address or phone number.",
    )
    cells = forms.CharField(
        label="Cells",
        required=False,
        widget=forms.Textarea,
        help_text="The 250 m cells to patrol, like E398000N345250, separated by commas or on "
        "separate lines. Or leave this empty and give a postcode below.",
    )
    polygon = forms.CharField(required=False, widget=forms.HiddenInput)
    postcode = forms.CharField(label="Postcode (optional)", required=False, max_length=10)
    radius = forms.IntegerField(
        label="Distance around the postcode, in metres (optional)",
        required=False,
        min_value=0,
        max_value=MAX_RADIUS_M,
        error_messages={
            "invalid": "Enter the distance in whole metres, like 250",
            "min_value": "The distance must be 0 metres or more",
            "max_value": f"The distance must be {MAX_RADIUS_M:,} metres or less",
        },
    )
    first_day = GovukDateField(label="First day")
    last_day = GovukDateField(label="Last day")
    hours_from = GovukTimeField(label="Time each day starts", help_text="For example, 22:00.")
    hours_to = GovukTimeField(
        label="Time each day ends",
        help_text="For example, 02:00. A time before the start is the next morning.",
    )
    tactic = forms.ChoiceField(
        label="Tactic",
        choices=Tactic.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the tactic"},
    )
    skills = forms.ModelMultipleChoiceField(
        label="Skills the officers need (optional)",
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="ANPR and plain clothes patrols ask for their own skill by themselves.",
    )
    officers_wanted = forms.IntegerField(
        label="Officers wanted",
        error_messages={
            "required": "Enter how many officers are wanted",
            "invalid": "Enter how many officers as a whole number, like 2",
        },
    )
    minutes_wanted = forms.IntegerField(
        label="Minutes in place wanted each day",
        help_text="All officers together. About 15 minutes a visit works best.",
        error_messages={
            "required": "Enter the minutes in place wanted each day",
            "invalid": "Enter the minutes as a whole number, like 60",
        },
    )
    urgency = forms.ChoiceField(
        label="How urgent it is",
        choices=Urgency.choices,
        initial=Urgency.MEDIUM,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how urgent it is"},
    )
    evidence = forms.CharField(
        label="Evidence",
        widget=forms.Textarea,
        help_text="What shows the problem: crimes, calls, intelligence, residents' concerns.",
        error_messages={"required": "Enter the evidence"},
    )

    def __init__(
        self,
        *args: Any,
        neighbourhoods: QuerySet[Neighbourhood],
        operations: QuerySet[Operation],
        request: TaskingRequest | None = None,
        **kwargs: Any,
    ) -> None:
        if request is not None and "initial" not in kwargs:
            kwargs["initial"] = request_initial(request)
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["neighbourhood"].queryset = neighbourhoods.order_by("name")  # type: ignore[attr-defined]
        fields["priority"].queryset = (  # type: ignore[attr-defined]
            Priority.objects.filter(neighbourhood__in=neighbourhoods)
            .select_related("neighbourhood")
            .order_by("neighbourhood__name", "-issue_date")
        )
        fields["operation"].queryset = operations.order_by("-first_day")  # type: ignore[attr-defined]
        if request is not None:
            del fields["neighbourhood"]  # a request stays with the team that made it

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        keys = [k for k in _SEPARATORS.split(data.get("cells") or "") if k]
        postcode = (data.get("postcode") or "").strip()
        if postcode:
            radius = data.get("radius")
            try:
                near = cells_near_postcode(
                    postcode=postcode, radius_m=250 if radius is None else radius
                )
            except ValueError as error:
                self.add_error("postcode", str(error))
            else:
                keys += [cell.key for cell in near]
        data["cell_keys"] = keys
        polygon = (data.get("polygon") or "").strip()
        data["polygon_json"] = None
        if polygon:
            try:
                data["polygon_json"] = json.loads(polygon)
            except ValueError:
                self.add_error("cells", "The drawn area could not be read: draw it again")
        return data

    def details(self) -> RequestDetails:
        data = self.cleaned_data
        return RequestDetails(
            title=data["title"],
            problem=data["problem"],
            link=data["link"],
            priority=data.get("priority"),
            operation=data.get("operation"),
            hotspot_cell=data.get("hotspot_cell") or "",
            repeat_victim_reference=data.get("repeat_victim_reference") or "",
            cells=data["cell_keys"],
            polygon=data["polygon_json"],
            first_day=data["first_day"],
            last_day=data["last_day"],
            hours_from=data["hours_from"],
            hours_to=data["hours_to"],
            tactic=data["tactic"],
            skills=list(data.get("skills") or []),
            officers_wanted=data["officers_wanted"],
            minutes_wanted=data["minutes_wanted"],
            urgency=data["urgency"],
            evidence=data["evidence"],
        )


def request_initial(request: TaskingRequest) -> dict[str, Any]:
    return {
        "title": request.title,
        "problem": request.problem,
        "link": request.link,
        "priority": request.priority_id,
        "operation": request.operation_id,
        "hotspot_cell": request.hotspot_cell,
        "repeat_victim_reference": request.repeat_victim_reference,
        "cells": "\n".join(request.cells),
        "polygon": json.dumps(request.polygon) if request.polygon else "",
        "first_day": request.first_day,
        "last_day": request.last_day,
        "hours_from": request.hours_from,
        "hours_to": request.hours_to,
        "tactic": request.tactic,
        "skills": list(request.skills.values_list("pk", flat=True)),
        "officers_wanted": request.officers_wanted,
        "minutes_wanted": request.minutes_wanted,
        "urgency": request.urgency,
        "evidence": request.evidence,
    }


class Decision(models.TextChoices):
    APPROVE = "approve", "Approve it"
    DECLINE = "decline", "Decline it"


class DecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether to approve or decline the request"},
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        widget=forms.Textarea,
        help_text="The team sees it. A reason is needed to decline.",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == Decision.DECLINE and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why the request is declined")
        return data


class ShareForm(GovukForm):
    organisations = forms.ModelMultipleChoiceField(
        label="Partner organisations that may see this request",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="They see the whole request. Untick one to stop sharing with it.",
    )

    def __init__(self, *args: Any, choices: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            pk__in=[o.pk for o in choices]
        ).order_by("name")


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any status"), *RequestStatus.choices]
    )
    urgency = forms.ChoiceField(
        label="Urgency", required=False, choices=[("", "Any urgency"), *Urgency.choices]
    )
    neighbourhood = forms.ModelChoiceField(
        label="Neighbourhood",
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label="Any neighbourhood",
    )

    def __init__(self, *args: Any, neighbourhoods: QuerySet[Neighbourhood], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods.order_by("name")  # type: ignore[attr-defined]


class MeetingForm(forms.Form):
    force = forms.ChoiceField(label="Force", choices=())
    first = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    last = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, forces: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["force"].choices = forces  # type: ignore[attr-defined]


def meeting_query(data: Any) -> dict[str, Any]:
    """The meeting's query string (``force``, ``from``, ``to``) as the form's field names
    (``from`` is a Python keyword, so the form calls them first and last)."""
    return {
        "force": data.get("force", ""),
        "first": data.get("from", ""),
        "last": data.get("to", ""),
    }
