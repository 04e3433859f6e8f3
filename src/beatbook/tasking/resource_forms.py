"""Staff forms for tasking's resources: they read and check input, nothing more. The rules
(collar numbers, clashing duties, the hours an abstraction may take) are the services'
(``tasking.resources``, ``tasking.rosters``); a service's errors are put back on these fields.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet

from beatbook.accounts.models import User
from beatbook.operations.forms import add_service_errors
from beatbook.places.models import Neighbourhood
from beatbook.tasking.models import (
    AbstractionReason,
    Officer,
    Rank,
    ShiftKind,
    Skill,
    Station,
    Unit,
)
from beatbook.tasking.resources import OfficerDetails
from beatbook.teams.fields import GovukDateField
from beatbook.teams.forms import GovukForm
from beatbook.ui.templatetags.beatbook_ui import govuk_time

__all__ = [
    "AbstractionForm",
    "LinkOfficerForm",
    "OfficerForm",
    "RosterForm",
    "StationForm",
    "add_service_errors",
]

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class _Labelled(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Rows by their ``__str__`` (an officer's rank, collar number and name)."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


def shift_label(kind: ShiftKind) -> str:
    """A shift with its times as GOV.UK writes them: "Late, 3pm to 11pm"."""
    day = date(2026, 1, 5)  # any winter day: only the clock times are read
    starts, ends = (datetime.combine(day, at) for at in (kind.starts, kind.ends))
    return f"{kind.name}, {govuk_time(starts)} to {govuk_time(ends)}"


class _Shift(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return shift_label(obj)


class StationForm(GovukForm):
    name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Enter the station's name"}
    )
    postcode = forms.CharField(label="Postcode (optional)", max_length=8, required=False)
    latitude = forms.FloatField(
        label="Latitude",
        help_text="In decimal degrees, like 52.9877.",
        error_messages={
            "required": "Enter the latitude",
            "invalid": "Enter the latitude as a number, like 52.9877",
        },
    )
    longitude = forms.FloatField(
        label="Longitude",
        help_text="In decimal degrees, like -2.1370 (west of Greenwich is negative).",
        error_messages={
            "required": "Enter the longitude",
            "invalid": "Enter the longitude as a number, like -2.1370",
        },
    )

    def __init__(self, *args: Any, station: Station | None = None, **kwargs: Any) -> None:
        if station is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "name": station.name,
                "postcode": station.postcode,
                "latitude": station.latitude,
                "longitude": station.longitude,
            }
        super().__init__(*args, **kwargs)


class OfficerForm(GovukForm):
    collar_number = forms.CharField(
        label="Collar number",
        max_length=12,
        error_messages={"required": "Enter the collar number"},
    )
    name = forms.CharField(
        label="Name", max_length=120, error_messages={"required": "Enter the officer's name"}
    )
    rank = forms.ChoiceField(
        label="Rank",
        choices=Rank.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the officer's rank"},
    )
    unit = forms.ChoiceField(
        label="Team",
        choices=Unit.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the officer's team"},
    )
    neighbourhood = forms.ModelChoiceField(
        label="Neighbourhood (neighbourhood team officers only)",
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label="None",
    )
    station = forms.ModelChoiceField(
        label="Base station",
        queryset=Station.objects.none(),
        empty_label=None,
        error_messages={"required": "Select the officer's base station"},
    )
    skills = forms.ModelMultipleChoiceField(
        label="Skills (optional)",
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    username = forms.CharField(
        label="Their Beatbook user name (optional)",
        max_length=150,
        required=False,
        help_text="So they see their own patrol plan when they sign in.",
    )

    def __init__(
        self,
        *args: Any,
        neighbourhoods: QuerySet[Neighbourhood],
        stations: QuerySet[Station],
        officer: Officer | None = None,
        **kwargs: Any,
    ) -> None:
        if officer is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "collar_number": officer.collar_number,
                "name": officer.name,
                "rank": officer.rank,
                "unit": officer.unit,
                "neighbourhood": officer.neighbourhood_id,
                "station": officer.station_id,
                "skills": list(officer.skills.all()),
                "username": officer.user.username if officer.user else "",
            }
        super().__init__(*args, **kwargs)
        self.fields["neighbourhood"].queryset = neighbourhoods  # type: ignore[attr-defined]
        self.fields["station"].queryset = stations  # type: ignore[attr-defined]

    def clean_username(self) -> User | None:
        username = self.cleaned_data["username"].strip()
        if not username:
            return None
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError("There is no Beatbook user with that user name")
        return user

    def details(self) -> OfficerDetails:
        data = self.cleaned_data
        return OfficerDetails(
            collar_number=data["collar_number"],
            name=data["name"],
            rank=data["rank"],
            unit=data["unit"],
            station=data["station"],
            neighbourhood=data["neighbourhood"],
            skills=list(data["skills"]),
            user=data["username"],
        )


class RosterForm(GovukForm):
    officers = forms.ModelMultipleChoiceField(
        label="Officers",
        queryset=Officer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one officer"},
    )
    shift = _Shift(
        label="Shift",
        queryset=ShiftKind.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Select the shift"},
    )
    first_day = GovukDateField(label="First day")
    last_day = GovukDateField(label="Last day")
    weekdays = forms.TypedMultipleChoiceField(
        label="Days of the week",
        choices=WEEKDAYS,
        coerce=int,
        initial=[day for day, _ in WEEKDAYS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one day of the week"},
    )

    def __init__(
        self,
        *args: Any,
        officers: QuerySet[Officer],
        kinds: QuerySet[ShiftKind],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officers  # type: ignore[attr-defined]
        self.fields["shift"].queryset = kinds  # type: ignore[attr-defined]


class AbstractionForm(GovukForm):
    officer = _Labelled(
        label="Officer",
        queryset=Officer.objects.none(),
        empty_label=None,
        error_messages={"required": "Select the officer"},
    )
    day = GovukDateField(label="Day")
    reason = forms.ChoiceField(
        label="Why they were taken away",
        choices=AbstractionReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why the officer was taken away"},
    )
    hours = forms.DecimalField(
        label="Hours taken away",
        help_text="Like 4 or 2.5. No more than their duty hours that day.",
        min_value=Decimal("0.01"),
        max_digits=4,
        decimal_places=2,
        error_messages={
            "required": "Enter the hours taken away",
            "invalid": "Enter the hours as a number, like 4 or 2.5",
            "min_value": "Enter the hours taken away, more than 0, like 4 or 2.5",
            "max_digits": "Enter 24 hours or fewer",
            "max_whole_digits": "Enter 24 hours or fewer",
            "max_decimal_places": "Enter hours to no more than two decimal places, like 2.25",
        },
    )
    note = forms.CharField(
        label="Note (optional)",
        max_length=300,
        required=False,
        help_text="For example, the event or the course. No personal details.",
    )

    def __init__(self, *args: Any, officers: QuerySet[Officer], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]


class LinkOfficerForm(GovukForm):
    officer = _Labelled(
        label="Link officer",
        queryset=Officer.objects.none(),
        required=False,
        empty_label="Nobody",
        help_text="An officer of the neighbourhood tasking team.",
    )
    commander = forms.ModelChoiceField(
        label="The team's commander (optional)",
        queryset=User.objects.none(),
        required=False,
        empty_label="Nobody named",
        help_text="A neighbourhood inspector of this neighbourhood.",
    )

    def __init__(
        self,
        *args: Any,
        officers: QuerySet[Officer],
        commanders: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]
        self.fields["commander"].queryset = commanders  # type: ignore[attr-defined]
        self.fields["commander"].label_from_instance = str  # type: ignore[attr-defined]
