"""The strategic assessment of a partnership's area for a year, as the law asks each Community
Safety Partnership to make one (operating model s. 3.1): levels and patterns of crime and ASB by
category, change on the previous year with a test of whether it is more than chance, rates per
1,000 residents against the force and the other local authorities held, harm, hotspots, repeat
locations, seasonality, stop and search, outcomes, community voice, and recommended priorities.

Pure: the caller reads the database and passes plain tables (``AssessmentInputs``); the same
inputs always give the same result, so a report can be made again and checked.

Missing months are never months without crime. A month police.uk did not publish (Merseyside's
2019-07) is listed, counts are of the months held, and a change is measured only over the
months both years hold (``analysis.trends.rate_change``, the exact Poisson test). A previous
year with no month held is said to be not held: no change is shown, rather than a fall from 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from beatbook.analysis.assessment_priorities import (
    CategoryEvidence,
    Concerns,
    Priority,
    priorities_rank,
)
from beatbook.analysis.assessment_tables import (
    TOP_PLACES,
    cells_table,
    lsoa_table,
    outcomes_table,
    stops_tables,
)
from beatbook.analysis.harm import HarmWeights
from beatbook.analysis.trends import (
    ALL_CRIME,
    rate_change,
    repeat_locations,
    repeat_share,
    seasonal_profile,
)
from beatbook.common.months import add_months, month_range

ALL_CRIME_LABEL = "All crime and ASB"


@dataclass(frozen=True)
class Comparison:
    """Another area to compare rates with: the force, or another local authority held."""

    label: str
    counts: dict[str, int]  # crimes in the year by category
    population: int | None


@dataclass(frozen=True)
class AssessmentInputs:
    area_label: str
    year: int
    crimes: pd.DataFrame  # ``insights.selectors.crime_points`` rows of the year and the one before
    months_held: list[str]  # the months of the two years with street-level crime held
    population: int | None
    harm: HarmWeights
    force: Comparison | None = None
    other_areas: list[Comparison] = field(default_factory=list)
    stops: pd.DataFrame | None = None  # month, object_of_search, outcome; None: none held
    outcomes: pd.DataFrame | None = None  # category, outcome; None: no outcomes files loaded
    voice: Concerns | None = None


@dataclass(frozen=True)
class CategoryFigures:
    category: str
    label: str
    count: int
    previous: int | None  # None: the previous year is not held
    compared_count: int | None
    compared_previous: int | None
    change: int | None  # over the months both years hold
    change_percent: float | None
    rate_ratio: float | None
    ratio_low: float | None
    ratio_high: float | None
    p_value: float | None
    verdict: str
    rate_per_1000: float | None
    force_rate_per_1000: float | None
    harm_cchi: float
    harm_css: float
    rank_among_areas: int | None  # by rate, 1 the highest, among the local authorities held


@dataclass(frozen=True)
class AreaRate:
    label: str
    population: int | None
    count: int
    rate_per_1000: float | None
    this_area: bool


@dataclass(frozen=True)
class AssessmentResult:
    area_label: str
    year: int
    months: list[str]
    months_missing: list[str]
    previous_months_held: list[str]
    previous_months_missing: list[str]
    compared_months: list[str]
    population: int | None
    force_label: str | None
    categories: list[CategoryFigures]  # all crime first, then most first
    area_rates: list[AreaRate]  # all-crime rate of each local authority held, highest first
    monthly: pd.DataFrame  # per calendar month: this year's and last year's counts (NaN: not held)
    seasonality: pd.DataFrame
    repeat_locations: pd.DataFrame
    repeat_share: float
    cells: pd.DataFrame  # every 250 m square with crime: x, y, crimes, harm_cchi
    hotspots: pd.DataFrame  # the top squares by CCHI harm
    lsoas: pd.DataFrame  # the top LSOAs by CCHI harm
    stops_by_object: pd.DataFrame | None
    stops_by_outcome: pd.DataFrame | None
    stops_total: int | None
    outcomes: pd.DataFrame | None
    voice: Concerns | None
    priorities: list[Priority]

    @property
    def previous_year(self) -> int:
        return self.year - 1

    @property
    def previous_held(self) -> bool:
        return bool(self.previous_months_held)

    @property
    def all_crime(self) -> CategoryFigures:
        return self.categories[0]


def strategic_assessment(inputs: AssessmentInputs) -> AssessmentResult:
    months = month_range(f"{inputs.year}-01", f"{inputs.year}-12")
    before = [add_months(month, -12) for month in months]
    held = set(inputs.months_held)
    year_held = [m for m in months if m in held]
    previous_held = [m for m in before if m in held]
    compared = [m for m in year_held if add_months(m, -12) in held]
    crimes = inputs.crimes
    this_year = crimes[crimes["month"].isin(year_held)]
    last_year = crimes[crimes["month"].isin(previous_held)]
    categories = _category_figures(inputs, this_year, last_year, compared, bool(previous_held))
    by_harm = _by_harm(categories, inputs.voice)
    stops_by_object, stops_by_outcome, stops_total = stops_tables(inputs.stops)
    cells = cells_table(this_year, inputs.harm)
    return AssessmentResult(
        area_label=inputs.area_label,
        year=inputs.year,
        months=year_held,
        months_missing=[m for m in months if m not in held],
        previous_months_held=previous_held,
        previous_months_missing=[m for m in before if m not in held] if previous_held else [],
        compared_months=compared,
        population=inputs.population,
        force_label=inputs.force.label if inputs.force else None,
        categories=categories,
        area_rates=_area_rates(inputs, len(this_year)),
        monthly=_monthly(this_year, last_year, months, held),
        seasonality=seasonal_profile(crimes, set(year_held) | set(previous_held)),
        repeat_locations=repeat_locations(this_year, top=TOP_PLACES),
        repeat_share=repeat_share(this_year),
        cells=cells,
        hotspots=cells.head(TOP_PLACES).reset_index(drop=True),
        lsoas=lsoa_table(this_year, inputs.harm),
        stops_by_object=stops_by_object,
        stops_by_outcome=stops_by_outcome,
        stops_total=stops_total,
        outcomes=outcomes_table(inputs.outcomes),
        voice=inputs.voice,
        priorities=priorities_rank(by_harm),
    )


def _labels(harm: HarmWeights) -> dict[str, str]:
    return {row.slug: row.label for row in harm.categories}


def _category_figures(
    inputs: AssessmentInputs,
    this_year: pd.DataFrame,
    last_year: pd.DataFrame,
    compared: list[str],
    previous_held: bool,
) -> list[CategoryFigures]:
    counts = this_year["category"].value_counts()
    previous = last_year["category"].value_counts()
    compared_now = this_year[this_year["month"].isin(compared)]["category"].value_counts()
    before = {add_months(m, -12) for m in compared}
    compared_then = last_year[last_year["month"].isin(before)]["category"].value_counts()
    present = sorted(set(counts.index) | set(previous.index))
    cchi, css = inputs.harm.table("cchi"), inputs.harm.table("css")
    unknown = [c for c in present if c not in cchi]
    if unknown:
        raise ValueError(
            f"No harm weight for the crime categories {', '.join(unknown)}: add them to the "
            "harm weights table (HARM_WEIGHTS_FILE)."
        )
    labels = _labels(inputs.harm)
    rows = [
        _figures(
            inputs,
            category,
            labels[category],
            (int(counts.get(category, 0)), int(previous.get(category, 0))),
            (int(compared_now.get(category, 0)), int(compared_then.get(category, 0))),
            (cchi[category], css[category]),
            compared,
            previous_held,
        )
        for category in present
    ]
    rows.sort(key=lambda row: (-row.count, row.category))
    total = _figures(
        inputs,
        ALL_CRIME,
        ALL_CRIME_LABEL,
        (int(counts.sum()), int(previous.sum())),
        (int(compared_now.sum()), int(compared_then.sum())),
        None,
        compared,
        previous_held,
        harm=(sum(r.harm_cchi for r in rows), sum(r.harm_css for r in rows)),
    )
    return [total, *rows]


def _figures(
    inputs: AssessmentInputs,
    category: str,
    label: str,
    counts: tuple[int, int],
    compared_counts: tuple[int, int],
    weights: tuple[float, float] | None,
    compared: list[str],
    previous_held: bool,
    harm: tuple[float, float] | None = None,
) -> CategoryFigures:
    count, previous = counts
    if harm is None:
        assert weights is not None
        harm = (count * weights[0], count * weights[1])
    change = _change(category, compared_counts, compared)
    return CategoryFigures(
        category=category,
        label=label,
        count=count,
        previous=previous if previous_held else None,
        compared_count=compared_counts[0] if compared else None,
        compared_previous=compared_counts[1] if compared else None,
        change=compared_counts[0] - compared_counts[1] if compared else None,
        change_percent=change["percent"],
        rate_ratio=change["ratio"],
        ratio_low=change["low"],
        ratio_high=change["high"],
        p_value=change["p"],
        verdict=change["verdict"],
        rate_per_1000=_rate(count, inputs.population),
        force_rate_per_1000=_force_rate(inputs.force, category),
        harm_cchi=float(harm[0]),
        harm_css=float(harm[1]),
        rank_among_areas=_rank(inputs, category, count),
    )


def _change(category: str, counts: tuple[int, int], compared: list[str]) -> dict[str, Any]:
    if not compared:
        return {
            "percent": None,
            "ratio": None,
            "low": None,
            "high": None,
            "p": None,
            "verdict": "Not measured: no month of the previous year to compare with",
        }
    test = rate_change(category, counts[0], counts[1], months=len(compared))
    return {
        "percent": _finite(test.change_percent),
        "ratio": _finite(test.rate_ratio),
        "low": _finite(test.ratio_low),
        "high": _finite(test.ratio_high),
        "p": float(test.p_value),
        "verdict": test.verdict(),
    }


def _finite(value: float) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


def _rate(count: int, population: int | None) -> float | None:
    return count / population * 1000.0 if population else None


def _count_of(counts: dict[str, int], category: str) -> int:
    return sum(counts.values()) if category == ALL_CRIME else counts.get(category, 0)


def _force_rate(force: Comparison | None, category: str) -> float | None:
    if force is None:
        return None
    return _rate(_count_of(force.counts, category), force.population)


def _rank(inputs: AssessmentInputs, category: str, count: int) -> int | None:
    mine = _rate(count, inputs.population)
    if mine is None or not inputs.other_areas:
        return None
    others = [_rate(_count_of(a.counts, category), a.population) for a in inputs.other_areas]
    return 1 + sum(1 for rate in others if rate is not None and rate > mine)


def _area_rates(inputs: AssessmentInputs, count: int) -> list[AreaRate]:
    rows = [
        AreaRate(
            label=inputs.area_label,
            population=inputs.population,
            count=count,
            rate_per_1000=_rate(count, inputs.population),
            this_area=True,
        )
    ]
    for area in inputs.other_areas:
        total = sum(area.counts.values())
        rows.append(
            AreaRate(area.label, area.population, total, _rate(total, area.population), False)
        )
    return sorted(rows, key=lambda r: (r.rate_per_1000 is None, -(r.rate_per_1000 or 0), r.label))


def _by_harm(categories: list[CategoryFigures], voice: Concerns | None) -> list[CategoryEvidence]:
    total = categories[0]
    evidence = []
    for row in categories[1:]:
        shares = [
            row.harm_cchi / total.harm_cchi if total.harm_cchi else 0.0,
            row.harm_css / total.harm_css if total.harm_css else 0.0,
        ]
        evidence.append(
            CategoryEvidence(
                category=row.category,
                label=row.label,
                count=row.count,
                harm_share=sum(shares) / 2.0,
                volume_share=row.count / total.count if total.count else 0.0,
                rate_ratio=row.rate_ratio,
                p_value=row.p_value,
                concern_share=voice.share(row.category) if voice else 0.0,
                concern_count=voice.by_category.get(row.category, 0) if voice else 0,
            )
        )
    return evidence


def _monthly(
    this_year: pd.DataFrame, last_year: pd.DataFrame, months: list[str], held: set[str]
) -> pd.DataFrame:
    now = this_year["month"].value_counts()
    then = last_year["month"].value_counts()
    rows = []
    for month in months:
        before = add_months(month, -12)
        rows.append(
            {
                "month": month,
                "crimes": float(now.get(month, 0)) if month in held else np.nan,
                "previous_month": before,
                "previous": float(then.get(before, 0)) if before in held else np.nan,
            }
        )
    return pd.DataFrame(rows)


def assessment_summary(result: AssessmentResult) -> dict[str, Any]:
    """The figures anyone can check against the raw files: ``summary.json``."""
    return {
        "area": result.area_label,
        "year": result.year,
        "months_held": result.months,
        "months_missing": result.months_missing,
        "previous_year": {
            "year": result.previous_year,
            "held": result.previous_held,
            "months_held": result.previous_months_held,
            "months_missing": result.previous_months_missing,
        },
        "compared_months": result.compared_months,
        "population": result.population,
        "categories": {row.category: _category_json(row) for row in result.categories},
        "priorities": [
            {"rank": p.rank, "category": p.category, "score": p.score, "parts": p.parts}
            for p in result.priorities
        ],
    }


def _category_json(row: CategoryFigures) -> dict[str, Any]:
    return {
        "label": row.label,
        "count": row.count,
        "previous_count": row.previous,
        "change": row.change,
        "change_percent": _rounded(row.change_percent),
        "p_value": _rounded(row.p_value, 8),
        "compared": {"count": row.compared_count, "previous_count": row.compared_previous},
        "rate_per_1000": _rounded(row.rate_per_1000),
        "force_rate_per_1000": _rounded(row.force_rate_per_1000),
        "harm": {"cchi": _rounded(row.harm_cchi), "ons_css": _rounded(row.harm_css)},
    }


def _rounded(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)
