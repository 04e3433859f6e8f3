"""Point-in-polygon for neighbourhoods and LSOAs.

Boundaries live in the database as GeoJSON beside their bounding boxes (indexed).

One point (a request: locate a postcode, a map click, ``locate-neighbourhood``) is answered by
``containing``: the database narrows the rows to those whose box holds the point, and only
those few polygons are read and tested. Nothing is built or kept, so the first request on a
fresh worker, or the first after an import, costs what every other one does.

Many points at once (a crime file, a hotspot map) use a ``PolygonIndex``: shapely 2's STRtree
over one force's polygons, built on first use and kept per process, keyed by a fingerprint of
the rows, so a change to the boundaries (an import, a rebuild) is picked up by the next query
in every process without any shared memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import orjson
import shapely
from django.db.models import Count, Max, QuerySet, Sum

from beatbook.places.models import Boundary, Lsoa, Neighbourhood

BoundaryT = TypeVar("BoundaryT", bound=Boundary)

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

        Where polygons overlap (neighbouring boundaries drawn by hand), the first of them in
        the rows' order wins: the lowest primary key, as ``containing`` chooses.
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
        order = np.lexsort((polygon_idx, point_idx))
        point_idx, polygon_idx = point_idx[order], polygon_idx[order]
        # Keep the first polygon (in the rows' order) found for each point.
        first = np.unique(point_idx, return_index=True)[1]
        result[positions[point_idx[first]]] = self.ids[polygon_idx[first]]
        return result


def _as_json(geometry: Any) -> str | bytes:
    return geometry if isinstance(geometry, str) else orjson.dumps(geometry)


def containing(
    queryset: QuerySet[BoundaryT], *, latitude: float, longitude: float
) -> BoundaryT | None:
    """The row of ``queryset`` whose polygon holds the point (on its edge counts), or None.

    Only rows whose bounding box holds the point are fetched (the ``*_bbox`` index) and only
    their polygons are parsed: a handful, however many rows the table has. Where polygons
    overlap, the lowest primary key wins, as in ``PolygonIndex.lookup``.
    """
    candidates = queryset.filter(
        min_lat__lte=latitude,
        max_lat__gte=latitude,
        min_lng__lte=longitude,
        max_lng__gte=longitude,
    ).order_by()
    # Sorted here, not by the database: ORDER BY pk would have it walk the primary key's
    # index over the whole table instead of the bounding-box index over a few rows.
    for candidate in sorted(candidates, key=lambda row: row.pk):
        if candidate.boundary and shapely.intersects_xy(
            shapely.from_geojson(_as_json(candidate.boundary)), longitude, latitude
        ):
            return candidate
    return None


def neighbourhood_at(*, latitude: float, longitude: float) -> Neighbourhood | None:
    """The neighbourhood (with its force) a WGS84 point is in, or None."""
    return containing(
        Neighbourhood.objects.select_related("force"), latitude=latitude, longitude=longitude
    )


def lsoa_at(*, latitude: float, longitude: float) -> Lsoa | None:
    """The LSOA (with its force) a WGS84 point is in, or None."""
    return containing(Lsoa.objects.select_related("force"), latitude=latitude, longitude=longitude)


def _cached(key: tuple[str, str], queryset: QuerySet[Any], key_field: str) -> PolygonIndex:
    fingerprint = queryset.aggregate(
        n=Count("boundary"), latest=_latest_marker(queryset), **_extent_sums()
    )
    cached = _CACHE.get(key)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    rows = list(
        queryset.exclude(boundary=None).order_by(key_field).values_list(key_field, "boundary")
    )
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


def neighbourhood_ids_for_points(
    *, lat: np.ndarray, lng: np.ndarray, force_id: str | None = None
) -> np.ndarray:
    """Neighbourhood primary keys (object array, ``None`` where outside all) for many points."""
    return neighbourhood_index(force_id=force_id).lookup(lat, lng)


def forget_cached_indexes() -> None:
    """Drop this process's indexes (tests that rewrite boundaries in one transaction)."""
    _CACHE.clear()
