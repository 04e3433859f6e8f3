"""A force's crime counts on its study area, read from the database once, and the version of
the data they come from.

Study area: the grid cells overlapping the force's own LSOAs (``places.Lsoa`` boundaries);
without those, the cells holding a crime in the months a forecast learns from, which are all
before the month forecast (``area_before``): crimes of that month or later never shape the
area a forecast of it is made and scored on. Crimes recorded outside the study area are left
out of both forecasts and scores. Working the cells out from 700-odd
boundaries takes a few tenths of a second, so the result is kept in a file under
``DATA_DIR/forecasts/areas``, named by the force, the cell size and the LSOA data it came from
(``area_key``): any change to the force's LSOAs names another file.

The data version of a force (``data_version``) changes when its street-level crime is loaded
again, when its LSOAs change, and (for harm) when the harm table does; not when another force
is imported (ADR 12).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from django.conf import settings
from django.db.models import Count, Max, Min

from beatbook.analysis.forecast.area import area_grid, cells_in_area, cells_with_crime, to_bng
from beatbook.analysis.forecast.matrix import ALL_CRIME, CellMonthCounts, series_by_category
from beatbook.analysis.forecast.months import add_months, month_range
from beatbook.analysis.grid import Grid, IntArray
from beatbook.analysis.harm import check_index
from beatbook.insights.harm_in_force import harm_weights
from beatbook.insights.selectors import crime_positions, months_held
from beatbook.places.geometry import from_geojson
from beatbook.places.models import Force, Lsoa
from beatbook.records.models import SourceFile, SourceKind, SourceStatus
from beatbook.records.versions import data_versions_by_force

LSOA_SOURCES = (SourceKind.LSOA_BOUNDARIES, SourceKind.LSOA_FORCES)
LSOA_AREA = "the force's LSOA boundaries"
CRIME_AREA = "cells with a crime in the months before"


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
            grid, cells, source = _crime_area(earlier, self.cell_size, area_before)
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


def area_keys(force_ids: Sequence[str] | None = None) -> dict[str, str]:
    """Per force, a short key of its LSOA data (which LSOAs, their outline, the latest LSOA
    import); forces without LSOA boundaries are left out."""
    lsoa_import = (
        SourceFile.objects.filter(kind__in=LSOA_SOURCES, status=SourceStatus.LOADED)
        .order_by("-id")
        .values_list("id", flat=True)
        .first()
    )
    query = Lsoa.objects.filter(force__isnull=False, boundary__isnull=False)
    if force_ids is not None:
        query = query.filter(force_id__in=list(force_ids))
    rows = query.values("force_id").annotate(
        n=Count("code"),
        first=Min("code"),
        last=Max("code"),
        south=Min("min_lat"),
        north=Max("max_lat"),
        west=Min("min_lng"),
        east=Max("max_lng"),
    )
    keys = {}
    for row in rows.values_list("force_id", "n", "first", "last", "south", "north", "west", "east"):
        text = repr((lsoa_import, *row))
        keys[str(row[0])] = hashlib.sha256(text.encode()).hexdigest()[:12]
    return keys


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


def lsoa_study_area(force_id: str, cell_size: float) -> tuple[Grid, IntArray] | None:
    """The grid and study cells from the force's LSOAs (kept in a file); ``None`` if it has
    no LSOA boundaries."""
    key = area_keys([force_id]).get(force_id)
    if key is None:
        return None
    path = _area_path(force_id, cell_size, key)
    cached = _area_read(path)
    if cached is not None:
        return cached
    built = _lsoa_area(force_id, cell_size)
    if built is not None:
        _area_write(path, *built)
    return built


def _lsoa_area(force_id: str, cell_size: float) -> tuple[Grid, IntArray] | None:
    boundaries = [
        from_geojson(b)
        for b in Lsoa.objects.filter(force_id=force_id, boundary__isnull=False).values_list(
            "boundary", flat=True
        )
    ]
    polygons = [p for p in to_bng(boundaries) if not shapely.is_empty(p)]
    if not polygons:
        return None
    grid = area_grid(polygons, cell_size)
    return grid, cells_in_area(grid, polygons)


def _crime_area(
    crimes: pd.DataFrame, cell_size: float, area_before: str
) -> tuple[Grid, IntArray, str]:
    """The cells holding the ``crimes`` (all from before ``area_before``)."""
    located = crimes.dropna(subset=["easting", "northing"])
    if located.empty:
        raise ValueError(
            f"There are no crimes with a location before {area_before} to forecast from."
        )
    # Without boundaries, keep to the middle 99% of points: forces record a few crimes
    # hundreds of miles away, which would stretch the grid across the country.
    xs, ys = located["easting"], located["northing"]
    bounds = (xs.quantile(0.005), ys.quantile(0.005), xs.quantile(0.995), ys.quantile(0.995))
    grid = Grid.from_bounds(tuple(float(b) for b in bounds), cell_size)  # type: ignore[arg-type]
    return grid, cells_with_crime(grid, xs, ys), CRIME_AREA


def _area_path(force_id: str, cell_size: float, key: str) -> Path:
    name = f"{force_id}-{cell_size:g}m-{key}.npz"
    return Path(settings.DATA_DIR) / "forecasts" / "areas" / name


def _area_read(path: Path) -> tuple[Grid, IntArray] | None:
    try:
        with np.load(path) as stored:
            x0, y0, cell_size = (float(v) for v in stored["origin"])
            columns, rows = (int(v) for v in stored["shape"])
            cells = stored["cells"].astype(np.int64)
    except (OSError, KeyError, ValueError):
        return None  # not made yet, or unreadable: work it out again
    return Grid(x0=x0, y0=y0, cell_size=cell_size, columns=columns, rows=rows), cells


def _area_write(path: Path, grid: Grid, cells: IntArray) -> None:
    """Keep the area for next time; a disk that refuses only costs the next caller the work."""
    temporary: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed, so a reader in another process never sees half a file.
        handle, name = tempfile.mkstemp(dir=path.parent, suffix=".npz")
        temporary = Path(name)
        with os.fdopen(handle, "wb") as file:
            np.savez(
                file,
                origin=np.array([grid.x0, grid.y0, grid.cell_size]),
                shape=np.array([grid.columns, grid.rows]),
                cells=cells.astype(np.int32),
            )
        os.replace(temporary, path)
    except OSError:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
