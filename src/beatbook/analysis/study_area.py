"""The study area: the grid cells a force's hotspot maps and forecasts are counted, scored
and drawn on. This module is its one definition.

**The rule** (``cells_in_area``): the cells of the aligned grid round the force's boundary
polygons (``area_grid``) that overlap at least one of them (strictly, that intersect it: a cell
meeting a polygon along an edge only counts too).

**The polygons:** the force's LSOAs (``places.Lsoa`` boundaries; from files, the ONS 2011
boundaries and the LSOA-to-force lookup, ``read_force_lsoa_boundaries``). Forecasts use nothing
else. A hotspot map of a force whose LSOAs have no boundaries but whose neighbourhoods do uses
the neighbourhoods, by the same rule.

Why overlap rather than "the cell's centre lies inside", which hotspot maps used until issue
13: every crime recorded inside the boundary then falls in a study cell, so none is silently
left off a map or out of a score, and a cell on the edge is kept whichever side its centre
falls. Why the LSOAs: coverage ("the top 1% of the area") needs a fixed denominator, the
back-test scores kept so far were computed on these cells (ADR 8 and 12), and a hotspot map
and a forecast of a force at the same cell size then cover the same cells. Forecasts do not
fall back on neighbourhoods: their kept scores are keyed on the LSOA data, so a neighbourhood
import would change the area under them without changing their key.

**Without boundaries** the two uses differ, for reasons of their own:
- a forecast of month M uses the cells that held a crime in the months before M, within the
  middle 99% of those crimes (``crime_area``): nothing from M on may shape it (ADR 8);
- a hotspot map uses every cell of the box holding the middle 98% of the crimes it shows, with
  a margin (``crime_box``): it describes those months, and kernel density and Gi* need the
  empty cells round the crimes, which a study area of crime cells alone would not have.

Crimes outside the study area are left out (forces record some far outside their own area).
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import orjson
import pandas as pd
import shapely
import shapely.geometry

from beatbook.analysis.grid import Grid, IntArray
from beatbook.common.projection import to_british_grid

# A hotspot map without boundaries: the middle 98% of crimes plus this margin, generous for a
# force, but it leaves out the few recorded a county away.
FALLBACK_MARGIN_M = 5_000.0
Bounds = tuple[float, float, float, float]
BoolArray = npt.NDArray[np.bool_]


def to_bng(geometries: Sequence[shapely.Geometry]) -> list[shapely.Geometry]:
    """WGS84 (longitude, latitude) geometries projected to the British National Grid."""
    return [
        shapely.transform(
            geometry, lambda xy: np.column_stack(to_british_grid().transform(xy[:, 0], xy[:, 1]))
        )
        for geometry in geometries
    ]


def area_grid(polygons: Sequence[shapely.Geometry], cell_size: float) -> Grid:
    """The aligned grid round the polygons (British National Grid metres)."""
    if not polygons:
        raise ValueError("The study area has no boundaries to build a grid round.")
    bounds = shapely.total_bounds(np.array(polygons, dtype=object))
    return Grid.from_bounds(tuple(float(b) for b in bounds), cell_size)  # type: ignore[arg-type]


def cells_in_area(grid: Grid, polygons: Sequence[shapely.Geometry]) -> IntArray:
    """Flat indexes of the grid cells that overlap any of the polygons (BNG), sorted: the
    study-area rule."""
    if not polygons:
        return np.zeros(0, dtype=np.int64)
    xs, ys = grid.origins()
    boxes = shapely.box(xs, ys, xs + grid.cell_size, ys + grid.cell_size)
    tree = shapely.STRtree(np.array(polygons, dtype=object))
    # "intersects": a cell meeting a polygon only along an edge counts too. With real
    # boundaries that is all but impossible; it is kept because back-tests were scored on it.
    cell_hits, _ = tree.query(boxes, predicate="intersects")
    return np.unique(cell_hits).astype(np.int64)


def area_mask(grid: Grid, area: tuple[Grid, IntArray]) -> BoolArray:
    """Per cell of ``grid``, whether it is one of the study area's cells (``grid`` must be the
    area's own grid)."""
    area_grid_, cells = area
    if grid != area_grid_:
        raise ValueError(f"The grid {grid} is not the study area's grid {area_grid_}.")
    inside = np.zeros(grid.n_cells, dtype=bool)
    inside[cells] = True
    return inside


def area_bounds(grid: Grid) -> Bounds:
    """Bounds whose aligned grid (``Grid.from_bounds``) is ``grid`` itself: the centres of its
    first and last cells."""
    half = grid.cell_size / 2
    return (
        grid.x0 + half,
        grid.y0 + half,
        grid.x0 + (grid.columns - 1) * grid.cell_size + half,
        grid.y0 + (grid.rows - 1) * grid.cell_size + half,
    )


def cells_with_crime(grid: Grid, easting: Iterable[float], northing: Iterable[float]) -> IntArray:
    """Flat indexes of the cells holding at least one of the points, sorted."""
    index = grid.cell_index(np.asarray(list(easting)), np.asarray(list(northing)))
    return np.unique(index[index >= 0]).astype(np.int64)


def crime_area(easting: pd.Series, northing: pd.Series, cell_size: float) -> tuple[Grid, IntArray]:
    """A forecast's study area without boundaries: the cells holding the crimes (all from
    before the month forecast), on a grid round the middle 99% of them."""
    # Forces record a few crimes hundreds of miles away, which would stretch the grid across
    # the country.
    bounds = (
        easting.quantile(0.005),
        northing.quantile(0.005),
        easting.quantile(0.995),
        northing.quantile(0.995),
    )
    grid = Grid.from_bounds(tuple(float(b) for b in bounds), cell_size)  # type: ignore[arg-type]
    return grid, cells_with_crime(grid, easting, northing)


def crime_box(xs: npt.NDArray[np.float64], ys: npt.NDArray[np.float64]) -> Bounds:
    """A hotspot map's study area without boundaries: the box holding the middle 98% of the
    (located) crimes, with ``FALLBACK_MARGIN_M`` round it."""
    if xs.size == 0:
        raise ValueError("There are no crimes with a location to map.")
    low_x, high_x = np.percentile(xs, [1, 99])
    low_y, high_y = np.percentile(ys, [1, 99])
    return (
        float(low_x) - FALLBACK_MARGIN_M,
        float(low_y) - FALLBACK_MARGIN_M,
        float(high_x) + FALLBACK_MARGIN_M,
        float(high_y) + FALLBACK_MARGIN_M,
    )


def read_force_lsoa_boundaries(
    boundaries_geojson: str | Path, force_lookup_csv: str | Path, force_name: str
) -> list[shapely.Geometry]:
    """A force's LSOA polygons (BNG) from the ONS boundary GeoJSON (optionally gzipped) and
    the LSOA-to-police-force lookup CSV (``Police_force`` column, e.g. "Merseyside")."""
    lookup = pd.read_csv(force_lookup_csv, usecols=["LSOA Code", "Police_force"], dtype=str)
    codes = set(lookup.loc[lookup["Police_force"].str.lower() == force_name.lower(), "LSOA Code"])
    if not codes:
        raise ValueError(f"No LSOAs belong to a force called {force_name!r} in {force_lookup_csv}.")
    opener = gzip.open if str(boundaries_geojson).endswith(".gz") else open
    with opener(boundaries_geojson, "rb") as handle:
        features = orjson.loads(handle.read())["features"]
    chosen = [
        shapely.geometry.shape(feature["geometry"])
        for feature in features
        if feature["properties"].get("LSOA11CD") in codes and feature["geometry"]
    ]
    return to_bng(chosen)
