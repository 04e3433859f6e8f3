"""A force's study area from the database: which boundaries it is drawn round, kept in a file
between requests. The rule itself, and why, is ``beatbook.analysis.study_area``.

- ``lsoa_study_area``: the cells overlapping the force's LSOAs, for forecasts, back-tests and
  hotspot maps. Working them out from 700-odd boundaries takes a few tenths of a second, so the
  result is kept in a file under ``DATA_DIR/forecasts/areas``, named by the force, the cell
  size and the LSOA data it came from (``area_keys``): any change to the force's LSOAs names
  another file.
- ``hotspot_study_area``: the LSOAs' area, or for a force whose LSOAs have no boundaries, the
  cells overlapping its neighbourhoods (the same rule on other polygons).
- ``crimes_study_area``: a forecast's area without LSOAs, from the crimes before its month.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from django.conf import settings
from django.db.models import Count, Max, Min

from beatbook.analysis.grid import Grid, IntArray
from beatbook.analysis.study_area import area_grid, cells_in_area, crime_area, to_bng
from beatbook.places.geometry import from_geojson
from beatbook.places.models import Lsoa, Neighbourhood
from beatbook.records.models import SourceFile, SourceKind, SourceStatus

LSOA_SOURCES = (SourceKind.LSOA_BOUNDARIES, SourceKind.LSOA_FORCES)
LSOA_AREA = "the force's LSOA boundaries"
NEIGHBOURHOOD_AREA = "the force's neighbourhood boundaries"
CRIME_AREA = "cells with a crime in the months before"


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
    boundaries = Lsoa.objects.filter(force_id=force_id, boundary__isnull=False).values_list(
        "boundary", flat=True
    )
    return _polygons_area(list(boundaries), cell_size)


def _polygons_area(boundaries: list[object], cell_size: float) -> tuple[Grid, IntArray] | None:
    """The study area round stored (WGS84 GeoJSON) boundaries; ``None`` if all are empty."""
    polygons = [p for p in to_bng([from_geojson(b) for b in boundaries]) if not shapely.is_empty(p)]
    if not polygons:
        return None
    grid = area_grid(polygons, cell_size)
    return grid, cells_in_area(grid, polygons)


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


def hotspot_study_area(force_id: str, cell_size: float) -> tuple[Grid, IntArray, str] | None:
    """The study area of a force's hotspot maps, and what it was drawn round: its LSOAs, else
    its neighbourhoods; ``None`` when it has neither with boundaries."""
    lsoa = lsoa_study_area(force_id, cell_size)
    if lsoa is not None:
        return (*lsoa, LSOA_AREA)
    boundaries = Neighbourhood.objects.filter(force_id=force_id, boundary__isnull=False)
    area = _polygons_area(list(boundaries.values_list("boundary", flat=True)), cell_size)
    return None if area is None else (*area, NEIGHBOURHOOD_AREA)


def crimes_study_area(
    crimes: pd.DataFrame, cell_size: float, area_before: str
) -> tuple[Grid, IntArray, str]:
    """A forecast's study area without LSOAs: the cells holding the ``crimes`` (all from before
    ``area_before``)."""
    located = crimes.dropna(subset=["easting", "northing"])
    if located.empty:
        raise ValueError(
            f"There are no crimes with a location before {area_before} to forecast from."
        )
    return (*crime_area(located["easting"], located["northing"], cell_size), CRIME_AREA)
