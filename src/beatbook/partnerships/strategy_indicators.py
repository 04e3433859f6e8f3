"""The indicators a partnership plan's measures are linked to, computed from the crime data for
the partnership's area (``partnership_areas.partnership_area``): every police.uk category
recorded there, and all crime, counted or per 1,000 residents, per calendar year and quarter.

The counting is one aggregate query (crimes per month and category in the area's LSOAs); the
arithmetic is ``analysis.indicator_series``. A month is held only when every force the area
spans has published it: a month one force lacks is unknown for the whole area.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

from beatbook.analysis.indicator_series import (
    ALL_CRIME,
    CATEGORY_LABELS,
    MEASURES,
    IndicatorError,
    Period,
    PeriodValue,
    indicator_key,
    indicator_label,
    indicator_parse,
    period_value,
    quarters,
    year,
)
from beatbook.insights.areas import Area, AreaError
from beatbook.insights.selectors import months_held_by_force
from beatbook.opendata.models import Crime
from beatbook.partnerships.models import Partnership
from beatbook.partnerships.partnership_areas import partnership_area

__all__ = [
    "AreaCounts",
    "IndicatorChoice",
    "IndicatorError",
    "area_counts",
    "indicator_choices",
    "indicator_label",
    "indicator_series",
    "indicator_year_value",
]


@dataclass(frozen=True)
class IndicatorChoice:
    key: str
    label: str


@dataclass(frozen=True)
class AreaCounts:
    """Crimes per month and category in an area, and the months held for all of it."""

    area: Area
    by_category: dict[str, dict[str, int]]  # category (and all-crime) -> month -> count
    months_held: frozenset[str]

    def value(self, key: str, period: Period) -> PeriodValue:
        category, measure = indicator_parse(key)
        return period_value(
            period,
            self.by_category.get(category, {}),
            months_held=set(self.months_held),
            population=self.area.population,
            measure=measure,
        )


@dataclass(frozen=True)
class IndicatorSeries:
    key: str
    label: str
    years: tuple[PeriodValue, ...]
    quarters: tuple[PeriodValue, ...]


def _months_held(area: Area) -> frozenset[str]:
    by_force = months_held_by_force(force_ids=list(area.force_ids))
    if not area.force_ids or set(area.force_ids) - set(by_force):
        return frozenset()
    held = [set(by_force[force_id]) for force_id in area.force_ids]
    return frozenset(set.intersection(*held))


def area_counts(*, area: Area, month_from: str, month_to: str) -> AreaCounts:
    """Crimes per month and category in the area's LSOAs from ``month_from`` to ``month_to``."""
    rows = (
        Crime.objects.filter(
            force_id__in=list(area.force_ids),
            month__gte=month_from,
            month__lte=month_to,
            lsoa_code__in=list(area.lsoa_codes or ()),
        )
        .values_list("month", "category")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_category: dict[str, dict[str, int]] = {ALL_CRIME: {}}
    for month, category, number in rows:
        by_category.setdefault(category, {})[month] = number
        totals = by_category[ALL_CRIME]
        totals[month] = totals.get(month, 0) + number
    return AreaCounts(area=area, by_category=by_category, months_held=_months_held(area))


def partnership_counts(*, partnership: Partnership, years: Iterable[int]) -> AreaCounts:
    """The partnership area's counts over ``years``; raises ``AreaError`` when it has no area
    Beatbook holds."""
    numbers = sorted(years)
    return area_counts(
        area=partnership_area(partnership=partnership),
        month_from=f"{numbers[0]}-01",
        month_to=f"{numbers[-1]}-12",
    )


def indicator_choices(*, partnership: Partnership) -> list[IndicatorChoice]:
    """All crime and every police.uk category recorded in the partnership's area (in any month
    held), each counted and per 1,000 residents, by label."""
    try:
        area = partnership_area(partnership=partnership)
    except AreaError:
        return []
    found = (
        Crime.objects.filter(
            force_id__in=list(area.force_ids), lsoa_code__in=list(area.lsoa_codes or ())
        )
        .order_by()
        .values_list("category", flat=True)
        .distinct()
    )
    recorded = sorted(
        (c for c in set(found) if c in CATEGORY_LABELS and c != ALL_CRIME),
        key=lambda c: CATEGORY_LABELS[c],
    )
    categories = [ALL_CRIME, *recorded]
    return [
        IndicatorChoice(indicator_key(c, m), indicator_label(indicator_key(c, m)))
        for c in categories
        for m in MEASURES
    ]


def indicator_series(
    *, partnership: Partnership, indicator: str, years: Iterable[int]
) -> IndicatorSeries:
    """The indicator for each of ``years`` and each of their quarters."""
    indicator_parse(indicator)
    numbers = sorted(set(years))
    counts = partnership_counts(partnership=partnership, years=numbers)
    return IndicatorSeries(
        key=indicator,
        label=indicator_label(indicator),
        years=tuple(counts.value(indicator, year(n)) for n in numbers),
        quarters=tuple(counts.value(indicator, q) for n in numbers for q in quarters(n)),
    )


def indicator_year_value(
    *, partnership: Partnership, indicator: str, year_number: int
) -> PeriodValue:
    """The indicator over one calendar year: what a measure's baseline is."""
    indicator_parse(indicator)
    counts = partnership_counts(partnership=partnership, years=[year_number])
    return counts.value(indicator, year(year_number))
