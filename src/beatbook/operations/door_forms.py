"""The forms of the door-to-door pages: building the routes, and logging one door.

A door's form and the JSON the page's script sends both become a ``DoorEntry``; the service
``door_visits.door_visit_record`` checks it against the route and stores it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_datetime

from beatbook.operations.door_visits import DoorEntry
from beatbook.operations.models import AdviceTopic, ConcernAction, Referral, VisitRoute

MAX_PAIRS = 20
YES_NO = [("yes", "Yes"), ("no", "No")]


class RouteBuildForm(forms.Form):
    pairs = forms.IntegerField(
        label="Number of pairs of visitors",
        min_value=1,
        max_value=MAX_PAIRS,
        error_messages={
            "required": "Enter the number of pairs of visitors.",
            "invalid": "Enter the number of pairs as a whole number, like 3.",
            "min_value": "Enter at least 1 pair.",
            "max_value": f"Enter {MAX_PAIRS} pairs or fewer.",
        },
    )
    visitors = forms.CharField(
        label="Who walks each route (optional)",
        required=False,
        max_length=3000,
        widget=forms.Textarea,
    )

    def visitor_names(self) -> list[str]:
        """One line per route, in order; routes without a line have no names yet."""
        lines = [" ".join(line.split()) for line in self.cleaned_data["visitors"].splitlines()]
        names = [line[:300] for line in lines if line]
        pairs: int = self.cleaned_data["pairs"]
        return (names + [""] * pairs)[:pairs]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lines = [line for line in cleaned.get("visitors", "").splitlines() if line.strip()]
        pairs = cleaned.get("pairs")
        if pairs is not None and len(lines) > pairs:
            self.add_error("visitors", f"Give at most one line for each of the {pairs} routes.")
        return cleaned


class DoorVisitForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    postcode = forms.ChoiceField(
        label="Postcode", error_messages={"required": "Select a postcode on this route."}
    )
    door = forms.CharField(label="Door (house number or name)", required=False, max_length=80)
    answered = forms.ChoiceField(
        label="Was the door answered?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the door was answered."},
    )
    advice = forms.MultipleChoiceField(
        label="Advice given", required=False, widget=forms.CheckboxSelectMultiple
    )
    referrals = forms.MultipleChoiceField(
        label="Referrals made",
        required=False,
        choices=Referral.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    concerns = forms.CharField(
        label="Concerns raised (optional)", required=False, max_length=2000, widget=forms.Textarea
    )
    concern_action = forms.ChoiceField(
        label="What to do with the concern",
        required=False,
        choices=ConcernAction.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, route: VisitRoute, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        postcodes = [
            str(stop.get("postcode", "")) for stop in route.stops if isinstance(stop, dict)
        ]
        self.fields["postcode"].choices = [(p, p) for p in postcodes]  # type: ignore[attr-defined]
        topics = AdviceTopic.objects.filter(active=True).order_by("order", "label")
        self.fields["advice"].choices = [(t.slug, t.label) for t in topics]  # type: ignore[attr-defined]

    def entry(self) -> DoorEntry:
        data = self.cleaned_data
        return DoorEntry(
            postcode=data["postcode"],
            door=data["door"],
            answered=data["answered"] == "yes",
            advice=data["advice"],
            referrals=data["referrals"],
            concerns=data["concerns"],
            concern_action=data["concern_action"],
        )


def _strings(payload: Mapping[str, Any], key: str) -> list[str]:
    value = payload.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValidationError({key: "Send a list of choices."})
    return value


def _string(payload: Mapping[str, Any], key: str) -> str:
    value = payload.get(key, "")
    if not isinstance(value, str):
        raise ValidationError({key: "Send text."})
    return value


def door_entry_from_json(payload: Mapping[str, Any]) -> DoorEntry:
    """The entry the page's script sent, or ``ValidationError`` by field for a malformed one."""
    answered = payload.get("answered")
    if not isinstance(answered, bool):
        raise ValidationError({"answered": "Select whether the door was answered."})
    visited = _string(payload, "visited_at")
    visited_at = parse_datetime(visited) if visited else None
    if visited and visited_at is None:
        raise ValidationError({"visited_at": "Send the time of the visit as ISO 8601."})
    return DoorEntry(
        postcode=_string(payload, "postcode"),
        door=_string(payload, "door"),
        answered=answered,
        advice=_strings(payload, "advice"),
        referrals=_strings(payload, "referrals"),
        concerns=_string(payload, "concerns"),
        concern_action=_string(payload, "concern_action"),
        visited_at=visited_at,
    )


def fresh_client_id() -> uuid.UUID:
    """The id a page without JavaScript sends with its entry (the script makes its own)."""
    return uuid.uuid4()
