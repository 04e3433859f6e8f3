"""A small world for the partnership set-up and meeting tests: Stoke-on-Trent's and Newcastle-
under-Lyme's LSOAs in Staffordshire, Cheshire East's in Cheshire, crimes in them month by month
(street-level files loaded for the months given), organisations and people."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from beatbook.accounts.models import Organisation, OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.opendata.models import Crime
from beatbook.partnerships import partnership_services as services
from beatbook.partnerships.models import GroupKind, Partnership, PartnershipGroup
from beatbook.places.models import Force, Lsoa
from beatbook.records.models import SourceFile, SourceKind, SourceStatus

LONDON = ZoneInfo("Europe/London")
STOKE = [f"E0101{n:04d}" for n in range(1, 13)]  # 12 LSOAs: Stoke-on-Trent 001A ...
NEWCASTLE = ["E01029001", "E01029002"]
CHESHIRE_EAST = ["E01018001", "E01018002", "E01018003"]


@dataclass
class MeetingWorld:
    staffs: Force
    cheshire: Force
    police: Organisation
    council: Organisation
    fire: Organisation
    outsider: Organisation
    partnership: Partnership
    strategy: PartnershipGroup
    jag: PartnershipGroup
    users: dict[str, User] = field(default_factory=dict)


def at(day: str, hour: int = 10) -> datetime:
    """A London wall-clock time on ``day`` (YYYY-MM-DD)."""
    return datetime.fromisoformat(f"{day}T{hour:02d}:00").replace(tzinfo=LONDON)


def lsoas_make(staffs: Force, cheshire: Force) -> None:
    rows = [
        (code, f"Stoke-on-Trent {i + 1:03d}A", "Stoke-on-Trent", staffs, 1500)
        for i, code in enumerate(STOKE)
    ]
    rows += [
        (code, f"Newcastle-under-Lyme {i + 1:03d}A", "Newcastle-under-Lyme", staffs, 1600)
        for i, code in enumerate(NEWCASTLE)
    ]
    rows += [
        (code, f"Cheshire East {i + 1:03d}A", "Cheshire East", cheshire, 1700)
        for i, code in enumerate(CHESHIRE_EAST)
    ]
    Lsoa.objects.bulk_create(
        Lsoa(
            code=code,
            name=name,
            local_authority_name=la,
            census_year=2021,
            population_2021=people,
            force=force,
        )
        for code, name, la, force, people in rows
    )


def month_load(force: Force, month: str) -> SourceFile:
    """A loaded street-level file for the force and month (with no rows of its own)."""
    return SourceFile.objects.create(
        kind=SourceKind.STREET,
        path=f"/data/{month}/{month}-{force.pk}-street.csv",
        sha256=f"{force.pk}{month}".ljust(64, "0")[:64],
        force=force,
        month=month,
        status=SourceStatus.LOADED,
        started_at=timezone.now(),
    )


def crimes_add(force: Force, month: str, counts: dict[str, int]) -> None:
    """``counts[lsoa_code]`` crimes in ``month``; the month's file is loaded if it is not."""
    source = SourceFile.objects.filter(force=force, month=month, kind=SourceKind.STREET).first()
    source = source or month_load(force, month)
    names = dict(Lsoa.objects.filter(code__in=list(counts)).values_list("code", "name"))
    Crime.objects.bulk_create(
        Crime(
            force=force,
            falls_within=force,
            month=month,
            category="anti-social-behaviour",
            lsoa_code=code,
            lsoa_name=names.get(code, ""),
            source=source,
        )
        for code, n in counts.items()
        for _ in range(n)
    )


def person(username: str, organisation: Organisation, role: str) -> User:
    user = user_create(username=username, password=None, is_staff=True)
    membership_grant(user=user, organisation=organisation, role=role)
    return user


def build_meeting_world() -> MeetingWorld:
    staffs = Force.objects.get(pk="staffordshire")
    cheshire = Force.objects.get(pk="cheshire")
    lsoas_make(staffs, cheshire)
    police = organisation_create(
        name="Staffordshire Police", kind=OrganisationKind.POLICE_FORCE, force=staffs
    )
    council = organisation_create(
        name="Stoke-on-Trent City Council", kind=OrganisationKind.LOCAL_AUTHORITY, force=staffs
    )
    fire = organisation_create(
        name="Staffordshire Fire and Rescue Service",
        kind=OrganisationKind.FIRE_AND_RESCUE,
        force=staffs,
    )
    outsider = organisation_create(
        name="Cheshire Constabulary", kind=OrganisationKind.POLICE_FORCE, force=cheshire
    )
    partnership = services.partnership_create(
        details=services.PartnershipDetails(
            name="Stoke-on-Trent Safer City Partnership", aim="A safer city"
        )
    )
    services.partnership_authorities_set(partnership=partnership, names=["Stoke-on-Trent"])
    for organisation in (police, council, fire):
        services.partnership_member_add(
            partnership=partnership,
            details=services.MemberDetails(organisation=organisation, representative="A Person"),
        )
    strategy = services.partnership_group_create(
        partnership=partnership, kind=GroupKind.STRATEGY, name="Strategy group"
    )
    jag = services.partnership_group_create(
        partnership=partnership, kind=GroupKind.JAG, name="North JAG"
    )
    world = MeetingWorld(
        staffs, cheshire, police, council, fire, outsider, partnership, strategy, jag
    )
    world.users = {
        "admin": person("adele", council, Role.ADMINISTRATOR),
        "analyst": person("ana", police, Role.ANALYST),
        "officer": person("olu", police, Role.NEIGHBOURHOOD_OFFICER),
        "firefighter": person("fern", fire, Role.NEIGHBOURHOOD_OFFICER),
        "outsider": person("carol", outsider, Role.ADMINISTRATOR),
    }
    return world
