"""Areas the API is asked about: a 1-mile circle round a point, or a custom polygon.

Queries first narrow to the area's bounding box through the indexed (month, latitude,
longitude) columns, then keep what lies inside with one vectorised test over the candidates.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import shapely
from django.conf import settings
from django.db import connection
from django.db.models import Model, QuerySet

from beatbook.policeapi.errors import AreaTooLargeError, BadRequestError
from beatbook.policeapi.params import Point

MILE_METRES = 1609.344
EARTH_RADIUS_METRES = 6_371_008.8
_METRES_PER_DEGREE = math.pi * EARTH_RADIUS_METRES / 180

T = TypeVar("T")
# A custom area's bounding box is read for at most this many times API_AREA_LIMIT rows: the
# boxes of the 2012 Metropolitan neighbourhoods are at most 5.2 times their area (median 1.9),
# and the cap bounds what a long thin or country-sized poly can make a worker fetch.
BOX_ROWS_PER_AREA_LIMIT = 5


@dataclass(frozen=True)
class Area:
    min_lat: float
    max_lat: float
    min_lng: float
    max_lng: float
    centre: Point | None = None
    radius: float = 0.0
    polygon: shapely.Geometry | None = None

    def bbox_filter(self, prefix: str = "") -> dict[str, float]:
        return {
            f"{prefix}latitude__gte": self.min_lat,
            f"{prefix}latitude__lte": self.max_lat,
            f"{prefix}longitude__gte": self.min_lng,
            f"{prefix}longitude__lte": self.max_lng,
        }

    def contains(self, lat: np.ndarray, lng: np.ndarray) -> np.ndarray:
        """A boolean mask: which of the points lie in the area (its edge included)."""
        lat = np.asarray(lat, dtype=float)
        lng = np.asarray(lng, dtype=float)
        if self.polygon is not None:
            return np.asarray(shapely.intersects_xy(self.polygon, lng, lat), dtype=bool)
        assert self.centre is not None
        return haversine_metres(self.centre, lat, lng) <= self.radius


def haversine_metres(origin: Point, lat: np.ndarray, lng: np.ndarray) -> np.ndarray:
    lat1, lng1 = math.radians(origin.latitude), math.radians(origin.longitude)
    lat2, lng2 = np.radians(lat), np.radians(lng)
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * np.cos(lat2) * np.sin((lng2 - lng1) / 2) ** 2
    )
    distances: np.ndarray = 2 * EARTH_RADIUS_METRES * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return distances


def circle(point: Point, radius: float = MILE_METRES) -> Area:
    dlat = radius / _METRES_PER_DEGREE
    cos_lat = max(math.cos(math.radians(point.latitude)), 1e-6)
    dlng = min(radius / (_METRES_PER_DEGREE * cos_lat), 180.0)
    return Area(
        min_lat=point.latitude - dlat,
        max_lat=point.latitude + dlat,
        min_lng=point.longitude - dlng,
        max_lng=point.longitude + dlng,
        centre=point,
        radius=radius,
    )


def polygon(points: Sequence[Point]) -> Area:
    """The polygon through the points (closed automatically); 400 if it has no inside.

    A ring that crosses or touches itself is refused, saying where, rather than repaired:
    repair (``shapely.make_valid``) grows steeply with the number of crossings (a 140-vertex
    star held a worker for a minute), while the validity test takes at most about 0.1 s (a
    10,000-vertex star: docs/benchmarks.md), and which parts of a scribble are "inside" is the
    client's to say. Repeated, closing and clockwise vertices are all valid and accepted.
    """
    shape = shapely.Polygon([(p.longitude, p.latitude) for p in points])
    if shapely.convex_hull(shape).area == 0:
        raise BadRequestError("poly encloses no area: its points lie on one line")
    reason = str(shapely.is_valid_reason(shape))
    if reason != VALID:
        raise BadRequestError(_invalid_reason(reason))
    shapely.prepare(shape)
    min_lng, min_lat, max_lng, max_lat = shape.bounds
    return Area(min_lat=min_lat, max_lat=max_lat, min_lng=min_lng, max_lng=max_lng, polygon=shape)


VALID = "Valid Geometry"
_REASON = re.compile(r"^(?P<kind>[A-Za-z -]+)\[(?P<x>\S+) (?P<y>\S+)\]$")


def _invalid_reason(reason: str) -> str:
    """GEOS's reason ("Self-intersection[-2.13 52.98]") in the API's own words, lat first."""
    match = _REASON.match(reason)
    if match is None:
        return f"poly is not a simple ring ({reason}): send one whose edges do not cross"
    where = f"{float(match['y']):.6f},{float(match['x']):.6f}"
    if match["kind"] == "Ring Self-intersection":
        return f"poly touches itself at {where}: send a ring whose edges do not meet or cross"
    return f"poly crosses itself near {where}: send a ring whose edges do not cross"


def box_row_limit() -> int:
    return BOX_ROWS_PER_AREA_LIMIT * int(settings.API_AREA_LIMIT)


def box_rows(
    queryset: QuerySet[Model], fields: Sequence[str], *, what: str
) -> list[tuple[Any, ...]]:
    """The rows of an area's bounding box (unordered); 503 when there are more than the cap.

    One query, stopped by ``LIMIT`` one row past the cap, so the work is bounded before the
    rows are tested against the area.
    """
    limit = box_row_limit()
    rows = list(queryset.values_list(*fields)[: limit + 1])
    if len(rows) > limit:
        raise AreaTooLargeError(
            f"the area's bounding box holds more than {limit} {what}: draw a smaller area"
        )
    return rows


def chunked(values: Sequence[T], size: int | None = None) -> Iterator[Sequence[T]]:
    """Slices small enough for one ``IN (...)`` on this database."""
    limit = size or min(connection.features.max_query_params or 2000, 2000) - 10
    for start in range(0, len(values), limit):
        yield values[start : start + limit]


def inside(
    rows: list[tuple[Any, ...]], area: Area, lat_at: int, lng_at: int
) -> list[tuple[Any, ...]]:
    """The rows whose coordinates (at the given tuple positions) lie in the area."""
    if not rows:
        return rows
    lat = np.fromiter((row[lat_at] for row in rows), dtype=float, count=len(rows))
    lng = np.fromiter((row[lng_at] for row in rows), dtype=float, count=len(rows))
    mask = area.contains(lat, lng)
    return [row for row, keep in zip(rows, mask, strict=True) if keep]
