"""The plan's staff pages: who reads, who changes, what bad input gets, and the progress page
with a chart and a table of the same numbers."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from beatbook.partnerships.models import (
    Action,
    ActionStatus,
    Measure,
    Objective,
    PartnershipPlan,
    PlanPriority,
)
from beatbook.partnerships.strategy_plans import (
    ActionDetails,
    MeasureDetails,
    PlanDetails,
    action_add,
    measure_add,
    objective_add,
    plan_create,
    priority_add,
)

from .strategy_world import MONTHS_2025, StrategyWorld, build_strategy_world, count_directly

pytestmark = pytest.mark.django_db

SLUG = "stoke-on-trent"


@pytest.fixture
def world() -> StrategyWorld:
    return build_strategy_world()


@pytest.fixture
def plan(world: StrategyWorld) -> PartnershipPlan:
    plan = plan_create(
        partnership=world.partnership, details=PlanDetails("Safer City Plan", 2026, 2028)
    )
    priority = priority_add(plan=plan, title="Violent crime", rationale="Most harm.")
    objective = objective_add(priority=priority, text="Fewer violent crimes at night")
    action_add(
        objective=objective,
        details=ActionDetails(
            "Late-night patrols",
            world.police,
            "Insp Jo Bloggs",
            date(2026, 1, 31),
            ActionStatus.IN_PROGRESS,
        ),
        today=date(2026, 1, 1),
    )
    measure_add(
        objective=objective, details=MeasureDetails("violent-crime/per_1000", 2025, 20, "down")
    )
    return plan


def _client(world: StrategyWorld, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def _url(name: str, *args: Any) -> str:
    return reverse(f"partnerships:{name}", args=[SLUG, *args])


def _rows() -> dict[str, list[tuple[Any, ...]]]:
    models = (PartnershipPlan, PlanPriority, Objective, Action, Measure)
    return {m.__name__: list(m.objects.order_by("pk").values_list()) for m in models}


@pytest.mark.parametrize(
    ("who", "status"),
    [("analyst", 200), ("partner", 200), ("officer", 200), ("admin", 200), ("outsider", 404)],
)
def test_the_partnerships_people_read_the_plan_and_outsiders_find_nothing(
    world: StrategyWorld, plan: PartnershipPlan, who: str, status: int
) -> None:
    client = _client(world, who)

    for url in (
        _url("plan_list"),
        _url("plan_detail", plan.pk),
        _url("plan_progress", plan.pk),
    ):
        response = client.get(url)
        assert response.status_code == status, url
    if status == 200:
        page = client.get(_url("plan_detail", plan.pk)).content.decode()
        assert "Late-night patrols" in page
        assert "Violence and sexual offences per 1,000 residents" in page


def test_a_reader_may_not_change_the_plan_and_nothing_changes(
    world: StrategyWorld, plan: PartnershipPlan
) -> None:
    client = _client(world, "officer")
    priority = plan.priorities.get()
    before = _rows()

    assert client.get(_url("plan_priority_new", plan.pk)).status_code == 403
    assert client.post(_url("plan_priority_new", plan.pk), {"title": "Mine"}).status_code == 403
    assert client.post(_url("plan_publish", plan.pk), {"publish": "yes"}).status_code == 403
    item = {"item": f"priority-{priority.pk}"}
    assert client.post(_url("plan_remove", plan.pk), item).status_code == 403
    assert "read-only" in client.get(_url("plan_detail", plan.pk)).content.decode()
    assert _rows() == before


def test_a_planner_makes_a_plan_and_adds_each_part(world: StrategyWorld) -> None:
    client = _client(world, "partner")

    made = client.post(
        _url("plan_create"),
        {"title": "Plan 2026 to 2028", "year_from": "2026", "year_to": "2028", "assessment": ""},
    )
    plan = PartnershipPlan.objects.get()
    assert made.status_code == 302
    client.post(_url("plan_priority_new", plan.pk), {"title": "Anti-social behaviour"})
    priority = plan.priorities.get()
    client.post(_url("plan_objective_new", plan.pk, priority.pk), {"text": "Less ASB in parks"})
    objective = priority.objectives.get()
    client.post(
        _url("plan_action_new", plan.pk, objective.pk),
        {
            "description": "Youth outreach in the parks",
            "owner": str(world.council.pk),
            "lead": "Raj Patel",
            "due_day": "30",
            "due_month": "9",
            "due_year": "2026",
            "status": "not_started",
        },
    )
    response = client.post(
        _url("plan_measure_new", plan.pk, objective.pk),
        {
            "indicator": "anti-social-behaviour/count",
            "baseline_year": "2025",
            "target": "50",
            "direction": "down",
        },
    )

    assert response.status_code == 302
    action = objective.actions.get()
    assert (action.owner, action.lead, action.due) == (
        world.council,
        "Raj Patel",
        date(2026, 9, 30),
    )
    measure = objective.measures.get()
    assert measure.baseline == count_directly(months=MONTHS_2025, category="anti-social-behaviour")


def test_bad_input_shows_the_services_errors_and_changes_nothing(
    world: StrategyWorld, plan: PartnershipPlan
) -> None:
    client = _client(world, "analyst")
    objective = Objective.objects.get()
    before = _rows()

    action = client.post(
        _url("plan_action_new", plan.pk, objective.pk),
        {"description": "Mine", "owner": str(world.outsider_organisation.pk), "status": "done"},
    )
    measure = client.post(
        _url("plan_measure_new", plan.pk, objective.pk),
        {"indicator": "violent-crime/count", "baseline_year": "2024", "target": "lots"},
    )
    dated = client.post(
        _url("plan_action_new", plan.pk, objective.pk),
        {
            "description": "Mine",
            "owner": str(world.police.pk),
            "due_day": "31",
            "due_month": "2",
            "due_year": "2026",
            "status": "done",
        },
    )

    assert action.status_code == 400
    text = action.content.decode()
    assert "There is a problem" in text
    assert "Choose one of the partnership&#x27;s member organisations" in text
    assert measure.status_code == 400
    assert "The target must be a number" in measure.content.decode()
    assert "The due date must be a real date" in dated.content.decode()
    no_baseline = client.post(
        _url("plan_measure_new", plan.pk, objective.pk),
        {
            "indicator": "violent-crime/count",
            "baseline_year": "2024",
            "target": "5",
            "direction": "down",
        },
    )
    assert "No baseline for 2024" in no_baseline.content.decode()
    assert _rows() == before


def test_parts_move_and_are_removed(world: StrategyWorld, plan: PartnershipPlan) -> None:
    client = _client(world, "analyst")
    first = plan.priorities.get()
    second = priority_add(plan=plan, title="Drug and alcohol misuse")

    client.post(_url("plan_move", plan.pk), {"item": f"priority-{second.pk}", "direction": "up"})
    assert list(plan.priorities.values_list("pk", flat=True)) == [second.pk, first.pk]

    client.post(_url("plan_remove", plan.pk), {"item": f"priority-{second.pk}"})
    assert list(plan.priorities.values_list("pk", flat=True)) == [first.pk]
    assert client.post(_url("plan_remove", plan.pk), {"item": "plan-1"}).status_code == 404


def test_another_plans_parts_are_not_found_through_this_plan(
    world: StrategyWorld, plan: PartnershipPlan
) -> None:
    other = plan_create(partnership=world.partnership, details=PlanDetails("Other", 2027, 2029))
    priority = plan.priorities.get()

    response = _client(world, "analyst").get(_url("plan_priority_edit", other.pk, priority.pk))

    assert response.status_code == 404


def test_publishing_from_the_page(world: StrategyWorld, plan: PartnershipPlan) -> None:
    client = _client(world, "analyst")

    client.post(_url("plan_publish", plan.pk), {"publish": "yes"})
    plan.refresh_from_db()
    assert plan.published
    client.post(_url("plan_publish", plan.pk), {"publish": "no"})
    plan.refresh_from_db()
    assert not plan.published


def test_the_progress_page_has_a_chart_the_rule_and_a_table_of_the_same_numbers(
    world: StrategyWorld, plan: PartnershipPlan
) -> None:
    page = _client(world, "officer").get(_url("plan_progress", plan.pk)).content.decode()

    assert "<svg" in page
    assert "in a straight line from its baseline" in page
    assert "January to March 2026" in page
    assert "Not published yet." in page
    assert "Late-night patrols" in page  # overdue since 31 January 2026
    assert "Overdue actions" in page
