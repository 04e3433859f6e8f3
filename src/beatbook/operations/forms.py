"""Staff forms for planning an operation: they read and check input, nothing more.

Each form's ``details()`` gives what the service needs (``services.OperationDetails``,
``services.ActivityDetails``); the rules about dates, the area and the venue live there.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from beatbook.accounts.models import Organisation, User
from beatbook.operations.models import (
    RESTRICTED_TYPES,
    Activity,
    ActivityType,
    AreaChoice,
    Operation,
    OperationKind,
)
from beatbook.operations.operation_areas import lsoa_codes_parse
from beatbook.operations.services import ActivityDetails, OperationDetails
from beatbook.places.models import Neighbourhood
from beatbook.teams.fields import GovukDateField, GovukTimeField, london_datetime, london_parts
from beatbook.teams.forms import GovukForm
from beatbook.teams.models import Priority


class _Named(forms.ModelChoiceField):  # type: ignore[type-arg]
    """People by their full names (``User.__str__``), not their user names."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class _NamedMultiple(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class OperationForm(GovukForm):
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="For example, Longton community action week.",
        error_messages={"required": "Enter the name of the operation"},
    )
    kind = forms.ModelChoiceField(
        label="Kind of operation",
        queryset=OperationKind.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the kind of operation"},
    )
    lead_organisation = forms.ModelChoiceField(
        label="Lead organisation",
        queryset=Organisation.objects.none(),
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the organisation that leads it"},
    )
    lead = _Named(
        label="Named lead",
        queryset=User.objects.none(),
        empty_label=None,
        help_text="The person in charge of the operation.",
        error_messages={"required": "Select the person who leads it"},
    )
    first_day = GovukDateField(label="First day")
    last_day = GovukDateField(label="Last day")
    summary = forms.CharField(
        label="What residents are told (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="Shown on the public page if the operation is published.",
    )
    objectives = forms.CharField(
        label="Objectives (optional)",
        required=False,
        widget=forms.Textarea,
        help_text="What the operation sets out to achieve. Staff and partners only.",
    )
    priorities = forms.ModelMultipleChoiceField(
        label="Neighbourhood priorities it works on (optional)",
        queryset=Priority.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    area_choice = forms.ChoiceField(
        label="How to give the area",
        choices=AreaChoice.choices,
        initial=AreaChoice.NEIGHBOURHOODS,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how to give the area"},
    )
    neighbourhoods = forms.ModelMultipleChoiceField(
        label="Neighbourhoods",
        queryset=Neighbourhood.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    lsoa_codes = forms.CharField(
        label="LSOA codes",
        required=False,
        widget=forms.Textarea,
        help_text="Separated by commas or on separate lines, like E01014200, E01014201.",
    )
    area_polygon = forms.CharField(
        label="The drawn area",
        required=False,
        widget=forms.Textarea,
        help_text="Click the map to draw the area's corners. Without the map, paste a GeoJSON "
        "polygon.",
    )
    public = forms.BooleanField(
        label="Publish it: show its public page and public activities to residents",
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        organisations: QuerySet[Organisation],
        neighbourhoods: QuerySet[Neighbourhood],
        operation: Operation | None = None,
        **kwargs: Any,
    ) -> None:
        if operation is not None and "initial" not in kwargs:
            kwargs["initial"] = _operation_initial(operation)
        kwargs.setdefault("initial", {}).setdefault("lead", user.pk)
        super().__init__(*args, **kwargs)
        forces = {o.force_id for o in organisations if o.force_id}
        fields = self.fields
        fields["kind"].queryset = OperationKind.objects.filter(  # type: ignore[attr-defined]
            force__isnull=True
        ) | OperationKind.objects.filter(force_id__in=forces)
        fields["lead_organisation"].queryset = organisations  # type: ignore[attr-defined]
        fields["lead"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                is_active=True, is_staff=True, memberships__organisation__in=organisations
            )
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        fields["neighbourhoods"].queryset = neighbourhoods  # type: ignore[attr-defined]
        fields["priorities"].queryset = (  # type: ignore[attr-defined]
            Priority.objects.filter(neighbourhood__in=neighbourhoods)
            .select_related("neighbourhood")
            .order_by("neighbourhood__name", "-issue_date")
        )

    def clean_lsoa_codes(self) -> list[str]:
        try:
            return lsoa_codes_parse(self.cleaned_data["lsoa_codes"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["lsoa_codes"]) from None

    def clean_area_polygon(self) -> dict[str, Any] | None:
        text = self.cleaned_data["area_polygon"].strip()
        if not text:
            return None
        try:
            value = json.loads(text)
        except ValueError:
            raise ValidationError("Draw the area on the map, or paste a GeoJSON polygon") from None
        return value if isinstance(value, dict) else {"invalid": value}

    def details(self) -> OperationDetails:
        data = self.cleaned_data
        return OperationDetails(
            name=data["name"].strip(),
            kind=data["kind"],
            lead=data["lead"],
            lead_organisation=data["lead_organisation"],
            first_day=data["first_day"],
            last_day=data["last_day"],
            summary=data["summary"].strip(),
            objectives=data["objectives"].strip(),
            public=data["public"],
            area_choice=data["area_choice"],
            neighbourhoods=list(data["neighbourhoods"]),
            lsoa_codes=data["lsoa_codes"],
            area_polygon=data["area_polygon"],
            priorities=list(data["priorities"]),
        )


def _operation_initial(operation: Operation) -> dict[str, Any]:
    return {
        "name": operation.name,
        "kind": operation.kind_id,
        "lead_organisation": operation.lead_organisation_id,
        "lead": operation.lead_id,
        "first_day": operation.first_day,
        "last_day": operation.last_day,
        "summary": operation.summary,
        "objectives": operation.objectives,
        "priorities": list(operation.priorities.values_list("pk", flat=True)),
        "area_choice": operation.area_choice,
        "neighbourhoods": list(operation.neighbourhoods.values_list("pk", flat=True)),
        "lsoa_codes": ", ".join(operation.lsoas.values_list("code", flat=True))
        if operation.area_choice == AreaChoice.LSOAS
        else "",
        "area_polygon": json.dumps(operation.area_polygon) if operation.area_polygon else "",
        "public": operation.public,
    }


class PartnerForm(GovukForm):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        empty_label="Choose an organisation",
        error_messages={
            "required": "Select the partner organisation",
            "invalid_choice": "Select the partner organisation from the list",
        },
    )
    contact_name = forms.CharField(
        label="Their contact for the operation",
        max_length=160,
        error_messages={"required": "Enter the name of the partner's contact"},
    )
    contact_email = forms.EmailField(
        label="Contact's email address (optional)",
        required=False,
        error_messages={"invalid": "Enter an email address like name@stoke.gov.uk"},
    )
    contact_telephone = forms.CharField(
        label="Contact's telephone (optional)", required=False, max_length=40
    )

    def __init__(self, *args: Any, operation: Operation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = [
            operation.lead_organisation_id,
            *operation.partners.values_list("organisation_id", flat=True),
        ]
        self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.exclude(pk__in=taken).order_by("name")
        )


IN_PERSON, ONLINE = "in-person", "online"


class ActivityForm(GovukForm):
    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="For example, Mobile police station at Tesco Extra Longton.",
        error_messages={"required": "Enter the title of the activity"},
    )
    type = forms.ChoiceField(
        label="Type of activity",
        choices=ActivityType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select the type of activity",
            "invalid_choice": "Select the type of activity from the list",
        },
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea
    )
    attendance = forms.ChoiceField(
        label="Where it is held",
        choices=[(IN_PERSON, "In person, at a venue"), (ONLINE, "Online")],
        initial=IN_PERSON,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether it is held in person or online"},
    )
    venue_name = forms.CharField(label="Venue", required=False, max_length=200)
    venue_address = forms.CharField(
        label="Venue's address",
        required=False,
        max_length=300,
        help_text="Ending with its postcode, like Baths Road, Longton, ST3 2JA. It must be in "
        "the operation's area.",
    )
    joining_details = forms.CharField(
        label="How to join",
        required=False,
        max_length=300,
        help_text="For example, Ask your questions on the surgery page.",
    )
    day = GovukDateField(label="Date")
    start_time = GovukTimeField(label="Time it starts")
    end_day = GovukDateField(
        label="Date it ends (optional)", required=False, help_text="Leave blank for the same day."
    )
    end_time = GovukTimeField(label="Time it ends")
    organisations = forms.ModelMultipleChoiceField(
        label="Organisations taking part",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    staff = _NamedMultiple(
        label="People assigned (optional)",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="From the organisations taking part in the operation.",
    )
    public = forms.BooleanField(
        label="Publish it to residents",
        required=False,
        help_text="Enforcement and warrants are never published.",
    )

    def __init__(
        self, *args: Any, operation: Operation, activity: Activity | None = None, **kwargs: Any
    ) -> None:
        if activity is not None and "initial" not in kwargs:
            kwargs["initial"] = _activity_initial(activity)
        super().__init__(*args, **kwargs)
        taking_part: Sequence[int] = [
            operation.lead_organisation_id,
            *operation.partners.values_list("organisation_id", flat=True),
        ]
        self.fields["organisations"].queryset = (  # type: ignore[attr-defined]
            Organisation.objects.filter(pk__in=taking_part).order_by("name")
        )
        self.fields["staff"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                is_active=True, is_staff=True, memberships__organisation__in=taking_part
            )
            .distinct()
            .order_by("first_name", "last_name", "username")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("attendance") == ONLINE:
            data["venue_name"] = data["venue_address"] = ""
        else:
            data["joining_details"] = ""
        if data.get("public") and data.get("type") in RESTRICTED_TYPES:
            self.add_error("public", "Enforcement and warrants are never published")
        day, start_time, end_time = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start_time:
            data["start"] = london_datetime(day, start_time)
        end_day = data.get("end_day") or day
        if end_day and end_time:
            data["end"] = london_datetime(end_day, end_time)
        return data

    def details(self) -> ActivityDetails:
        data = self.cleaned_data
        return ActivityDetails(
            type=data["type"],
            title=data["title"].strip(),
            description=data["description"].strip(),
            start=data["start"],
            end=data["end"],
            online=data["attendance"] == ONLINE,
            joining_details=data["joining_details"].strip(),
            venue_name=data["venue_name"].strip(),
            venue_address=data["venue_address"].strip(),
            public=data["public"],
            organisations=list(data["organisations"]),
            staff=list(data["staff"]),
        )


def _activity_initial(activity: Activity) -> dict[str, Any]:
    day, start_time = london_parts(activity.start)
    end_day, end_time = london_parts(activity.end)
    return {
        "title": activity.title,
        "type": activity.type,
        "description": activity.description,
        "attendance": ONLINE if activity.online else IN_PERSON,
        "venue_name": activity.venue_name,
        "venue_address": activity.venue_address,
        "joining_details": activity.joining_details,
        "day": day,
        "start_time": start_time,
        "end_day": end_day if end_day != day else None,
        "end_time": end_time,
        "organisations": list(activity.organisations.values_list("pk", flat=True)),
        "staff": list(activity.staff.values_list("pk", flat=True)),
        "public": activity.public,
    }


# Where a service's error about a model field belongs on each form.
SERVICE_ERROR_FIELDS = {"start": "day", "end": "end_time", "area_choice": "area_choice"}


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field where the form has one."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, messages in error.message_dict.items():
        field = SERVICE_ERROR_FIELDS.get(name, name)
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
