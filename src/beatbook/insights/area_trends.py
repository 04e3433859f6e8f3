"""Trends for a named area: its crimes and months held from the database, handed to
``beatbook.analysis.trends``."""

from __future__ import annotations

import calendar
import math
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from beatbook.analysis.trends import (
    ALL_CRIME,
    RateChange,
    TrendReport,
    trend_report,
)
from beatbook.common.months import add_months, check_month, month_range
from beatbook.insights.areas import Area
from beatbook.insights.harm_in_force import harm_weights
from beatbook.insights.selectors import crime_points, data_version, months_held
from beatbook.insights.stored_results import ResultSpec
from beatbook.insights.trend_charts import monthly_chart_svg, seasonality_chart_svg

DEFAULT_MONTHS = 12


@dataclass(frozen=True)
class AreaTrends:
    area: Area
    month_from: str
    month_to: str
    report: TrendReport


def area_trends(
    *, area: Area, month_from: str | None = None, month_to: str | None = None
) -> AreaTrends:
    """The area's trends for the months given, or its latest 12 months held."""
    held = months_held(force_ids=list(area.force_ids))
    if not held:
        raise ValueError(f"No crime data is loaded for {area.description}.")
    last = check_month(month_to, label="last month") if month_to else held[-1]
    first = (
        check_month(month_from, label="first month")
        if month_from
        else add_months(last, 1 - DEFAULT_MONTHS)
    )
    if first > last:
        raise ValueError(f"The first month ({first}) is after the last ({last}).")
    if not set(month_range(first, last)) & set(held):
        raise ValueError(
            f"No crime data is loaded for {area.description} from {first} to {last}; "
            f"the months held run from {held[0]} to {held[-1]}."
        )
    earliest = add_months(first, -12)
    # A year of history before the period as well, for the seasonal profile.
    history_from = min(earliest, add_months(last, -35))
    crimes = crime_points(
        force_ids=list(area.force_ids),
        month_from=history_from,
        month_to=last,
        neighbourhood_id=area.neighbourhood_id,
        lsoa_codes=list(area.lsoa_codes) if area.lsoa_codes is not None else None,
    )
    window = set(month_range(history_from, last))
    report = trend_report(
        crimes,
        month_from=first,
        month_to=last,
        population=area.population,
        months_held=[m for m in held if m in window],
    )
    return AreaTrends(area=area, month_from=first, month_to=last, report=report)


def trends_params(area: Area, month_from: str | None, month_to: str | None) -> dict[str, Any]:
    """The settings a stored trend report is keyed by: the whole area as it was found for the
    person asking (the forces it spans can depend on who asks), and the months asked for
    (empty: the latest held, which the data version pins down)."""
    return {
        "area": {**asdict(area), "lsoa_codes": _listed(area.lsoa_codes)},
        "month_from": month_from or "",
        "month_to": month_to or "",
    }


def _listed(codes: tuple[str, ...] | None) -> list[str] | None:
    return None if codes is None else list(codes)


def _area_from(params: dict[str, Any]) -> Area:
    area = dict(params["area"])
    codes = area.get("lsoa_codes")
    return Area(
        kind=str(area["kind"]),
        label=str(area["label"]),
        force_ids=tuple(area["force_ids"]),
        neighbourhood_id=area.get("neighbourhood_id"),
        lsoa_codes=None if codes is None else tuple(codes),
        population=area.get("population"),
    )


def trends_result_spec(params: dict[str, Any]) -> ResultSpec:
    area = _area_from(params)
    return ResultSpec(
        "trends",
        trends_params(area, params.get("month_from"), params.get("month_to")),
        area.force_ids,
        data_version(force_ids=area.force_ids),
    )


def trends_result_make(params: dict[str, Any]) -> dict[str, Any]:
    """The trends page's tables and charts, as plain values."""
    trends = area_trends(
        area=_area_from(params),
        month_from=params.get("month_from") or None,
        month_to=params.get("month_to") or None,
    )
    report = trends.report
    return {
        "trends": {
            "area": {"description": trends.area.description},
            "month_from": trends.month_from,
            "month_to": trends.month_to,
        },
        "report": {
            "population": report.population,
            "months_missing": list(report.months_missing),
            "compared_months": list(report.compared_months),
        },
        "monthly_rows": _monthly_rows(report.monthly),
        "totals_rows": _totals_rows(report),
        "monthly_svg": monthly_chart_svg(report.monthly),
        "seasonality_svg": seasonality_chart_svg(report.seasonality),
        "seasonality_rows": _seasonality_rows(report.seasonality),
        "repeat_rows": report.repeat_locations.to_dict("records"),
        "repeat_percent": _number(report.repeat_share * 100),
    }


def _number(value: Any) -> float | None:
    """A finite number, or None (shown as a dash) for a rate with no population."""
    number = float(value)
    return number if math.isfinite(number) else None


def _monthly_rows(monthly: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {"month": month, "crimes": None if _number(value) is None else int(value)}
        for month, value in monthly[ALL_CRIME].items()
    ]


def _change(change: RateChange | None) -> dict[str, Any] | None:
    if change is None:
        return None
    return {
        "current": change.current,
        "previous": change.previous,
        "p_value": _number(change.p_value),
        "significant": change.significant,
        "verdict": change.verdict(),
    }


def _totals_rows(report: TrendReport) -> list[dict[str, Any]]:
    changes = {change.category: change for change in report.changes}
    labels = {row.slug: row.label for row in harm_weights().categories}
    rows = []
    for category, row in report.totals.iterrows():
        rows.append(
            {
                "category": "All crime"
                if category == ALL_CRIME
                else labels.get(str(category), str(category)),
                "crimes": int(row["crimes"]),
                "per_1000": _number(row["per_1000"]),
                "per_1000_a_year": _number(row["per_1000_a_year"]),
                "change": _change(changes.get(str(category))) if report.compared_months else None,
            }
        )
    return rows


MONTH_NAMES = [calendar.month_name[number] for number in range(1, 13)]


def _seasonality_rows(profile: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "month": MONTH_NAMES[int(calendar_month) - 1],
            "mean": _number(row["mean_crimes"]),
            "index": _number(row["index"]),
            "years": int(row["months"]),
        }
        for calendar_month, row in profile.iterrows()
    ]
