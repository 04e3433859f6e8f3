"""The Longton community action week in miniature: the world of tests/operations.

Staffordshire's Longton neighbourhood of three LSOAs (small squares near Longton, with a
postcode at the centre of each), Stoke-on-Trent City Council and Staffordshire Fire and Rescue
as partners, and Cheshire's Crewe with its own police force as the stranger.

People: the Longton sergeant (police, neighbourhood officer), the council's coordinator and a
fire officer (partner role), an analyst of the police (read-only), and Cheshire's officer.

The week runs six days from Monday 2 March 2026 (the clocks go forward on Sunday 29 March,
which a later test crosses). Activities: the mobile police station at Tesco Extra Longton
(public), the online surgery (public), door-to-door visits with fire (public), and an
enforcement operation assigned to the police only (never public).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from beatbook.accounts.models import Organisation, OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.operations import services
from beatbook.operations.models import (
    Activity,
    ActivityType,
    AreaChoice,
    Operation,
    OperationKind,
)
from beatbook.places.models import Force, Lsoa, Neighbourhood, Postcode

PASSWORD = "correct horse battery staple"
LONDON = ZoneInfo("Europe/London")
# Three LSOA squares of about 550 m a side, west to east, near Longton.
SQUARE = 0.005
CENTRES = [(52.990, -2.140), (52.990, -2.132), (52.990, -2.124)]
LSOA_CODES = ["E01014220", "E01014221", "E01014222"]
POSTCODES = ["ST3 1AA", "ST3 1AB", "ST3 1AD"]


@dataclass
class OperationsWorld:
    staffordshire: Force
    cheshire: Force
    longton: Neighbourhood
    crewe: Neighbourhood
    police: Organisation
    council: Organisation
    fire: Organisation
    cheshire_police: Organisation
    sergeant: User
    coordinator: User
    fire_officer: User
    analyst: User
    cheshire_officer: User
    week: Operation
    mobile_station: Activity
    surgery: Activity
    doors: Activity
    enforcement: Activity


def london(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def square(lat: float, lng: float, half: float = SQUARE / 2) -> dict[str, object]:
    ring = [
        [lng - half, lat - half],
        [lng + half, lat - half],
        [lng + half, lat + half],
        [lng - half, lat + half],
        [lng - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def _lsoa(code: str, lat: float, lng: float) -> Lsoa:
    half = SQUARE / 2
    return Lsoa.objects.create(
        code=code,
        name=f"Stoke-on-Trent 0{code[-2:]}A",
        census_year=2011,
        boundary=square(lat, lng),
        min_lat=lat - half,
        max_lat=lat + half,
        min_lng=lng - half,
        max_lng=lng + half,
        centre_lat=lat,
        centre_lng=lng,
        population_2011=1500,
    )


def _place(force: Force, code: str, name: str, lsoas: list[Lsoa]) -> Neighbourhood:
    lat = sum(lsoa.centre_lat or 0 for lsoa in lsoas) / max(len(lsoas), 1)
    neighbourhood = Neighbourhood.objects.create(
        force=force,
        code=code,
        name=name,
        boundary={
            "type": "MultiPolygon",
            "coordinates": [lsoa.boundary["coordinates"] for lsoa in lsoas],  # type: ignore[index]
        }
        if lsoas
        else None,
        centre_lat=lat if lsoas else None,
    )
    neighbourhood.lsoas.set(lsoas)
    return neighbourhood


def _person(username: str, organisation: Organisation, role: str, force: Force) -> User:
    user = user_create(username=username, password=PASSWORD, is_staff=True, first_name=username)
    membership_grant(user=user, organisation=organisation, role=role, force=force)
    return user


def build_operations_world(first_day: date = date(2026, 3, 2)) -> OperationsWorld:
    staffordshire = Force.objects.get(id="staffordshire")
    cheshire = Force.objects.get(id="cheshire")
    lsoas = [_lsoa(code, lat, lng) for code, (lat, lng) in zip(LSOA_CODES, CENTRES, strict=True)]
    for postcode, (lat, lng) in zip(POSTCODES, CENTRES, strict=True):
        Postcode.objects.create(
            postcode=postcode,
            quality=10,
            latitude=lat,
            longitude=lng,
            easting=391000,
            northing=343000,
        )
    longton = _place(staffordshire, "LONGTON", "Longton", lsoas)
    crewe = _place(cheshire, "CREWE", "Crewe West", [])

    police = organisation_create(name="Staffordshire Police", kind="police", force=staffordshire)
    council = organisation_create(
        name="Stoke-on-Trent City Council",
        kind=OrganisationKind.LOCAL_AUTHORITY,
        force=staffordshire,
    )
    fire = organisation_create(
        name="Staffordshire Fire and Rescue",
        kind=OrganisationKind.FIRE_AND_RESCUE,
        force=staffordshire,
    )
    cheshire_police = organisation_create(name="Cheshire Police", kind="police", force=cheshire)

    sergeant = _person("sergeant", police, Role.NEIGHBOURHOOD_OFFICER, staffordshire)
    coordinator = _person("coordinator", council, Role.PARTNER, staffordshire)
    fire_officer = _person("fire", fire, Role.PARTNER, staffordshire)
    analyst = _person("analyst", police, Role.ANALYST, staffordshire)
    cheshire_officer = _person("cheshire", cheshire_police, Role.NEIGHBOURHOOD_OFFICER, cheshire)

    week = services.operation_create(
        by=sergeant,
        details=services.OperationDetails(
            name="Longton community action week",
            kind=OperationKind.objects.get(slug="community-action-week"),
            lead=sergeant,
            lead_organisation=police,
            first_day=first_day,
            last_day=date.fromordinal(first_day.toordinal() + 5),
            summary="Police and the council in Longton all week.",
            public=True,
            area_choice=AreaChoice.NEIGHBOURHOODS,
            neighbourhoods=[longton],
        ),
    )
    services.partner_add(operation=week, organisation=council, contact_name="Dee Council")
    services.partner_add(operation=week, organisation=fire, contact_name="Sam Fire")
    monday = first_day
    wednesday = date.fromordinal(first_day.toordinal() + 2)
    thursday = date.fromordinal(first_day.toordinal() + 3)
    mobile_station = services.activity_create(
        operation=week,
        details=services.ActivityDetails(
            type=ActivityType.MOBILE_POLICE_STATION,
            title="Mobile police station at Tesco Extra Longton",
            start=london(monday, 10),
            end=london(monday, 14),
            venue_name="Tesco Extra Longton",
            venue_address="Tesco Extra, Longton, ST3 1AA",
            public=True,
            organisations=[police, council],
        ),
    )
    surgery = services.activity_create(
        operation=week,
        details=services.ActivityDetails(
            type=ActivityType.ONLINE_SURGERY,
            title="Online surgery with specialist officers",
            start=london(wednesday, 19),
            end=london(wednesday, 20),
            online=True,
            joining_details="Ask your questions on this page",
            public=True,
            organisations=[police],
        ),
    )
    doors = services.activity_create(
        operation=week,
        details=services.ActivityDetails(
            type=ActivityType.DOOR_TO_DOOR,
            title="Door-to-door visits: fire safety and county lines",
            start=london(thursday, 10),
            end=london(thursday, 16),
            venue_name="Longton streets",
            venue_address="Meeting at Longton Town Hall, ST3 1AB",
            public=True,
            organisations=[police, fire],
        ),
    )
    enforcement = services.activity_create(
        operation=week,
        details=services.ActivityDetails(
            type=ActivityType.ENFORCEMENT,
            title="Operation Nightjar: vehicle crime arrests",
            start=london(thursday, 5),
            end=london(thursday, 9),
            venue_name="Hidden Close",
            venue_address="Hidden Close, ST3 1AD",
            public=False,
            organisations=[police],
        ),
    )
    return OperationsWorld(
        staffordshire=staffordshire,
        cheshire=cheshire,
        longton=longton,
        crewe=crewe,
        police=police,
        council=council,
        fire=fire,
        cheshire_police=cheshire_police,
        sergeant=sergeant,
        coordinator=coordinator,
        fire_officer=fire_officer,
        analyst=analyst,
        cheshire_officer=cheshire_officer,
        week=week,
        mobile_station=mobile_station,
        surgery=surgery,
        doors=doors,
        enforcement=enforcement,
    )
