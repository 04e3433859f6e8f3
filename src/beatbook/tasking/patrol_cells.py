"""The places of tasking: 250 m British National Grid cells, the forecasts' unit (ADR 8), named
by their lower-left corner, e.g. "E398000N345250". A request's drawn area becomes the cells
whose centres lie inside it, so a request and a forecast always talk about the same squares.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import shape as geojson_shape

from beatbook.common.projection import bng_to_wgs84, to_british_grid

CELL_SIZE_M = 250
# A drawn area may cover at most this many cells: about 56 km², far more than any patrol.
MAX_CELLS = 900

_KEY = re.compile(r"^E(\d{5,7})N(\d{5,7})$")


@dataclass(frozen=True)
class Cell:
    easting: int
    northing: int

    @property
    def key(self) -> str:
        return f"E{self.easting}N{self.northing}"

    def centre(self) -> tuple[float, float]:
        """(latitude, longitude) of the cell's centre."""
        half = CELL_SIZE_M / 2
        lat, lng = bng_to_wgs84(easting=[self.easting + half], northing=[self.northing + half])
        return float(lat[0]), float(lng[0])

    def outline(self) -> list[tuple[float, float]]:
        """The corners as (longitude, latitude), closed, for a map."""
        xs = [self.easting, self.easting + CELL_SIZE_M] * 2
        ys = [self.northing] * 2 + [self.northing + CELL_SIZE_M] * 2
        lat, lng = bng_to_wgs84(easting=xs, northing=ys)
        ring = [(float(lng[i]), float(lat[i])) for i in (0, 1, 3, 2, 0)]
        return ring


def cell_parse(key: str) -> Cell:
    """The cell a key names; ValueError, saying what is wrong, for anything else."""
    match = _KEY.match(key.strip().upper())
    if match is None:
        raise ValueError(f"“{key}” is not a cell: cells are named like E398000N345250.")
    easting, northing = int(match[1]), int(match[2])
    if easting % CELL_SIZE_M or northing % CELL_SIZE_M:
        raise ValueError(f"“{key}” is not the corner of a {CELL_SIZE_M} m cell.")
    return Cell(easting, northing)


def cells_parse(keys: Iterable[str]) -> list[Cell]:
    """Cells from keys, in order, each once."""
    seen: dict[str, Cell] = {}
    for key in keys:
        cell = cell_parse(key)
        seen.setdefault(cell.key, cell)
    return list(seen.values())


def cell_at(*, latitude: float, longitude: float) -> Cell:
    """The cell holding a point."""
    easting, northing = to_british_grid().transform(longitude, latitude)
    return Cell(
        math.floor(easting / CELL_SIZE_M) * CELL_SIZE_M,
        math.floor(northing / CELL_SIZE_M) * CELL_SIZE_M,
    )


def cells_in_polygon(geojson: dict[str, Any]) -> list[Cell]:
    """The cells whose centres lie inside a GeoJSON polygon (WGS84), or the one cell holding it
    when the polygon is smaller than a cell. ValueError when it covers more than ``MAX_CELLS``."""
    shape = geojson_shape(geojson)
    if shape.is_empty or not shape.is_valid:
        raise ValueError("The area drawn is not a closed shape that does not cross itself.")
    grid_shape = shapely.transform(shape, to_british_grid().transform, interleaved=False)
    min_x, min_y, max_x, max_y = grid_shape.bounds
    columns = range(math.floor(min_x / CELL_SIZE_M), math.floor(max_x / CELL_SIZE_M) + 1)
    rows = range(math.floor(min_y / CELL_SIZE_M), math.floor(max_y / CELL_SIZE_M) + 1)
    if len(columns) * len(rows) > MAX_CELLS * 4:
        raise ValueError(f"The area drawn is too big: keep it under {MAX_CELLS} cells of 250 m.")
    half = CELL_SIZE_M / 2
    cells = [
        Cell(column * CELL_SIZE_M, row * CELL_SIZE_M)
        for row in rows
        for column in columns
        if grid_shape.contains(shapely.Point(column * CELL_SIZE_M + half, row * CELL_SIZE_M + half))
    ]
    if len(cells) > MAX_CELLS:
        raise ValueError(f"The area drawn is too big: keep it under {MAX_CELLS} cells of 250 m.")
    if not cells:
        centre = grid_shape.representative_point()
        cells = [
            Cell(
                math.floor(centre.x / CELL_SIZE_M) * CELL_SIZE_M,
                math.floor(centre.y / CELL_SIZE_M) * CELL_SIZE_M,
            )
        ]
    return cells
