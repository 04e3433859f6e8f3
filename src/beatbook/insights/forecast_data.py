"""A force's crime counts on its study area, read from the database once, and the version of
the data they come from.

Study area (``beatbook.analysis.study_area``, read from the database by
``insights.study_area_cache``): the grid cells overlapping the force's own LSOAs; without those,
the cells holding a crime in the months a forecast learns from, which are all before the month
forecast (``area_before``): crimes of that month or later never shape the area a forecast of it
is made and scored on. Crimes recorded outside the study area are left out of both forecasts
and scores.

The data version of a force (``data_version``) changes when its street-level crime is loaded
again, when its LSOAs change, and (for harm) when the harm table does; not when another force
is imported (ADR 12).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import pandas as pd

from beatbook.analysis.forecast.matrix import ALL_CRIME, CellMonthCounts, series_by_category
from beatbook.analysis.grid import Grid, IntArray
from beatbook.analysis.harm import check_index
from beatbook.common.months import add_months, month_range
from beatbook.insights.harm_in_force import harm_weights
from beatbook.insights.selectors import crime_positions, months_held
from beatbook.insights.study_area_cache import (
    LSOA_AREA,
    area_keys,
    crimes_study_area,
    lsoa_study_area,
)
from beatbook.places.models import Force
from beatbook.records.models import SourceKind, SourceStatus
from beatbook.records.versions import data_versions_by_force


@dataclass(frozen=True)
class ForceData:
    """Count matrices of some categories (``all-crime`` always among them) and, whatever the
    measure, the counted all-crime matrix the learned methods use as a helper."""

    force: Force
    grid: Grid
    cells: IntArray
    area_source: str
    observed: list[str]
    series: dict[str, CellMonthCounts]
    auxiliary: CellMonthCounts


@dataclass(frozen=True)
class ForceCrimes:
    """A force's crimes from ``month_from`` to ``month_to``, read once, to count on study
    areas as each forecast or scored month needs (``counts``)."""

    force: Force
    crimes: pd.DataFrame
    held: list[str]
    month_from: str
    month_to: str
    cell_size: float
    harm: str | None
    lsoa_area: tuple[Grid, IntArray] | None

    def counts(
        self, *, month_from: str, month_to: str, categories: Sequence[str], area_before: str
    ) -> ForceData:
        """Count matrices from ``month_from`` to ``month_to`` (within what was read), on the
        study area a forecast for ``area_before`` uses: the LSOAs' cells, or the cells with a
        crime from ``month_from`` to the month before ``area_before``."""
        observed = [m for m in self.held if month_from <= m <= month_to]
        if not observed:
            raise ValueError(
                f"No crime data is loaded for {self.force.name} from {month_from} to {month_to}."
            )
        months = self.crimes["month"]
        crimes = self.crimes[(months >= month_from) & (months <= month_to)]
        if self.lsoa_area is not None:
            grid, cells, source = *self.lsoa_area, LSOA_AREA
        else:
            earlier = crimes[crimes["month"] < area_before]
            grid, cells, source = crimes_study_area(earlier, self.cell_size, area_before)
        count = partial(
            series_by_category,
            crimes,
            grid=grid,
            cells=cells,
            months=month_range(month_from, month_to),
            observed_months=observed,
        )
        wanted = list(dict.fromkeys([ALL_CRIME, *categories]))
        if self.harm is None:
            series = count(categories=wanted)
            auxiliary = series[ALL_CRIME]
        else:
            table = harm_weights().table(check_index(self.harm))
            series = count(categories=wanted, harm_weights=table)
            auxiliary = count(categories=[ALL_CRIME])[ALL_CRIME]
        return ForceData(self.force, grid, cells, source, observed, series, auxiliary)


def force_get(force_id: str) -> Force:
    force = Force.objects.filter(pk=force_id).first()
    if force is None:
        known = ", ".join(Force.objects.order_by("pk").values_list("pk", flat=True)[:50])
        raise ValueError(f"There is no force {force_id!r}. Forces held: {known or 'none'}.")
    return force


def street_versions(force_ids: Sequence[str] | None = None) -> dict[str, str]:
    """Per force, the version of its loaded street-level crime: a new month or a reload."""
    return data_versions_by_force(
        kinds=[SourceKind.STREET], status=SourceStatus.LOADED, force_ids=force_ids
    )


def data_versions(force_ids: Sequence[str] | None = None) -> dict[str, str]:
    """The counted data version of every force with street-level crime loaded."""
    areas = area_keys(force_ids)
    return {
        force_id: f"{newest}:{areas.get(force_id, 'none')}"
        for force_id, newest in street_versions(force_ids).items()
    }


def data_version(force_id: str, harm: str | None = None) -> str:
    """The version of the force's data that a forecast or back-test of it is made from."""
    counted = data_versions([force_id]).get(force_id, "none")
    return f"{counted}:{harm_weights().version}" if harm else counted


def force_crimes_load(
    *, force_id: str, month_from: str, month_to: str, cell_size: float, harm: str | None = None
) -> ForceCrimes:
    """The force's crimes from ``month_from`` to ``month_to``, in one read, and its LSOA
    study area if it has one."""
    force = force_get(force_id)
    held = [m for m in months_held(force_ids=[force.pk]) if month_from <= m <= month_to]
    crimes = crime_positions(force_id=force.pk, month_from=month_from, month_to=month_to)
    lsoa = lsoa_study_area(force.pk, cell_size)
    return ForceCrimes(force, crimes, held, month_from, month_to, cell_size, harm, lsoa)


def force_data_load(
    *,
    force_id: str,
    month_from: str,
    month_to: str,
    categories: Sequence[str],
    cell_size: float,
    harm: str | None = None,
    area_before: str | None = None,
) -> ForceData:
    """The force's count matrices from ``month_from`` to ``month_to``, on the study area of a
    forecast for ``area_before`` (by default the month after ``month_to``)."""
    loaded = force_crimes_load(
        force_id=force_id, month_from=month_from, month_to=month_to, cell_size=cell_size, harm=harm
    )
    return loaded.counts(
        month_from=month_from,
        month_to=month_to,
        categories=categories,
        area_before=area_before or add_months(month_to, 1),
    )
