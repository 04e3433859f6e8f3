#!/usr/bin/env python3
"""Build the bundled demo data in src/beatbook/demo/data/ from the full open data files.

    .venv/bin/python scripts/build_demo_data.py [--source ../shared/data]

The demo is Staffordshire: police.uk street-level crime for 2025 (the archive as published),
and the places that crime needs, cut down from the national files in the same formats, so the
demo loads through the same importers as real data. It also holds the places (not the crime)
of the west end of Crewe, in Cheshire, for the demo's day of action there (issue 14):

- the 2011 LSOAs of the Staffordshire force area (from the LSOA -> force lookup), plus the
  2011 LSOAs where at least MIN_CRIMES of Staffordshire's crimes fall (border areas), plus
  the west of Crewe: ``CREWE_WEST_LSOAS`` in beatbook/demo/bundle.py, checked here against
  the rule in ``crewe_west_lsoas`` (see there);
- their boundaries (GeoJSON, gzipped), 2011 populations, and 2021 populations for those codes
  and for the 2021 codes the crime files use;
- the lookup rows for Staffordshire's LSOAs (force Staffordshire) and Crewe's (Cheshire);
- OS Code-Point Open laid out as OS ships it, with only the postcodes in those LSOAs (by the
  ONS postcode -> LSOA lookup of May 2022; postcodes newer than that by their position inside
  the LSOA boundaries) and a Codelist.xlsx cut down to the codes they use.

Everything is open data under the Open Government Licence v3.0; ATTRIBUTION.md says whose.
The output is deterministic (fixed zip timestamps), so rebuilding gives the same checksums.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import shutil
import sys
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import shapely
import shapely.prepared
from pyproj import Transformer
from shapely.geometry import Point, shape

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
from beatbook.demo.bundle import CREWE_WEST_LSOAS  # noqa: E402 (plain module, no Django)

OUT = REPO / "src" / "beatbook" / "demo" / "data"
NAME = "demo"  # the output files' names: lsoa-2011-boundaries-demo.geojson.gz and so on
FORCE_NAME = "Staffordshire"
CRIME_ZIP = "staffordshire-2025.zip"
MIN_CRIMES = 5
POSTCODE_AREAS = ("st", "ws", "de", "b", "wv", "tf", "cw", "sk")
ZIP_TIME = (2025, 1, 1, 0, 0, 0)

# The west end of Crewe (see crewe_west_lsoas).
CREWE_FORCE_NAME = "Cheshire"
CREWE_DISTRICT = "Cheshire East UA"  # as the lookup names it
CREWE_WARDS = ("Crewe West Ward", "Crewe St. Barnabas Ward", "Crewe Central Ward")
CREWE_CENTRE_LONGITUDE = -2.44161  # GeoNames' point for Crewe, in the town centre
CREWE_POSTCODE_AREA = "cw"


def crime_lsoa_counts(crime_zip: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    with zipfile.ZipFile(crime_zip) as archive:
        for name in sorted(archive.namelist()):
            if not name.endswith("-street.csv"):
                continue
            with archive.open(name) as raw:
                for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig")):
                    if row["LSOA code"]:
                        counts[row["LSOA code"]] += 1
    return counts


def force_lsoas(lookup: Path) -> list[dict[str, str]]:
    with lookup.open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["Police_force"] == FORCE_NAME]


def write_lookup(lookup: Path, forces: dict[str, str], target: Path) -> None:
    """The lookup's rows for the LSOAs in ``forces`` (code -> force name) in that force."""
    with (
        lookup.open(encoding="utf-8-sig", newline="") as handle,
        target.open("w", newline="") as out,
    ):
        reader = csv.reader(handle)
        writer = csv.writer(out, lineterminator="\n")
        header = next(reader)
        writer.writerow(header)
        code_at, force_at = header.index("LSOA Code"), header.index("Police_force")
        writer.writerows(r for r in reader if forces.get(r[code_at]) == r[force_at])


def crewe_west_lsoas(source: Path) -> set[str]:
    """The west end of Crewe: the 2011 LSOAs of Cheshire East (force Cheshire in the lookup)
    whose live postcodes lie mostly in the Crewe West, Crewe St. Barnabas or Crewe Central
    wards (the ONS postcode lookup for the LSOA, Code-Point Open for the ward), and whose
    centroid lies west of Crewe town centre (so also west of the station, which is south-east
    of it). They are the LSOAs of MSOAs Cheshire East 037 and 039 (less 039B, east of the
    centre), 036D-E, 043C and 044C."""
    geography = source / "geography"
    with (geography / "lsoa-2011-police-force-lookup.csv").open(encoding="utf-8-sig") as handle:
        cheshire_east = {
            row["LSOA Code"]
            for row in csv.DictReader(handle)
            if row["Police_force"] == CREWE_FORCE_NAME
            and row["Local authority name"] == CREWE_DISTRICT
        }
    with zipfile.ZipFile(source / "postcodes" / "codepo_gb.zip") as archive:
        wards = {
            fields[0].replace(" ", ""): fields[9]
            for fields in csv.reader(
                archive.read(f"Data/CSV/{CREWE_POSTCODE_AREA}.csv").decode("ascii").splitlines()
            )
        }
        names = area_names(archive.read("Doc/Codelist.xlsx"))
    counts: dict[str, Counter[str]] = {}
    lookup = source / "postcodes" / "ons-postcode-lsoa11-lookup-may22-extract.csv.gz"
    with gzip.open(lookup, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            ward = wards.get(row["pcds"].replace(" ", ""))
            if row["lsoa11cd"] in cheshire_east and not row["doterm"] and ward:
                counts.setdefault(row["lsoa11cd"], Counter())[names.get(ward, ward)] += 1
    with gzip.open(geography / "lsoa-2011-boundaries-ew-generalised.geojson.gz", "rt") as handle:
        west = {
            f["properties"]["LSOA11CD"]
            for f in json.load(handle)["features"]
            if f["properties"]["LONG"] < CREWE_CENTRE_LONGITUDE
        }
    return {
        code
        for code, wards_of in counts.items()
        if code in west and wards_of.most_common(1)[0][0] in CREWE_WARDS
    }


def area_names(codelist: bytes) -> dict[str, str]:
    """Code-Point Open's area codes to names, from its Codelist.xlsx."""
    workbook = openpyxl.load_workbook(io.BytesIO(codelist), read_only=True)
    return {
        str(row[1]): str(row[0])
        for sheet in workbook.worksheets
        if len(sheet.title) == 3
        for row in sheet.iter_rows(values_only=True)
        if len(row) > 1 and row[1]
    }


def write_boundaries(source: Path, codes: set[str], target: Path) -> list[dict[str, Any]]:
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        collection = json.load(handle)
    features = [f for f in collection["features"] if f["properties"]["LSOA11CD"] in codes]
    features.sort(key=lambda f: f["properties"]["LSOA11CD"])
    head = {k: v for k, v in collection.items() if k != "features"}
    lines = [json.dumps(f, separators=(", ", ": ")) for f in features]
    text = json.dumps(head, indent=0)[:-2] + ',\n"features": [\n' + ",\n".join(lines) + "\n]\n}\n"
    with gzip.GzipFile(target, "wb", mtime=0) as out:
        out.write(text.encode("utf-8"))
    return features


def filter_csv(source: Path, target: Path, *, column: int, codes: set[str]) -> int:
    """Copy the header and the rows whose ``column`` is in ``codes``, byte for byte."""
    kept = 0
    with source.open("rb") as handle, target.open("wb") as out:
        lines = handle.read().splitlines(keepends=True)
        out.write(lines[0])
        for line in lines[1:]:
            row = next(csv.reader([line.decode("utf-8-sig")]))
            if len(row) > column and row[column] in codes:
                out.write(line)
                kept += 1
    return kept


def postcodes_in(lookup: Path, codes: set[str]) -> tuple[set[str], set[str]]:
    """(live postcodes in the LSOAs ``codes``, every postcode the lookup knows)."""
    inside, known = set(), set()
    with gzip.open(lookup, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            postcode = row["pcds"].replace(" ", "")
            known.add(postcode)
            if row["lsoa11cd"] in codes and not row["doterm"]:
                inside.add(postcode)
    return inside, known


def postcode_filter(
    features: list[dict[str, Any]], inside: set[str], known: set[str]
) -> Callable[[list[str]], bool]:
    """Keep a Code-Point row in the LSOAs: by the ONS lookup, or for a postcode newer than the
    lookup (May 2022), by whether its point falls inside the LSOAs' boundaries."""
    area = shapely.prepared.prep(shapely.union_all([shape(f["geometry"]) for f in features]))
    to_wgs84 = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)

    def keep(fields: list[str]) -> bool:
        postcode = fields[0].replace(" ", "")
        if postcode in inside:
            return True
        if postcode in known or fields[1] == "90":
            return False
        lng, lat = to_wgs84.transform(float(fields[2]), float(fields[3]))
        return bool(area.contains(Point(lng, lat)))

    return keep


def zip_write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data, compresslevel=9)


def cut_codelist(data: bytes, used: set[str]) -> bytes:
    """Codelist.xlsx with every sheet kept but only the area codes the postcodes use."""
    source = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    result = openpyxl.Workbook()
    result.remove(result.active)
    for sheet in source.worksheets:
        target = result.create_sheet(sheet.title)
        # Sheets named by an area type (CTY, DIS, UTW...) list (name, code); keep the rest whole.
        is_code_sheet = len(sheet.title) == 3
        for row in sheet.iter_rows(values_only=True):
            if not is_code_sheet or (len(row) > 1 and row[1] in used):
                target.append(list(row))
    buffer = io.BytesIO()
    result.save(buffer)
    return normalise_xlsx(buffer.getvalue())


def normalise_xlsx(data: bytes) -> bytes:
    """The same workbook with fixed timestamps, so a rebuild gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "docProps/core.xml":
                content = re.sub(
                    rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2025-01-01T00:00:00Z", content
                )
            zip_write(target, name, content)
    return out.getvalue()


def build_codepoint(
    source_zip: Path, keep: Callable[[list[str]], bool], target: Path
) -> tuple[int, set[str]]:
    kept_rows: dict[str, list[bytes]] = {}
    used_codes: set[str] = set()
    with zipfile.ZipFile(source_zip) as archive:
        for area in POSTCODE_AREAS:
            rows = []
            for line in archive.read(f"Data/CSV/{area}.csv").splitlines(keepends=True):
                fields = next(csv.reader([line.decode("ascii")]))
                if keep(fields):
                    rows.append(line)
                    used_codes.update(fields[7:10])
            kept_rows[area] = rows
        docs = {
            name: archive.read(name)
            for name in archive.namelist()
            if name.startswith("Doc/") and not name.endswith("/")
        }
    with zipfile.ZipFile(target, "w") as out:
        for area, rows in kept_rows.items():
            if rows:
                zip_write(out, f"Data/CSV/{area}.csv", b"".join(rows))
        for name, data in sorted(docs.items()):
            zip_write(
                out,
                name,
                cut_codelist(data, used_codes) if name.endswith("Codelist.xlsx") else data,
            )
    return sum(len(rows) for rows in kept_rows.values()), used_codes


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--source", type=Path, default=REPO.parent / "shared" / "data")
    source: Path = parser.parse_args().source
    geography, policeuk = source / "geography", source / "policeuk"
    for folder in ("policeuk", "geography", "postcodes"):
        (OUT / folder).mkdir(parents=True, exist_ok=True)

    crewe = crewe_west_lsoas(source)
    if crewe != set(CREWE_WEST_LSOAS):
        raise SystemExit(
            "CREWE_WEST_LSOAS in beatbook/demo/bundle.py differs from the rule: "
            f"the rule adds {sorted(crewe - set(CREWE_WEST_LSOAS))}, "
            f"drops {sorted(set(CREWE_WEST_LSOAS) - crewe)}"
        )

    shutil.copyfile(policeuk / CRIME_ZIP, OUT / "policeuk" / CRIME_ZIP)
    crime_counts = crime_lsoa_counts(policeuk / CRIME_ZIP)

    lookup = geography / "lsoa-2011-police-force-lookup.csv"
    in_force = {row["LSOA Code"] for row in force_lsoas(lookup)}
    busy = {code for code, n in crime_counts.items() if n >= MIN_CRIMES}
    if crewe & (in_force | busy):
        raise SystemExit(f"Crewe LSOAs among Staffordshire's: {sorted(crewe & (in_force | busy))}")
    features = write_boundaries(
        geography / "lsoa-2011-boundaries-ew-generalised.geojson.gz",
        in_force | busy | crewe,
        OUT / "geography" / f"lsoa-2011-boundaries-{NAME}.geojson.gz",
    )
    lsoas = {f["properties"]["LSOA11CD"] for f in features}
    forces = dict.fromkeys(in_force, FORCE_NAME) | dict.fromkeys(crewe, CREWE_FORCE_NAME)
    write_lookup(lookup, forces, OUT / "geography" / f"lsoa-2011-police-force-lookup-{NAME}.csv")
    pop_2011 = filter_csv(
        geography / "lsoa-2011-population.csv",
        OUT / "geography" / f"lsoa-2011-population-{NAME}.csv",
        column=6,
        codes=lsoas,
    )
    pop_2021 = filter_csv(
        geography / "lsoa-2021-population.csv",
        OUT / "geography" / f"lsoa-2021-population-{NAME}.csv",
        column=1,
        codes=lsoas | set(crime_counts),
    )
    inside, known = postcodes_in(
        source / "postcodes" / "ons-postcode-lsoa11-lookup-may22-extract.csv.gz", lsoas
    )
    kept, codes = build_codepoint(
        source / "postcodes" / "codepo_gb.zip",
        postcode_filter(features, inside, known),
        OUT / "postcodes" / f"codepo_{NAME}.zip",
    )
    print(
        f"LSOAs: {len(lsoas)} ({len(in_force)} in the Staffordshire force area, "
        f"{len(crewe)} in the west of Crewe); 2011 population rows: {pop_2011}"
    )
    print(f"2021 population rows: {pop_2021}; postcodes: {kept}; area codes used: {len(codes)}")
    total = sum(p.stat().st_size for p in OUT.rglob("*") if p.is_file())
    print(f"Demo data: {total / 1e6:.1f} MB in {OUT}")


if __name__ == "__main__":
    main()
