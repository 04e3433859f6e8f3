"""LSOA boundaries from ONS GeoJSON (2011 or 2021 property names), plain or gzipped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import orjson
import shapely

from beatbook.core.bulk_write import upsert_rows
from beatbook.places.geometry import SHAPE_FIELDS, outlines
from beatbook.places.models import Lsoa
from beatbook.places.services.common import (
    ImportResult,
    Loaded,
    PlacesImportError,
    read_bytes,
    run_import,
)
from beatbook.records.models import SourceKind

# (code property, name property, census year) in the order they are looked for.
_PROPERTY_SETS = (("LSOA21CD", "LSOA21NM", 2021), ("LSOA11CD", "LSOA11NM", 2011))
# Text columns are NOT NULL: new rows get empty strings until the population table fills them.
_FIELDS = [
    "code",
    "name",
    "census_year",
    "msoa_code",
    "msoa_name",
    "local_authority_code",
    "local_authority_name",
]


def lsoa_boundaries_import(*, path: Path) -> ImportResult:
    """Upsert LSOA boundaries by code; other LSOA fields (population, force) are kept."""
    return run_import(
        kind=SourceKind.LSOA_BOUNDARIES, paths=[path], load=lambda: {path: _load(path)}
    )


def _load(path: Path) -> Loaded:
    features = _features(path)
    code_key, name_key, year = _property_names(path, features)
    codes, names, geometries = _parse(path, features, code_key, name_key)
    shapes = outlines(geometries)
    rows = []
    for i, shape in enumerate(shapes):
        if shape is None:
            raise PlacesImportError(
                f"{path}, feature {i + 1} ({codes[i]}): the polygon has no area"
            )
        rows.append((codes[i], names[i], year, "", "", "", "", *shape.as_row()))
    # Other LSOA fields (population, MSOA, force) stay as they are on existing rows.
    upsert_rows(
        model=Lsoa,
        fields=[*_FIELDS, *SHAPE_FIELDS],
        update=["name", "census_year", *SHAPE_FIELDS],
        rows=rows,
    )
    return Loaded(
        rows_read=len(features), rows_loaded=len(rows), message=f"{len(rows)} {year} LSOAs"
    )


def _features(path: Path) -> list[dict[str, Any]]:
    try:
        document = orjson.loads(read_bytes(path))
    except orjson.JSONDecodeError as error:
        raise PlacesImportError(f"{path}: not valid JSON ({error})") from error
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise PlacesImportError(f"{path}: not a GeoJSON FeatureCollection")
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise PlacesImportError(f"{path}: the FeatureCollection has no features")
    return features


def _property_names(path: Path, features: list[dict[str, Any]]) -> tuple[str, str, int]:
    properties = features[0].get("properties") or {}
    for code_key, name_key, year in _PROPERTY_SETS:
        if code_key in properties:
            return code_key, name_key, year
    raise PlacesImportError(
        f"{path}: feature 1 has neither LSOA11CD nor LSOA21CD among its properties "
        f"({', '.join(sorted(properties)) or 'none'}): is this an LSOA boundary file?"
    )


def _parse(
    path: Path, features: list[dict[str, Any]], code_key: str, name_key: str
) -> tuple[list[str], list[str], np.ndarray]:
    codes: list[str] = []
    names: list[str] = []
    texts: list[bytes] = []
    seen: set[str] = set()
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") or {}
        code = str(properties.get(code_key) or "").strip()
        if not _looks_like_lsoa_code(code):
            raise PlacesImportError(
                f"{path}, feature {number}: {code_key} {code!r} is not an LSOA code"
            )
        if code in seen:
            raise PlacesImportError(f"{path}, feature {number}: LSOA {code} appears twice")
        geometry = feature.get("geometry")
        if not isinstance(geometry, dict) or geometry.get("type") not in {
            "Polygon",
            "MultiPolygon",
        }:
            raise PlacesImportError(
                f"{path}, feature {number} ({code}): the geometry is not a polygon"
            )
        seen.add(code)
        codes.append(code)
        names.append(str(properties.get(name_key) or "").strip()[:120])
        texts.append(orjson.dumps(geometry))
    try:
        geometries = shapely.from_geojson(np.array(texts, dtype=object))
    except shapely.errors.GEOSException as error:
        raise PlacesImportError(f"{path}: a polygon cannot be read ({error})") from error
    _check_coordinates(path, codes, geometries)
    return codes, names, geometries


def _check_coordinates(path: Path, codes: list[str], geometries: np.ndarray) -> None:
    # Longitude/latitude in Great Britain; a file in British National Grid metres fails here.
    bounds = shapely.bounds(geometries)
    bad = ~((bounds[:, 0] > -9) & (bounds[:, 2] < 3) & (bounds[:, 1] > 49) & (bounds[:, 3] < 61))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise PlacesImportError(
            f"{path}, feature {i + 1} ({codes[i]}): coordinates are not WGS84 longitude/latitude "
            "in England and Wales"
        )


def _looks_like_lsoa_code(code: str) -> bool:
    return len(code) == 9 and code[0] in "EW" and code[1:].isdigit()
