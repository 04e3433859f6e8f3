"""A small, hand-made world for the partnership plan's tests: the Stoke-on-Trent Safer City
Partnership (two Stoke-on-Trent LSOAs of 1,500 and 2,000 residents), its member organisations
and their people, and crimes month by month that the tests count again straight from the rows.

A Newcastle-under-Lyme LSOA beside it has crimes that must never be counted for Stoke-on-Trent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from beatbook.accounts.models import Organisation, OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.opendata.models import Crime
from beatbook.partnerships.models import (
    MemberStanding,
    Partnership,
    PartnershipAuthority,
    PartnershipMember,
)
from beatbook.places.models import Force, Lsoa
from beatbook.records.models import SourceFile, SourceKind, SourceStatus

STOKE_A = "E01014213"
STOKE_B = "E01014100"
NEWCASTLE = "E01029900"
STOKE_POPULATION = 3500
MONTHS_2025 = [f"2025-{number:02d}" for number in range(1, 13)]


@dataclass
class StrategyWorld:
    force: Force
    partnership: Partnership
    police: Organisation
    council: Organisation
    fire: Organisation
    outsider_organisation: Organisation
    users: dict[str, User] = field(default_factory=dict)


def _lsoa(code: str, name: str, la: str, population: int, force: Force) -> None:
    Lsoa.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "census_year": 2011,
            "local_authority_name": la,
            "population_2011": population - 100,
            "population_2021": population,
            "force": force,
        },
    )


def month_crimes(month: str) -> dict[tuple[str, str], int]:
    """How many crimes each LSOA has of each category in ``month``: made up, but varied."""
    number = int(month[5:]) + 12 * (int(month[:4]) - 2025)
    return {
        (STOKE_A, "violent-crime"): 3 + number % 4,
        (STOKE_B, "violent-crime"): 2 + number % 3,
        (STOKE_A, "anti-social-behaviour"): 6 - number % 5,
        (STOKE_B, "anti-social-behaviour"): 4,
        (STOKE_A, "burglary"): 1 + number % 2,
        (NEWCASTLE, "violent-crime"): 9,
        (NEWCASTLE, "shoplifting"): 5,
    }


def load_month(force: Force, month: str, counts: dict[tuple[str, str], int] | None = None) -> None:
    """One published month of street-level crime for the force, as an import leaves it."""
    source = SourceFile.objects.create(
        kind=SourceKind.STREET,
        path=f"/data/{month}-{force.pk}-street.csv",
        sha256=f"{force.pk}{month}".ljust(64, "0")[:64],
        force=force,
        month=month,
        status=SourceStatus.LOADED,
        started_at=timezone.now(),
    )
    names = dict(Lsoa.objects.values_list("code", "name"))
    rows = [
        Crime(
            force=force,
            falls_within=force,
            month=month,
            category=category,
            lsoa_code=code,
            lsoa_name=names.get(code, ""),
            source=source,
        )
        for (code, category), number in (counts or month_crimes(month)).items()
        for _ in range(number)
    ]
    Crime.objects.bulk_create(rows)


def _member(organisation: Organisation, standing: str, representative: str, order: int) -> dict:
    return {
        "organisation": organisation,
        "standing": standing,
        "representative": representative,
        "order": order,
    }


def _user(username: str, organisation: Organisation | None, role: str | None) -> User:
    user = user_create(username=username, password=None, is_staff=True)
    if organisation is not None and role is not None:
        membership_grant(user=user, organisation=organisation, role=role)
    return user


def build_strategy_world(*, months: list[str] | None = None) -> StrategyWorld:
    """The partnership with its members and people, and crimes for ``months`` (2025 unless
    told otherwise)."""
    force = Force.objects.get(pk="staffordshire")
    _lsoa(STOKE_A, "Stoke-on-Trent 012A", "Stoke-on-Trent", 1500, force)
    _lsoa(STOKE_B, "Stoke-on-Trent 001B", "Stoke-on-Trent", 2000, force)
    _lsoa(NEWCASTLE, "Newcastle-under-Lyme 003C", "Newcastle-under-Lyme", 1700, force)
    police = organisation_create(
        name="Staffordshire Police", kind=OrganisationKind.POLICE_FORCE, force=force
    )
    council = organisation_create(
        name="Stoke-on-Trent City Council", kind=OrganisationKind.LOCAL_AUTHORITY, force=force
    )
    fire = organisation_create(
        name="Staffordshire Fire and Rescue Service", kind=OrganisationKind.FIRE_AND_RESCUE
    )
    outsider = organisation_create(
        name="Cheshire Constabulary",
        kind=OrganisationKind.POLICE_FORCE,
        force=Force.objects.get(pk="cheshire"),
    )
    partnership = Partnership.objects.create(
        name="Stoke-on-Trent Safer City Partnership",
        slug="stoke-on-trent",
        aim="A safer, stronger and healthier city by reducing crime, disorder, substance misuse "
        "and associated problems.",
        get_involved="Come to a community safety meeting, or write to us.",
        contact_email="safercity@example.org",
        published=True,
    )
    PartnershipAuthority.objects.create(partnership=partnership, name="Stoke-on-Trent")
    for number, (organisation, standing, person) in enumerate(
        [
            (police, MemberStanding.RESPONSIBLE, "Chief Superintendent Ann Lee"),
            (council, MemberStanding.RESPONSIBLE, "Director of Housing, Raj Patel"),
            (fire, MemberStanding.RESPONSIBLE, "Group Manager Sam Hill"),
        ],
        1,
    ):
        PartnershipMember.objects.create(
            partnership=partnership, **_member(organisation, standing, person, number)
        )
    PartnershipMember.objects.create(
        partnership=partnership, name="Community members", standing=MemberStanding.MEMBER
    )
    for month in MONTHS_2025 if months is None else months:
        load_month(force, month)
    world = StrategyWorld(force, partnership, police, council, fire, outsider)
    world.users = {
        "analyst": _user("ana", police, Role.ANALYST),
        "partner": _user("pat", council, Role.PARTNER),
        "officer": _user("olu", police, Role.NEIGHBOURHOOD_OFFICER),
        "outsider": _user("carol", outsider, Role.ANALYST),
        "admin": user_create(username="root", password=None, is_superuser=True),
    }
    return world


def count_directly(*, months: list[str], category: str | None) -> int:
    """Crimes in the Stoke-on-Trent LSOAs in ``months`` (of one category, or all), straight
    from the rows."""
    crimes = Crime.objects.filter(lsoa_code__in=[STOKE_A, STOKE_B], month__in=months)
    if category is not None:
        crimes = crimes.filter(category=category)
    return crimes.count()
