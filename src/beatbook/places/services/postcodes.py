"""OS Code-Point Open, the zip exactly as OS ships it: postcodes, their positions and area names.

``Data/CSV/<area>.csv`` are headerless, one per postcode area, with their columns named in
``Doc/Code-Point_Open_Column_Headers.csv``; ``Doc/Codelist.xlsx`` names the ward, district and
county codes. Positional quality 90 means the postcode has no coordinates.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from django.db.models import Q

from beatbook.common.projection import bng_to_wgs84
from beatbook.core.bulk_write import insert_frame
from beatbook.places.models import AreaName, Postcode
from beatbook.places.postcode import POSTCODE_PATTERN, STORED_PATTERN
from beatbook.places.services.common import (
    ImportResult,
    Loaded,
    PlacesImportError,
    require_file,
    run_import,
)
from beatbook.records.models import SourceKind

HEADERS_MEMBER = "Doc/Code-Point_Open_Column_Headers.csv"
CODELIST_MEMBER = "Doc/Codelist.xlsx"
_DATA = re.compile(r"(?:^|/)Data/CSV/([a-z]{1,2})\.csv$", re.IGNORECASE)
NO_COORDINATES = 90

# Code-Point Open's column names (the second line of its headers file) to our columns.
COLUMNS = {
    "Postcode": "postcode",
    "Positional_quality_indicator": "quality",
    "Eastings": "easting",
    "Northings": "northing",
    "Country_code": "country_code",
    "NHS_regional_HA_code": "nhs_region_code",
    "NHS_HA_code": "nhs_ha_code",
    "Admin_county_code": "admin_county_code",
    "Admin_district_code": "admin_district_code",
    "Admin_ward_code": "admin_ward_code",
}
TEXT_COLUMNS = [
    "postcode",
    "country_code",
    "admin_county_code",
    "admin_district_code",
    "admin_ward_code",
    "nhs_region_code",
    "nhs_ha_code",
]


def postcodes_import(*, path: Path, areas: Sequence[str] | None = None) -> ImportResult:
    """Replace the postcodes of the areas loaded (all in the zip, or ``areas`` such as st, ws).

    Also loads the code list's ward, district and county names into ``AreaName``.
    """
    require_file(path)
    return run_import(
        kind=SourceKind.POSTCODES, paths=[path], load=lambda: {path: _load(path, areas)}
    )


def _load(path: Path, areas: Sequence[str] | None) -> Loaded:
    archive = _open(path)
    columns = _columns(path, archive)
    files = _area_files(path, archive, areas)
    frame = pd.concat(
        [_read_area(path, archive, member, columns) for member in files.values()], ignore_index=True
    )
    _check_unique(path, frame)
    frame = _positioned(frame)
    _delete_areas(list(files))
    loaded = insert_frame(model=Postcode, frame=frame, text_columns=TEXT_COLUMNS)
    names = _load_codelist(path, archive)
    without = int(frame["latitude"].isna().sum())
    message = (
        f"{loaded} postcodes in {len(files)} areas ({without} without coordinates); "
        f"{names} area names"
    )
    # Loads of different areas from one zip do not replace each other in the record.
    member = "" if areas is None else "areas " + ",".join(files)
    return Loaded(rows_read=len(frame), rows_loaded=loaded, message=message, member=member)


def _open(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise PlacesImportError(f"{path}: not a zip file ({error})") from error


def _columns(path: Path, archive: zipfile.ZipFile) -> list[str]:
    member = _find(archive, HEADERS_MEMBER)
    if member is None:
        raise PlacesImportError(
            f"{path}: no {HEADERS_MEMBER}: is this OS Code-Point Open as OS ships it?"
        )
    lines = archive.read(member).decode("utf-8-sig", errors="replace").splitlines()
    names = [name.strip() for name in lines[-1].split(",")] if lines else []
    missing = [name for name in COLUMNS if name not in names]
    if missing:
        raise PlacesImportError(f"{path}: {member}: no column {', '.join(missing)}")
    return names


def _find(archive: zipfile.ZipFile, wanted: str) -> str | None:
    # OS has shipped the folders as Doc/ and doc/ in different releases.
    for name in archive.namelist():
        if name.lower() == wanted.lower() or name.lower().endswith("/" + wanted.lower()):
            return name
    return None


def _area_files(
    path: Path, archive: zipfile.ZipFile, areas: Sequence[str] | None
) -> dict[str, str]:
    files = {}
    for name in archive.namelist():
        match = _DATA.search(name)
        if match:
            files[match.group(1).upper()] = name
    if not files:
        raise PlacesImportError(
            f"{path}: no Data/CSV/<area>.csv files: is this OS Code-Point Open?"
        )
    if areas is None:
        return dict(sorted(files.items()))
    wanted = [area.strip().upper() for area in areas if area.strip()]
    unknown = [area for area in wanted if area not in files]
    if unknown:
        raise PlacesImportError(f"{path}: no postcode area {', '.join(unknown)} in the zip")
    return {area: files[area] for area in wanted}


def _read_area(
    path: Path, archive: zipfile.ZipFile, member: str, columns: list[str]
) -> pd.DataFrame:
    where = f"{path}: {member}"
    data = archive.read(member)
    try:
        frame = _read_csv(data, columns, numbers=True, where=where)
    except ValueError:
        # Something in a number column is not a number: read it as text to say where.
        frame = _read_csv(data, columns, numbers=False, where=where)
        for column in _NUMBERS:
            frame[column] = _whole_numbers(where, frame[column], column)
    _check_widths(where, data, len(frame), len(columns))
    frame["postcode"] = _normalised(where, frame["postcode"])
    return frame


_NUMBERS = ("quality", "easting", "northing")


def _read_csv(data: bytes, columns: list[str], *, numbers: bool, where: str = "") -> pd.DataFrame:
    ours = [COLUMNS.get(name, name) for name in columns]
    dtypes = {name: ("Int64" if numbers and name in _NUMBERS else str) for name in ours}
    try:
        frame = pd.read_csv(
            io.BytesIO(data),
            header=None,
            names=ours,
            usecols=list(COLUMNS.values()),
            dtype=dtypes,
            keep_default_na=False,
            na_values={name: [""] for name in _NUMBERS},
            encoding="utf-8",
        )
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise PlacesImportError(f"{where}: not a Code-Point Open CSV ({error})") from error
    except ValueError as error:
        if numbers:
            raise
        raise PlacesImportError(f"{where}: not a Code-Point Open CSV ({error})") from error
    return frame


def _check_widths(where: str, data: bytes, rows: int, width: int) -> None:
    # pandas pads a short row with empty cells. Code-Point's cells hold no commas, so a full
    # file has exactly (width - 1) per row; only when it has not are the rows read one by one.
    if data.count(b",") == rows * (width - 1):
        return
    reader = csv.reader(io.StringIO(data.decode("utf-8", errors="replace"), newline=""))
    for line, row in enumerate(reader, start=1):
        if row and len(row) != width:
            raise PlacesImportError(f"{where}, line {line}: {len(row)} columns, not {width}")


def _normalised(where: str, postcodes: pd.Series) -> pd.Series:
    # Code-Point Open writes them as we store them ("ST1 1AF"): check that first, and only
    # rewrite when a release spaces them otherwise.
    if postcodes.str.fullmatch(STORED_PATTERN).all():
        return postcodes
    compact = postcodes.str.upper().str.replace(r"\s+", "", regex=True)
    bad = ~compact.str.fullmatch(POSTCODE_PATTERN)
    if bad.any():
        line = int(np.flatnonzero(bad.to_numpy())[0]) + 1
        raise PlacesImportError(
            f"{where}, line {line}: {postcodes.iloc[line - 1]!r} is not a postcode"
        )
    return compact.str[:-3] + " " + compact.str[-3:]


def _whole_numbers(where: str, values: pd.Series, column: str) -> pd.Series:
    values = values.fillna("")
    numbers = pd.to_numeric(values.str.strip().replace("", None), errors="coerce")
    bad = numbers.isna() & (values.str.strip() != "")
    bad |= numbers.notna() & ((numbers % 1 != 0) | (numbers < 0))
    if bad.any():
        line = int(np.flatnonzero(bad.to_numpy())[0]) + 1
        raise PlacesImportError(
            f"{where}, line {line}: {column} {values.iloc[line - 1]!r} is not a whole number"
        )
    return numbers.astype("Int64")


def _check_unique(path: Path, frame: pd.DataFrame) -> None:
    repeated = frame["postcode"].duplicated()
    if repeated.any():
        raise PlacesImportError(
            f"{path}: postcode {frame['postcode'][repeated].iloc[0]} appears twice"
        )


def _positioned(frame: pd.DataFrame) -> pd.DataFrame:
    placed = (frame["quality"] != NO_COORDINATES) & (frame["easting"] > 0) & (frame["northing"] > 0)
    placed = placed.fillna(False).to_numpy(dtype=bool)
    frame.loc[~placed, ["easting", "northing"]] = pd.NA
    lat = np.full(len(frame), np.nan)
    lng = np.full(len(frame), np.nan)
    if placed.any():
        easting = frame["easting"].to_numpy(dtype=float, na_value=np.nan)[placed]
        northing = frame["northing"].to_numpy(dtype=float, na_value=np.nan)[placed]
        lat[placed], lng[placed] = bng_to_wgs84(easting=easting, northing=northing)
    frame["latitude"] = lat
    frame["longitude"] = lng
    frame["quality"] = frame["quality"].fillna(NO_COORDINATES)
    return frame


def _delete_areas(areas: list[str]) -> None:
    # An area's postcodes sort between "ST0" and "ST:" (":" follows "9"), which the primary
    # key index answers; "S" does not catch "ST" because letters sort after ":".
    query = Q()
    for area in areas:
        query |= Q(postcode__gte=f"{area}0", postcode__lt=f"{area}:")
    Postcode.objects.filter(query).delete()


def _load_codelist(path: Path, archive: zipfile.ZipFile) -> int:
    from beatbook.places.services.codelist import area_names_from_codelist

    member = _find(archive, CODELIST_MEMBER)
    if member is None:
        return 0
    names = area_names_from_codelist(archive.read(member), where=f"{path}: {member}")
    AreaName.objects.bulk_create(
        names,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "kind"],
    )
    return len(names)
