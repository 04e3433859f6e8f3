"""The world of the tasking request tests: Staffordshire's Longton and Meir neighbourhoods (small
squares near Longton, with LSOAs and a postcode), the council and the fire service as partners,
and Cheshire as the stranger.

People: a Longton neighbourhood officer and a Meir one, Longton's inspector, the force's tasking
sergeant, the council's partner worker, an analyst, and Cheshire's officer and tasking sergeant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.utils import timezone

from beatbook.accounts.models import Organisation, OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.places.models import Force, Lsoa, Neighbourhood, Postcode
from beatbook.tasking.models import ProblemLink, Tactic, TaskingRequest, Urgency
from beatbook.tasking.patrol_cells import cell_at
from beatbook.tasking.request_services import RequestDetails, request_create
from beatbook.teams import services as teams
from beatbook.teams.models import Priority

PASSWORD = "correct horse battery staple"
HALF = 0.0025
LONGTON_CENTRE = (52.990, -2.135)
MEIR_CENTRE = (52.985, -2.105)
POSTCODE = "ST3 1AA"
LSOA_CODES = {"LONGTON": "E01014220", "MEIR": "E01014230"}


@dataclass
class RequestsWorld:
    staffordshire: Force
    cheshire: Force
    longton: Neighbourhood
    meir: Neighbourhood
    crewe: Neighbourhood
    police: Organisation
    council: Organisation
    fire: Organisation
    npt: User
    meir_officer: User
    inspector: User
    sergeant: User
    partner: User
    analyst: User
    cheshire_officer: User
    cheshire_sergeant: User
    priority: Priority
    cell: str


def _square(lat: float, lng: float) -> dict[str, Any]:
    ring = [
        [lng - HALF, lat - HALF],
        [lng + HALF, lat - HALF],
        [lng + HALF, lat + HALF],
        [lng - HALF, lat + HALF],
        [lng - HALF, lat - HALF],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def _box(lat: float, lng: float) -> dict[str, Any]:
    return {
        "boundary": _square(lat, lng),
        "min_lat": lat - HALF,
        "max_lat": lat + HALF,
        "min_lng": lng - HALF,
        "max_lng": lng + HALF,
        "centre_lat": lat,
        "centre_lng": lng,
    }


def _hood(force: Force, code: str, name: str, centre: tuple[float, float] | None) -> Neighbourhood:
    box = _box(*centre) if centre else {}
    hood = Neighbourhood.objects.create(force=force, code=code, name=name, **box)
    if centre:
        lsoa = Lsoa.objects.create(
            code=LSOA_CODES[code],
            census_year=2011,
            force=force,
            **_box(*centre),
        )
        hood.lsoas.set([lsoa])
    return hood


def _person(username: str, organisation: Organisation, role: str, **scope: Any) -> User:
    user = user_create(username=username, password=PASSWORD, is_staff=True, first_name=username)
    membership_grant(user=user, organisation=organisation, role=role, **scope)
    return user


def build_requests_world() -> RequestsWorld:
    staffs = Force.objects.get(pk="staffordshire")
    cheshire = Force.objects.get(pk="cheshire")
    longton = _hood(staffs, "LONGTON", "Longton", LONGTON_CENTRE)
    meir = _hood(staffs, "MEIR", "Meir", MEIR_CENTRE)
    crewe = _hood(cheshire, "CREWE", "Crewe West", None)
    Postcode.objects.create(
        postcode=POSTCODE,
        quality=10,
        latitude=LONGTON_CENTRE[0],
        longitude=LONGTON_CENTRE[1],
        easting=391000,
        northing=343000,
    )
    police = organisation_create(
        name="Staffordshire Police", kind=OrganisationKind.POLICE_FORCE, force=staffs
    )
    council = organisation_create(
        name="Stoke-on-Trent City Council", kind=OrganisationKind.LOCAL_AUTHORITY, force=staffs
    )
    fire = organisation_create(
        name="Staffordshire Fire and Rescue", kind=OrganisationKind.FIRE_AND_RESCUE, force=staffs
    )
    constabulary = organisation_create(
        name="Cheshire Constabulary", kind=OrganisationKind.POLICE_FORCE, force=cheshire
    )
    officer = Role.NEIGHBOURHOOD_OFFICER
    return RequestsWorld(
        staffordshire=staffs,
        cheshire=cheshire,
        longton=longton,
        meir=meir,
        crewe=crewe,
        police=police,
        council=council,
        fire=fire,
        npt=_person("npt", police, officer, neighbourhoods=[longton]),
        meir_officer=_person("meir", police, officer, neighbourhoods=[meir]),
        inspector=_person(
            "inspector", police, Role.NEIGHBOURHOOD_INSPECTOR, neighbourhoods=[longton]
        ),
        sergeant=_person("sergeant", police, Role.TASKING_SERGEANT),
        partner=_person("partner", council, Role.PARTNER),
        analyst=_person("analyst", police, Role.ANALYST),
        cheshire_officer=_person("cheshire", constabulary, officer),
        cheshire_sergeant=_person("cheshire_sergeant", constabulary, Role.TASKING_SERGEANT),
        priority=teams.priority_create(
            neighbourhood=longton, issue="<p>Burglary at night</p>", issue_date=timezone.now()
        ),
        cell=cell_at(latitude=LONGTON_CENTRE[0], longitude=LONGTON_CENTRE[1]).key,
    )


def details(world: RequestsWorld, **changes: Any) -> RequestDetails:
    """A good request for Longton, starting tomorrow, with ``changes``."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    values: dict[str, Any] = {
        "title": "Burglaries on Belgrave Road at night",
        "problem": "Five burglaries in two weeks, all between 10pm and 2am.",
        "link": ProblemLink.PRIORITY,
        "priority": world.priority,
        "cells": [world.cell],
        "first_day": tomorrow,
        "last_day": tomorrow + timedelta(days=6),
        "hours_from": time(22),
        "hours_to": time(2),
        "tactic": Tactic.HIGH_VISIBILITY,
        "officers_wanted": 2,
        "minutes_wanted": 60,
        "urgency": Urgency.HIGH,
        "evidence": "Crime reports CRI/1/26 to CRI/5/26; residents' calls.",
    }
    values.update(changes)
    return RequestDetails(**values)


def make_request(world: RequestsWorld, user: User | None = None, **changes: Any) -> TaskingRequest:
    return request_create(
        user=user or world.npt,
        neighbourhood=changes.pop("neighbourhood", world.longton),
        details=details(world, **changes),
    )


def day(offset: int) -> date:
    return timezone.localdate() + timedelta(days=offset)
