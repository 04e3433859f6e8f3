"""A small made-up world for the assessment pages: Stoke-on-Trent and Stafford LSOAs in
Staffordshire, a few crimes in June 2024 and June 2025 loaded through the real import, the
Stoke-on-Trent partnership with the force as a member, and people in each role.

Imported by the page tests and by the browser test
(``from partnerships.partnership_assessment_world import ...``)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from beatbook.accounts.models import Organisation, OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.opendata.services import ingest_paths
from beatbook.partnerships.models import Partnership, PartnershipAuthority, PartnershipMember
from beatbook.places.models import Force, Lsoa

PASSWORD = "correct horse battery staple"  # as the browser tests' sign-in uses
HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
LSOAS = {
    "E01900001": ("Stoke-on-Trent 001A", 1500),
    "E01900002": ("Stoke-on-Trent 001B", 1500),
    "E01900003": ("Stafford 001A", 2000),
}
# (month, LSOA code, crime type) -> crimes
CRIMES = {
    ("2024-06", "E01900001", "Burglary"): 2,
    ("2024-06", "E01900002", "Violence and sexual offences"): 3,
    ("2025-06", "E01900001", "Burglary"): 5,
    ("2025-06", "E01900002", "Violence and sexual offences"): 4,
    ("2025-06", "E01900002", "Anti-social behaviour"): 6,
    ("2025-06", "E01900003", "Shoplifting"): 7,
}


@dataclass
class AssessmentWorld:
    partnership: Partnership
    planner: User  # an analyst of the force: may plan for the partnership
    officer: User  # a neighbourhood officer of the force: sees it, may not plan
    outsider: User  # an officer of Cheshire: sees neither


def _street_file(folder: Path, month: str) -> Path:
    path = folder / f"{month}-staffordshire-street.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for (when, code, kind), n in sorted(CRIMES.items()):
            if when != month:
                continue
            for k in range(n):
                writer.writerow(
                    [
                        f"{month}-{code}-{kind}-{k}",
                        month,
                        "Staffordshire Police",
                        "Staffordshire Police",
                        f"{-2.18 + 0.001 * k:.6f}",
                        f"{53.00 + 0.002 * int(code[-1]):.6f}",
                        f"On or near Street {code[-1]}",
                        code,
                        LSOAS[code][0],
                        kind,
                        "",
                        "",
                    ]
                )
    return path


def _member(name: str, organisation: Organisation, role: str) -> User:
    user = user_create(username=name, password=PASSWORD, is_staff=True)
    membership_grant(user=user, organisation=organisation, role=role)
    return user


def build_assessment_world(folder: Path) -> AssessmentWorld:
    staffs = Force.objects.get(pk="staffordshire")
    for code, (name, people) in LSOAS.items():
        Lsoa.objects.create(
            code=code, name=name, census_year=2021, population_2021=people, force=staffs
        )
    ingest_paths(paths=[_street_file(folder, "2024-06"), _street_file(folder, "2025-06")])
    police = organisation_create(
        name="Staffordshire Police", kind=OrganisationKind.POLICE_FORCE, force=staffs
    )
    cheshire = organisation_create(
        name="Cheshire Constabulary",
        kind=OrganisationKind.POLICE_FORCE,
        force=Force.objects.get(pk="cheshire"),
    )
    partnership = Partnership.objects.create(
        name="Stoke-on-Trent Safer City Partnership", slug="safer-city"
    )
    PartnershipAuthority.objects.create(partnership=partnership, name="Stoke-on-Trent")
    PartnershipMember.objects.create(partnership=partnership, organisation=police)
    return AssessmentWorld(
        partnership=partnership,
        planner=_member("ana", police, Role.ANALYST),
        officer=_member("olu", police, Role.NEIGHBOURHOOD_OFFICER),
        outsider=_member("carol", cheshire, Role.NEIGHBOURHOOD_OFFICER),
    )
