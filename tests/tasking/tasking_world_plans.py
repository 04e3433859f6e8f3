"""A small world to make patrol plans in: Testshire's synthetic crimes (the forecast tests'
world, tests/insights/forecast_db_world.py), two neighbourhoods splitting its 2 km square
west and east, a station in the middle, a tasking team of three and a neighbourhood team of two
on the late shift of Tuesday 15 July 2025 (the month after the crimes held), and the people
who sign in: the tasking sergeant, a west neighbourhood officer, an east one, a partner, and
the tasking constable whose account is linked to his officer record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

import numpy as np
from django.utils import timezone

from beatbook.accounts.models import OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.common.projection import bng_to_wgs84
from beatbook.places.models import Force, Neighbourhood
from beatbook.tasking.models import (
    Duty,
    Officer,
    Rank,
    ShiftKind,
    Skill,
    Station,
    Tactic,
    TaskingRequest,
    Unit,
)
from beatbook.tasking.shifts import shift_kinds_ensure, shift_times
from insights.forecast_db_world import CENTRE, HALF, build_forecast_world

DAY = date(2025, 7, 15)
# Cells of the square's hot corner (its lower-left 500 m) and of its far north-east.
WEST_X = CENTRE[0] - HALF
SOUTH_Y = CENTRE[1] - HALF
HOT_CELL = f"E{int(WEST_X)}N{int(SOUTH_Y)}"
FAR_CELL = f"E{int(WEST_X + 1750)}N{int(SOUTH_Y + 1750)}"


@dataclass
class PlanWorld:
    force: Force
    west: Neighbourhood
    east: Neighbourhood
    station: Station
    late: ShiftKind
    ntt: list[Officer]
    npt: list[Officer]
    users: dict[str, User] = field(default_factory=dict)


def _neighbourhood(force: Force, code: str, x_from: float) -> Neighbourhood:
    """A 1 km wide strip of the square, from ``x_from`` east, its whole 2 km height."""
    xs = np.array([x_from, x_from + 1000, x_from + 1000, x_from, x_from])
    ys = np.array([SOUTH_Y, SOUTH_Y, SOUTH_Y + 2000, SOUTH_Y + 2000, SOUTH_Y])
    lat, lng = bng_to_wgs84(easting=xs, northing=ys)
    ring = [[float(a), float(b)] for a, b in zip(lng, lat, strict=True)]
    return Neighbourhood.objects.create(
        force=force,
        code=code,
        name=code.title(),
        boundary={"type": "Polygon", "coordinates": [ring]},
        min_lat=float(lat.min()),
        max_lat=float(lat.max()),
        min_lng=float(lng.min()),
        max_lng=float(lng.max()),
        centre_lat=float(lat.mean()),
        centre_lng=float(lng.mean()),
    )


def _user(username: str, organisation: object, role: str, **scope: object) -> User:
    user = user_create(username=username, password="a password for tests", is_staff=True)
    membership_grant(user=user, organisation=organisation, role=role, **scope)  # type: ignore[arg-type]
    return user


def _officer(
    world_force: Force, station: Station, collar: str, unit: str, **extra: object
) -> Officer:
    skills = extra.pop("skills", [])
    officer = Officer.objects.create(
        force=world_force,
        collar_number=collar,
        name=f"Officer {collar}",
        rank=Rank.CONSTABLE,
        unit=unit,
        station=station,
        **extra,
    )
    officer.skills.set(Skill.objects.filter(slug__in=skills))  # type: ignore[arg-type]
    return officer


def duty_add(officer: Officer, kind: ShiftKind, day: date = DAY) -> Duty:
    starts, ends = shift_times(kind=kind, day=day)
    return Duty.objects.create(officer=officer, date=day, shift_kind=kind, starts=starts, ends=ends)


def build_plan_world() -> PlanWorld:
    force = build_forecast_world()
    west = _neighbourhood(force, "west", CENTRE[0] - HALF)
    east = _neighbourhood(force, "east", CENTRE[0])
    lat, lng = bng_to_wgs84(easting=np.array([CENTRE[0]]), northing=np.array([CENTRE[1]]))
    station = Station.objects.create(
        force=force, name="Testshire Central", latitude=float(lat[0]), longitude=float(lng[0])
    )
    late = next(k for k in shift_kinds_ensure(force=force) if k.slug == "late")
    ntt = [
        _officer(force, station, "T1", Unit.NTT, skills=["plain-clothes"]),
        _officer(force, station, "T2", Unit.NTT),
        _officer(force, station, "T3", Unit.NTT),
    ]
    npt = [
        _officer(force, station, "N1", Unit.NPT, neighbourhood=west),
        _officer(force, station, "N2", Unit.NPT, neighbourhood=west),
    ]
    for officer in [*ntt, *npt]:
        duty_add(officer, late)
    police = organisation_create(
        name="Testshire Police", kind=OrganisationKind.POLICE_FORCE, force=force
    )
    council = organisation_create(
        name="Testshire Council", kind=OrganisationKind.LOCAL_AUTHORITY, force=force
    )
    world = PlanWorld(force, west, east, station, late, ntt, npt)
    world.users = {
        "sergeant": _user("sergeant", police, Role.TASKING_SERGEANT),
        "west": _user("west", police, Role.NEIGHBOURHOOD_OFFICER, neighbourhoods=[west]),
        "east": _user("east", police, Role.NEIGHBOURHOOD_OFFICER, neighbourhoods=[east]),
        "partner": _user("partner", council, Role.PARTNER),
        "constable": user_create(username="constable", password="a password", is_staff=True),
    }
    ntt[0].user = world.users["constable"]
    ntt[0].save()
    return world


def approved_request(
    world: PlanWorld,
    *,
    cells: list[str],
    minutes: int = 30,
    hours: tuple[time, time] = (time(18), time(20)),
    tactic: str = Tactic.HIGH_VISIBILITY,
    title: str = "Burglaries on Corner Street",
) -> TaskingRequest:
    return TaskingRequest.objects.create(
        force=world.force,
        neighbourhood=world.west,
        requested_by=world.users["west"],
        title=title,
        problem="Burglaries in the evening.",
        link="hotspot",
        cells=cells,
        first_day=DAY,
        last_day=DAY,
        hours_from=hours[0],
        hours_to=hours[1],
        tactic=tactic,
        officers_wanted=1,
        minutes_wanted=minutes,
        evidence="Six burglaries in June.",
        status="approved",
        decided_by=world.users["sergeant"],
        decided_at=timezone.now(),
    )
