"""The demo's tasking team (issue 15) on the demo's own data: Staffordshire's NTT as the seed
describes it, on every shift from yesterday across the coming fortnight; neighbourhood officers
with abstractions behind the Guarantee page's share; a link for every neighbourhood; and a
refresh that remakes the rota without making the officers twice."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from django.db import transaction

from beatbook.demo.bundle import FORCE_ID
from beatbook.demo.loader import demo_data_load
from beatbook.demo.sample_tasking import (
    CONSTABLE_USERNAME,
    SERGEANT_USERNAME,
    demo_tasking_fresh,
    demo_tasking_refresh,
)
from beatbook.places.models import Neighbourhood
from beatbook.tasking.models import Abstraction, Duty, LinkOfficer, Officer, Rank, Unit
from beatbook.tasking.rosters import abstraction_shares, officers_available, recent_weeks
from beatbook.tasking.selectors import is_tasking_sergeant, officer_for_user

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
TODAY = date(2026, 5, 4)


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: object) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        demo_data_load()
        demo_tasking_refresh(force_id=FORCE_ID, today=TODAY)
        yield
        transaction.set_rollback(True)


def test_the_ntt_is_the_seeds_team_at_longton_and_stafford(demo: None) -> None:
    ntt = Officer.objects.filter(force_id=FORCE_ID, unit=Unit.NTT, sample=True)
    by_station = Counter((o.station.name, o.rank) for o in ntt)
    assert by_station == {
        ("Longton Police Station", Rank.INSPECTOR): 1,
        ("Longton Police Station", Rank.SERGEANT): 1,
        ("Longton Police Station", Rank.CONSTABLE): 10,
        ("Stafford Police Station", Rank.SERGEANT): 1,
        ("Stafford Police Station", Rank.CONSTABLE): 6,
    }
    skilled = Counter(skill.slug for officer in ntt for skill in officer.skills.all())
    assert {"driver", "drugs", "anpr", "public-order"} <= set(skilled)


def test_every_shift_of_the_coming_fortnight_is_covered(demo: None) -> None:
    duties = Duty.objects.filter(officer__unit=Unit.NTT, sample=True)
    covered = set(duties.values_list("date", "shift_kind__slug"))
    # From yesterday, whose late shift the demo's past plan is for.
    days = [TODAY + timedelta(days=n) for n in range(-1, 14)]
    assert covered == {(day, kind) for day in days for kind in ("early", "late", "night")}
    # The planner finds the team on a late shift, at the stations' places.
    late = duties.filter(date=TODAY, shift_kind__slug="late").first()
    assert late is not None
    free = officers_available(
        force=late.officer.force, starts=late.starts, ends=late.ends, unit=Unit.NTT
    )
    assert len(free) >= 3
    assert all(intervals for _, intervals in free)


def test_the_sergeant_and_a_constable_have_accounts(demo: None) -> None:
    sergeant = Officer.objects.get(user__username=SERGEANT_USERNAME)
    assert sergeant.rank == Rank.SERGEANT
    assert is_tasking_sergeant(user=sergeant.user, force_id=FORCE_ID)  # type: ignore[arg-type]
    constable = Officer.objects.get(user__username=CONSTABLE_USERNAME)
    assert officer_for_user(user=constable.user) == constable  # type: ignore[arg-type]
    # On tomorrow's late shift, whose plan the demo issues (``sample_tasking_work``).
    tomorrow = TODAY + timedelta(days=1)
    assert constable.duties.filter(date=tomorrow, shift_kind__slug="late").exists()


def test_neighbourhood_officers_have_abstractions_behind_a_share(demo: None) -> None:
    npt = Officer.objects.filter(force_id=FORCE_ID, unit=Unit.NPT, sample=True)
    assert npt.values("neighbourhood").distinct().count() == 3
    assert Abstraction.objects.filter(officer__in=npt, date__lt=TODAY).count() > 10
    teams = Neighbourhood.objects.filter(pk__in=npt.values("neighbourhood"))
    rows = abstraction_shares(neighbourhoods=teams, weeks=recent_weeks(today=TODAY))
    past = [row for row in rows if row.week < TODAY - timedelta(days=TODAY.weekday())]
    assert all(row.duty_hours > 0 for row in past)
    assert all(row.share is not None and 0 <= row.share <= 1 for row in past)
    assert any(row.share for row in past)


def test_every_neighbourhood_has_a_tasking_team_link(demo: None) -> None:
    neighbourhoods = Neighbourhood.objects.filter(force_id=FORCE_ID)
    links = LinkOfficer.objects.filter(neighbourhood__in=neighbourhoods)
    assert links.count() == neighbourhoods.count()
    assert set(links.values_list("officer__unit", flat=True)) == {Unit.NTT}


def test_a_refresh_remakes_the_rota_and_keeps_the_officers(demo: None) -> None:
    officers = Officer.objects.count()
    assert demo_tasking_fresh(force_id=FORCE_ID)  # made today: the demo leaves it be
    assert not demo_tasking_fresh(force_id=FORCE_ID, today=TODAY - timedelta(days=400))
    summary = demo_tasking_refresh(force_id=FORCE_ID, today=TODAY + timedelta(days=1))
    assert Officer.objects.count() == officers
    assert summary.officers == officers
    assert not Duty.objects.filter(officer__unit=Unit.NTT, date=TODAY - timedelta(days=1)).exists()
    assert Duty.objects.filter(officer__unit=Unit.NTT, date=TODAY + timedelta(days=14)).exists()
