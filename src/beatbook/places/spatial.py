"""Point-in-polygon for neighbourhoods and LSOAs, vectorised with shapely 2's STRtree.

Boundaries live in the database as GeoJSON. An index is built from them on first use and kept
per process, keyed by a fingerprint of the rows, so a change to the boundaries (an import, a
rebuild) is picked up by the next query in every process without any shared memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely
from django.db.models import Count, Max, QuerySet, Sum

from beatbook.places.models import Lsoa, Neighbourhood

_CACHE: dict[tuple[str, str], tuple[object, PolygonIndex]] = {}


@dataclass(frozen=True)
class PolygonIndex:
    """Polygons with the database ids they belong to, and a spatial tree over them."""

    ids: np.ndarray  # object array of primary keys, aligned with ``tree.geometries``
    tree: shapely.STRtree

    @classmethod
    def from_geojson(cls, rows: list[tuple[Any, Any]]) -> PolygonIndex:
        keys = [key for key, geometry in rows if geometry]
        geometries = [
            shapely.from_geojson(_as_json(geometry)) for key, geometry in rows if geometry
        ]
        ids = np.empty(len(keys), dtype=object)
        ids[:] = keys
        return cls(ids=ids, tree=shapely.STRtree(geometries))

    def lookup(self, lat: np.ndarray, lng: np.ndarray) -> np.ndarray:
        """The id of a polygon containing each point, or ``None`` where none does.

        Where polygons overlap (neighbouring boundaries drawn by hand), the first match wins,
        which is deterministic for a given set of boundaries.
        """
        lat = np.asarray(lat, dtype=float)
        lng = np.asarray(lng, dtype=float)
        result = np.full(lat.shape, None, dtype=object)
        valid = ~(np.isnan(lat) | np.isnan(lng))
        if not valid.any() or len(self.ids) == 0:
            return result
        positions = np.flatnonzero(valid)
        points = shapely.points(lng[valid], lat[valid])
        point_idx, polygon_idx = self.tree.query(points, predicate="intersects")
        # Keep the first polygon found for each point.
        first = np.unique(point_idx, return_index=True)[1]
        result[positions[point_idx[first]]] = self.ids[polygon_idx[first]]
        return result


def _as_json(geometry: Any) -> str:
    import json

    return geometry if isinstance(geometry, str) else json.dumps(geometry)


def _cached(key: tuple[str, str], queryset: QuerySet[Any], key_field: str) -> PolygonIndex:
    fingerprint = queryset.aggregate(
        n=Count("boundary"), latest=_latest_marker(queryset), **_extent_sums()
    )
    cached = _CACHE.get(key)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    rows = list(queryset.exclude(boundary=None).values_list(key_field, "boundary"))
    index = PolygonIndex.from_geojson(rows)
    _CACHE[key] = (fingerprint, index)
    return index


def _extent_sums() -> dict[str, Any]:
    # LSOAs carry no update time: sums of their extents change when any boundary moves.
    return {name: Sum(name) for name in ("min_lat", "max_lat", "min_lng", "max_lng")}


def _latest_marker(queryset: QuerySet[Any]) -> Any:
    if queryset.model is Neighbourhood:
        return Max("updated_at")
    return Max("max_lat")


def neighbourhood_index(*, force_id: str | None = None) -> PolygonIndex:
    """The neighbourhood polygons of one force, or of every force."""
    queryset = Neighbourhood.objects.all()
    if force_id is not None:
        queryset = queryset.filter(force_id=force_id)
    return _cached(("neighbourhood", force_id or "*"), queryset, "pk")


def lsoa_index() -> PolygonIndex:
    """Every LSOA that has a boundary."""
    return _cached(("lsoa", "*"), Lsoa.objects.all(), "pk")


def neighbourhood_ids_for_points(
    *, lat: np.ndarray, lng: np.ndarray, force_id: str | None = None
) -> np.ndarray:
    """Neighbourhood primary keys (object array, ``None`` where outside all) for many points."""
    return neighbourhood_index(force_id=force_id).lookup(lat, lng)


def forget_cached_indexes() -> None:
    """Drop this process's indexes (tests that rewrite boundaries in one transaction)."""
    _CACHE.clear()
