"""The demo's tasking loop (issue 15) in a small world: requests from three neighbourhood teams
in each state, linked to a priority, an operation, the busiest cell and a repeat victim; the
tasking team's plan for tomorrow's late shift issued with a route for the tasking constable;
results logged on yesterday's plan; and a second refresh the same day that changes nothing.

The world is the forecast tests' Testshire (a 2 km square of synthetic crimes, which happens to
lie at Longton), cut into three neighbourhoods named as the demo's, so the demo's own code runs
on it unchanged and its forecast takes a second rather than the demo data's half minute."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from beatbook.accounts.models import OrganisationKind
from beatbook.accounts.services import organisation_create, user_create
from beatbook.common.projection import bng_to_wgs84
from beatbook.demo.people import POLICE
from beatbook.demo.sample_tasking import CONSTABLE_USERNAME, demo_tasking_refresh
from beatbook.demo.sample_tasking_work import (
    DECLINE_REASON,
    demo_tasking_plans_fresh,
    demo_tasking_plans_refresh,
    demo_tasking_requests_fresh,
    demo_tasking_requests_refresh,
)
from beatbook.opendata.models import Crime
from beatbook.operations import services as operation_services
from beatbook.operations.models import AreaChoice, Operation, OperationKind
from beatbook.places.models import Force, Lsoa, Neighbourhood
from beatbook.tasking.models import (
    PatrolPlan,
    PlanStatus,
    PlanVisit,
    ProblemLink,
    RequestStatus,
    TaskingRequest,
    VisitResult,
)
from beatbook.teams.models import Priority
from insights.forecast_db_world import CENTRE, HALF, build_forecast_world

pytestmark = pytest.mark.django_db
FORCE_ID = "testshire"
WEST_X = CENTRE[0] - HALF
SOUTH_Y = CENTRE[1] - HALF
# Three strips of the square, west to east, named as the demo's neighbourhoods.
STRIPS = (("Longton", 0, 800), ("Meir Hay", 800, 1400), ("Stafford Town", 1400, 2000))
TIME_LIMIT = 0.5


def _neighbourhood(force: Force, name: str, x_from: float, x_to: float) -> Neighbourhood:
    xs = np.array([x_from, x_to, x_to, x_from, x_from]) + WEST_X
    ys = np.array([0, 0, 2000, 2000, 0]) + SOUTH_Y
    lat, lng = bng_to_wgs84(easting=xs, northing=ys)
    ring = [[float(a), float(b)] for a, b in zip(lng, lat, strict=True)]
    return Neighbourhood.objects.create(
        force=force,
        code=name.split()[0].upper(),
        name=name,
        boundary={"type": "Polygon", "coordinates": [ring]},
        min_lat=float(lat.min()),
        max_lat=float(lat.max()),
        min_lng=float(lng.min()),
        max_lng=float(lng.max()),
        centre_lat=float(lat.mean()),
        centre_lng=float(lng.mean()),
    )


def _world(today: date) -> dict[str, Neighbourhood]:
    force = build_forecast_world()
    hoods = {}
    for name, x_from, x_to in STRIPS:
        hood = _neighbourhood(force, name, x_from, x_to)
        hoods[name] = hood
        Crime.objects.filter(
            force=force, easting__gte=WEST_X + x_from, easting__lt=WEST_X + x_to
        ).update(neighbourhood=hood)
        Priority.objects.create(
            neighbourhood=hood,
            issue=f"<p>Anti-social behaviour in {name}.</p>",
            issue_date=timezone.now() - timedelta(days=40),
            sample=True,
        )
    longton = hoods["Longton"]
    # The square's one LSOA, so the week's area (by neighbourhood) has one.
    longton.lsoas.set(Lsoa.objects.filter(force=force))
    monday = today + timedelta(days=7 - today.weekday())
    police = organisation_create(name=POLICE, kind=OrganisationKind.POLICE_FORCE, force=force)
    lead = user_create(username="week-lead", password=None, is_staff=True)
    operation = operation_services.operation_create(
        by=lead,
        details=operation_services.OperationDetails(
            name="Longton community action week",
            kind=OperationKind.objects.get(slug="community-action-week"),
            lead=lead,
            lead_organisation=police,
            first_day=monday,
            last_day=monday + timedelta(days=5),
            area_choice=AreaChoice.NEIGHBOURHOODS,
            neighbourhoods=[longton],
        ),
    )
    Operation.objects.filter(pk=operation.pk).update(sample=True)
    return hoods


@pytest.fixture(scope="module")
def demo(
    django_db_setup: None, django_db_blocker: object, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Neighbourhood]]:
    data_dir: Path = tmp_path_factory.mktemp("data")
    today = timezone.localdate()
    with (
        override_settings(
            DATA_DIR=data_dir,
            PATROL_TIME_LIMIT=TIME_LIMIT,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
        django_db_blocker.unblock(),  # type: ignore[attr-defined]
        transaction.atomic(),
    ):
        hoods = _world(today)
        demo_tasking_refresh(force_id=FORCE_ID, today=today)
        demo_tasking_requests_refresh(force_id=FORCE_ID, today=today)
        demo_tasking_plans_refresh(force_id=FORCE_ID, today=today, time_limit=TIME_LIMIT)
        yield hoods
        transaction.set_rollback(True)


def test_requests_come_from_three_teams_in_every_state(demo: dict[str, Neighbourhood]) -> None:
    requests = TaskingRequest.objects.filter(force_id=FORCE_ID)
    assert requests.count() == 5
    assert all(r.sample for r in requests)
    assert Counter(requests.values_list("status", flat=True)) == {
        RequestStatus.APPROVED: 2,
        RequestStatus.SUBMITTED: 2,
        RequestStatus.DECLINED: 1,
    }
    assert set(requests.values_list("link", flat=True)) == set(ProblemLink.values)
    assert requests.values("neighbourhood").distinct().count() == 3
    declined = requests.get(status=RequestStatus.DECLINED)
    assert declined.decision_reason == DECLINE_REASON
    assert all(r.first_day >= timezone.localdate() for r in requests)
    week = requests.get(link=ProblemLink.OPERATION)
    assert week.operation is not None
    assert week.operation.name == "Longton community action week"
    assert (week.first_day, week.last_day) == (week.operation.first_day, week.operation.last_day)
    assert all(r.priority is not None for r in requests.filter(link=ProblemLink.PRIORITY))
    assert requests.get(link=ProblemLink.REPEAT_VICTIM).repeat_victim_reference.startswith("CRI/")


def test_the_hotspot_request_is_at_longtons_busiest_cell(demo: dict[str, Neighbourhood]) -> None:
    hotspot = TaskingRequest.objects.get(link=ProblemLink.HOTSPOT)
    assert hotspot.status == RequestStatus.APPROVED
    assert hotspot.neighbourhood == demo["Longton"]
    latest = max(Crime.objects.filter(force_id=FORCE_ID).values_list("month", flat=True))
    crimes = Crime.objects.filter(month=latest, neighbourhood=demo["Longton"])
    counts = Counter(
        f"E{e // 250 * 250}N{n // 250 * 250}" for e, n in crimes.values_list("easting", "northing")
    )
    assert counts[hotspot.hotspot_cell] == max(counts.values())
    assert hotspot.cells[0] == hotspot.hotspot_cell
    assert f"{counts[hotspot.hotspot_cell]} crimes" in hotspot.evidence


def test_tomorrows_late_plan_is_issued_with_a_route_for_the_constable(
    demo: dict[str, Neighbourhood],
) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    plan = PatrolPlan.objects.get(force_id=FORCE_ID, date=tomorrow)
    assert plan.sample
    assert plan.status == PlanStatus.ISSUED
    assert plan.shift_kind.slug == "late"
    mine = plan.visits.filter(officer__user__username=CONSTABLE_USERNAME)
    assert mine.exists()
    # The approved hotspot request falls in the shift's evening: the plan answers it.
    assert plan.places.filter(request__link=ProblemLink.HOTSPOT, min_visits__gte=1).exists()
    assert not VisitResult.objects.filter(visit__plan=plan).exists()
    client = Client()
    client.force_login(mine.first().officer.user)  # type: ignore[union-attr]
    page = client.get(reverse("tasking:my-shift"))
    assert page.status_code == 200
    assert mine.first().place.key in page.content.decode()  # type: ignore[union-attr]


def test_yesterdays_plan_has_most_of_its_results(demo: dict[str, Neighbourhood]) -> None:
    yesterday = timezone.localdate() - timedelta(days=1)
    plan = PatrolPlan.objects.get(force_id=FORCE_ID, date=yesterday)
    assert plan.sample
    assert plan.status == PlanStatus.ISSUED
    visits = PlanVisit.objects.filter(plan=plan)
    results = VisitResult.objects.filter(visit__plan=plan)
    assert visits.count() >= 5
    assert 0.6 * visits.count() <= results.count() < visits.count() + 1
    done = results.filter(done=True)
    assert all(12 <= r.minutes_in_place <= 20 for r in done)
    assert all(r.not_done_reason for r in results.filter(done=False))
    assert all(r.minutes_in_place == 0 for r in results.filter(done=False))
    engaged = sum(done.values_list("people_engaged", flat=True))
    assert engaged > 0
    assert all(r.arrests <= 1 and r.stop_searches <= 1 for r in results)


def test_a_second_refresh_the_same_day_is_not_needed_and_changes_nothing(
    demo: dict[str, Neighbourhood],
) -> None:
    today = timezone.localdate()
    assert demo_tasking_requests_fresh(force_id=FORCE_ID, today=today)
    assert demo_tasking_plans_fresh(force_id=FORCE_ID, today=today)
    assert not demo_tasking_plans_fresh(force_id=FORCE_ID, today=today + timedelta(days=1))
    before = (
        TaskingRequest.objects.count(),
        PatrolPlan.objects.count(),
        sorted(PatrolPlan.objects.values_list("date", "status")),
    )
    demo_tasking_requests_refresh(force_id=FORCE_ID, today=today)
    demo_tasking_plans_refresh(force_id=FORCE_ID, today=today, time_limit=TIME_LIMIT)
    after = (
        TaskingRequest.objects.count(),
        PatrolPlan.objects.count(),
        sorted(PatrolPlan.objects.values_list("date", "status")),
    )
    assert after == before
    assert not TaskingRequest.objects.filter(sample=False).exists()
    assert not PatrolPlan.objects.filter(sample=False).exists()
