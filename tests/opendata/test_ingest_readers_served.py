"""The open API keeps answering, from the last committed data, while an import runs.

Each test loads a month, then reloads it with an import that stops part-way (its first file's
rows written, the old ones deleted, all still inside the run's transaction) and stays there
while the test asks the API about that month. The test's own connection gives up on any lock
after two seconds (SQLite ``busy_timeout``, PostgreSQL ``lock_timeout``), so a request that would
wait for the import fails at once instead of after the 30 s an import could hold it. Then the
import is let go, and the next answers show the new data.

The import runs on a thread of the test process (Django's writer, as the demo loader and the
task worker run it) and in a process of its own (as ``beatbook ingest`` runs it, through the
ADBC writer on SQLite). "Bulk by size" is what a reload of a whole archive, like Merseyside's
44 months, chooses by itself.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from pytest_django.fixtures import Settings

from beatbook.opendata.ingest import bulk as bulk_module
from beatbook.opendata.ingest.formats import STREET_COLUMNS
from beatbook.opendata.ingest.results import IngestSummary
from beatbook.opendata.ingest.writers import DjangoWriter
from beatbook.opendata.services import ingest_paths
from beatbook.policeapi import examples
from database_locks import waiting_for_locks_at_most

pytestmark = pytest.mark.django_db(transaction=True)

HELD_IMPORT = Path(__file__).with_name("held_import.py")
# A request that did not wait for the import takes milliseconds; one that did, at least the
# two seconds its connection waits for a lock before giving up.
READER_LOCK_WAIT_SECONDS = 2.0
NOT_WAITING_SECONDS = 5.0
HOLD_AT_MOST_SECONDS = 120

BIGDALE = ("-2.875002", "53.486621", "On or near Bigdale Drive", "E01006448", "Knowsley 001A")
MONTH = "2019-09"
POINT = f"lat={BIGDALE[1]}&lng={BIGDALE[0]}"
BULK_MODES = {"bulk by size": "size", "bulk asked for": "yes", "indexes kept": "no"}


def _crime_id(number: int) -> str:
    return f"{number:064x}"


def _street_file(folder: Path, *, crimes: int) -> Path:
    """A police.uk street file for Merseyside, ``MONTH``: ``crimes`` burglaries at Bigdale
    Drive, each with a Crime ID, and one crime with no location."""
    folder.mkdir(parents=True)
    path = folder / f"{MONTH}-merseyside-street.csv"
    police = "Merseyside Police"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(STREET_COLUMNS)
        lng, lat, street, lsoa, lsoa_name = BIGDALE
        for number in range(1, crimes + 1):
            writer.writerow(
                [_crime_id(number), MONTH, police, police, lng, lat, street, lsoa, lsoa_name]
                + ["Burglary", "Under investigation", ""]
            )
        writer.writerow(
            [_crime_id(999), MONTH, police, police, "", "", "No Location", "", ""]
            + ["Violence and sexual offences", "Unable to prosecute suspect", ""]
        )
    return path


def _answers(client: Client) -> dict[str, tuple[int, Any]]:
    """What the API says about the month: every kind of read an import could get in the way of
    (the point query's index, the force-and-month index, the Crime ID index, the locations,
    the import records)."""
    paths = [
        f"/api/crimes-street/all-crime?{POINT}&date={MONTH}",
        f"/api/crimes-at-location?{POINT}&date={MONTH}",
        f"/api/crimes-no-location?category=all-crime&force=merseyside&date={MONTH}",
        f"/api/outcomes-for-crime/{_crime_id(1)}",
        "/api/crime-last-updated",
        "/api/forces",
    ]
    answers = {}
    for path in paths:
        response = client.get(path)
        answers[path] = (response.status_code, response.json())
    return answers


def _crimes_near(answers: dict[str, tuple[int, Any]]) -> int:
    status, crimes = answers[f"/api/crimes-street/all-crime?{POINT}&date={MONTH}"]
    assert status == 200
    return len(crimes)


@pytest.fixture
def loaded(tmp_path: Path, settings: Settings) -> tuple[Path, dict[str, tuple[int, Any]]]:
    """Four burglaries loaded and committed; the reload brings two. The rate limit is on, as
    in production (on SQLite it writes on every request); the answer cache is off, so that
    every answer is read from the tables."""
    settings.API_RATE_LIMIT_ENABLED = True
    settings.API_RESPONSE_CACHE_MB = 0
    [first] = ingest_paths(paths=[_street_file(tmp_path / "before", crimes=4)]).files
    assert first.status == "loaded"
    return _street_file(tmp_path / "after", crimes=2), _answers(Client())


def _size_decides_bulk(monkeypatch: pytest.MonkeyPatch) -> None:
    # As for a reload of a whole archive: as many rows coming as held, and plenty of them.
    monkeypatch.setattr(bulk_module, "BULK_MINIMUM_ROWS", 0)
    monkeypatch.setattr(bulk_module, "BYTES_PER_ROW", 1)


@contextmanager
def _import_held_open_on_a_thread(
    path: Path, bulk: str, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, Any]]:
    reached, release = threading.Event(), threading.Event()
    real = DjangoWriter.source_update

    def paused(self: DjangoWriter, source_id: int, fields: dict[str, object]) -> None:
        real(self, source_id, fields)
        if not reached.is_set():
            reached.set()
            release.wait(HOLD_AT_MOST_SECONDS)

    monkeypatch.setattr(DjangoWriter, "source_update", paused)
    if bulk == "size":
        _size_decides_bulk(monkeypatch)
    choice = {"size": None, "yes": True, "no": False}[bulk]
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["summary"] = ingest_paths(paths=[path], reload=True, bulk=choice)
        except BaseException as error:
            outcome["error"] = error
            reached.set()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert reached.wait(HOLD_AT_MOST_SECONDS), "the import never finished its first file"
        assert "error" not in outcome, outcome.get("error")
        yield outcome
    finally:
        release.set()
        thread.join(HOLD_AT_MOST_SECONDS)


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{settings['USER']}{password}@{settings['HOST']}{port}/{settings['NAME']}"


@contextmanager
def _import_held_open_elsewhere(path: Path, bulk: str, signals: Path) -> Iterator[dict[str, Any]]:
    reached, release = signals / "reached", signals / "release"
    env = {**os.environ, "DATABASE_URL": _database_url()}
    env.pop("DATABASE_URL_FILE", None)
    process = subprocess.Popen(
        [sys.executable, str(HELD_IMPORT), str(reached), str(release), bulk, str(path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    outcome: dict[str, Any] = {}
    try:
        deadline = time.monotonic() + HOLD_AT_MOST_SECONDS
        while not reached.exists():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the import never finished its first file"
            time.sleep(0.02)
        yield outcome
    finally:
        release.touch()
        out, err = process.communicate(timeout=HOLD_AT_MOST_SECONDS)
        outcome["returncode"], outcome["output"], outcome["errors"] = process.returncode, out, err


def _served_during(client: Client) -> dict[str, tuple[int, Any]]:
    with waiting_for_locks_at_most(READER_LOCK_WAIT_SECONDS):
        started = time.monotonic()
        answers = _answers(client)
        elapsed = time.monotonic() - started
    assert elapsed < NOT_WAITING_SECONDS
    return answers


@pytest.mark.parametrize("bulk", BULK_MODES.values(), ids=BULK_MODES.keys())
def test_readers_are_served_the_last_committed_data_while_an_import_runs_in_the_process(
    bulk: str,
    loaded: tuple[Path, dict[str, tuple[int, Any]]],
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reload, before = loaded
    with _import_held_open_on_a_thread(reload, bulk, monkeypatch) as outcome:
        during = _served_during(client)

    assert during == before
    assert _crimes_near(before) == 4
    summary: IngestSummary = outcome["summary"]
    assert [result.status for result in summary.files] == ["loaded"]
    assert _crimes_near(_answers(client)) == 2


@pytest.mark.parametrize("bulk", ["size", "no"], ids=["bulk by size", "indexes kept"])
def test_readers_are_served_the_last_committed_data_while_beatbook_ingest_runs(
    bulk: str,
    loaded: tuple[Path, dict[str, tuple[int, Any]]],
    client: Client,
    tmp_path: Path,
) -> None:
    reload, before = loaded
    with _import_held_open_elsewhere(reload, bulk, tmp_path) as outcome:
        during = _served_during(client)

    assert during == before
    assert outcome["returncode"] == 0, outcome["errors"][-3000:]
    assert [file["status"] for file in json.loads(outcome["output"])] == ["loaded"]
    assert _crimes_near(_answers(client)) == 2


def _every_route(client: Client) -> dict[str, tuple[int, bytes]]:
    """Every route of the API's page of examples, with this data's values filled in."""
    routes = examples.routes(examples.samples())
    answers = {}
    for route in routes:
        response = client.get(f"/api/{route.example}")
        answers[route.example] = (response.status_code, response.content)
    return answers


def test_every_api_route_answers_as_before_while_an_import_holds_its_transaction(
    loaded: tuple[Path, dict[str, tuple[int, Any]]],
    policeuk: Path,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
    settings: Settings,
) -> None:
    """No route writes to the database, or waits on the import's locks, on its way to an
    answer (sessions, the answer cache, the rate limit...)."""
    settings.API_RATE_LIMIT_BURST = 100
    ingest_paths(paths=[policeuk / "good" / "2019-06-greater-manchester-stop-and-search.csv"])
    reload, _ = loaded
    before = _every_route(client)
    with (
        _import_held_open_on_a_thread(reload, "size", monkeypatch),
        waiting_for_locks_at_most(READER_LOCK_WAIT_SECONDS),
    ):
        started = time.monotonic()
        during = _every_route(client)
        elapsed = time.monotonic() - started

    assert len(before) >= 20
    assert all(status < 500 for status, _ in before.values())
    assert during == before
    assert elapsed < NOT_WAITING_SECONDS
