"""The public police.uk clients, pointed at a live server (reference §9).

Each client's every call runs against ``live_server`` with the hand-made world of
``police_world``; base URLs are overridden the way §3/§9.1 of the reference describes. The slow
test runs them all again against a fresh ``beatbook serve`` that holds every LSOA of England and
Wales as well, the clients' locate calls first, as each worker's first request (uk-police gives
up after 10 s of its own accord).
"""

from __future__ import annotations

import asyncio
import importlib.util
import math
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import police_api
import pyrozza
import pytest
import uk_police
import uk_police.client
import uk_police_api
import uk_police_api._client
from django.db import connection
from police_world import CENTRE, P_BURGLARY, P_THEFT, PoliceData
from pytest_django.live_server_helper import LiveServer

from beatbook.places.services import lsoa_boundaries_import

LAT, LNG = CENTRE
SQUARE = [(52.98, -2.14), (52.98, -2.12), (52.995, -2.12), (52.995, -2.14)]
SQUARE_TEXT = ":".join(f"{lat},{lng}" for lat, lng in SQUARE)


def ring(vertices: int) -> list[tuple[float, float]]:
    """A circle round Longton's centre with many vertices: long enough to be POSTed."""
    return [
        (
            round(LAT + 0.01 * math.sin(2 * math.pi * i / vertices), 6),
            round(LNG + 0.015 * math.cos(2 * math.pi * i / vertices), 6),
        )
        for i in range(vertices)
    ]


@pytest.fixture
def base(live_server: LiveServer, live_police_data: PoliceData) -> str:
    return f"{live_server.url}/api/"


def test_police_api_client_every_call(base: str) -> None:
    api = police_api.PoliceAPI(base_url=base)
    forces = api.get_forces()
    assert "staffordshire" in {force.id for force in forces}
    force = api.get_force("staffordshire")
    assert force.name == "Staffordshire Police"
    assert (force.telephone, force.url, force.description) == (
        "101",
        "https://www.staffordshire.police.uk/",
        None,
    )
    assert force.engagement_methods[0]["title"] == "Facebook"
    assert [officer.name for officer in force.senior_officers] == ["Chris Noble"]

    neighbourhoods = api.get_neighbourhoods("staffordshire")
    assert [n.name for n in neighbourhoods] == ["Hanley", "Longton"]
    assert [n.id for n in force.neighbourhoods] == ["SOT.HANLEY", "SOT.LONGTON"]
    longton = api.get_neighbourhood("staffordshire", "SOT.LONGTON")
    assert longton.population == 21000
    assert longton.contact_details["telephone"] == "101"
    assert longton.centre == {"latitude": "52.987500", "longitude": "-2.130000"}
    assert longton.links[0]["title"] == "Stoke-on-Trent City Council"
    assert longton.locations[0]["name"] == "Longton Police Station"
    assert (longton.url_force, longton.description) == ("", "")
    assert [o.name for o in longton.officers] == ["Jo Bloggs", "Sam Patel"]
    events = longton.events
    assert [e.title for e in events] == ["Meet the commander", "Mobile police station"]
    assert isinstance(events[0].start_date, datetime)
    priorities = longton.priorities
    assert priorities[0].issue_date == datetime(2025, 3, 1)
    assert priorities[0].action_date is None
    assert priorities[1].action_date == datetime(2025, 7, 1, 10, 30)
    assert longton.boundary[0] == (52.975, -2.15)
    # The neighbourhood's crimes: a POST of its boundary, latest month.
    assert {c.persistent_id for c in longton.crimes} >= {P_THEFT, P_BURGLARY}
    assert force.get_neighbourhood("SOT.HANLEY").name == "Hanley"

    located = api.locate_neighbourhood(LAT, LNG)
    assert located is not None
    assert located.id == "SOT.LONGTON"
    assert api.locate_neighbourhood(51.5, -0.12) is None

    assert api.get_dates() == ["2025-02", "2025-01"]
    assert api.get_latest_date() == "2025-02"
    categories = api.get_crime_categories(date="2025-02")
    assert "Burglary" in {c.name for c in categories}
    assert (
        api.get_crime_category("violent-crime", date="2025-02").name
        == "Violence and sexual offences"
    )

    near = api.get_crimes_point(LAT, LNG, date="2025-02")
    assert {c.persistent_id for c in near} == {P_THEFT, P_BURGLARY, "e5" * 32, ""}
    theft = next(c for c in near if c.persistent_id == P_THEFT)
    assert theft.category.name == "Other theft"
    assert theft.location.id == 1001
    assert theft.location.type == "Force"
    assert theft.outcome_status.category.name == "Unable to prosecute suspect"
    assert [o.category.name for o in theft.outcomes] == [
        "Under investigation",
        "Unable to prosecute suspect",
    ]
    burglaries = api.get_crimes_point(LAT, LNG, date="2025-02", category="burglary")
    assert [c.persistent_id for c in burglaries] == [P_BURGLARY]
    area = api.get_crimes_area(SQUARE, date="2025-02")
    assert len(area) == 4
    assert len(api.get_crimes_location(1001, date="2025-02")) == 3
    no_location = api.get_crimes_no_location("staffordshire", date="2025-02")
    assert [(c.month, c.context) for c in no_location] == [("2025-02", "")]
    crime = api.get_crime(P_THEFT)
    assert crime.month == "2025-02"
    assert len(crime.outcomes) == 2


def test_pyrozza_every_call(base: str) -> None:
    client = pyrozza.Client()
    client._domain = base
    near = client.street_level_crimes(lat=LAT, lon=LNG, date="2025-02")
    assert len(near) == 4
    # pyrozza passes a list of tuples straight to requests: repeated poly= keys.
    assert len(client.street_level_crimes(poly=SQUARE, date="2025-02")) == 4
    assert len(client.street_level_crimes(poly=SQUARE_TEXT, date="2025-02")) == 4
    outcomes = client.street_level_outcomes(location_id=1001, date="2025-03")
    assert [o["category"]["code"] for o in outcomes] == ["unable-to-prosecute"]
    assert client.street_level_outcomes(lat=LAT, lon=LNG, date="2025-03") == outcomes
    assert client.street_level_outcomes(poly=SQUARE, date="2025-03") == outcomes
    assert len(client.crime_categories()) == 15
    assert len(client.crime_categories(date="2025-01")) == 15


@pytest.fixture
def uk_police_base(base: str, monkeypatch: pytest.MonkeyPatch) -> str:
    # uk-police joins "{BASE_URL}/{endpoint}": no trailing slash.
    monkeypatch.setattr(uk_police.client.uk_police, "BASE_URL", base.rstrip("/"))
    return base


def test_uk_police_every_call(uk_police_base: str) -> None:
    forces = uk_police.forces
    assert {"id": "staffordshire", "name": "Staffordshire Police"} in forces.list_forces()
    assert forces.get_force_details("staffordshire")["telephone"] == "101"
    assert forces.get_senior_officers("staffordshire")[0]["rank"] == "Chief Constable"

    n = uk_police.neighbourhoods
    assert len(n.list_neighbourhoods("staffordshire")) == 2
    assert n.get_neighbourhood_details("staffordshire", "SOT.LONGTON")["name"] == "Longton"
    assert len(n.get_neighbourhood_boundary("staffordshire", "SOT.LONGTON")) == 5
    assert len(n.get_neighbourhood_team("staffordshire", "SOT.LONGTON")) == 2
    assert len(n.get_neighbourhood_events("staffordshire", "SOT.LONGTON")) == 2
    assert "issue-date" in n.get_neighbourhood_priorities("staffordshire", "SOT.LONGTON")[0]
    assert n.locate_neighbourhood(LAT, LNG) == {
        "force": "staffordshire",
        "neighbourhood": "SOT.LONGTON",
    }

    street = uk_police.street_level
    assert len(street.get_street_crimes_at_location(LAT, LNG, date="2025-02")) == 4
    assert len(street.get_street_crimes_in_area(SQUARE_TEXT, date="2025-02")) == 4
    assert len(street.get_outcomes_at_location("1001", date="2025-03")) == 1
    assert len(street.get_outcomes_by_coordinates(LAT, LNG, date="2025-03")) == 1
    assert len(street.get_outcomes_in_area(SQUARE_TEXT, date="2025-03")) == 1
    assert len(street.get_crimes_at_specific_location(location_id="1001", date="2025-02")) == 3
    assert (
        len(street.get_crimes_at_specific_location(lat=52.98801, lng=-2.13102, date="2025-02")) == 3
    )
    assert len(street.get_crimes_no_location("all-crime", "staffordshire", date="2025-02")) == 1
    assert len(street.get_crime_categories()) == 15
    assert street.get_last_updated() == {"date": "2025-02-01"}
    assert len(street.get_outcomes_for_crime(P_THEFT)["outcomes"]) == 2

    stops = uk_police.stop_search
    assert len(stops.stop_and_search_by_area(lat=LAT, lng=LNG, date="2025-02")) == 2
    assert len(stops.stop_and_search_by_area(poly=SQUARE_TEXT, date="2025-02")) == 2
    assert len(stops.stop_and_search_by_location("1001", date="2025-02")) == 1
    assert len(stops.stop_and_search_no_location("staffordshire", date="2025-02")) == 1
    assert len(stops.stop_and_search_by_force("staffordshire", date="2025-02")) == 3


def _uk_police_api(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(uk_police_api._client, "BASE_URL", base)


def test_uk_police_api_every_call(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _uk_police_api(base, monkeypatch)
    api = uk_police_api.PoliceAPI(cache_ttl=None, max_retries=0)
    try:
        assert "staffordshire" in {f.id for f in api.forces.list()}
        assert api.forces.get("staffordshire").engagement_methods[0].title == "Facebook"
        assert api.forces.people("staffordshire")[0].name == "Chris Noble"

        hoods = api.neighbourhoods
        assert [n.id for n in hoods.list("staffordshire")] == ["SOT.HANLEY", "SOT.LONGTON"]
        longton = hoods.get("staffordshire", "SOT.LONGTON")
        assert longton.name == "Longton"
        assert longton.links[0]["title"] == "Stoke-on-Trent City Council"
        assert len(hoods.boundary("staffordshire", "SOT.LONGTON")) == 5
        assert len(hoods.people("staffordshire", "SOT.LONGTON")) == 2
        assert hoods.events("staffordshire", "SOT.LONGTON")[0].title == "Meet the commander"
        assert len(hoods.priorities("staffordshire", "SOT.LONGTON")) == 2
        assert hoods.locate(LAT, LNG).neighbourhood == "SOT.LONGTON"

        crimes = api.crimes
        assert len(crimes.street(lat=LAT, lng=LNG, date="2025-02")) == 4
        assert len(crimes.street(poly=SQUARE, date="2025-02")) == 4
        assert len(crimes.street(poly=ring(150), date="2025-02")) == 4  # long: sent as a POST
        assert [
            c.persistent_id for c in crimes.street("other-theft", location_id=1001, date="2025-02")
        ] == [P_THEFT]
        assert len(crimes.at_location(location_id=1001, date="2025-02")) == 3
        assert len(crimes.at_location(lat=52.98801, lng=-2.13102, date="2025-02")) == 3
        assert len(crimes.no_location("all-crime", "staffordshire", date="2025-02")) == 1
        assert len(crimes.categories(date="2025-02")) == 15
        assert crimes.last_updated().date is not None
        assert len(crimes.outcomes_at_location(location_id=1001, date="2025-03")) == 1
        assert len(crimes.outcomes_at_location(lat=LAT, lng=LNG, date="2025-03")) == 1
        assert len(crimes.outcomes_at_location(poly=ring(150), date="2025-03")) == 1
        with_outcomes = crimes.outcomes_for_crime(P_THEFT)
        assert len(with_outcomes.outcomes) == 2
        # The last three calendar months: after our data, so empty, but every request succeeds.
        assert crimes.street_months(lat=LAT, lng=LNG, months=2) == []

        stops = api.stop_search
        assert len(stops.street(lat=LAT, lng=LNG, date="2025-02")) == 2
        assert len(stops.street(poly=ring(150), date="2025-02")) == 2
        assert len(stops.at_location(1001, date="2025-02")) == 1
        assert len(stops.no_location("staffordshire", date="2025-02")) == 1
        assert len(stops.by_force("staffordshire", date="2025-02")) == 3

        dates = api.availability.dates()
        assert [d.date for d in dates] == ["2025-02", "2025-01"]
    finally:
        api.close()


def test_uk_police_api_async_every_call(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _uk_police_api(base, monkeypatch)

    async def run() -> None:
        api = uk_police_api.AsyncPoliceAPI(cache_ttl=None, max_retries=0)
        try:
            assert len(await api.forces.list()) >= 1
            assert (await api.forces.get("staffordshire")).name == "Staffordshire Police"
            assert len(await api.forces.people("staffordshire")) == 1
            hoods = api.neighbourhoods
            assert len(await hoods.list("staffordshire")) == 2
            assert (await hoods.get("staffordshire", "SOT.LONGTON")).name == "Longton"
            assert len(await hoods.boundary("staffordshire", "SOT.LONGTON")) == 5
            assert len(await hoods.people("staffordshire", "SOT.LONGTON")) == 2
            assert len(await hoods.events("staffordshire", "SOT.LONGTON")) == 2
            assert len(await hoods.priorities("staffordshire", "SOT.LONGTON")) == 2
            assert (await hoods.locate(LAT, LNG)).force == "staffordshire"
            crimes = api.crimes
            assert len(await crimes.street(lat=LAT, lng=LNG, date="2025-02")) == 4
            assert len(await crimes.street(poly=ring(150), date="2025-02")) == 4
            assert len(await crimes.at_location(location_id=1001, date="2025-02")) == 3
            assert len(await crimes.no_location("all-crime", "staffordshire", date="2025-02")) == 1
            assert len(await crimes.categories()) == 15
            assert (await crimes.last_updated()).date is not None
            assert len(await crimes.outcomes_at_location(location_id=1001, date="2025-03")) == 1
            assert len((await crimes.outcomes_for_crime(P_THEFT)).outcomes) == 2
            assert await crimes.street_months(lat=LAT, lng=LNG, months=1) == []
            stops = api.stop_search
            assert len(await stops.street(lat=LAT, lng=LNG, date="2025-02")) == 2
            assert len(await stops.at_location(1001, date="2025-02")) == 1
            assert len(await stops.no_location("staffordshire", date="2025-02")) == 1
            assert len(await stops.by_force("staffordshire", date="2025-02")) == 3
            assert len(await api.availability.dates()) == 2
        finally:
            await api.aclose()

    asyncio.run(run())


# Kept in the repository (see its README): the run installs it without reaching the network.
UKPOL_CLI_WHEEL = (
    Path(__file__).parent.parent / "fixtures" / "wheels" / "ukpol_cli-0.0.6-py3-none-any.whl"
)


@pytest.fixture(scope="session")
def ukpol_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Where ukpol-cli can be imported from.

    Its metadata pins click<3, which no resolver can satisfy beside schemathesis (click>=8),
    so it is not in the ``test`` extra: it runs on click 8 unchanged, and where it is not
    installed already it is installed from the wheel under ``tests/fixtures/wheels`` into a
    folder of its own, without dependencies and with ``--no-index``, so pip never looks online.
    """
    if importlib.util.find_spec("ukpol_cli") is not None:
        return ""
    target = tmp_path_factory.mktemp("ukpol-cli")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-index",
            "--no-deps",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(UKPOL_CLI_WHEEL),
        ],
        check=True,
        timeout=300,
    )
    return str(target)


@dataclass(frozen=True)
class Served:
    """Where a server answers: ``url`` as ``LiveServer`` gives it."""

    url: str


def _ukpol(base: str, live_server: LiveServer | Served, ukpol_path: str, *args: str) -> str:
    # ukpol-cli reads two module constants; click wants a real stdout, so run it as a process.
    script = (
        "import sys, ukpol_cli;"
        f"ukpol_cli.POLICEAPI = {base!r};"
        f"ukpol_cli.POSTCODEURL = {live_server.url + '/postcodes/'!r};"
        "sys.argv[0] = 'ukpol'; ukpol_cli.cli()"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [ukpol_path, *sys.path]))}
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=60, env=env
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return done.stdout


def test_ukpol_cli_every_command(
    base: str, live_server: LiveServer | Served, ukpol_path: str
) -> None:
    area = _ukpol(base, live_server, ukpol_path, "area", "ST31AA")
    assert "Staffordshire Constabulary" in area
    assert "Longton" in area
    assert "longton@example.police.uk" in area
    assert "No Description" in area
    contact = _ukpol(base, live_server, ukpol_path, "contact", "ST31AA")
    assert "telephone" in contact
    force = _ukpol(base, live_server, ukpol_path, "force", "ST31AA")
    assert "https://www.staffordshire.police.uk/" in force
    assert "Facebook" in force
    crimes = _ukpol(base, live_server, ukpol_path, "crimes", "ST31AA", "--date=202502")
    assert "Other Theft" in crimes
    assert "On Or Near Market Street" in crimes
    assert "Something went wrong" not in crimes
    latest = _ukpol(base, live_server, ukpol_path, "crimes", "ST31AA")
    assert "Burglary" in latest


# The fresh server with every LSOA of England and Wales ---------------------------------------

NATIONAL_LSOAS = "geography/lsoa-2011-boundaries-ew-generalised.geojson.gz"
SERVER_START_SECONDS = 120


def _database_url() -> str:
    """The test database, for a server started beside the tests to read what they wrote."""
    settings = connection.settings_dict
    if str(settings["ENGINE"]).endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    host, port = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or 5432
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return f"postgres://{settings['USER']}{password}@{host}:{port}/{settings['NAME']}"


def _serve(tmp_path: Path) -> tuple[subprocess.Popen[str], str]:
    """``beatbook serve`` (two workers, as on two cores), once it says it is running."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    env = dict(
        os.environ,
        DATABASE_URL=_database_url(),
        BEATBOOK_DATA_DIR=str(tmp_path / "data"),
        API_RATE_LIMIT_ENABLED="false",
    )
    env.pop("DATABASE_URL_FILE", None)
    beatbook = Path(sys.executable).with_name("beatbook")
    command = [str(beatbook), "serve", "--port", str(port), "--workers", "2", "--no-worker"]
    server = subprocess.Popen(  # noqa: S603
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert server.stdout is not None
    deadline = time.monotonic() + SERVER_START_SECONDS
    seen = []
    while time.monotonic() < deadline:
        line = server.stdout.readline()
        seen.append(line)
        if "is running at" in line:
            threading.Thread(target=server.stdout.read, daemon=True).start()
            return server, f"http://127.0.0.1:{port}"
        if not line and server.poll() is not None:
            break
    server.terminate()
    raise AssertionError("beatbook serve did not start:\n" + "".join(seen[-40:]))


def _locate_first(base: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The clients' locate calls, all at once, as the fresh workers' first requests."""
    monkeypatch.setattr(uk_police.client.uk_police, "BASE_URL", base.rstrip("/"))
    _uk_police_api(base, monkeypatch)
    answers: dict[str, object] = {}
    errors: list[BaseException] = []

    def call(name: str, locate: object) -> None:
        try:
            answers[name] = locate()  # type: ignore[operator]
        except BaseException as error:  # noqa: BLE001  # reported below, with its client
            errors.append(error)

    api = uk_police_api.PoliceAPI(cache_ttl=None, max_retries=0)
    calls = {
        "uk-police": lambda: uk_police.neighbourhoods.locate_neighbourhood(LAT, LNG),
        "uk-police-api": lambda: api.neighbourhoods.locate(LAT, LNG).neighbourhood,
        "police-api-client": lambda: (
            police_api.PoliceAPI(base_url=base).locate_neighbourhood(LAT, LNG).id
        ),
    }
    threads = [threading.Thread(target=call, args=item) for item in calls.items()]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        api.close()
    assert not errors, errors
    assert answers == {
        "uk-police": {"force": "staffordshire", "neighbourhood": "SOT.LONGTON"},
        "uk-police-api": "SOT.LONGTON",
        "police-api-client": "SOT.LONGTON",
    }


@pytest.mark.slow
def test_every_client_passes_against_a_fresh_server_holding_every_lsoa(
    shared_data: Path,
    live_police_data: PoliceData,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    ukpol_path: str,
) -> None:
    lsoa_boundaries_import(path=shared_data / NATIONAL_LSOAS)
    server, url = _serve(tmp_path)
    base = f"{url}/api/"
    try:
        _locate_first(base, monkeypatch)
        test_police_api_client_every_call(base)
        test_pyrozza_every_call(base)
        test_uk_police_every_call(base)
        test_uk_police_api_every_call(base, monkeypatch)
        test_uk_police_api_async_every_call(base, monkeypatch)
        test_ukpol_cli_every_command(base, Served(url), ukpol_path)
    finally:
        server.terminate()
        server.wait(timeout=60)
