"""Staff forms for the team, priorities and events: they read and check input, nothing more.

Each form's ``service_arguments()`` gives the keyword arguments of the service that does the
work (in ``beatbook.teams.services``); rules about the data live there, not here.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from beatbook.teams.fields import GovukDateField, GovukTimeField, london_datetime, london_parts
from beatbook.teams.models import Event, EventType, Priority, TeamMember
from beatbook.teams.services import contact_details_merge, event_address_split
from beatbook.teams.text import html_to_text, text_to_html

_TELEPHONE = re.compile(r"^\+?[0-9 ()-]{3,20}$")
TEXT_HINT = "Leave a blank line between paragraphs."


class GovukForm(forms.Form):
    """Marks the boxes of a date field with errors, so each shows GOV.UK's red border."""

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            field = self.fields.get(name)
            if field is not None and isinstance(field.widget, forms.MultiWidget):
                field.widget.attrs["error"] = True


def _telephone(value: str, *, noun: str) -> str:
    value = value.strip()
    if value and (not _TELEPHONE.match(value) or sum(c.isdigit() for c in value) < 3):
        raise ValidationError(f"Enter {noun} using numbers only, like 101 or 01782 234567")
    return value


class TeamMemberForm(GovukForm):
    name = forms.CharField(
        label="Name", max_length=160, error_messages={"required": "Enter the person's name"}
    )
    rank = forms.CharField(
        label="Rank or role",
        max_length=120,
        help_text="For example, PC 1234, PCSO or Sergeant.",
        error_messages={"required": "Enter the person's rank or role"},
    )
    bio = forms.CharField(
        label="About them (optional)", required=False, widget=forms.Textarea, help_text=TEXT_HINT
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address like name@example.police.uk"},
    )
    telephone = forms.CharField(label="Telephone (optional)", required=False, max_length=40)
    order = forms.IntegerField(
        label="Position in the list",
        min_value=0,
        max_value=1000,
        initial=0,
        help_text="Lower numbers are listed first.",
        error_messages={
            "required": "Enter the position in the list, like 1",
            "invalid": "The position in the list must be a whole number, like 1",
            "min_value": "The position in the list must be 0 or more",
            "max_value": "The position in the list must be 1,000 or less",
        },
    )

    def __init__(self, *args: Any, member: TeamMember | None = None, **kwargs: Any) -> None:
        self.member = member
        if member is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": member.name,
                "rank": member.rank,
                "bio": html_to_text(member.bio),
                "email": member.contact_details.get("email", ""),
                "telephone": member.contact_details.get("telephone", ""),
                "order": member.order,
            }
        super().__init__(*args, **kwargs)

    def clean_telephone(self) -> str:
        return _telephone(self.cleaned_data["telephone"], noun="the telephone number")

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        existing = self.member.contact_details if self.member else {}
        return {
            "name": data["name"].strip(),
            "rank": data["rank"].strip(),
            "bio": text_to_html(data["bio"]),
            "contact_details": contact_details_merge(
                existing=existing, email=data["email"], telephone=data["telephone"]
            ),
            "order": data["order"],
        }


class TeamContactForm(GovukForm):
    """The team's shared ways in: a mailbox and a telephone number anyone in the team answers."""

    email = forms.EmailField(
        label="Team email address (optional)",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address like longton.npt@example.police.uk"},
    )
    telephone = forms.CharField(label="Team telephone (optional)", required=False, max_length=40)

    def __init__(self, *args: Any, existing: dict[str, str] | None = None, **kwargs: Any) -> None:
        self.existing = dict(existing or {})
        kwargs.setdefault(
            "initial",
            {
                "email": self.existing.get("email", ""),
                "telephone": self.existing.get("telephone", ""),
            },
        )
        super().__init__(*args, **kwargs)

    def clean_telephone(self) -> str:
        return _telephone(self.cleaned_data["telephone"], noun="the team telephone number")

    def service_arguments(self) -> dict[str, Any]:
        return {
            "contact_details": contact_details_merge(
                existing=self.existing,
                email=self.cleaned_data["email"],
                telephone=self.cleaned_data["telephone"],
            )
        }


class PriorityForm(GovukForm):
    """A priority as "you said, we did": the issue, then what was done and what changed."""

    issue = forms.CharField(
        label="The issue",
        widget=forms.Textarea,
        help_text="What residents told you about, in their words. " + TEXT_HINT,
        error_messages={"required": "Enter the issue"},
    )
    issue_date = GovukDateField(label="Date the issue was raised")
    action = forms.CharField(
        label="What the team did (optional)",
        required=False,
        widget=forms.Textarea,
        help_text=TEXT_HINT,
    )
    action_date = GovukDateField(label="Date of the action", required=False)
    outcome = forms.CharField(
        label="What changed as a result (optional)",
        required=False,
        widget=forms.Textarea,
        help_text=TEXT_HINT,
    )

    def __init__(self, *args: Any, priority: Priority | None = None, **kwargs: Any) -> None:
        if priority is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "issue": html_to_text(priority.issue),
                "issue_date": priority.issue_date,
                "action": html_to_text(priority.action),
                "action_date": priority.action_date,
                "outcome": html_to_text(priority.outcome),
            }
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("action", "").strip()
            and not data.get("action_date")
            and not self.has_error("action_date")
        ):
            self.add_error("action_date", "Enter the date of the action")
        if data.get("action_date") and not data.get("action", "").strip():
            self.add_error("action", "Enter what the team did, or remove the date of the action")
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        action_date = data["action_date"]
        return {
            "issue": text_to_html(data["issue"]),
            "issue_date": london_datetime(data["issue_date"]),
            "action": text_to_html(data["action"]),
            "action_date": london_datetime(action_date) if action_date else None,
            "outcome": text_to_html(data["outcome"]),
        }


IN_PERSON, ONLINE = "in-person", "online"
ATTENDANCE_CHOICES = [(IN_PERSON, "In person"), (ONLINE, "Online")]


class EventForm(GovukForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Mobile police station at Meir Park.",
        error_messages={"required": "Enter the title of the event"},
    )
    type = forms.ChoiceField(
        label="Type of event",
        choices=EventType.choices,
        initial=EventType.MEETING,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the type of event",
            "invalid_choice": "Select the type of event from the list",
        },
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea, help_text=TEXT_HINT
    )
    attendance = forms.ChoiceField(
        label="How people attend",
        choices=ATTENDANCE_CHOICES,
        initial=IN_PERSON,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select whether the event is in person or online",
            "invalid_choice": "Select whether the event is in person or online",
        },
    )
    address = forms.CharField(
        label="Where it is",
        required=False,
        max_length=280,
        help_text="A place and street.",
    )
    postcode = forms.CharField(
        label="Postcode (optional)",
        required=False,
        max_length=10,
        help_text="It must be in or near the neighbourhood. It puts the event on the map.",
    )
    joining_details = forms.CharField(
        label="How to join",
        required=False,
        max_length=300,
        help_text="A link to the meeting, or what residents should do, like "
        "'Email the team for the link'.",
    )
    start_date = GovukDateField(label="Date it starts")
    start_time = GovukTimeField(label="Time it starts")
    end_date = GovukDateField(
        label="Date it ends (optional)", required=False, help_text="Leave blank for the same day."
    )
    end_time = GovukTimeField(label="Time it ends")

    def __init__(self, *args: Any, event: Event | None = None, **kwargs: Any) -> None:
        if event is not None and "initial" not in kwargs:
            address, postcode = event_address_split(event.address)
            start_date, start_time = london_parts(event.start)
            end_date, end_time = london_parts(event.end)
            kwargs["initial"] = {
                "title": event.title,
                "type": event.type,
                "description": html_to_text(event.description),
                "attendance": ONLINE if event.online else IN_PERSON,
                "address": address,
                "postcode": postcode,
                "joining_details": event.joining_details,
                "start_date": start_date,
                "start_time": start_time,
                "end_date": end_date if end_date != start_date else None,
                "end_time": end_time,
            }
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The boxes of the choice not taken are hidden (or, without JavaScript, to be left):
        # what they hold is not sent on, as GOV.UK's conditional questions ask.
        if data.get("attendance") == ONLINE:
            data["address"] = data["postcode"] = ""
            for hidden in ("address", "postcode"):
                self.errors.pop(hidden, None)
        else:
            data["joining_details"] = ""
            if "address" in data and not data["address"].strip():
                self.add_error("address", "Enter where the event is")
        start_date, start_time = data.get("start_date"), data.get("start_time")
        end_time = data.get("end_time")
        if start_date and start_time:
            data["start"] = london_datetime(start_date, start_time)
        end_date = data.get("end_date") or start_date
        if end_date and end_time:
            data["end"] = london_datetime(end_date, end_time)
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "type": data["type"],
            "description": text_to_html(data["description"]),
            "online": data["attendance"] == ONLINE,
            "address": data["address"].strip(),
            "postcode": data["postcode"].strip(),
            "joining_details": data["joining_details"].strip(),
            "start": data["start"],
            "end": data["end"],
        }


# Where a service's error about a model field belongs on each form.
SERVICE_ERROR_FIELDS = {
    "start": "start_date",
    "end": "end_time",
    "issue_date": "issue_date",
    "action_date": "action_date",
    "postcode": "postcode",
    "type": "type",
    "address": "address",
    "joining_details": "joining_details",
}


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field where the form has one."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        field = SERVICE_ERROR_FIELDS.get(key, key)
        form.add_error(field if field in form.fields else None, errors)
