"""Neighbourhoods built from a force's LSOAs: one per MSOA, one per electoral ward, or a mapping.

For forces with no boundary file. A ward or MSOA is named as residents know it, from the
ward names of Code-Point Open's code list where postcodes are loaded.
"""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import shapely
from django.db.models import ProtectedError
from django.utils.text import slugify

from beatbook.places.geometry import from_geojson, polygonal
from beatbook.places.models import AreaName, Force, Lsoa, Neighbourhood, Place, Postcode
from beatbook.places.services.common import (
    ImportResult,
    Loaded,
    PlacesImportError,
    decode_text,
    read_bytes,
    run_import,
)
from beatbook.places.services.neighbourhood_store import (
    Planned,
    neighbourhoods_save,
    rows_reassign,
)
from beatbook.places.spatial import PolygonIndex
from beatbook.records.models import SourceKind

BUILT_SOURCE = "built from LSOAs"
_WARD_SUFFIXES = (" Ward", " ED")
_BESIDE = 0.0005  # degrees: about 50 m
# code, name, MSOA code, MSOA name, boundary
_LsoaRow = tuple[str, str, str, str, object]


@dataclass(frozen=True)
class _Group:
    name: str
    lsoa_codes: tuple[str, ...]
    code: str = ""


def neighbourhoods_build(
    *, force_id: str, by: Literal["msoa", "ward"] = "msoa", mapping: Path | None = None
) -> ImportResult:
    """Replace the force's built neighbourhoods with ones made of its LSOAs (``Lsoa.force``).

    ``by="msoa"``: one per MSOA, named by the ward most of its postcodes are in (else the MSOA
    name); ``by="ward"``: one per ward, each LSOA in the ward that holds most of its postcodes;
    ``mapping``: a CSV ``lsoa_code,neighbourhood_name[,neighbourhood_id]`` (then ``by`` is unused).
    Neighbourhoods keep their id where their code (a slug of the name) is unchanged.
    """
    if by not in ("msoa", "ward"):
        raise PlacesImportError(f"unknown way to build neighbourhoods {by!r}: use msoa or ward")
    if not Force.objects.filter(pk=force_id).exists():
        raise PlacesImportError(
            f"unknown force {force_id!r}: use a police.uk force id such as 'staffordshire'"
        )
    label = f"mapping {mapping.name}" if mapping is not None else f"by {by}"
    source = f"{BUILT_SOURCE} ({label})"
    counts: dict[str, int] = {}

    def load() -> dict[Path, Loaded]:
        groups = _mapping_groups(mapping) if mapping is not None else _groups(force_id, by)
        built = _save(force_id, groups, source)
        counts["crimes"] = rows_reassign(force_id=force_id)
        lsoas = sum(len(group.lsoa_codes) for group in groups)
        message = f"{built} {force_id} neighbourhoods from {lsoas} LSOAs ({label})"
        return {path: Loaded(rows_read=lsoas, rows_loaded=built, message=message, member=label)}

    path = mapping if mapping is not None else Path(f"{force_id}-lsoas")
    result = run_import(
        kind=SourceKind.NEIGHBOURHOOD_BUILD, paths=[path], load=load, force_id=force_id
    )
    result.extra.update(counts)
    return result


# Grouping ----------------------------------------------------------------------------------


def _groups(force_id: str, by: str) -> list[_Group]:
    lsoas = list(
        Lsoa.objects.filter(force_id=force_id)
        .exclude(boundary=None)
        .order_by("code")
        .values_list("code", "name", "msoa_code", "msoa_name", "boundary")
    )
    if not lsoas:
        raise PlacesImportError(
            f"no LSOAs with boundaries in force {force_id}: run import-lsoa-boundaries and "
            "import-lsoa-forces first"
        )
    wards = _postcode_wards(lsoas)
    if by == "ward":
        if not wards:
            raise PlacesImportError(
                f"no postcodes inside the LSOAs of force {force_id}: building by ward needs "
                "import-postcodes first"
            )
        return _ward_groups(lsoas, wards)
    return _msoa_groups(lsoas, wards)


def _postcode_wards(lsoas: list[_LsoaRow]) -> dict[str, Counter[str]]:
    """For each LSOA, how many of its postcodes fall in each ward."""
    index = PolygonIndex.from_geojson([(code, boundary) for code, _, _, _, boundary in lsoas])
    west, south, east, north = shapely.total_bounds(index.tree.geometries)
    rows = list(
        Postcode.objects.filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )
        .exclude(admin_ward_code="")
        .values_list("latitude", "longitude", "admin_ward_code")
    )
    wards: dict[str, Counter[str]] = defaultdict(Counter)
    if not rows:
        return wards
    lat = np.array([row[0] for row in rows])
    lng = np.array([row[1] for row in rows])
    for (_, _, ward), lsoa in zip(rows, index.lookup(lat, lng), strict=True):
        if lsoa is not None:
            wards[lsoa][ward] += 1
    return wards


def _most_common(counter: Counter[str]) -> str:
    # Ties go to the lowest code, so a rebuild gives the same answer.
    return min(counter.items(), key=lambda item: (-item[1], item[0]))[0]


def _ward_names() -> dict[str, str]:
    names = {}
    for code, name in AreaName.objects.values_list("code", "name"):
        for suffix in _WARD_SUFFIXES:
            if name.endswith(suffix):
                name = name[: -len(suffix)]
                break
        names[code] = name
    return names


def _ward_groups(lsoas: list[_LsoaRow], wards: dict[str, Counter[str]]) -> list[_Group]:
    ward_of = {code: _most_common(counter) for code, counter in wards.items()}
    ward_of.update(
        _neighbour_wards([row for row in lsoas if row[0] not in ward_of], ward_of, lsoas)
    )
    names = _ward_names()
    members: dict[str, list[str]] = defaultdict(list)
    for code, ward in ward_of.items():
        members[ward].append(code)
    groups = [
        (names.get(ward, ward), tuple(sorted(codes))) for ward, codes in sorted(members.items())
    ]
    # LSOAs with no postcodes and no placed neighbour (their area's postcodes are not loaded)
    # keep to their MSOA rather than joining a far-off ward.
    leftover = [row for row in lsoas if row[0] not in ward_of]
    groups += [(group.name, group.lsoa_codes) for group in _msoa_groups(leftover, {})]
    lsoa_names = {row[0]: row[1] for row in lsoas}
    return _distinct_names(groups, fallback=[_place(lsoa_names, codes) for _, codes in groups])


def _place(lsoa_names: dict[str, str], codes: tuple[str, ...]) -> str:
    """The district most of the LSOAs are in, from their names ("Tamworth 005B" -> "Tamworth")."""
    places = Counter(lsoa_names.get(code, "").rsplit(" ", 1)[0] for code in codes)
    return _most_common(places) if places else ""


def _neighbour_wards(
    missing: list[_LsoaRow], ward_of: dict[str, str], lsoas: list[_LsoaRow]
) -> dict[str, str]:
    """An LSOA with no postcodes inside (a park, an estate) joins the ward of most of the LSOAs
    beside it (within about 50 m: generalised boundaries do not quite meet)."""
    placed = [
        (code, from_geojson(boundary)) for code, _, _, _, boundary in lsoas if code in ward_of
    ]
    if not missing or not placed:
        return {}
    tree = shapely.STRtree([geometry for _, geometry in placed])
    geometries = [from_geojson(boundary) for _, _, _, _, boundary in missing]
    ours, theirs = tree.query(geometries, predicate="dwithin", distance=_BESIDE)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for i, j in zip(ours, theirs, strict=True):
        votes[missing[int(i)][0]][ward_of[placed[int(j)][0]]] += 1
    return {code: _most_common(counter) for code, counter in votes.items()}


def _msoa_groups(lsoas: list[_LsoaRow], wards: dict[str, Counter[str]]) -> list[_Group]:
    members: dict[str, list[str]] = defaultdict(list)
    msoa_names: dict[str, str] = {}
    for code, name, msoa_code, msoa_name, _ in lsoas:
        # Without the census table, an LSOA's name ("Stoke-on-Trent 012A") names its MSOA.
        key = msoa_code or name[:-1].strip() or code
        members[key].append(code)
        msoa_names[key] = msoa_name or name[:-1].strip() or key
    names = _ward_names()
    boundaries = {row[0]: row[4] for row in lsoas}
    lsoa_names = {row[0]: row[1] for row in lsoas}
    groups = []
    for key, codes in sorted(members.items()):
        counter: Counter[str] = Counter()
        for code in codes:
            counter.update(wards.get(code, Counter()))
        name = names.get(_most_common(counter), "") if counter else ""
        # Residents never see an MSOA's statistical name ("South Staffordshire 014") where a
        # ward or a town or village inside names the area; nor in "Northwood (...)".
        town = _largest_place(codes, boundaries)
        name = name or town or msoa_names[key]
        groups.append((name, tuple(sorted(codes)), town or _place(lsoa_names, tuple(codes))))
    return _distinct_names(
        [(name, codes) for name, codes, _ in groups], fallback=[m for _, _, m in groups]
    )


def _largest_place(codes: list[str], boundaries: dict[str, object]) -> str:
    """The largest town or village of the gazetteer inside these LSOAs, or ""."""
    area = shapely.union_all([from_geojson(boundaries[code]) for code in codes])
    west, south, east, north = area.bounds
    inside = [
        (population or 0, name)
        for name, population, latitude, longitude in Place.objects.filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        ).values_list("name", "population", "latitude", "longitude")
        if shapely.intersects_xy(area, longitude, latitude)
    ]
    return max(inside)[1] if inside else ""


def _distinct_names(
    groups: list[tuple[str, tuple[str, ...]]], fallback: list[str] | None = None
) -> list[_Group]:
    """Groups with distinct names: a repeated name gets its place ("Town (Tamworth)") after it,
    or a number if that does not tell them apart."""
    labels = [
        f"{name} ({fallback[i]})" if fallback and fallback[i] and fallback[i] != name else name
        for i, (name, _) in enumerate(groups)
    ]
    counts = Counter(name for name, _ in groups)
    repeated_labels = Counter(
        label for label, (name, _) in zip(labels, groups, strict=True) if counts[name] > 1
    )
    result = []
    for i, (name, codes) in enumerate(groups):
        if counts[name] > 1:
            name = labels[i] if repeated_labels[labels[i]] == 1 else f"{name} ({i + 1})"
        result.append(_Group(name=name, lsoa_codes=codes))
    return result


def _mapping_groups(path: Path) -> list[_Group]:
    text = decode_text(read_bytes(path), name=str(path))
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [column.strip().lower() for column in next(reader, [])]
    if header[:2] != ["lsoa_code", "neighbourhood_name"]:
        raise PlacesImportError(
            f"{path}: the header must be lsoa_code,neighbourhood_name[,neighbourhood_id], "
            f"not {','.join(header)}"
        )
    has_id = len(header) > 2 and header[2] == "neighbourhood_id"
    members: dict[str, list[str]] = defaultdict(list)
    ids: dict[str, str] = {}
    lines: dict[str, int] = {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        code, name, given = _mapping_row(path, line, row, has_id)
        if code in lines:
            raise PlacesImportError(
                f"{path}, line {line}: LSOA {code} is already mapped on line {lines[code]}"
            )
        if given and ids.setdefault(name, given) != given:
            raise PlacesImportError(
                f"{path}, line {line}: {name!r} has two ids, {ids[name]} and {given}"
            )
        lines[code] = line
        members[name].append(code)
    _check_known(path, lines)
    return [
        _Group(name=name, lsoa_codes=tuple(sorted(codes)), code=ids.get(name, ""))
        for name, codes in members.items()
    ]


def _mapping_row(path: Path, line: int, row: list[str], has_id: bool) -> tuple[str, str, str]:
    if len(row) < 2:
        raise PlacesImportError(f"{path}, line {line}: expected lsoa_code,neighbourhood_name")
    code, name = row[0].strip(), " ".join(row[1].split())
    given = row[2].strip() if has_id and len(row) > 2 else ""
    if not name:
        raise PlacesImportError(f"{path}, line {line}: no neighbourhood name")
    if len(given) > 60:
        raise PlacesImportError(
            f"{path}, line {line}: neighbourhood id {given!r} is longer than 60 characters"
        )
    return code, name, given


def _check_known(path: Path, lines: dict[str, int]) -> None:
    if not lines:
        raise PlacesImportError(f"{path}: no LSOAs in the mapping")
    known = set(
        Lsoa.objects.filter(code__in=lines).exclude(boundary=None).values_list("code", flat=True)
    )
    unknown = sorted((line, code) for code, line in lines.items() if code not in known)
    if unknown:
        listed = ", ".join(f"{code} (line {line})" for line, code in unknown[:10])
        more = f" and {len(unknown) - 10} more" if len(unknown) > 10 else ""
        raise PlacesImportError(f"{path}: LSOAs without a boundary loaded: {listed}{more}")


# Saving ------------------------------------------------------------------------------------


def _save(force_id: str, groups: list[_Group], source: str) -> int:
    imported = Neighbourhood.objects.filter(force_id=force_id).exclude(
        source__startswith=BUILT_SOURCE
    )
    if imported.exists():
        raise PlacesImportError(
            f"force {force_id} has {imported.count()} neighbourhoods imported from boundary files; "
            "building from LSOAs as well would overlap them"
        )
    boundaries = dict(
        Lsoa.objects.filter(code__in={c for g in groups for c in g.lsoa_codes}).values_list(
            "code", "boundary"
        )
    )
    planned = []
    taken: set[str] = set()
    for group in groups:
        if group.code in taken:
            raise PlacesImportError(f"neighbourhood id {group.code} is given to two neighbourhoods")
        code = group.code or _unique_slug(group.name, taken)
        taken.add(code)
        union = shapely.union_all(
            [polygonal(from_geojson(boundaries[c])) for c in group.lsoa_codes]
        )
        planned.append(
            Planned(
                code=code,
                name=group.name,
                geometry=union,
                source=source,
                lsoa_codes=group.lsoa_codes,
            )
        )
    neighbourhoods_save(force_id=force_id, planned=planned)
    stale = Neighbourhood.objects.filter(
        force_id=force_id, source__startswith=BUILT_SOURCE
    ).exclude(code__in=taken)
    try:
        stale.delete()
    except ProtectedError as error:
        raise PlacesImportError(
            f"neighbourhoods of {force_id} that the new build drops still have records "
            f"attached: {error}"
        ) from error
    return len(planned)


def _unique_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)[:55] or "neighbourhood"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code
