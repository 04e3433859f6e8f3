"""The patrol plan pages: who sees which plan, making one from its page, the hand-change form,
the officer's route, the briefing and the calendar file."""

from __future__ import annotations

from datetime import timedelta
from html import escape
from pathlib import Path

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pytest_django.fixtures import Settings as SettingsWrapper

from beatbook.tasking import selectors
from beatbook.tasking.models import PatrolPlan, Unit
from beatbook.tasking.patrol_plans import plan_issue, plan_make
from beatbook.tasking.shifts import LONDON

from .tasking_world_plans import DAY, PlanWorld, build_plan_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings: SettingsWrapper, tmp_path: Path) -> PlanWorld:
    settings.DATA_DIR = tmp_path / "data"
    settings.PATROL_TIME_LIMIT = 1
    return build_plan_world()


def ntt_plan(world: PlanWorld) -> PatrolPlan:
    return plan_make(
        user=world.users["sergeant"],
        force=world.force,
        date=DAY,
        shift_kind=world.late,
        unit=Unit.NTT,
        seed=3,
        time_limit=1,
    )


def west_plan(world: PlanWorld) -> PatrolPlan:
    return plan_make(
        user=world.users["west"],
        force=world.force,
        date=DAY,
        shift_kind=world.late,
        unit=Unit.NPT,
        neighbourhood=world.west,
        seed=3,
        time_limit=1,
    )


def client_for(world: PlanWorld, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def test_each_person_sees_the_plans_they_should(world: PlanWorld) -> None:
    ntt, west = ntt_plan(world), west_plan(world)
    # Only the tasking plan's places in the east make it the east team's to see.
    ntt.places.exclude(neighbourhood=world.east).update(neighbourhood=world.west)
    seen = {
        who: set(selectors.plans_for_user(user=world.users[who]))
        for who in ("sergeant", "west", "east", "partner", "constable")
    }

    assert seen["sergeant"] == {ntt, west}
    assert seen["west"] == {ntt, west}  # their team's own, and the tasking plan visiting them
    assert seen["partner"] == set()
    assert seen["constable"] == {ntt}  # the plan he is on
    assert west not in seen["east"]
    assert (ntt in seen["east"]) == ntt.places.filter(neighbourhood=world.east).exists()
    detail = reverse("tasking:plan-detail", args=[west.pk])
    assert client_for(world, "partner").get(detail).status_code == 404
    assert client_for(world, "east").get(detail).status_code == 404
    # Whether the clock stopped this search depends on the machine's load: set it each way.
    type(west).objects.filter(pk=west.pk).update(stopped_by_clock=False)
    page = client_for(world, "west").get(detail).content.decode()
    assert "planning again with this seed and the same data gives this plan again" in page
    type(west).objects.filter(pk=west.pk).update(stopped_by_clock=True)
    page = client_for(world, "west").get(detail).content.decode()
    assert "planning again with this seed may give a different plan" in page
    change = reverse("tasking:plan-change", args=[ntt.pk])
    assert client_for(world, "west").get(change).status_code == 403
    assert client_for(world, "sergeant").get(change).status_code == 200


def test_a_sergeant_makes_a_plan_from_its_page(world: PlanWorld) -> None:
    client = client_for(world, "sergeant")
    page = client.get(reverse("tasking:plan-make"))
    assert "about 10 seconds" in page.content.decode()

    response = client.post(
        reverse("tasking:plan-make"),
        {
            "force": world.force.pk,
            "date_day": str(DAY.day),
            "date_month": str(DAY.month),
            "date_year": str(DAY.year),
            "shift": "late",
            "team": "ntt",
            "seed": "5",
        },
    )

    plan = PatrolPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("tasking:plan-detail", args=[plan.pk])
    assert plan.seed == 5
    text = client.get(response["Location"]).content.decode()
    assert "days of harm" in text
    assert "No plan for this shift could prevent more than" in text
    assert escape(plan.value_source) in text


def test_the_page_says_why_no_plan_could_be_made(world: PlanWorld) -> None:
    client = client_for(world, "sergeant")
    response = client.post(
        reverse("tasking:plan-make"),
        {"force": world.force.pk, "date_day": "16", "date_month": "7", "date_year": "2025"}
        | {"shift": "late", "team": "ntt"},
    )
    assert response.status_code == 400
    assert "No officers of this team are on duty in this shift" in response.content.decode()
    assert not PatrolPlan.objects.exists()


def test_the_hand_change_form_shows_the_rules_broken_and_saves_nothing(world: PlanWorld) -> None:
    plan = ntt_plan(world)
    before = list(plan.visits.values_list("officer", "place__key", "starts"))
    first = plan.visits.order_by("officer", "order").first()
    assert first is not None
    formset = client_for(world, "sergeant").get(reverse("tasking:plan-change", args=[plan.pk]))
    rows = formset.context["formset"]
    data = {
        "visits-TOTAL_FORMS": str(len(rows.forms)),
        "visits-INITIAL_FORMS": str(len(rows.initial_forms)),
        "visits-MIN_NUM_FORMS": "0",
        "visits-MAX_NUM_FORMS": "400",
    }
    for i, form in enumerate(rows.forms):
        for name in ("officer", "place"):
            data[f"visits-{i}-{name}"] = str(form.initial.get(name, ""))
        start = form.initial.get("start")
        data[f"visits-{i}-start"] = start.strftime("%H:%M") if start else ""
    # The first row is moved to the shift's first minute: too soon to get there from base.
    data["visits-0-start"] = plan.starts.astimezone(LONDON).strftime("%H:%M")

    response = client_for(world, "sergeant").post(
        reverse("tasking:plan-change", args=[plan.pk]), data
    )

    assert response.status_code == 400
    assert "nothing was saved" in response.content.decode()
    assert response.context["problems"]
    assert list(plan.visits.values_list("officer", "place__key", "starts")) == before


def test_an_officer_sees_their_route_briefing_and_calendar(world: PlanWorld) -> None:
    plan = ntt_plan(world)
    officer = world.ntt[0]
    visits = list(plan.visits.filter(officer=officer).select_related("place").order_by("order"))
    client = client_for(world, "constable")

    assert "no issued patrol plan" in client.get(reverse("tasking:my-shift")).content.decode()
    plan_issue(user=world.users["sergeant"], plan=plan)
    # The world's shift is in July 2025; "my shift" is the next one still to end, so the plan
    # is moved whole into the coming days.
    ahead = timedelta(days=(timezone.now() - plan.starts).days + 2)
    PatrolPlan.objects.filter(pk=plan.pk).update(starts=F("starts") + ahead, ends=F("ends") + ahead)
    plan.visits.update(starts=F("starts") + ahead, ends=F("ends") + ahead)
    visits = list(plan.visits.filter(officer=officer).select_related("place").order_by("order"))
    page = client.get(reverse("tasking:my-shift"))
    text = page.content.decode()

    assert page.status_code == 200
    assert page.context["visits"] == visits
    assert "Why it is on your route" in text
    assert "Harm expected" in text
    assert visits[0].place.key in text
    briefing = client.get(reverse("tasking:plan-briefing", args=[plan.pk, officer.pk]))
    assert briefing.status_code == 200
    assert "Patrol briefing" in briefing.content.decode()
    response = client.get(reverse("tasking:plan-calendar", args=[plan.pk, officer.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == len(visits)
    assert [e.decoded("dtstart") for e in events] == [v.starts for v in visits]
    assert [str(e["summary"]) for e in events] == [
        f"Patrol visit {n}: {v.place.key}" for n, v in enumerate(visits, start=1)
    ]
    assert len({str(e["uid"]) for e in events}) == len(visits)
    for event, visit in zip(events, visits, strict=True):
        described = str(event["description"])
        assert "Trend:" in described
        assert ("Last 3 months" in described) == bool(visit.place.reasons["categories"])
    # Someone else's route is not his to open unless he may see the plan; the partner may not.
    other = world.ntt[1]
    partner = client_for(world, "partner")
    assert partner.get(reverse("tasking:plan-officer", args=[plan.pk, other.pk])).status_code == 404
