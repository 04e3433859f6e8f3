"""Writes for tasking's resources: stations, officers and the tasking team's link officers
(issue 15, part 1). Duties, the rota and abstractions are in ``tasking.rosters``.

Every service checks the whole row and raises ``ValidationError`` (by field) before it writes,
in one transaction, so bad input changes nothing. Who may call them is the caller's check
(``tasking.selectors``: a tasking sergeant of the force changes its officers, stations and
links); the services keep the rules that hold whoever asks: a collar number once per force,
a neighbourhood officer's neighbourhood and station in the officer's own force, a link who is
on the force's tasking team.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from beatbook.accounts.models import Membership, Role, User
from beatbook.places.models import Force, Neighbourhood
from beatbook.tasking.models import LinkOfficer, Officer, Rank, Skill, Station, Unit

# Stations are in Great Britain: a point outside this box is a typing slip (a swapped sign or
# latitude and longitude the wrong way round), not a station.
LATITUDES = (49.8, 60.9)
LONGITUDES = (-8.7, 1.8)


# --- Stations --------------------------------------------------------------------------------


def _station_errors(
    *, force: Force, name: str, latitude: float, longitude: float, station: Station | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Enter the station's name"
    else:
        same = Station.objects.filter(force=force, name__iexact=name)
        if station is not None:
            same = same.exclude(pk=station.pk)
        if same.exists():
            errors["name"] = f"{force.name} already has a station called {name}"
    if not LATITUDES[0] <= latitude <= LATITUDES[1]:
        errors["latitude"] = "Enter a latitude in Great Britain, between 49.8 and 60.9"
    if not LONGITUDES[0] <= longitude <= LONGITUDES[1]:
        errors["longitude"] = "Enter a longitude in Great Britain, between -8.7 and 1.8"
    return errors


@transaction.atomic
def station_create(
    *,
    force: Force,
    name: str,
    latitude: float,
    longitude: float,
    postcode: str = "",
    sample: bool = False,
) -> Station:
    name = name.strip()
    errors = _station_errors(
        force=force, name=name, latitude=latitude, longitude=longitude, station=None
    )
    if errors:
        raise ValidationError(errors)
    return Station.objects.create(
        force=force,
        name=name,
        postcode=postcode.strip().upper(),
        latitude=latitude,
        longitude=longitude,
        sample=sample,
    )


@transaction.atomic
def station_update(
    *, station: Station, name: str, latitude: float, longitude: float, postcode: str = ""
) -> Station:
    name = name.strip()
    errors = _station_errors(
        force=station.force, name=name, latitude=latitude, longitude=longitude, station=station
    )
    if errors:
        raise ValidationError(errors)
    station.name = name
    station.postcode = postcode.strip().upper()
    station.latitude = latitude
    station.longitude = longitude
    station.save()
    return station


# --- Officers --------------------------------------------------------------------------------


@dataclass
class OfficerDetails:
    """What a tasking sergeant says about an officer."""

    collar_number: str
    name: str
    rank: str
    unit: str
    station: Station
    neighbourhood: Neighbourhood | None = None
    skills: Sequence[Skill] = field(default_factory=list)
    user: User | None = None


def _collar_error(force: Force, collar: str, officer: Officer | None) -> str | None:
    if not collar:
        return "Enter the collar number"
    if not collar.isalnum():
        return "A collar number is letters and numbers only, like 4521"
    same = Officer.objects.filter(force=force, collar_number__iexact=collar)
    if officer is not None:
        same = same.exclude(pk=officer.pk)
    holder = same.first()
    return f"{collar} is already {holder.name}'s collar number" if holder else None


def _neighbourhood_error(force: Force, details: OfficerDetails) -> str | None:
    if details.unit != Unit.NPT:
        if details.neighbourhood is not None:
            return "Only a neighbourhood team officer has a neighbourhood: leave it empty"
        return None
    if details.neighbourhood is None:
        return "Select the neighbourhood of the officer's team"
    if details.neighbourhood.force_id != force.pk:
        return f"Select a neighbourhood of {force.name}"
    return None


def _user_error(details: OfficerDetails, officer: Officer | None) -> str | None:
    if details.user is None:
        return None
    linked = Officer.objects.filter(user=details.user)
    if officer is not None:
        linked = linked.exclude(pk=officer.pk)
    other = linked.first()
    return f"That account is already {other.name}'s ({other.collar_number})" if other else None


def _officer_errors(
    *, force: Force, details: OfficerDetails, officer: Officer | None
) -> dict[str, str]:
    errors = {
        "collar_number": _collar_error(force, details.collar_number, officer),
        "name": None if details.name else "Enter the officer's name",
        "rank": None if details.rank in Rank.values else "Select the officer's rank",
        "unit": None if details.unit in Unit.values else "Select the officer's team",
        "neighbourhood": _neighbourhood_error(force, details),
        "station": None
        if details.station.force_id == force.pk
        else f"Select a station of {force.name}",
        "user": _user_error(details, officer),
    }
    return {name: message for name, message in errors.items() if message}


def _clean(details: OfficerDetails) -> OfficerDetails:
    details.collar_number = details.collar_number.strip().upper()
    details.name = " ".join(details.name.split())
    return details


@transaction.atomic
def officer_create(*, force: Force, details: OfficerDetails, sample: bool = False) -> Officer:
    details = _clean(details)
    errors = _officer_errors(force=force, details=details, officer=None)
    if errors:
        raise ValidationError(errors)
    officer = Officer.objects.create(
        force=force,
        collar_number=details.collar_number,
        name=details.name,
        rank=details.rank,
        unit=details.unit,
        neighbourhood=details.neighbourhood,
        station=details.station,
        user=details.user,
        sample=sample,
    )
    officer.skills.set(details.skills)
    return officer


@transaction.atomic
def officer_update(*, officer: Officer, details: OfficerDetails) -> Officer:
    """Change an officer. One who leaves the tasking team stops being any team's link: a link
    must be on it (``link_officer_set``)."""
    details = _clean(details)
    errors = _officer_errors(force=officer.force, details=details, officer=officer)
    if officer.unit == Unit.NTT and details.unit != Unit.NTT and officer.links.exists():
        errors.setdefault(
            "unit",
            "This officer is a neighbourhood team's link: name another link on the link "
            "officers page first",
        )
    if errors:
        raise ValidationError(errors)
    for name in ("collar_number", "name", "rank", "unit", "neighbourhood", "station", "user"):
        setattr(officer, name, getattr(details, name))
    officer.save()
    officer.skills.set(details.skills)
    return officer


@transaction.atomic
def officer_deactivate(*, officer: Officer) -> Officer:
    """An officer who has left: kept for the plans and abstractions they are in, but taken off
    the rota from now on and never planned again. A link officer must be replaced first."""
    if officer.links.exists():
        names = ", ".join(officer.links.values_list("neighbourhood__name", flat=True))
        raise ValidationError(
            f"{officer.name} is the link officer for {names}: name another link first"
        )
    officer.duties.filter(starts__gte=timezone.now()).delete()
    officer.active = False
    officer.user = None  # their account no longer shows them a plan
    officer.save(update_fields=["active", "user", "updated_at"])
    return officer


@transaction.atomic
def officer_reactivate(*, officer: Officer) -> Officer:
    officer.active = True
    officer.save(update_fields=["active", "updated_at"])
    return officer


# --- Link officers ---------------------------------------------------------------------------


def commanders_for(*, neighbourhood: Neighbourhood) -> list[User]:
    """The people who may be named as a neighbourhood team's commander: its neighbourhood
    inspectors (a membership naming it, or one across its force)."""
    memberships = Membership.objects.filter(
        role=Role.NEIGHBOURHOOD_INSPECTOR, user__is_active=True
    ).filter(neighbourhoods=neighbourhood) | Membership.objects.filter(
        role=Role.NEIGHBOURHOOD_INSPECTOR,
        user__is_active=True,
        force_id=neighbourhood.force_id,
        neighbourhoods=None,
    )
    ids = memberships.values("user")
    return list(User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "username"))


@transaction.atomic
def link_officer_set(
    *,
    neighbourhood: Neighbourhood,
    officer: Officer,
    commander: User | None = None,
    sample: bool = False,
) -> LinkOfficer:
    """Name a tasking team officer as a neighbourhood team's link (replacing any before)."""
    errors: dict[str, str] = {}
    if officer.force_id != neighbourhood.force_id:
        errors["officer"] = f"Select an officer of {neighbourhood.force.name}"
    elif officer.unit != Unit.NTT:
        errors["officer"] = "Select an officer of the neighbourhood tasking team"
    elif not officer.active:
        errors["officer"] = f"{officer.name} has left: select a serving officer"
    if commander is not None and commander.pk not in {
        u.pk for u in commanders_for(neighbourhood=neighbourhood)
    }:
        errors["commander"] = f"Select a neighbourhood inspector of {neighbourhood.name}, or nobody"
    if errors:
        raise ValidationError(errors)
    link, _ = LinkOfficer.objects.update_or_create(
        neighbourhood=neighbourhood,
        defaults={"officer": officer, "commander": commander, "sample": sample},
    )
    return link


@transaction.atomic
def link_officer_remove(*, neighbourhood: Neighbourhood) -> None:
    LinkOfficer.objects.filter(neighbourhood=neighbourhood).delete()
