from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from beatbook.accounts.models import OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.opendata.models import Crime
from beatbook.places.models import Force, Lsoa, Neighbourhood
from beatbook.records.models import SourceFile, SourceKind, SourceStatus

PASSWORD = "correct horse battery staple"


@pytest.fixture
def staffordshire() -> Force:
    return Force.objects.get(pk="staffordshire")


def make_source_file(
    *, force: Force | None, month: str, name: str, minutes_ago: int = 0, rows: int = 9
) -> SourceFile:
    started = timezone.now() - timedelta(minutes=minutes_ago)
    return SourceFile.objects.create(
        kind=SourceKind.STREET,
        path="/data/staffordshire-2025.zip",
        member=name,
        sha256="ab" * 32,
        force=force,
        month=month,
        status=SourceStatus.LOADED,
        rows_read=rows + 1,
        rows_loaded=rows,
        rows_rejected=1,
        outcomes_changed=3,
        message="1 row rejected: no month",
        started_at=started,
        finished_at=started + timedelta(seconds=2.5),
    )


def make_crimes(*, force: Force, month: str, count: int, source: SourceFile) -> None:
    Crime.objects.bulk_create(
        Crime(
            force=force,
            month=month,
            category="burglary",
            persistent_id=f"{month}-{i}",
            source=source,
        )
        for i in range(count)
    )


@pytest.fixture
def staffordshire_data(staffordshire: Force) -> Force:
    """Two months of crime, two neighbourhoods and three LSOAs for Staffordshire."""
    for month, count in (("2025-01", 3), ("2025-02", 2)):
        source = make_source_file(
            force=staffordshire,
            month=month,
            name=f"{month}/{month}-staffordshire-street.csv",
            rows=count,
        )
        make_crimes(force=staffordshire, month=month, count=count, source=source)
    for code in ("E01014200", "E01014201", "E01014202"):
        Lsoa.objects.create(
            code=code, name=f"Stoke-on-Trent {code[-3:]}", census_year=2011, force=staffordshire
        )
    Neighbourhood.objects.create(force=staffordshire, code="longton", name="Longton")
    Neighbourhood.objects.create(force=staffordshire, code="meir", name="Meir North")
    return staffordshire


@pytest.fixture
def staff_user(staffordshire: Force) -> User:
    user = user_create(
        username="sam", password=PASSWORD, first_name="Sam", last_name="Staff", is_staff=True
    )
    police = organisation_create(
        name="Staffordshire Police", kind=OrganisationKind.POLICE_FORCE, force=staffordshire
    )
    membership_grant(user=user, organisation=police, role=Role.ANALYST)
    return user


@pytest.fixture
def resident_user() -> User:
    return user_create(username="rita", password=PASSWORD)
