"""The world of the resources tests: Staffordshire's tasking team in miniature.

Staffordshire with two neighbourhoods, Longton and Meir, and Cheshire's Crewe as the stranger.
Stations at Longton and Stafford (approximate places). Officers: an NTT sergeant and PC at
Longton, an NTT PC at Stafford, a neighbourhood PC each in Longton and Meir, and a Cheshire
NTT PC. People: Staffordshire's tasking sergeant (force-wide), Longton's neighbourhood officer
and inspector, Meir's officer, an analyst, a partner, Cheshire's tasking sergeant, a superuser.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from beatbook.accounts.models import Organisation, OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.places.models import Force, Neighbourhood
from beatbook.tasking.models import Officer, Rank, ShiftKind, Skill, Station, Unit
from beatbook.tasking.resources import OfficerDetails, officer_create, station_create
from beatbook.tasking.shifts import shift_kinds_ensure

PASSWORD = "correct horse battery staple"
# A Monday in winter (no clock change that week) and one across the spring change (29 March).
MONDAY = date(2026, 3, 2)


@dataclass
class ResourcesWorld:
    staffordshire: Force
    cheshire: Force
    longton: Neighbourhood
    meir: Neighbourhood
    crewe: Neighbourhood
    police: Organisation
    council: Organisation
    longton_station: Station
    stafford_station: Station
    crewe_station: Station
    ntt_sergeant: Officer
    ntt_pc: Officer
    stafford_pc: Officer
    longton_pc: Officer
    meir_pc: Officer
    crewe_pc: Officer
    sergeant: User
    longton_officer: User
    longton_inspector: User
    meir_officer: User
    analyst: User
    partner: User
    cheshire_sergeant: User
    admin: User
    kinds: dict[str, ShiftKind]


def _user(username: str, **flags: bool) -> User:
    return user_create(username=username, password=PASSWORD, is_staff=True, **flags)


def _member(username: str, organisation: Organisation, role: str, **scope: object) -> User:
    user = _user(username)
    membership_grant(user=user, organisation=organisation, role=role, **scope)  # type: ignore[arg-type]
    return user


def officer(
    force: Force,
    collar: str,
    name: str,
    station: Station,
    *,
    unit: str = Unit.NTT,
    rank: str = Rank.CONSTABLE,
    neighbourhood: Neighbourhood | None = None,
    skills: tuple[str, ...] = (),
    user: User | None = None,
) -> Officer:
    return officer_create(
        force=force,
        details=OfficerDetails(
            collar_number=collar,
            name=name,
            rank=rank,
            unit=unit,
            station=station,
            neighbourhood=neighbourhood,
            skills=list(Skill.objects.filter(slug__in=skills)),
            user=user,
        ),
    )


def build_resources_world() -> ResourcesWorld:
    staffs = Force.objects.get(pk="staffordshire")
    cheshire = Force.objects.get(pk="cheshire")
    longton = Neighbourhood.objects.create(force=staffs, code="longton", name="Longton")
    meir = Neighbourhood.objects.create(force=staffs, code="meir", name="Meir")
    crewe = Neighbourhood.objects.create(force=cheshire, code="crewe", name="Crewe")
    police = organisation_create(
        name="Staffordshire Police", kind=OrganisationKind.POLICE_FORCE, force=staffs
    )
    council = organisation_create(
        name="Stoke-on-Trent City Council", kind=OrganisationKind.LOCAL_AUTHORITY, force=staffs
    )
    constabulary = organisation_create(
        name="Cheshire Constabulary", kind=OrganisationKind.POLICE_FORCE, force=cheshire
    )
    longton_station = station_create(
        force=staffs, name="Longton", latitude=52.988, longitude=-2.133
    )
    stafford_station = station_create(
        force=staffs, name="Stafford", latitude=52.806, longitude=-2.117
    )
    crewe_station = station_create(force=cheshire, name="Crewe", latitude=53.097, longitude=-2.44)
    sergeant = _member("sgt", police, Role.TASKING_SERGEANT, force=staffs)
    world = ResourcesWorld(
        staffordshire=staffs,
        cheshire=cheshire,
        longton=longton,
        meir=meir,
        crewe=crewe,
        police=police,
        council=council,
        longton_station=longton_station,
        stafford_station=stafford_station,
        crewe_station=crewe_station,
        ntt_sergeant=officer(
            staffs, "S100", "Sam Reid", longton_station, rank=Rank.SERGEANT, user=sergeant
        ),
        ntt_pc=officer(staffs, "4521", "Priya Shah", longton_station, skills=("drugs", "driver")),
        stafford_pc=officer(staffs, "4600", "Tom Hale", stafford_station, skills=("anpr",)),
        longton_pc=officer(
            staffs, "3100", "Jo Bloggs", longton_station, unit=Unit.NPT, neighbourhood=longton
        ),
        meir_pc=officer(
            staffs, "3200", "Ade Okafor", longton_station, unit=Unit.NPT, neighbourhood=meir
        ),
        crewe_pc=officer(cheshire, "7001", "Cat Lowe", crewe_station),
        sergeant=sergeant,
        longton_officer=_member(
            "olu", police, Role.NEIGHBOURHOOD_OFFICER, neighbourhoods=[longton]
        ),
        longton_inspector=_member(
            "insp", police, Role.NEIGHBOURHOOD_INSPECTOR, neighbourhoods=[longton]
        ),
        meir_officer=_member("mo", police, Role.NEIGHBOURHOOD_OFFICER, neighbourhoods=[meir]),
        analyst=_member("ana", police, Role.ANALYST),
        partner=_member("pat", council, Role.PARTNER),
        cheshire_sergeant=_member("chsgt", constabulary, Role.TASKING_SERGEANT, force=cheshire),
        admin=_user("root", is_superuser=True),
        kinds={kind.slug: kind for kind in shift_kinds_ensure(force=staffs)},
    )
    shift_kinds_ensure(force=cheshire)
    return world
