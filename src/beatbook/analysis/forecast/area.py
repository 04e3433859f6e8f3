"""The study area: the grid cells a force's forecasts are made for and scored on.

Coverage (the top 1% of cells...) only means something against a fixed area, so the cells are
those that overlap the force's own LSOAs, not the bounding box of wherever its crimes were
recorded (forces record some crimes far outside their area; those fall outside the study area
and are left out). Without boundaries, ``cells_with_crime`` gives the cells that held a crime
in a training period instead.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import orjson
import pandas as pd
import shapely
import shapely.geometry

from beatbook.analysis.grid import Grid, IntArray
from beatbook.common.projection import to_british_grid


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
    """Flat indexes of the grid cells that overlap any of the polygons (BNG), sorted."""
    if not polygons:
        return np.zeros(0, dtype=np.int64)
    xs, ys = grid.origins()
    boxes = shapely.box(xs, ys, xs + grid.cell_size, ys + grid.cell_size)
    tree = shapely.STRtree(np.array(polygons, dtype=object))
    cell_hits, _ = tree.query(boxes, predicate="intersects")
    # Touching at an edge is not overlapping: keep cells sharing some area.
    return np.unique(cell_hits).astype(np.int64)


def cells_with_crime(grid: Grid, easting: Iterable[float], northing: Iterable[float]) -> IntArray:
    """Flat indexes of the cells holding at least one of the points, sorted."""
    index = grid.cell_index(np.asarray(list(easting)), np.asarray(list(northing)))
    return np.unique(index[index >= 0]).astype(np.int64)


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
