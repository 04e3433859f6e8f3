"""Making a partnership plan: priorities, objectives, actions and measures. Bad input gets a
plain-English error and changes nothing; a baseline is computed, never typed."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from beatbook.partnerships.models import (
    Action,
    ActionStatus,
    Assessment,
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
    action_update,
    measure_add,
    measure_update,
    objective_add,
    objective_move,
    plan_create,
    plan_publish,
    plan_unpublish,
    plan_update,
    priority_add,
    priority_move,
)

from .strategy_world import MONTHS_2025, StrategyWorld, build_strategy_world, count_directly

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


@pytest.fixture
def world() -> StrategyWorld:
    return build_strategy_world()


def _plan(world: StrategyWorld) -> PartnershipPlan:
    return plan_create(
        partnership=world.partnership,
        details=PlanDetails("Partnership plan 2026 to 2028", 2026, 2028, "Our plan."),
    )


def _rows() -> dict[str, list[tuple[Any, ...]]]:
    models = (PartnershipPlan, PlanPriority, Objective, Action, Measure)
    return {m.__name__: list(m.objects.order_by("pk").values_list()) for m in models}


def _objective(world: StrategyWorld) -> Objective:
    priority = priority_add(plan=_plan(world), title="Violent crime")
    return objective_add(priority=priority, text="Fewer violent crimes in the city centre")


def test_a_plan_is_made_as_a_draft(world: StrategyWorld) -> None:
    plan = _plan(world)

    assert (plan.title, plan.year_from, plan.year_to, plan.published) == (
        "Partnership plan 2026 to 2028",
        2026,
        2028,
        False,
    )


@pytest.mark.parametrize(
    ("details", "field", "message"),
    [
        (PlanDetails("", 2026, 2028), "title", "Enter the plan's title"),
        (PlanDetails("Plan", None, 2028), "year_from", "Enter a year, like 2026"),
        (PlanDetails("Plan", 1850, 2028), "year_from", "Enter a year from 2000 to 2100"),
        (PlanDetails("Plan", 2028, 2026), "year_to", "The last year must be the same as"),
        (PlanDetails("Plan", 2026, 2040), "year_to", "A plan covers at most 10 years"),
    ],
)
def test_a_bad_plan_is_refused_and_nothing_is_made(
    world: StrategyWorld, details: PlanDetails, field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        plan_create(partnership=world.partnership, details=details)

    assert message in " ".join(raised.value.message_dict[field])
    assert not PartnershipPlan.objects.exists()


def test_a_plan_from_an_assessment_takes_its_recommended_priorities_in_order(
    world: StrategyWorld,
) -> None:
    assessment = Assessment.objects.create(
        partnership=world.partnership,
        area_label="Stoke-on-Trent",
        year=2025,
        data_version="s1:p1",
        summary={
            "recommended_priorities": [
                {
                    "category": "violent-crime",
                    "title": "Violence and sexual offences",
                    "score": 0.82,
                    "evidence": ["42% of harm.", "Up 8% on 2024, more than chance."],
                },
                {
                    "category": "anti-social-behaviour",
                    "title": "Anti-social behaviour",
                    "score": 0.55,
                    "evidence": "Residents' most asked-about problem.",
                },
                {"category": "drugs"},  # no title: not a priority anyone could name
            ]
        },
    )

    plan = plan_create(
        partnership=world.partnership,
        details=PlanDetails("Plan", 2026, 2028),
        assessment=assessment,
    )

    priorities = list(plan.priorities.values_list("title", "rationale"))
    assert priorities == [
        (
            "Violence and sexual offences",
            "42% of harm. Up 8% on 2024, more than chance. Its score in the 2025 assessment "
            "was 0.82.",
        ),
        (
            "Anti-social behaviour",
            "Residents' most asked-about problem. Its score in the 2025 assessment was 0.55.",
        ),
    ]


@pytest.mark.parametrize("summary", [{}, {"recommended_priorities": "none"}, []])
def test_an_assessment_without_recommended_priorities_makes_a_plan_without_any(
    world: StrategyWorld, summary: Any
) -> None:
    assessment = Assessment.objects.create(
        partnership=world.partnership, area_label="x", year=2025, data_version="v", summary=summary
    )

    plan = plan_create(
        partnership=world.partnership,
        details=PlanDetails("Plan", 2026, 2028),
        assessment=assessment,
    )

    assert plan.priorities.count() == 0


def test_another_partnerships_assessment_is_refused(world: StrategyWorld) -> None:
    assessment = Assessment.objects.create(
        area_label="Cheshire East", year=2025, data_version="v", summary={}
    )

    with pytest.raises(ValidationError, match="this partnership's own assessments"):
        plan_create(
            partnership=world.partnership,
            details=PlanDetails("Plan", 2026, 2028),
            assessment=assessment,
        )
    assert not PartnershipPlan.objects.exists()


def test_priorities_and_objectives_are_added_in_order_and_move(world: StrategyWorld) -> None:
    plan = _plan(world)
    first = priority_add(plan=plan, title="Violent crime")
    second = priority_add(plan=plan, title="Anti-social behaviour")
    third = priority_add(plan=plan, title="Community resilience")

    priority_move(priority=third, direction="up")
    priority_move(priority=first, direction="up")  # already first: stays

    assert list(plan.priorities.values_list("title", flat=True)) == [
        "Violent crime",
        "Community resilience",
        "Anti-social behaviour",
    ]
    one = objective_add(priority=second, text="One")
    two = objective_add(priority=second, text="Two")
    objective_move(objective=one, direction="down")
    assert list(second.objectives.values_list("pk", flat=True)) == [two.pk, one.pk]
    with pytest.raises(ValidationError, match="up or down"):
        objective_move(objective=one, direction="sideways")


def test_an_empty_priority_or_objective_is_refused(world: StrategyWorld) -> None:
    plan = _plan(world)
    with pytest.raises(ValidationError, match="Enter the priority"):
        priority_add(plan=plan, title="  ")
    priority = priority_add(plan=plan, title="Violent crime")
    with pytest.raises(ValidationError, match="Enter the objective"):
        objective_add(priority=priority, text="")
    assert plan.priorities.count() == 1
    assert not Objective.objects.exists()


def _action(world: StrategyWorld, **changes: Any) -> ActionDetails:
    values = {
        "description": "Extend the night-time economy patrols",
        "owner": world.police,
        "lead": "Inspector Jo Bloggs",
        "due": date(2026, 9, 30),
        "status": ActionStatus.IN_PROGRESS,
        "completed_on": None,
        "progress_note": "",
        **changes,
    }
    return ActionDetails(**values)


def test_an_action_belongs_to_a_member_organisation(world: StrategyWorld) -> None:
    objective = _objective(world)

    action = action_add(objective=objective, details=_action(world), today=TODAY)

    assert action.partnership == world.partnership
    assert action.owner == world.police
    assert action.lead == "Inspector Jo Bloggs"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"description": ""}, "description", "Enter what the action is"),
        ({"owner": None}, "owner", "Choose the organisation"),
        ({"due": None}, "due", "Enter the date the action is due"),
        ({"status": "lost"}, "status", "Choose the action's status"),
        ({"status": ActionStatus.DONE}, "completed_on", "Enter the date a done action"),
        ({"completed_on": date(2026, 5, 1)}, "completed_on", "Only a done action"),
        (
            {"status": ActionStatus.DONE, "completed_on": date(2026, 7, 1)},
            "completed_on",
            "cannot be in the future",
        ),
    ],
)
def test_a_bad_action_is_refused_and_nothing_changes(
    world: StrategyWorld, changes: dict[str, Any], field: str, message: str
) -> None:
    objective = _objective(world)
    before = _rows()

    with pytest.raises(ValidationError) as raised:
        action_add(objective=objective, details=_action(world, **changes), today=TODAY)

    assert message in " ".join(raised.value.message_dict[field])
    assert _rows() == before


def test_an_organisation_that_is_not_a_member_cannot_own_an_action(world: StrategyWorld) -> None:
    objective = _objective(world)
    action = action_add(objective=objective, details=_action(world), today=TODAY)
    before = _rows()

    with pytest.raises(ValidationError, match="Cheshire Constabulary is not a member"):
        action_update(
            action=action, details=_action(world, owner=world.outsider_organisation), today=TODAY
        )

    assert _rows() == before


def test_a_done_action_keeps_its_completion_date(world: StrategyWorld) -> None:
    action = action_add(objective=_objective(world), details=_action(world), today=TODAY)

    action_update(
        action=action,
        details=_action(world, status=ActionStatus.DONE, completed_on=date(2026, 5, 20)),
        today=TODAY,
    )

    action.refresh_from_db()
    assert (action.status, action.completed_on) == (ActionStatus.DONE, date(2026, 5, 20))


def test_a_measures_baseline_is_computed_from_the_data(world: StrategyWorld) -> None:
    objective = _objective(world)

    measure = measure_add(
        objective=objective,
        details=MeasureDetails("violent-crime/count", 2025, 50, "down"),
    )

    assert measure.baseline == count_directly(months=MONTHS_2025, category="violent-crime")
    assert measure.baseline_year == 2025
    assert measure.target == 50


@pytest.mark.parametrize(
    ("details", "field", "message"),
    [
        (MeasureDetails("shoplifting/count", 2025, 1, "down"), "indicator", "from the list"),
        (MeasureDetails("violent-crime/count", None, 1, "down"), "baseline_year", "Enter"),
        (MeasureDetails("violent-crime/count", 2028, 1, "down"), "baseline_year", "before"),
        (MeasureDetails("violent-crime/count", 2024, 1, "down"), "baseline_year", "January 2024"),
        (MeasureDetails("violent-crime/count", 2025, None, "down"), "target", "Enter the target"),
        (MeasureDetails("violent-crime/count", 2025, -1, "down"), "target", "0 or more"),
        (MeasureDetails("violent-crime/count", 2025, 1, "sideways"), "direction", "lower or"),
        (MeasureDetails("violent-crime/count", 2025, 500, "down"), "target", "must be lower"),
        (MeasureDetails("violent-crime/count", 2025, 1, "up"), "target", "must be higher"),
    ],
)
def test_a_bad_measure_is_refused_and_nothing_changes(
    world: StrategyWorld, details: MeasureDetails, field: str, message: str
) -> None:
    objective = _objective(world)
    before = _rows()

    with pytest.raises(ValidationError) as raised:
        measure_add(objective=objective, details=details)

    assert message in " ".join(raised.value.message_dict[field])
    assert _rows() == before


def test_changing_a_measures_indicator_computes_its_baseline_again(world: StrategyWorld) -> None:
    objective = _objective(world)
    measure = measure_add(
        objective=objective, details=MeasureDetails("violent-crime/count", 2025, 50, "down")
    )

    measure_update(
        measure=measure, details=MeasureDetails("anti-social-behaviour/count", 2025, 80, "down")
    )

    measure.refresh_from_db()
    assert measure.baseline == count_directly(months=MONTHS_2025, category="anti-social-behaviour")


def test_the_plan_years_cannot_end_before_a_measures_baseline(world: StrategyWorld) -> None:
    objective = _objective(world)
    plan = objective.priority.plan
    measure_add(objective=objective, details=MeasureDetails("burglary/count", 2025, 10, "down"))

    with pytest.raises(ValidationError, match="baseline year must be before"):
        plan_update(plan=plan, details=PlanDetails("Plan", 2024, 2025))
    plan.refresh_from_db()
    assert plan.year_to == 2028


def test_publishing_needs_a_priority_and_can_be_undone(world: StrategyWorld) -> None:
    plan = _plan(world)
    with pytest.raises(ValidationError, match="at least one priority"):
        plan_publish(plan=plan)
    plan.refresh_from_db()
    assert not plan.published

    priority_add(plan=plan, title="Violent crime")
    plan_publish(plan=plan)
    plan.refresh_from_db()
    assert plan.published
    assert plan.published_at is not None

    plan_unpublish(plan=plan)
    plan.refresh_from_db()
    assert (plan.published, plan.published_at) == (False, None)
