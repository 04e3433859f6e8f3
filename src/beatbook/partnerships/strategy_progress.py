"""How a partnership plan is doing: each measure by quarter against its target, and the actions
that are overdue. The progress page, the public page's headline measures and a meeting's agenda
all read ``plan_progress``.

The rule, in words (``RULE``): the expected level runs in a straight line from the baseline, at
the end of the baseline year, to the target, at the end of the plan's last year. A quarter is on
track when its figure, at an annual rate, is at or better than the line at the quarter's end; off
track when it is worse; and there is not enough data when a month of it is not published (never
read as a month of no crime).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from beatbook.analysis.indicator_series import (
    PeriodValue,
    expected_level,
    on_track,
    quarters,
    year,
)
from beatbook.insights.areas import AreaError
from beatbook.partnerships.models import (
    OPEN_ACTION_STATUSES,
    Action,
    Measure,
    PartnershipPlan,
)
from beatbook.partnerships.strategy_indicators import AreaCounts, partnership_counts
from beatbook.partnerships.strategy_plans import measure_label

RULE = (
    "Each measure is expected to move in a straight line from its baseline, at the end of the "
    "baseline year, to its target, at the end of the plan's last year. A quarter is on track "
    "when its figure, at an annual rate (the quarter's figure times four), is at or better than "
    "that line at the quarter's end, and off track when it is worse. A quarter with a month that "
    "police.uk has not published has not enough data: a missing month is never counted as a "
    "month with no crime."
)
ON_TRACK = "on_track"
OFF_TRACK = "off_track"
NO_DATA = "no_data"
STATUS_LABELS = {ON_TRACK: "On track", OFF_TRACK: "Off track", NO_DATA: "Not enough data"}


@dataclass(frozen=True)
class QuarterProgress:
    """One quarter of a measure: its value at an annual rate, the line, and the verdict."""

    found: PeriodValue
    expected: float
    status: str

    @property
    def key(self) -> str:
        return self.found.period.key

    @property
    def label(self) -> str:
        return self.found.period.label

    @property
    def value(self) -> float | None:
        return self.found.value

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class MeasureProgress:
    measure: Measure
    label: str
    baseline_now: float | None  # the baseline year's value from the data as it is now
    quarters: tuple[QuarterProgress, ...]
    years: tuple[PeriodValue, ...]

    @property
    def latest(self) -> QuarterProgress | None:
        """The latest quarter with a value, or None."""
        found = [quarter for quarter in self.quarters if quarter.status != NO_DATA]
        return found[-1] if found else None

    @property
    def status(self) -> str:
        latest = self.latest
        return latest.status if latest else NO_DATA

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def baseline_changed(self) -> bool:
        """Whether the data now gives another baseline (a month reloaded or replaced)."""
        now = self.baseline_now
        return now is not None and abs(now - self.measure.baseline) > 1e-3


@dataclass(frozen=True)
class OverdueAction:
    action: Action
    days_overdue: int


@dataclass(frozen=True)
class PlanProgress:
    plan: PartnershipPlan
    today: date
    measures: tuple[MeasureProgress, ...]
    overdue: tuple[OverdueAction, ...]
    rule: str
    area_problem: str  # empty when the partnership's area is held

    def count(self, status: str) -> int:
        return sum(1 for measure in self.measures if measure.status == status)

    @property
    def on_track(self) -> int:
        return self.count(ON_TRACK)

    @property
    def off_track(self) -> int:
        return self.count(OFF_TRACK)

    @property
    def no_data(self) -> int:
        return self.count(NO_DATA)


def _quarter(measure: Measure, plan: PartnershipPlan, found: PeriodValue) -> QuarterProgress:
    expected = expected_level(
        baseline=measure.baseline,
        target=measure.target,
        baseline_year=measure.baseline_year,
        last_year=plan.year_to,
        period=found.period,
    )
    if found.value is None:
        status = NO_DATA
    elif on_track(found.value, expected, direction=measure.direction):
        status = ON_TRACK
    else:
        status = OFF_TRACK
    return QuarterProgress(found=found, expected=expected, status=status)


def measure_progress(
    *, measure: Measure, plan: PartnershipPlan, counts: AreaCounts | None
) -> MeasureProgress:
    """One measure over every quarter of the plan, from counts that cover them; a quarter not
    published yet has not enough data."""
    years = range(plan.year_from, plan.year_to + 1)
    periods = [q for n in years for q in quarters(n)]
    label = measure_label(measure)
    if counts is None:
        empty = tuple(
            _quarter(measure, plan, PeriodValue(p, None, None, None, p.months, (), "No area"))
            for p in periods
        )
        return MeasureProgress(measure, label, None, empty, ())
    found = [counts.value(measure.indicator, period) for period in periods]
    baseline = counts.value(measure.indicator, year(measure.baseline_year)).value
    return MeasureProgress(
        measure=measure,
        label=label,
        baseline_now=baseline,
        quarters=tuple(_quarter(measure, plan, value) for value in found),
        years=tuple(counts.value(measure.indicator, year(n)) for n in years),
    )


def overdue_actions(*, plan: PartnershipPlan, today: date) -> list[OverdueAction]:
    """The plan's open actions due before ``today``, longest overdue first."""
    actions = (
        Action.objects.filter(
            objective__priority__plan=plan, status__in=OPEN_ACTION_STATUSES, due__lt=today
        )
        .select_related("owner", "objective__priority")
        .order_by("due", "id")
    )
    return [OverdueAction(action, (today - action.due).days) for action in actions]


def plan_measures(*, plan: PartnershipPlan) -> list[Measure]:
    return list(
        Measure.objects.filter(objective__priority__plan=plan)
        .select_related("objective__priority")
        .order_by(
            "objective__priority__order",
            "objective__priority_id",
            "objective__order",
            "objective_id",
            "order",
            "id",
        )
    )


def plan_progress(*, plan: PartnershipPlan, today: date) -> PlanProgress:
    """Every measure of the plan by quarter against its target, and its overdue actions."""
    measures = plan_measures(plan=plan)
    first = min([plan.year_from, *(m.baseline_year for m in measures)])
    counts: AreaCounts | None = None
    problem = ""
    try:
        counts = partnership_counts(
            partnership=plan.partnership, years=range(first, plan.year_to + 1)
        )
    except AreaError as error:
        problem = str(error)
    return PlanProgress(
        plan=plan,
        today=today,
        measures=tuple(measure_progress(measure=m, plan=plan, counts=counts) for m in measures),
        overdue=tuple(overdue_actions(plan=plan, today=today)),
        rule=RULE,
        area_problem=problem,
    )
