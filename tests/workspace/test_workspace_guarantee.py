"""The Guarantee measures against hand-counted fixtures, and their query budgets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beatbook.teams import services
from beatbook.teams.models import Priority
from beatbook.workspace.guarantee import guarantee_report
from team_world import World, many_neighbourhoods, question_make

pytestmark = pytest.mark.django_db


def test_measures_match_a_hand_count(world: World) -> None:
    now = timezone.now()
    # Priorities: Longton's updated today, Meir's four months ago.
    services.priority_create(neighbourhood=world.longton, issue="<p>A</p>", issue_date=now)
    stale = services.priority_create(neighbourhood=world.meir, issue="<p>B</p>", issue_date=now)
    Priority.objects.filter(pk=stale.pk).update(updated_at=now - timedelta(days=125))
    # Longton: answered after 10, 50 and 100 hours; one overdue; one still inside its 72 hours;
    # one closed as a duplicate within its 72 hours (left out).
    asked = now - timedelta(days=20)
    for hours in (10, 50, 100):
        question_make(world.longton, asked=asked, answered_after_hours=hours)
    question_make(world.longton, asked=now - timedelta(hours=80))
    question_make(world.longton, asked=now - timedelta(hours=5))
    question_make(world.longton, asked=asked, status="closed", closed_after_hours=2)
    # Asked before the 3-month period: not counted there.
    question_make(world.longton, asked=now - timedelta(days=150), answered_after_hours=1)

    report = guarantee_report(user=world.officer, period_months=3)

    assert [f.name for f in report.forces] == ["Staffordshire Police"]
    force = report.forces[0]
    assert force.neighbourhoods == 2
    assert force.with_contactable_officer == 1  # Meir's PCSO has no way in
    assert force.with_current_priorities == 1
    q = force.questions
    assert (q.asked, q.waiting, q.counted) == (5, 1, 4)
    assert (q.answered, q.answered_within_72_hours, q.open_overdue) == (3, 2, 1)
    assert q.share_within_72_hours == pytest.approx(2 / 4)
    assert q.median_hours_to_answer == pytest.approx(50.0)
    assert q.p90_hours_to_answer == pytest.approx(90.0)  # 50 + 0.8 x (100 - 50)
    rows = {row.name: row for row in report.neighbourhoods}
    assert rows["Longton"].has_contactable_officer
    assert rows["Longton"].priorities_current
    assert not rows["Meir"].has_contactable_officer
    assert not rows["Meir"].priorities_current
    assert rows["Meir"].questions.share_within_72_hours is None

    longer = guarantee_report(user=world.officer, period_months=6)
    assert longer.forces[0].questions.counted == 5


def test_a_shared_team_contact_makes_a_named_member_contactable(world: World) -> None:
    services.neighbourhood_contact_set(
        neighbourhood=world.meir, contact_details={"telephone": "101"}
    )
    report = guarantee_report(user=world.officer)
    assert report.forces[0].with_contactable_officer == 2


def test_the_page_explains_and_draws_the_measures(client: Client, world: World) -> None:
    client.force_login(world.officer)
    page = client.get(reverse("workspace:guarantee")).content.decode()
    assert "What each measure means" in page
    assert "<svg" in page
    assert 'aria-hidden="true"' in page
    assert "Guarantee measures by force" in page
    assert "50%" in page  # one of two neighbourhoods has a contactable officer


def test_query_budgets_do_not_grow_with_neighbourhoods(
    client: Client, world: World, django_assert_max_num_queries: object
) -> None:
    now = timezone.now()
    extra = many_neighbourhoods(world.staffordshire)
    for n in extra[:40]:
        services.team_member_create(neighbourhood=n, name="A", rank="PC")
        services.priority_create(neighbourhood=n, issue="<p>x</p>", issue_date=now)
        question_make(n, asked=now - timedelta(days=3), answered_after_hours=12)
        question_make(n, asked=now - timedelta(hours=2))
    client.force_login(world.officer)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert client.get(reverse("workspace:guarantee")).status_code == 200
    # 17: two are the navigation's checks for the Tasking and Partnerships links; one asks
    # for surveys of the neighbourhoods' forces with a closed wave (none here).
    with django_assert_max_num_queries(17):  # type: ignore[operator]
        assert client.get(reverse("workspace:dashboard")).status_code == 200
