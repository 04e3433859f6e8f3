"""Writing neighbourhoods: upsert by (force, code), their LSOAs and population, then crimes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from beatbook.places.geometry import outlines
from beatbook.places.models import Lsoa, Neighbourhood
from beatbook.places.services.common import PlacesImportError
from beatbook.places.signals import neighbourhoods_redrawn


@dataclass(frozen=True)
class Planned:
    """A neighbourhood to write. ``lsoa_codes`` None: the LSOAs whose points fall inside."""

    code: str
    name: str
    geometry: shapely.Geometry
    source: str
    description: str = ""
    lsoa_codes: tuple[str, ...] | None = None


_FIELDS = [
    "name",
    "description",
    "source",
    "population",
    "boundary",
    "min_lat",
    "max_lat",
    "min_lng",
    "max_lng",
    "centre_lat",
    "centre_lng",
    "updated_at",
]


def neighbourhoods_save(*, force_id: str, planned: Sequence[Planned]) -> dict[str, int]:
    """Upsert the neighbourhoods and set their LSOAs; returns their primary keys by code."""
    shapes = outlines(np.array([item.geometry for item in planned], dtype=object))
    members = _members(planned)
    populations = _populations(members)
    rows = []
    for item, shape, codes in zip(planned, shapes, members, strict=True):
        if shape is None:
            raise PlacesImportError(f"{item.source}: neighbourhood {item.code} has no area")
        rows.append(
            Neighbourhood(
                force_id=force_id,
                code=item.code,
                name=(item.name or item.code)[:160],
                description=item.description,
                source=item.source[:200],
                population=_sum(populations, codes),
                **shape.as_fields(),
            )
        )
    Neighbourhood.objects.bulk_create(
        rows,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["force", "code"],
        update_fields=_FIELDS,
    )
    ids = dict(
        Neighbourhood.objects.filter(
            force_id=force_id, code__in=[item.code for item in planned]
        ).values_list("code", "pk")
    )
    _set_lsoas(ids, planned, members)
    return ids


def _members(planned: Sequence[Planned]) -> list[tuple[str, ...]]:
    derived = lsoas_with_points_inside(
        [item.geometry for item in planned if item.lsoa_codes is None]
    )
    found = iter(derived)
    return [item.lsoa_codes if item.lsoa_codes is not None else next(found) for item in planned]


def lsoas_with_points_inside(geometries: list[shapely.Geometry]) -> list[tuple[str, ...]]:
    """For each polygon, the LSOAs whose representative point it contains."""
    if not geometries:
        return []
    bounds = shapely.total_bounds(np.array(geometries, dtype=object))
    points = list(
        Lsoa.objects.filter(
            centre_lng__gte=bounds[0],
            centre_lat__gte=bounds[1],
            centre_lng__lte=bounds[2],
            centre_lat__lte=bounds[3],
        ).values_list("code", "centre_lng", "centre_lat")
    )
    result: list[list[str]] = [[] for _ in geometries]
    if points:
        codes = [code for code, _, _ in points]
        tree = shapely.STRtree(geometries)
        located = shapely.points([(lng, lat) for _, lng, lat in points])
        point_idx, polygon_idx = tree.query(located, predicate="intersects")
        for p, g in zip(point_idx, polygon_idx, strict=True):
            result[int(g)].append(codes[int(p)])
    return [tuple(sorted(codes)) for codes in result]


def _populations(members: list[tuple[str, ...]]) -> dict[str, int | None]:
    codes = {code for group in members for code in group}
    rows = Lsoa.objects.filter(code__in=codes).values_list(
        "code", "population_2021", "population_2011"
    )
    return {code: p2021 if p2021 is not None else p2011 for code, p2021, p2011 in rows}


def _sum(populations: dict[str, int | None], codes: tuple[str, ...]) -> int | None:
    known = [populations[code] for code in codes if populations.get(code) is not None]
    return sum(value for value in known if value is not None) if known else None


def _set_lsoas(
    ids: dict[str, int], planned: Sequence[Planned], members: list[tuple[str, ...]]
) -> None:
    through = Neighbourhood.lsoas.through
    through.objects.filter(neighbourhood_id__in=ids.values()).delete()
    links = [
        through(neighbourhood_id=ids[item.code], lsoa_id=code)
        for item, codes in zip(planned, members, strict=True)
        for code in codes
    ]
    through.objects.bulk_create(links, batch_size=2000)


def rows_reassign(*, force_id: str) -> int:
    """Have every app with rows keyed on neighbourhoods (crimes and stops, in ``opendata``)
    point them at the force's new ones; returns how many rows changed."""
    answers: list[tuple[Any, Any]] = neighbourhoods_redrawn.send(
        sender=Neighbourhood, force_id=force_id
    )
    return sum(int(changed) for _, changed in answers)
