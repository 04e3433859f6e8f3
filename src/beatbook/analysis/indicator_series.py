"""A partnership plan's indicators: a police.uk category (or all crime), counted or per 1,000
residents, for each calendar year and each quarter, and the straight line a measure is judged
against.

A month police.uk has not published is unknown, never a month of no crime: a period with such a
month has no value, and says which months it lacks (those after the latest month held are "not
published yet"). A period's value depends only on its own months, so loading a later month never
changes an earlier period's figure.

Every value is at an annual rate so that quarters compare with a baseline and a target that are
for a whole year: a year's value is its own figure, a quarter's is its figure times four. The
quarter's own figure is kept beside it (``PeriodValue.figure``).

Examples
--------
>>> indicator_parse("violent-crime/per_1000")
('violent-crime', 'per_1000')
>>> indicator_label("violent-crime/per_1000")
'Violence and sexual offences per 1,000 residents'
>>> [p.key for p in quarters(2026)][:2]
['2026-Q1', '2026-Q2']
>>> expected_level(baseline=40.0, target=30.0, baseline_year=2025, last_year=2027,
...                period=quarters(2026)[3])
35.0
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from beatbook.common.months import month_name
from beatbook.common.policeuk import CRIME_TYPES

ALL_CRIME = "all-crime"
MEASURES: dict[str, str] = {"count": "number recorded", "per_1000": "per 1,000 residents"}
QUARTER_NAMES = ("January to March", "April to June", "July to September", "October to December")
# police.uk's slug -> its current display name (the first name a slug has in CRIME_TYPES).
CATEGORY_LABELS: dict[str, str] = {
    **{slug: name for name, slug in reversed(CRIME_TYPES.items())},
    ALL_CRIME: "All crime",
}


class IndicatorError(ValueError):
    """An indicator key that names no category or no measure."""


@dataclass(frozen=True)
class Period:
    """A calendar year or a quarter: its key ("2026", "2026-Q1"), label and months."""

    key: str
    label: str
    months: tuple[str, ...]

    @property
    def is_quarter(self) -> bool:
        return len(self.months) == 3

    @property
    def per_year(self) -> float:
        """How many of this period make a year (1 for a year, 4 for a quarter)."""
        return 12 / len(self.months)


@dataclass(frozen=True)
class PeriodValue:
    """One period's value of an indicator, or why it has none."""

    period: Period
    count: int | None  # crimes recorded in the period's months (None if a month is missing)
    figure: float | None  # the period's own figure: the count, or per 1,000 residents
    value: float | None  # the figure at an annual rate
    missing: tuple[str, ...]  # months not published
    not_yet: tuple[str, ...]  # of those, the months after the latest month held
    reason: str  # empty when there is a value

    @property
    def has_value(self) -> bool:
        return self.value is not None


def indicator_parse(key: str) -> tuple[str, str]:
    """(category slug, measure) from ``"violent-crime/per_1000"``; raises ``IndicatorError``."""
    category, _, measure = (key or "").strip().partition("/")
    if category not in CATEGORY_LABELS:
        raise IndicatorError(f"{category or key!r} is not a police.uk crime category.")
    if measure not in MEASURES:
        raise IndicatorError(
            f"An indicator is counted ('{category}/count') or per 1,000 residents "
            f"('{category}/per_1000'), not {measure or 'neither'}."
        )
    return category, measure


def indicator_key(category: str, measure: str) -> str:
    return f"{category}/{measure}"


def indicator_label(key: str) -> str:
    """Plain English: "Violence and sexual offences per 1,000 residents", "Anti-social
    behaviour, number recorded"."""
    category, measure = indicator_parse(key)
    name = CATEGORY_LABELS[category]
    if measure == "per_1000":
        return f"{name} per 1,000 residents"
    return f"{name}, {MEASURES[measure]}"


def year(number: int) -> Period:
    return Period(str(number), str(number), tuple(f"{number}-{m:02d}" for m in range(1, 13)))


def quarters(number: int) -> list[Period]:
    return [
        Period(
            f"{number}-Q{q + 1}",
            f"{QUARTER_NAMES[q]} {number}",
            tuple(f"{number}-{m:02d}" for m in range(3 * q + 1, 3 * q + 4)),
        )
        for q in range(4)
    ]


def period_value(
    period: Period,
    counts: Mapping[str, int],
    *,
    months_held: set[str],
    population: int | None,
    measure: str,
) -> PeriodValue:
    """The period's value from ``counts`` (crimes per month, "YYYY-MM" -> count; a held month
    absent from it had none) and the months held."""
    missing = tuple(m for m in period.months if m not in months_held)
    latest = max(months_held) if months_held else ""
    not_yet = tuple(m for m in missing if m > latest)
    if missing:
        return PeriodValue(period, None, None, None, missing, not_yet, _missing_words(missing))
    count = sum(int(counts.get(month, 0)) for month in period.months)
    if measure == "count":
        figure = float(count)
    elif population:
        figure = count / population * 1000
    else:
        reason = "No population is held for the area, so there is no rate per 1,000 residents."
        return PeriodValue(period, count, None, None, (), (), reason)
    return PeriodValue(period, count, figure, figure * period.per_year, (), (), "")


def _missing_words(missing: tuple[str, ...]) -> str:
    names = [month_name(month) for month in missing]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
    verb = "is" if len(names) == 1 else "are"
    return f"Not enough data: {listed} {verb} not published."


def expected_level(
    *, baseline: float, target: float, baseline_year: int, last_year: int, period: Period
) -> float:
    """Where a straight line from the baseline (at the end of the baseline year) to the target
    (at the end of the plan's last year) stands at the end of ``period``."""
    end_year, end_month = (int(part) for part in period.months[-1].split("-"))
    done = (end_year - baseline_year - 1) * 12 + end_month
    span = (last_year - baseline_year) * 12
    share = min(max(done / span, 0.0), 1.0) if span > 0 else 1.0
    return baseline + (target - baseline) * share


def on_track(value: float, expected: float, *, direction: str) -> bool:
    """At or better than the line: at or below it when lower is better ("down"), at or above
    it when higher is better ("up")."""
    if direction == "up":
        return value >= expected - 1e-9
    return value <= expected + 1e-9
