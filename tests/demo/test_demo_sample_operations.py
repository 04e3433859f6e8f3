"""The demo's sample operations (issue 14) on the demo's own data: Longton's community action
week as the issue plans it, at venues the operation's rules accept; the enforcement never
public; a past day of action with results; the force's Neighbourhood Policing Week."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from django.db import transaction
from django.utils import timezone

from beatbook.demo.bundle import CREWE_WEST_LSOAS, FORCE_ID
from beatbook.demo.loader import demo_data_load
from beatbook.demo.sample_operations import demo_operations_fresh, demo_operations_refresh
from beatbook.demo.sample_teams import demo_teams_refresh
from beatbook.operations.models import ActivityResult, ActivityType, Operation
from beatbook.operations.selectors import public_activities

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
TODAY = date(2026, 5, 4)  # a Monday: the week starts on the next one


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: object) -> Iterator[None]:
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        demo_data_load()
        demo_teams_refresh(force_id=FORCE_ID, today=TODAY)
        demo_operations_refresh(force_id=FORCE_ID, crewe_lsoas=CREWE_WEST_LSOAS, today=TODAY)
        yield
        transaction.set_rollback(True)


def test_longtons_week_is_the_week_issue_14_plans(demo: None) -> None:
    week = Operation.objects.get(name="Longton community action week")
    assert (week.first_day, week.last_day) == (date(2026, 5, 11), date(2026, 5, 16))
    assert week.sample
    assert week.public
    plan = [
        (
            activity.title,
            f"{timezone.localtime(activity.start):%a %H:%M}-"
            f"{timezone.localtime(activity.end):%H:%M}",
        )
        for activity in public_activities(operation=week)
    ]
    assert plan == [
        ("Mobile police station at Tesco Extra Longton", "Mon 10:00-15:00"),
        ("Mobile police station at Phoenix Retail Park", "Tue 10:00-15:00"),
        ("Online surgery with specialist officers", "Wed 19:00-20:00"),
        ("Mobile police station at Tesco Extra Longton", "Thu 10:00-15:00"),
        ("Meet the deputy commander at Longton Market", "Fri 10:00-12:00"),
        ("Specialist advice: drugs, alcohol and employment", "Fri 10:00-12:00"),
    ]
    partners = list(week.partners.values_list("organisation__name", flat=True))
    assert partners == ["Stoke-on-Trent City Council"]


def test_the_weeks_enforcement_runs_all_week_and_is_never_public(demo: None) -> None:
    week = Operation.objects.get(name="Longton community action week")
    enforcement = week.activities.filter(type=ActivityType.ENFORCEMENT)
    assert enforcement.count() == 2
    assert not enforcement.filter(public=True).exists()
    assert not public_activities(operation=week).filter(type=ActivityType.ENFORCEMENT).exists()


def test_the_past_day_and_the_policing_week_have_results(demo: None) -> None:
    day = Operation.objects.get(name__startswith="Longton day of action")
    assert day.last_day < TODAY
    assert ActivityResult.objects.filter(activity__operation=day).exists()
    policing_week = Operation.objects.get(name="Neighbourhood Policing Week")
    assert policing_week.neighbourhoods.count() > 40
    assert policing_week.lsoas.count() > 600


def test_crewes_day_of_action_comes_with_its_lsoas(demo: None) -> None:
    crewe = Operation.objects.filter(name="Crewe west end day of action").first()
    if not CREWE_WEST_LSOAS:
        assert crewe is None
        return
    assert crewe is not None
    assert crewe.force_id == "cheshire"
    assert crewe.partners.count() == 5
    assert sorted(crewe.lsoas.values_list("code", flat=True)) == sorted(CREWE_WEST_LSOAS)
    doors = crewe.activities.get(type=ActivityType.DOOR_TO_DOOR)
    assert doors.routes.count() == 4
    assert sum(route.households for route in doors.routes.all()) > 1000


def test_the_samples_count_as_fresh_only_on_their_day(demo: None) -> None:
    assert demo_operations_fresh(force_id=FORCE_ID, today=timezone.localdate())
    assert not demo_operations_fresh(force_id=FORCE_ID, today=date(2030, 1, 1))


def test_the_past_days_door_to_door_visits_have_walking_routes(demo: None) -> None:
    day = Operation.objects.get(name__startswith="Longton day of action")
    doors = day.activities.get(type=ActivityType.DOOR_TO_DOOR)
    routes = list(doors.routes.all())
    assert len(routes) == 4
    assert all(
        route.stops and route.length_m <= route.nearest_neighbour_length_m for route in routes
    )
    assert "Firefighter" in routes[0].visitors
