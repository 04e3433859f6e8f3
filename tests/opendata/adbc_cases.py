"""The ADBC writer on SQLite: the same rows as Django's writer, and the same all-or-nothing files.

These tests commit for real (``transaction=True``): a run inside a caller's transaction writes
through Django's connection instead, so only committed tests reach the ADBC path.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import adbc_driver_manager
import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import Model

from beatbook.opendata.ingest.adbc_sqlite import AdbcSqliteWriter
from beatbook.opendata.models import Crime, Location, StopAndSearch
from beatbook.opendata.services import ingest_paths
from beatbook.places.models import Neighbourhood
from beatbook.places.spatial import forget_cached_indexes
from beatbook.records.models import SourceFile

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _sqlite_file_only(transactional_db: None) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the ADBC writer is for SQLite files; PostgreSQL writes with COPY")


@pytest.fixture
def adbc_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each time the ADBC writer opens, the database it opened."""
    opened: list[str] = []
    real_open = AdbcSqliteWriter.open

    def spy(self: AdbcSqliteWriter) -> None:
        opened.append(self._database)
        real_open(self)

    monkeypatch.setattr(AdbcSqliteWriter, "open", spy)
    return opened


def _rows(model: type[Model], leave_out: tuple[str, ...] = ("id", "source_id")) -> list[tuple]:
    names = [f.attname for f in model._meta.concrete_fields if f.attname not in leave_out]
    return sorted(model.objects.values_list(*names), key=repr)


def _everything() -> dict[str, list[tuple]]:
    return {
        "crimes": _rows(Crime),
        "stops": _rows(StopAndSearch),
        "locations": _rows(Location, leave_out=()),
        "sources": _rows(SourceFile, leave_out=("id", "started_at", "finished_at")),
    }


def _forget_loaded() -> None:
    for model in (Crime, StopAndSearch, SourceFile, Location):
        model.objects.all().delete()


def test_adbc_writes_exactly_what_django_writes(policeuk: Path, adbc_runs: list[str]) -> None:
    forget_cached_indexes()
    Neighbourhood.objects.create(
        force_id="merseyside",
        code="KIRKBY",
        name="Kirkby",
        boundary={
            "type": "Polygon",
            "coordinates": [
                [[-2.89, 53.47], [-2.86, 53.47], [-2.86, 53.5], [-2.89, 53.5], [-2.89, 53.47]]
            ],
        },
        min_lat=53.47,
        max_lat=53.5,
        min_lng=-2.89,
        max_lng=-2.86,
    )
    # The rejected rows file is for the same (force, month) as a good one, which replaces it
    # in a second run (one run loads each force and month once).
    runs = [[policeuk / "bad" / "outside-uk"], [policeuk / "good"]]
    through_adbc = [
        ingest_paths(arrow_writer=True, paths=paths, skip_invalid_rows=True) for paths in runs
    ]
    assert adbc_runs == [connection.settings_dict["NAME"]] * 2
    by_adbc = _everything()
    _forget_loaded()

    with transaction.atomic():
        through_django = [
            ingest_paths(arrow_writer=True, paths=paths, skip_invalid_rows=True) for paths in runs
        ]

    assert adbc_runs == [connection.settings_dict["NAME"]] * 2, "a caller's transaction is joined"
    assert [r.status for run in through_adbc for r in run.files] == ["loaded"] * 4
    assert [run.rows_loaded for run in through_adbc] == [run.rows_loaded for run in through_django]
    assert [run.rows_rejected for run in through_adbc] == [
        run.rows_rejected for run in through_django
    ]
    assert through_adbc[0].rows_rejected > 0
    assert through_adbc[1].files[1].rows_replaced > 0
    assert by_adbc == _everything()
    assert SourceFile.objects.exclude(rejections=[]).exists()
    for source in SourceFile.objects.all():
        assert source.finished_at is not None
        assert source.started_at.tzinfo is not None
        assert source.started_at <= source.finished_at
    assert Crime.objects.exclude(neighbourhood=None).exists()
    stop = StopAndSearch.objects.order_by("datetime").first()
    assert stop is not None
    assert (stop.datetime.isoformat(), stop.removal_of_more_than_outer_clothing) == (
        "2019-05-31T23:01:00+00:00",
        False,
    )


def test_a_file_failing_half_way_through_adbc_changes_nothing(
    policeuk: Path, monkeypatch: pytest.MonkeyPatch, adbc_runs: list[str]
) -> None:
    path = policeuk / "good" / "2019-09-merseyside-street.csv"
    [first] = ingest_paths(arrow_writer=True, paths=[path]).files
    real_insert = AdbcSqliteWriter.insert_rows

    def insert_then_fail(self: AdbcSqliteWriter, **kwargs: Any) -> None:
        real_insert(self, **kwargs)  # the old rows deleted, the new ones in: then it breaks
        raise DatabaseError("disk full (simulated)")

    monkeypatch.setattr(AdbcSqliteWriter, "insert_rows", insert_then_fail)
    [failed] = ingest_paths(arrow_writer=True, paths=[path], reload=True).files

    assert len(adbc_runs) == 2
    assert (failed.status, failed.message) == ("failed", "disk full (simulated)")
    assert set(Crime.objects.values_list("source_id", flat=True)) == {first.source_id}
    assert Crime.objects.count() == 6
    statuses = dict(SourceFile.objects.values_list("id", "status"))
    assert statuses == {first.source_id: "loaded", failed.source_id: "failed"}


def _crime_indexes() -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Crime._meta.db_table)
    return {name for name, info in constraints.items() if info["index"] and not info["primary_key"]}


def test_a_bulk_run_through_adbc_fails_a_bad_file_alone_and_rebuilds_the_indexes(
    policeuk: Path, adbc_runs: list[str]
) -> None:
    indexes = _crime_indexes()
    good = policeuk / "good" / "2025-06-staffordshire-street.csv"
    bad = policeuk / "bad" / "outside-uk" / "2019-09-merseyside-street.csv"

    summary = ingest_paths(arrow_writer=True, paths=[good, bad], bulk=True)
    [reloaded] = ingest_paths(arrow_writer=True, paths=[good], bulk=True, reload=True).files

    assert len(adbc_runs) == 2
    assert [result.status for result in summary.files] == ["loaded", "failed"]
    assert (reloaded.status, reloaded.rows_replaced) == ("loaded", 3)
    assert Crime.objects.count() == 3
    assert set(Crime.objects.values_list("source_id", flat=True)) == {reloaded.source_id}
    assert SourceFile.objects.get(status="failed").message.startswith(str(bad))
    assert _crime_indexes() == indexes
    assert {"crime_force_month", "crime_month_latlng", "crime_month_persistent_id"} <= indexes


HOLD_THE_WRITE_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("holding", flush=True)
sys.stdin.read()
db.execute("ROLLBACK")
"""


def _ingest_or_error(path: Path) -> str:
    try:
        [result] = ingest_paths(arrow_writer=True, paths=[path]).files
    except adbc_driver_manager.Error as exc:
        return str(exc)
    return f"{result.status}: {result.message}"


def test_the_run_waits_for_another_writer_as_long_as_busy_timeout_says(
    policeuk: Path, adbc_runs: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = policeuk / "good" / "2019-09-merseyside-street.csv"
    monkeypatch.setitem(
        connection.settings_dict["OPTIONS"], "init_command", "PRAGMA busy_timeout=50;"
    )
    # Another process: two SQLite libraries in one process do not lock each other out.
    other = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_WRITE_LOCK, connection.settings_dict["NAME"]],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert other.stdout is not None
        assert other.stdout.readline() == b"holding\n"
        blocked = _ingest_or_error(path)
    finally:
        other.communicate(b"", timeout=30)
    [loaded] = ingest_paths(arrow_writer=True, paths=[path]).files

    # The file fails (or, when not even its failure can be recorded, the run stops) saying so.
    assert "locked" in blocked
    assert loaded.status == "loaded"
    assert Crime.objects.count() == 6


def test_a_later_release_through_adbc_keeps_the_later_outcomes_and_no_duplicates(
    shared_data: Path, tmp_path: Path, adbc_runs: list[str]
) -> None:
    policeuk = shared_data / "policeuk"
    months = ("2019-09", "2019-10", "2019-11", "2019-12")
    later_zip = tmp_path / "later.zip"
    with (
        zipfile.ZipFile(policeuk / "merseyside-2018-2021.zip") as archive,
        zipfile.ZipFile(later_zip, "w") as out,
    ):
        for name in archive.namelist():
            if name.startswith(months):
                out.writestr(name, archive.read(name))
    ingest_paths(
        arrow_writer=True, paths=[policeuk / "merseyside-2019-09-to-12-earlier-release.zip"]
    )

    later = ingest_paths(arrow_writer=True, paths=[later_zip])
    again = ingest_paths(arrow_writer=True, paths=[later_zip])

    assert len(adbc_runs) == 3
    assert [result.status for result in later.files] == ["loaded"] * 4
    assert [result.status for result in again.files] == ["unchanged"] * 4
    assert later.outcomes_changed > 100
    assert Crime.objects.count() == later.rows_loaded
    for result in later.files:
        assert set(
            Crime.objects.filter(month=result.month).values_list("source_id", flat=True)
        ) == {result.source_id}
    assert SourceFile.objects.filter(status="replaced").count() == 4


def test_uncommitted_work_of_the_callers_keeps_the_django_writer(
    policeuk: Path, adbc_runs: list[str]
) -> None:
    transaction.set_autocommit(False)
    try:
        [result] = ingest_paths(
            arrow_writer=True, paths=[policeuk / "good" / "2019-09-merseyside-street.csv"]
        ).files
        transaction.commit()
    finally:
        transaction.set_autocommit(True)

    assert adbc_runs == []
    assert result.status == "loaded"
    assert Crime.objects.count() == 6
