"""The demo's partnership plan: published, the five priorities of the needs assessment, actions
owned by member organisations (some overdue, some done) and measures whose baselines are the
indicators computed from the data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from beatbook.demo.sample_partnership import demo_partnership_ensure
from beatbook.demo.sample_partnership_plan import (
    demo_partnership_assessment_ensure,
    demo_partnership_fresh,
    demo_partnership_plan_ensure,
)
from beatbook.partnerships.models import Action, ActionStatus, Measure, PartnershipPlan
from beatbook.partnerships.strategy_indicators import indicator_year_value
from beatbook.partnerships.strategy_progress import plan_progress

from .strategy_world import MONTHS_2025, StrategyWorld, build_strategy_world, load_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> StrategyWorld:
    return build_strategy_world()


def test_the_demo_plan_has_the_five_priorities_and_is_published(world: StrategyWorld) -> None:
    plan = demo_partnership_plan_ensure(world.partnership)

    assert plan.published
    assert plan.sample
    assert (plan.year_from, plan.year_to) == (2026, 2028)
    assert list(plan.priorities.values_list("title", flat=True)) == [
        "Violent crime",
        "Offending behaviour",
        "Drug and alcohol misuse",
        "Anti-social behaviour",
        "Community resilience",
    ]
    assert all(priority.objectives.exists() for priority in plan.priorities.all())


def test_its_actions_are_owned_by_members_and_some_are_overdue_or_done(
    world: StrategyWorld,
) -> None:
    plan = demo_partnership_plan_ensure(world.partnership)
    actions = Action.objects.filter(objective__priority__plan=plan)
    members = {world.police, world.council, world.fire}

    assert actions.count() == 10
    assert {action.owner for action in actions} <= members
    assert world.fire in {action.owner for action in actions}  # deliberate fire-setting lessons
    assert actions.filter(status=ActionStatus.DONE, completed_on__isnull=False).count() == 2
    overdue = plan_progress(plan=plan, today=timezone.localdate()).overdue
    assert len(overdue) == 3
    assert all(action.sample for action in actions)


def test_its_measures_baselines_are_computed_for_the_latest_whole_year(
    world: StrategyWorld,
) -> None:
    plan = demo_partnership_plan_ensure(world.partnership)
    measures = Measure.objects.filter(objective__priority__plan=plan)

    # The world has no drug offences or criminal damage: those measures are left out.
    assert sorted(measures.values_list("indicator", flat=True)) == [
        "all-crime/per_1000",
        "anti-social-behaviour/count",
        "burglary/per_1000",
        "violent-crime/per_1000",
    ]
    for measure in measures:
        computed = indicator_year_value(
            partnership=world.partnership, indicator=measure.indicator, year_number=2025
        )
        assert measure.baseline_year == 2025
        assert measure.baseline == pytest.approx(computed.value, abs=1e-4)
        assert measure.target <= measure.baseline


def test_making_it_again_replaces_it_and_leaves_staff_plans_alone(world: StrategyWorld) -> None:
    first = demo_partnership_plan_ensure(world.partnership)
    staff_plan = PartnershipPlan.objects.create(
        partnership=world.partnership, title="Ours", year_from=2027, year_to=2029
    )

    second = demo_partnership_plan_ensure(world.partnership)

    assert not PartnershipPlan.objects.filter(pk=first.pk).exists()
    assert set(PartnershipPlan.objects.values_list("pk", flat=True)) == {second.pk, staff_plan.pk}
    assert Action.objects.filter(objective__isnull=True).count() == 0
    assert Action.objects.count() == 10


def test_without_a_whole_year_of_data_the_plan_has_no_measures() -> None:
    world = build_strategy_world(months=[m for m in MONTHS_2025 if m != "2025-06"])

    plan = demo_partnership_plan_ensure(world.partnership)

    assert not Measure.objects.filter(objective__priority__plan=plan).exists()
    assert plan.priorities.count() == 5


def test_the_demo_keeps_an_assessment_once_per_data_version_and_makes_the_plan_from_it(
    world: StrategyWorld,
) -> None:
    kept = demo_partnership_assessment_ensure(world.partnership)
    assert kept is not None
    assert kept.year == 2025
    assert kept.summary["categories"]["all-crime"]["count"] > 0
    # The same data: the same assessment, not another.
    assert demo_partnership_assessment_ensure(world.partnership) == kept
    assert world.partnership.assessments.count() == 1

    plan = demo_partnership_plan_ensure(world.partnership, assessment=kept)
    plan.refresh_from_db()
    assert plan.assessment == kept


def test_without_data_the_demo_keeps_no_assessment() -> None:
    world = build_strategy_world(months=[])

    assert demo_partnership_assessment_ensure(world.partnership) is None
    assert not world.partnership.assessments.exists()


def test_a_restart_the_same_day_keeps_the_partnership_until_the_data_changes(
    world: StrategyWorld,
) -> None:
    """``beatbook demo`` remakes the partnership's meetings and plan only when they are not
    fresh: on the first start of a day, or when the data its assessment was made from changed."""
    assert not demo_partnership_fresh()

    made = demo_partnership_ensure()
    kept = demo_partnership_assessment_ensure(made.partnership)
    demo_partnership_plan_ensure(made.partnership, assessment=kept)

    assert made.partnership == world.partnership
    assert demo_partnership_fresh()
    assert not demo_partnership_fresh(today=timezone.localdate() + timedelta(days=1))

    load_month(world.force, "2024-12")

    assert not demo_partnership_fresh()
    kept = demo_partnership_assessment_ensure(made.partnership)
    demo_partnership_plan_ensure(made.partnership, assessment=kept)
    assert demo_partnership_fresh()
