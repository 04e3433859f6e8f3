"""The open API over real police.uk files: one month of Staffordshire street crime and one of
Merseyside stop and search, checked against an independent reading of the same CSVs."""

from __future__ import annotations

import csv
import io
import math
import zipfile
from pathlib import Path

import pytest
from django.test import Client

from beatbook.opendata.services import ingest_paths

HANLEY = (53.0244, -2.1782)
LIVERPOOL = (53.4055, -2.9806)
MILE = 1609.344
CATEGORY_SLUGS = {
    "Anti-social behaviour": "anti-social-behaviour",
    "Bicycle theft": "bicycle-theft",
    "Burglary": "burglary",
    "Criminal damage and arson": "criminal-damage-arson",
    "Drugs": "drugs",
    "Other theft": "other-theft",
    "Possession of weapons": "possession-of-weapons",
    "Public order": "public-order",
    "Robbery": "robbery",
    "Shoplifting": "shoplifting",
    "Theft from the person": "theft-from-the-person",
    "Vehicle crime": "vehicle-crime",
    "Violence and sexual offences": "violent-crime",
    "Other crime": "other-crime",
}

pytestmark = pytest.mark.django_db


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lng1, lat2, lng2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * 6_371_008.8 * math.asin(math.sqrt(h))


def extract(zip_path: Path, member: str, to: Path) -> tuple[Path, list[dict[str, str]]]:
    with zipfile.ZipFile(zip_path) as archive:
        data = archive.read(member)
    path = to / Path(member).name
    path.write_bytes(data)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    return path, rows


def test_crimes_within_a_mile_of_hanley_match_the_csv(
    client: Client, shared_data: Path, tmp_path: Path
) -> None:
    path, rows = extract(
        shared_data / "policeuk" / "staffordshire-2025.zip",
        "2025-06/2025-06-staffordshire-street.csv",
        tmp_path,
    )
    summary = ingest_paths(paths=[path])
    assert not summary.failed
    expected: dict[str, int] = {}
    for row in rows:
        if (
            row["Latitude"]
            and metres(HANLEY, (float(row["Latitude"]), float(row["Longitude"]))) <= MILE
        ):
            slug = CATEGORY_SLUGS[row["Crime type"]]
            expected[slug] = expected.get(slug, 0) + 1

    crimes = client.get(
        f"/api/crimes-street/all-crime?lat={HANLEY[0]}&lng={HANLEY[1]}&date=2025-06"
    ).json()

    found: dict[str, int] = {}
    for crime in crimes:
        found[crime["category"]] = found.get(crime["category"], 0) + 1
        point = (float(crime["location"]["latitude"]), float(crime["location"]["longitude"]))
        assert metres(HANLEY, point) <= MILE + 0.5
        assert (crime["persistent_id"] == "") == (crime["category"] == "anti-social-behaviour")
        assert len(crime["persistent_id"]) in (0, 64)
    assert found == expected
    assert sum(found.values()) > 300
    shoplifting = client.get(
        f"/api/crimes-street/shoplifting?lat={HANLEY[0]}&lng={HANLEY[1]}&date=2025-06"
    ).json()
    assert len(shoplifting) == expected["shoplifting"]
    no_location = client.get(
        "/api/crimes-no-location?category=all-crime&force=staffordshire"
    ).json()
    assert len(no_location) == sum(1 for row in rows if not row["Latitude"])


def test_stops_within_a_mile_of_central_liverpool_match_the_csv(
    client: Client, shared_data: Path, tmp_path: Path
) -> None:
    path, rows = extract(
        shared_data / "policeuk" / "stop-and-search-7-forces-2019-12-to-2020-02.zip",
        "2019-12/2019-12-merseyside-stop-and-search.csv",
        tmp_path,
    )
    summary = ingest_paths(paths=[path])
    assert not summary.failed
    near = [
        row
        for row in rows
        if row["Latitude"]
        and metres(LIVERPOOL, (float(row["Latitude"]), float(row["Longitude"]))) <= MILE
    ]

    stops = client.get(
        f"/api/stops-street?lat={LIVERPOOL[0]}&lng={LIVERPOOL[1]}&date=2019-12"
    ).json()

    assert len(stops) == len(near) > 20
    assert sorted(s["type"] for s in stops) == sorted(row["Type"] for row in near)
    for stop in stops:
        assert stop["datetime"].endswith("+00:00")
        assert stop["outcome"] == stop["outcome_object"]["name"]
        assert isinstance(stop["involved_person"], bool)
    everything = client.get("/api/stops-force?force=merseyside&date=2019-12").json()
    assert len(everything) == len(rows)
    unlocated = client.get("/api/stops-no-location?force=merseyside&date=2019-12").json()
    assert len(unlocated) == sum(1 for row in rows if not row["Latitude"])
    dates = client.get("/api/crimes-street-dates").json()
    assert {"date": "2019-12", "stop-and-search": ["merseyside"]} in dates
