"""Polygons as the database keeps them: rounded GeoJSON, a bounding box and a point inside."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson
import shapely

# About 10 cm at British latitudes: finer than any published boundary, and keeps rows small.
DECIMALS = 6
_POLYGONAL = {"Polygon", "MultiPolygon"}
SHAPE_FIELDS = ["boundary", "min_lat", "max_lat", "min_lng", "max_lng", "centre_lat", "centre_lng"]


@dataclass(frozen=True)
class Outline:
    """The stored form of one polygon (the ``Boundary`` fields); ``geojson`` is JSON text."""

    geojson: str
    min_lat: float
    max_lat: float
    min_lng: float
    max_lng: float
    centre_lat: float
    centre_lng: float

    def as_row(self) -> tuple[str, float, float, float, float, float, float]:
        """Values in ``SHAPE_FIELDS`` order."""
        return (
            self.geojson,
            self.min_lat,
            self.max_lat,
            self.min_lng,
            self.max_lng,
            self.centre_lat,
            self.centre_lng,
        )

    def as_fields(self) -> dict[str, Any]:
        return {
            "boundary": orjson.loads(self.geojson),
            "min_lat": self.min_lat,
            "max_lat": self.max_lat,
            "min_lng": self.min_lng,
            "max_lng": self.max_lng,
            "centre_lat": self.centre_lat,
            "centre_lng": self.centre_lng,
        }


def polygonal(geometry: shapely.Geometry) -> shapely.Geometry:
    """The geometry made valid, keeping only its polygons (repair can leave stray lines)."""
    if not shapely.is_valid(geometry):
        geometry = shapely.make_valid(geometry)
    if geometry.geom_type in _POLYGONAL:
        return geometry
    parts = [part for part in shapely.get_parts(geometry) if part.geom_type in _POLYGONAL]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def outlines(geometries: np.ndarray) -> list[Outline | None]:
    """Outlines for many geometries at once; ``None`` where a geometry has no area."""
    valid = np.array([polygonal(geometry) for geometry in geometries], dtype=object)
    empty = shapely.is_empty(valid) | (shapely.area(valid) <= 0)
    rounded = shapely.transform(valid, lambda coords: np.round(coords, DECIMALS))
    texts = shapely.to_geojson(rounded)
    bounds = shapely.bounds(valid)
    inside = shapely.point_on_surface(valid)
    xs, ys = shapely.get_x(inside), shapely.get_y(inside)
    result: list[Outline | None] = []
    for i in range(len(valid)):
        if empty[i]:
            result.append(None)
            continue
        result.append(
            Outline(
                geojson=str(texts[i]),
                min_lng=float(bounds[i, 0]),
                min_lat=float(bounds[i, 1]),
                max_lng=float(bounds[i, 2]),
                max_lat=float(bounds[i, 3]),
                centre_lng=round(float(xs[i]), DECIMALS),
                centre_lat=round(float(ys[i]), DECIMALS),
            )
        )
    return result


def outline(geometry: shapely.Geometry) -> Outline | None:
    return outlines(np.array([geometry], dtype=object))[0]


def from_geojson(boundary: Any) -> shapely.Geometry:
    """The shapely geometry of a stored boundary."""
    text = boundary if isinstance(boundary, str) else orjson.dumps(boundary).decode()
    return shapely.from_geojson(text)
