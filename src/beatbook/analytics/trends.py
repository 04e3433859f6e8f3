"""Trends for a named area: its crimes and months held from the database, handed to
``beatbook.analysis.trends``."""

from __future__ import annotations

from dataclasses import dataclass

from beatbook.analysis.trends import TrendReport, month_range, shift_months, trend_report
from beatbook.analytics.areas import Area
from beatbook.analytics.selectors import check_month, crime_points, months_held

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
        else shift_months(last, 1 - DEFAULT_MONTHS)
    )
    if first > last:
        raise ValueError(f"The first month ({first}) is after the last ({last}).")
    if not set(month_range(first, last)) & set(held):
        raise ValueError(
            f"No crime data is loaded for {area.description} from {first} to {last}; "
            f"the months held run from {held[0]} to {held[-1]}."
        )
    earliest = shift_months(first, -12)
    # A year of history before the period as well, for the seasonal profile.
    history_from = min(earliest, shift_months(last, -35))
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
