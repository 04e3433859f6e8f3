"""police.uk neighbourhood boundaries (KML, GeoJSON) for one force: upserted by (force, code)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import shapely

from beatbook.places.models import Force, Lsoa
from beatbook.places.services.common import ImportResult, Loaded, PlacesImportError, run_import
from beatbook.places.services.neighbourhood_files import (
    Drawn,
    Member,
    boundary_members,
    drawn,
    members,
    names_beside,
)
from beatbook.places.services.neighbourhood_store import (
    Planned,
    neighbourhoods_save,
    rows_reassign,
)
from beatbook.records.models import SourceKind


def neighbourhoods_import(
    *,
    paths: Sequence[Path],
    force_id: str,
    id_property: str | None = None,
    name_property: str | None = None,
) -> ImportResult:
    """Replace the boundaries of the neighbourhoods the files draw; others of the force stay.

    Neighbourhoods are updated in place by (force, code), so whatever hangs off them (teams,
    priorities, crimes) stays attached. See ``neighbourhood_files`` for which files of a folder
    or zip belong to the force.
    """
    paths = [Path(path) for path in paths]
    if not paths:
        raise PlacesImportError("no files given")
    if not Force.objects.filter(pk=force_id).exists():
        raise PlacesImportError(
            f"unknown force {force_id!r}: use a police.uk force id such as 'metropolitan'"
        )
    counts: dict[str, int] = {}

    def load() -> dict[Path, Loaded]:
        loaded = _load(paths, force_id, id_property, name_property)
        counts["crimes"] = rows_reassign(force_id=force_id)
        return loaded

    result = run_import(kind=SourceKind.NEIGHBOURHOODS, paths=paths, load=load, force_id=force_id)
    result.extra.update(counts)
    return result


def _load(
    paths: list[Path], force_id: str, id_property: str | None, name_property: str | None
) -> dict[Path, Loaded]:
    force_ids = set(Force.objects.values_list("id", flat=True))
    by_path: dict[Path, list[Drawn]] = {}
    names: dict[str, str] = {}
    for path in paths:
        found = members(path, force_id=force_id, force_ids=force_ids)
        names.update(names_beside(found))
        by_path[path] = _drawn(path, boundary_members(found), id_property, name_property)
    planned = _planned(by_path, names)
    _check_covers_force(force_id, planned)
    neighbourhoods_save(force_id=force_id, planned=planned)
    return {
        path: Loaded(
            rows_read=len(items),
            rows_loaded=len(items),
            message=f"{len(items)} {force_id} neighbourhood boundaries",
        )
        for path, items in by_path.items()
    }


def _drawn(
    path: Path, found: list[Member], id_property: str | None, name_property: str | None
) -> list[Drawn]:
    if not found:
        raise PlacesImportError(f"{path}: no KML or GeoJSON boundary files for this force")
    return [
        item
        for member in found
        for item in drawn(member, id_property=id_property, name_property=name_property)
    ]


def _planned(by_path: dict[Path, list[Drawn]], names: dict[str, str]) -> list[Planned]:
    planned: dict[str, Planned] = {}
    sources: dict[str, str] = {}
    for items in by_path.values():
        for item in items:
            if item.code in planned:
                raise PlacesImportError(
                    f"{item.source}: neighbourhood {item.code} is also drawn by "
                    f"{sources[item.code]}"
                )
            if len(item.code) > 60:
                raise PlacesImportError(
                    f"{item.source}: neighbourhood id {item.code!r} is longer than 60 characters"
                )
            sources[item.code] = item.source
            planned[item.code] = Planned(
                code=item.code,
                name=item.name or names.get(item.code, "") or item.code,
                description=item.description,
                geometry=item.geometry,
                source=item.source,
            )
    return list(planned.values())


def _check_covers_force(force_id: str, planned: list[Planned]) -> None:
    """Refuse boundaries that miss every LSOA of the force (another force's files, say)."""
    points = list(
        Lsoa.objects.filter(force_id=force_id)
        .exclude(centre_lat=None)
        .values_list("centre_lng", "centre_lat")
    )
    if not points:
        return
    tree = shapely.STRtree([item.geometry for item in planned])
    hits, _ = tree.query(shapely.points(points), predicate="intersects")
    if len(hits) == 0:
        raise PlacesImportError(
            f"none of the {len(planned)} boundaries covers any of the {len(points)} LSOAs of "
            f"force {force_id}: are they another force's?"
        )
