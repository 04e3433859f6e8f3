"""Code-Point Open zips laid out as OS ships them, built in the test from WGS84 points."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pyproj

HEADERS_CSV = (
    "PC,PQ,EA,NO,CY,RH,LH,CC,DC,WC\r\n"
    "Postcode,Positional_quality_indicator,Eastings,Northings,Country_code,NHS_regional_HA_code,"
    "NHS_HA_code,Admin_county_code,Admin_district_code,Admin_ward_code\r\n"
)
NORTHWOOD = "E05000001"  # "Northwood Ward"
MEIR = "E05000002"  # "Meir Test ED"

# (postcode as OS writes it, latitude, longitude, ward): A and B mostly Northwood, C Meir, D none.
POSTCODES: list[tuple[str, float | None, float | None, str]] = [
    ("ST1 1AA", 52.985, -2.195, NORTHWOOD),
    ("ST1 1AB", 52.990, -2.190, NORTHWOOD),
    ("ST1 1AD", 52.995, -2.185, NORTHWOOD),
    ("ST2 1AA", 52.985, -2.175, NORTHWOOD),
    ("ST2 1AB", 52.990, -2.170, NORTHWOOD),
    ("ST2 1AD", 52.995, -2.165, MEIR),
    ("ST3 2AA", 52.985, -2.155, MEIR),
    ("ST3 2AB", 52.990, -2.150, MEIR),
    ("ST3 2AD", 52.995, -2.145, MEIR),
    ("ST9 9ZZ", None, None, ""),  # quality 90: no coordinates
]


def codepoint_rows(postcodes: list[tuple[str, float | None, float | None, str]]) -> list[list[Any]]:
    """Code-Point Open rows (eastings/northings on the National Grid) for WGS84 points."""
    to_grid = pyproj.Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    rows = []
    for postcode, lat, lng, ward in postcodes:
        if lat is None or lng is None:
            rows.append([postcode, 90, 0, 0, "E92000001", "", "", "", "", ""])
            continue
        easting, northing = to_grid.transform(lng, lat)
        rows.append(
            [
                postcode,
                10,
                round(easting),
                round(northing),
                "E92000001",
                "E19000001",
                "E18000005",
                "",
                "E06000021",
                ward,
            ]
        )
    return rows


def codelist_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    note = workbook.active
    note.title = "Sheet1"
    note.append(["Data Taken from Oct V2 Publication of Boundary Line"])
    kinds = workbook.create_sheet("AREA_CODES")
    kinds.append(["UTA", "Unitary Authority"])
    kinds.append(["UTW", "Unitary Authority Ward"])
    for title, rows in {
        "UTA": [("Testtown (B)", "E06000021")],
        "UTW": [("Northwood Ward", NORTHWOOD)],
        "UTE": [("Meir Test ED", MEIR)],
    }.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_codepoint_zip(
    path: Path,
    areas: dict[str, list[list[Any]]],
    *,
    headers: str | None = HEADERS_CSV,
    codelist: bool = True,
) -> Path:
    """A zip laid out as OS ships Code-Point Open: headerless Data/CSV/<area>.csv and Doc/."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for area, rows in areas.items():
            buffer = io.StringIO()
            writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
            writer.writerows(rows)
            archive.writestr(f"Data/CSV/{area}.csv", buffer.getvalue())
        if headers is not None:
            archive.writestr("Doc/Code-Point_Open_Column_Headers.csv", headers)
        if codelist:
            archive.writestr("Doc/Codelist.xlsx", codelist_xlsx())
        archive.writestr("Doc/licence.txt", "Contains OS data (c) Crown copyright.")
    return path
