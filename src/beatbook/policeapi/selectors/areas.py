"""Areas the API is asked about: a 1-mile circle round a point, or a custom polygon.

Queries first narrow to the area's bounding box through the indexed (month, latitude,
longitude) columns, then keep what lies inside with one vectorised test over the candidates.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import shapely
from django.db import connection

from beatbook.policeapi.errors import BadRequestError
from beatbook.policeapi.params import Point

MILE_METRES = 1609.344
EARTH_RADIUS_METRES = 6_371_008.8
_METRES_PER_DEGREE = math.pi * EARTH_RADIUS_METRES / 180

T = TypeVar("T")


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
    """The polygon through the points (closed automatically), repaired if it crosses itself."""
    shape = shapely.Polygon([(p.longitude, p.latitude) for p in points])
    if not shape.is_valid:
        shape = shapely.make_valid(shape)
    if shape.is_empty or shape.area == 0:
        raise BadRequestError("poly encloses no area")
    shapely.prepare(shape)
    min_lng, min_lat, max_lng, max_lat = shape.bounds
    return Area(min_lat=min_lat, max_lat=max_lat, min_lng=min_lng, max_lng=max_lng, polygon=shape)


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
