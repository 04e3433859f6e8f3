"""Reading police.uk neighbourhood boundary files: KML (one per neighbourhood) and GeoJSON.

Inputs may be single files, folders or zips. In a folder or zip, a sub-folder named after a
force id (``city-of-london/``) holds that force's files: with ``--force city-of-london`` only
those are read; with any other force, files in folders named after *other* forces are left out,
and so are files of the same name elsewhere (police.uk's 2012 Metropolitan zip has ``KMLs/``
with the Metropolitan files and copies of the City's, beside ``city-of-london/``: ``metropolitan``
reads ``KMLs/`` less the four City files, ``city-of-london`` reads ``city-of-london/``).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import orjson
import shapely
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from beatbook.places.services.common import PlacesImportError, decode_text

BOUNDARY_SUFFIXES = {".kml", ".geojson", ".json"}
ID_PROPERTIES = ("id", "code", "neighbourhood_id", "neighbourhood", "nbhd_id")
NAME_PROPERTIES = ("name", "neighbourhood_name", "title")


@dataclass(frozen=True)
class Member:
    """One file inside an input (itself, a folder's file, or a zip member)."""

    origin: Path
    name: str  # relative, with "/" separators
    read: Callable[[], bytes]
    inside: bool = True  # a member of a folder or zip, rather than the input itself

    @property
    def label(self) -> str:
        return f"{self.origin}: {self.name}" if self.inside else str(self.origin)


@dataclass(frozen=True)
class Drawn:
    """A neighbourhood as a file draws it."""

    code: str
    name: str
    description: str
    geometry: shapely.Geometry
    source: str


def members(path: Path, *, force_id: str, force_ids: set[str]) -> list[Member]:
    """The boundary and name files an input holds for the force (see the module's rule)."""
    if path.is_dir():
        found = [
            Member(path, item.relative_to(path).as_posix(), item.read_bytes)
            for item in sorted(path.rglob("*"))
            if item.is_file()
        ]
        return _for_force(found, force_id, force_ids)
    if not path.is_file():
        raise PlacesImportError(f"{path}: no such file or folder")
    if zipfile.is_zipfile(path):
        return _for_force(_zip_members(path), force_id, force_ids)
    # A lone file's names may come from a CSV beside it.
    beside = [
        Member(item, item.name, item.read_bytes, inside=False)
        for item in sorted(path.parent.glob("*.csv"))
        if item != path
    ]
    return [Member(path, path.name, path.read_bytes, inside=False), *beside]


def _zip_members(path: Path) -> list[Member]:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise PlacesImportError(f"{path}: not a readable zip ({error})") from error

    def reader(name: str) -> Callable[[], bytes]:
        return lambda: archive.read(name)

    return [
        Member(path, info.filename, reader(info.filename))
        for info in archive.infolist()
        if not info.is_dir()
    ]


def _for_force(found: list[Member], force_id: str, force_ids: set[str]) -> list[Member]:
    def folders(member: Member) -> set[str]:
        return set(PurePosixPath(member.name).parts[:-1])

    own = [member for member in found if force_id in folders(member)]
    if own:
        return own
    others = force_ids - {force_id}
    # police.uk's 2012 Metropolitan KMLs/ also holds the City of London's four files, which
    # its city-of-london/ folder claims: a file another force's folder claims is not ours.
    claimed = {PurePosixPath(m.name).name for m in found if folders(m) & others}
    return [
        member
        for member in found
        if not folders(member) & others and PurePosixPath(member.name).name not in claimed
    ]


def boundary_members(found: list[Member]) -> list[Member]:
    return [
        member for member in found if PurePosixPath(member.name).suffix.lower() in BOUNDARY_SUFFIXES
    ]


def names_beside(found: list[Member]) -> dict[str, str]:
    """Neighbourhood names from any CSV among the files that has an id and a name column."""
    names: dict[str, str] = {}
    for member in found:
        if PurePosixPath(member.name).suffix.lower() == ".csv":
            names.update(_csv_names(member))
    return names


def _csv_names(member: Member) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(decode_text(member.read(), name=member.label), newline="")))
    if not rows:
        return {}
    header = [column.strip().lower() for column in rows[0]]
    id_at = next((header.index(name) for name in ID_PROPERTIES if name in header), None)
    name_at = next((header.index(name) for name in NAME_PROPERTIES if name in header), None)
    if id_at is None or name_at is None:
        return {}
    width = max(id_at, name_at) + 1
    return {
        row[id_at].strip(): row[name_at].strip()
        for row in rows[1:]
        if len(row) >= width and row[name_at].strip()
    }


def drawn(member: Member, *, id_property: str | None, name_property: str | None) -> Iterator[Drawn]:
    suffix = PurePosixPath(member.name).suffix.lower()
    if suffix == ".kml":
        yield _from_kml(member)
    else:
        yield from _from_geojson(member, id_property, name_property)


# KML ---------------------------------------------------------------------------------------


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _from_kml(member: Member) -> Drawn:
    try:
        root = ElementTree.fromstring(member.read())
    except (ElementTree.ParseError, DefusedXmlException) as error:
        raise PlacesImportError(f"{member.label}: not readable KML ({error})") from error
    polygons = [
        _kml_polygon(member, element) for element in root.iter() if _local(element.tag) == "Polygon"
    ]
    if not polygons:
        raise PlacesImportError(f"{member.label}: the KML has no Polygon")
    code = PurePosixPath(member.name).stem
    return Drawn(
        code=code,
        name=_kml_text(root, "name"),
        description=_kml_text(root, "description"),
        geometry=shapely.union_all(polygons) if len(polygons) > 1 else polygons[0],
        source=f"KML {member.label}",
    )


def _kml_text(root: Any, tag: str) -> str:
    # The Placemark's own name first, then the Document's.
    for parent in ("Placemark", "Document", "Folder"):
        for element in root.iter():
            if _local(element.tag) != parent:
                continue
            for child in element:
                if _local(child.tag) == tag and (child.text or "").strip():
                    return " ".join(child.text.split())
    return ""


def _kml_polygon(member: Member, polygon: Any) -> shapely.Polygon:
    outer: list[list[tuple[float, float]]] = []
    holes: list[list[tuple[float, float]]] = []
    for boundary in polygon:
        kind = _local(boundary.tag)
        rings = [
            _kml_ring(member, ring) for ring in boundary.iter() if _local(ring.tag) == "coordinates"
        ]
        if kind == "outerBoundaryIs":
            outer.extend(rings)
        elif kind == "innerBoundaryIs":
            holes.extend(rings)
    if len(outer) != 1:
        raise PlacesImportError(f"{member.label}: a Polygon needs exactly one outer boundary")
    return shapely.Polygon(outer[0], holes)


def _kml_ring(member: Member, element: Any) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for item in (element.text or "").split():
        parts = item.split(",")
        try:
            points.append((float(parts[0]), float(parts[1])))
        except (ValueError, IndexError):
            raise PlacesImportError(f"{member.label}: bad KML coordinate {item!r}") from None
    if len(points) < 4:
        raise PlacesImportError(f"{member.label}: a boundary ring has fewer than four points")
    return points


# GeoJSON -----------------------------------------------------------------------------------


def _from_geojson(
    member: Member, id_property: str | None, name_property: str | None
) -> Iterator[Drawn]:
    try:
        document = orjson.loads(member.read())
    except orjson.JSONDecodeError as error:
        raise PlacesImportError(f"{member.label}: not valid JSON ({error})") from error
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise PlacesImportError(f"{member.label}: not a GeoJSON FeatureCollection")
    for number, feature in enumerate(document.get("features") or [], start=1):
        yield _feature(member, number, feature, id_property, name_property)


def _feature(
    member: Member, number: int, feature: Any, id_property: str | None, name_property: str | None
) -> Drawn:
    where = f"{member.label}, feature {number}"
    properties = (feature.get("properties") if isinstance(feature, dict) else None) or {}
    code = _property(properties, id_property, ID_PROPERTIES)
    if not code:
        wanted = id_property or " or ".join(ID_PROPERTIES)
        raise PlacesImportError(
            f"{where}: no neighbourhood id (property {wanted}); use --id-property"
        )
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in {"Polygon", "MultiPolygon"}:
        raise PlacesImportError(f"{where} ({code}): the geometry is not a polygon")
    try:
        shape = shapely.from_geojson(orjson.dumps(geometry))
    except shapely.errors.GEOSException as error:
        raise PlacesImportError(
            f"{where} ({code}): the polygon cannot be read ({error})"
        ) from error
    return Drawn(
        code=code,
        name=_property(properties, name_property, NAME_PROPERTIES),
        description=str(properties.get("description") or "").strip(),
        geometry=shape,
        source=f"GeoJSON {member.label}",
    )


def _property(properties: dict[str, Any], chosen: str | None, defaults: tuple[str, ...]) -> str:
    if chosen is not None:
        return str(properties.get(chosen) or "").strip()
    lowered = {str(key).lower(): value for key, value in properties.items()}
    for key in defaults:
        if lowered.get(key) not in (None, ""):
            return str(lowered[key]).strip()
    return ""
