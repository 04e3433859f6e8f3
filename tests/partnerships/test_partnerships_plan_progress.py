"""A plan's progress: each measure by quarter against a straight line from its baseline to its
target, quarters without enough data said so, and overdue actions flagged."""

from __future__ import annotations

from datetime import date

import pytest

from beatbook.analysis.indicator_series import quarters
from beatbook.partnerships.models import ActionStatus, Measure, PartnershipPlan
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
from beatbook.partnerships.strategy_progress import (
    NO_DATA,
    OFF_TRACK,
    ON_TRACK,
    RULE,
    plan_progress,
)

from .strategy_world import (
    MONTHS_2025,
    StrategyWorld,
    build_strategy_world,
    count_directly,
    load_month,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 8, 15)
MONTHS_2026 = [f"2026-{n:02d}" for n in range(1, 7)]  # to June 2026


@pytest.fixture
def world() -> StrategyWorld:
    world = build_strategy_world(months=MONTHS_2025 + MONTHS_2026)
    return world


def _plan(world: StrategyWorld) -> tuple[PartnershipPlan, Measure, Measure]:
    plan = plan_create(partnership=world.partnership, details=PlanDetails("Plan", 2026, 2027))
    priority = priority_add(plan=plan, title="Violent crime")
    objective = objective_add(priority=priority, text="Fewer violent crimes")
    baseline = count_directly(months=MONTHS_2025, category="violent-crime")
    violence = measure_add(
        objective=objective,
        details=MeasureDetails("violent-crime/count", 2025, baseline - 16, "down"),
    )
    asb = measure_add(
        objective=objective,
        details=MeasureDetails("anti-social-behaviour/count", 2025, 0, "down"),
    )
    return plan, violence, asb


def test_each_quarter_is_judged_against_the_straight_line(world: StrategyWorld) -> None:
    plan, violence, _ = _plan(world)

    progress = plan_progress(plan=plan, today=TODAY)

    found = progress.measures[0]
    assert found.measure == violence
    assert [q.key for q in found.quarters] == [p.key for p in quarters(2026) + quarters(2027)]
    for quarter, number in zip(found.quarters[:2], (1, 2), strict=True):
        months = list(quarter.found.period.months)
        annual = count_directly(months=months, category="violent-crime") * 4
        # The line falls by 16 over eight quarters: 2 a quarter.
        line = violence.baseline - 2 * number
        assert quarter.value == annual
        assert quarter.expected == pytest.approx(line)
        assert quarter.status == (ON_TRACK if annual <= line else OFF_TRACK)
    assert [q.status for q in found.quarters[2:]] == [NO_DATA] * 6
    assert found.quarters[2].found.not_yet == ("2026-07", "2026-08", "2026-09")
    assert found.latest == found.quarters[1]
    assert progress.rule == RULE


def test_by_hand_the_first_quarter_of_2026(world: StrategyWorld) -> None:
    """Violence in 2025: A has 3 + n % 4 (sum 54), B 2 + n % 3 (sum 36): 90 in the year.
    January to March 2026 are months 13 to 15: A 4 + 5 + 6, B 3 + 4 + 2: 24, 96 a year,
    against a line at 90 - 2 = 88: off track."""
    plan, violence, _ = _plan(world)

    quarter = plan_progress(plan=plan, today=TODAY).measures[0].quarters[0]

    assert violence.baseline == 90
    assert quarter.value == 96
    assert quarter.expected == 88
    assert quarter.status == OFF_TRACK
    assert quarter.status_label == "Off track"


def test_a_quarter_with_a_month_missing_is_not_enough_data(world: StrategyWorld) -> None:
    plan, _, _ = _plan(world)
    from beatbook.opendata.models import Crime
    from beatbook.records.models import SourceFile

    Crime.objects.filter(month="2026-05").delete()
    SourceFile.objects.filter(month="2026-05").delete()

    quarter = plan_progress(plan=plan, today=TODAY).measures[0].quarters[1]

    assert quarter.status == NO_DATA
    assert quarter.found.reason == "Not enough data: May 2026 is not published."


def test_later_data_does_not_change_an_earlier_quarters_verdict(world: StrategyWorld) -> None:
    plan, _, _ = _plan(world)
    before = plan_progress(plan=plan, today=TODAY).measures[0].quarters

    for month in ("2026-07", "2026-08", "2026-09"):
        load_month(world.force, month)
    after = plan_progress(plan=plan, today=TODAY).measures[0].quarters

    assert [(q.value, q.status) for q in after[:2]] == [(q.value, q.status) for q in before[:2]]
    assert before[2].status == NO_DATA
    assert after[2].status != NO_DATA


def test_overdue_actions_are_the_open_ones_due_before_today(world: StrategyWorld) -> None:
    plan, violence, _ = _plan(world)
    objective = violence.objective

    def add(description: str, due: date, status: str, done: date | None = None) -> None:
        action_add(
            objective=objective,
            details=ActionDetails(description, world.police, "", due, status, done),
            today=TODAY,
        )

    add("Late and open", date(2026, 3, 31), ActionStatus.IN_PROGRESS)
    add("Late, not started", date(2026, 8, 14), ActionStatus.NOT_STARTED)
    add("Done late", date(2026, 3, 31), ActionStatus.DONE, date(2026, 4, 20))
    add("Dropped", date(2026, 3, 31), ActionStatus.DROPPED)
    add("Due today", TODAY, ActionStatus.IN_PROGRESS)

    overdue = plan_progress(plan=plan, today=TODAY).overdue

    assert [(o.action.description, o.days_overdue) for o in overdue] == [
        ("Late and open", 137),
        ("Late, not started", 1),
    ]


def test_counts_of_measures_on_and_off_track(world: StrategyWorld) -> None:
    plan, _, _ = _plan(world)

    progress = plan_progress(plan=plan, today=TODAY)

    # ASB's target of none at all is far below any quarter: off track.
    assert progress.measures[1].status == OFF_TRACK
    assert progress.on_track + progress.off_track + progress.no_data == 2


def test_without_an_area_every_quarter_lacks_data_and_the_page_says_why(
    world: StrategyWorld,
) -> None:
    plan, _, _ = _plan(world)
    world.partnership.authorities.all().delete()

    progress = plan_progress(plan=plan, today=TODAY)

    assert "has no local authorities" in progress.area_problem
    assert {m.status for m in progress.measures} == {NO_DATA}
