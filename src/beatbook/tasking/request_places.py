"""Where a tasking request asks for help: its 250 m cells, checked against the force's area,
and the ways a page finds them (the cells in a map view, a drawn polygon, a postcode and a
radius).

**The force's area.** Beatbook keeps boundaries as GeoJSON with bounding boxes, not in a
spatial database. A cell is accepted when its centre lies in the bounding box of the force's
LSOAs and neighbourhoods, widened by ``AREA_MARGIN_DEGREES`` on every side (about 1 km), so a
cell on the force's edge or a patrol just over a boundary road is never refused, while a typo
that lands in another county is. A force whose boundaries are not loaded yet has no box to check
against: its cells are then only checked to be real cells (a request must not wait for an
import).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Max, Min

from beatbook.common.projection import to_british_grid
from beatbook.places.models import Force, Lsoa, Neighbourhood, Postcode
from beatbook.places.postcode import normalise_postcode
from beatbook.tasking.patrol_cells import CELL_SIZE_M, MAX_CELLS, Cell

AREA_MARGIN_DEGREES = 0.01
# The cells a map view may ask for at once: about 10 km² at 250 m, a view zoomed to streets.
MAX_VIEW_CELLS = 1600
MAX_RADIUS_M = 2000


@dataclass(frozen=True)
class Box:
    min_lat: float
    max_lat: float
    min_lng: float
    max_lng: float

    def holds(self, latitude: float, longitude: float) -> bool:
        return (
            self.min_lat <= latitude <= self.max_lat and self.min_lng <= longitude <= self.max_lng
        )


def force_box(force: Force) -> Box | None:
    """The bounding box of the force's LSOAs and neighbourhoods, with the margin; None when
    none of them has a boundary."""
    boxes = []
    for model in (Lsoa, Neighbourhood):
        found = model.objects.filter(force=force, min_lat__isnull=False).aggregate(
            a=Min("min_lat"), b=Max("max_lat"), c=Min("min_lng"), d=Max("max_lng")
        )
        if found["a"] is not None:
            boxes.append(found)
    if not boxes:
        return None
    margin = AREA_MARGIN_DEGREES
    return Box(
        min(b["a"] for b in boxes) - margin,
        max(b["b"] for b in boxes) + margin,
        min(b["c"] for b in boxes) - margin * 1.6,  # a degree of longitude is shorter here
        max(b["d"] for b in boxes) + margin * 1.6,
    )


def cells_outside(force: Force, cells: Iterable[Cell]) -> list[Cell]:
    """The cells whose centres lie outside the force's area (none when it has no boundaries)."""
    box = force_box(force)
    if box is None:
        return []
    return [cell for cell in cells if not box.holds(*cell.centre())]


def cells_in_view(*, south: float, west: float, north: float, east: float) -> list[Cell]:
    """The cells overlapping a map view; ValueError when the view holds too many to draw."""
    if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        raise ValueError("The map view is not a box of latitudes and longitudes.")
    grid = to_british_grid()
    corners = [grid.transform(lng, lat) for lat in (south, north) for lng in (west, east)]
    min_x = math.floor(min(c[0] for c in corners) / CELL_SIZE_M)
    max_x = math.floor(max(c[0] for c in corners) / CELL_SIZE_M)
    min_y = math.floor(min(c[1] for c in corners) / CELL_SIZE_M)
    max_y = math.floor(max(c[1] for c in corners) / CELL_SIZE_M)
    if (max_x - min_x + 1) * (max_y - min_y + 1) > MAX_VIEW_CELLS:
        raise ValueError("Zoom in to see the cells.")
    return [
        Cell(x * CELL_SIZE_M, y * CELL_SIZE_M)
        for y in range(min_y, max_y + 1)
        for x in range(min_x, max_x + 1)
    ]


def cells_near(*, latitude: float, longitude: float, radius_m: int) -> list[Cell]:
    """The cells whose centres lie within ``radius_m`` of a point, and always the one holding
    it, nearest first."""
    easting, northing = to_british_grid().transform(longitude, latitude)
    half = CELL_SIZE_M / 2
    reach = math.ceil(radius_m / CELL_SIZE_M) + 1
    home_x = math.floor(easting / CELL_SIZE_M)
    home_y = math.floor(northing / CELL_SIZE_M)
    found: list[tuple[float, Cell]] = []
    for y in range(home_y - reach, home_y + reach + 1):
        for x in range(home_x - reach, home_x + reach + 1):
            distance = math.hypot(
                x * CELL_SIZE_M + half - easting, y * CELL_SIZE_M + half - northing
            )
            if distance <= radius_m or (x, y) == (home_x, home_y):
                found.append((distance, Cell(x * CELL_SIZE_M, y * CELL_SIZE_M)))
    found.sort(key=lambda pair: (pair[0], pair[1].key))
    return [cell for _, cell in found][:MAX_CELLS]


def cells_near_postcode(*, postcode: str, radius_m: int) -> list[Cell]:
    """The cells within ``radius_m`` of a postcode's position (Code-Point Open); ValueError,
    in plain words, for anything that is not a postcode we hold with a position."""
    normalised = normalise_postcode(postcode)
    if normalised is None:
        raise ValueError(f"“{postcode.strip()}” is not a postcode: enter one like ST3 2AA.")
    if not 0 <= radius_m <= MAX_RADIUS_M:
        raise ValueError(f"The distance must be from 0 to {MAX_RADIUS_M:,} metres.")
    row = Postcode.objects.filter(pk=normalised).values_list("latitude", "longitude").first()
    if row is None or row[0] is None or row[1] is None:
        raise ValueError(f"{normalised} is not a postcode Beatbook holds a position for.")
    return cells_near(latitude=row[0], longitude=row[1], radius_m=radius_m)
