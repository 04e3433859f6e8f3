"""``beatbook ingest``: the command, a fresh database, and being killed mid-way."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from beatbook.opendata.models import Crime

REPO = Path(__file__).resolve().parents[2]
BEATBOOK = [sys.executable, "-c", "from beatbook.cli import main; main()"]


@pytest.mark.django_db
def test_the_command_prints_a_summary(policeuk: Path) -> None:
    out = StringIO()
    call_command("ingest", str(policeuk / "good"), stdout=out)

    text = out.getvalue()
    assert "Loaded 12 rows" in text
    assert "2019-09-merseyside-street.csv" in text
    assert Crime.objects.count() == 9


@pytest.mark.django_db
def test_the_command_exits_1_and_prints_the_error_when_a_file_fails(policeuk: Path) -> None:
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("ingest", str(policeuk / "bad" / "latin1"), stdout=out)

    assert exit_info.value.code == 1
    assert "the file is not UTF-8" in out.getvalue()


@pytest.mark.django_db
def test_the_command_names_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file or folder"):
        call_command("ingest", str(tmp_path / "nope.zip"))


def _env(database: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["DATABASE_URL"] = f"sqlite:///{database}"
    env["BEATBOOK_DATA_DIR"] = str(database.parent)
    return env


def test_it_works_on_a_fresh_empty_database(tmp_path: Path, policeuk: Path) -> None:
    database = tmp_path / "x.sqlite3"
    path = policeuk / "good" / "2025-06-staffordshire-street.csv"
    done = subprocess.run(
        [*BEATBOOK, "ingest", str(path)],
        env=_env(database),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM opendata_crime").fetchone() == (3,)


def test_killing_the_ingest_mid_way_leaves_only_whole_files(
    tmp_path: Path, shared_data: Path
) -> None:
    database = tmp_path / "killed.sqlite3"
    process = subprocess.Popen(
        [
            *BEATBOOK,
            "ingest",
            "--keep-indexes",
            str(shared_data / "policeuk" / "merseyside-2018-2021.zip"),
        ],
        env=_env(database),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    try:
        _wait_for_loaded_files(database, at_least=2, timeout=120)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)

    with sqlite3.connect(database) as db:
        loaded = db.execute(
            "SELECT id, month, rows_loaded FROM opendata_sourcefile WHERE status = 'loaded'"
        ).fetchall()
        counts = dict(
            db.execute(
                "SELECT source_id, count(*) FROM opendata_crime GROUP BY source_id"
            ).fetchall()
        )
    assert 2 <= len(loaded) < 44
    assert counts == {source_id: rows for source_id, _month, rows in loaded}


def _wait_for_loaded_files(database: Path, *, at_least: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with sqlite3.connect(database, timeout=1) as db:
                (count,) = db.execute(
                    "SELECT count(*) FROM opendata_sourcefile WHERE status = 'loaded'"
                ).fetchone()
            if count >= at_least:
                return
        except sqlite3.OperationalError:
            pass  # the schema is not there yet
        time.sleep(0.05)
    raise AssertionError("the ingest did not load any file in time")


def test_killing_a_bulk_ingest_mid_way_leaves_the_database_as_it_was(
    tmp_path: Path, shared_data: Path
) -> None:
    database = tmp_path / "bulk-killed.sqlite3"
    process = subprocess.Popen(
        [*BEATBOOK, "ingest", str(shared_data / "policeuk" / "merseyside-2018-2021.zip")],
        env=_env(database),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=tmp_path,
    )
    try:
        # Bulk mode commits nothing until the end: wait until the run has written a good part
        # of its transaction to the write-ahead log, then kill it.
        _wait_for_file_size(database.with_name(database.name + "-wal"), 40_000_000, timeout=120)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)

    with sqlite3.connect(database) as db:
        crimes = db.execute("SELECT count(*) FROM opendata_crime").fetchone()
        loaded = db.execute(
            "SELECT count(*) FROM opendata_sourcefile WHERE status = 'loaded'"
        ).fetchone()
        indexes = {
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = 'opendata_crime'"
            )
        }
    assert crimes == (0,)
    assert loaded == (0,)
    assert {"crime_force_month", "crime_month_latlng"} <= indexes


def _wait_for_file_size(path: Path, size: int, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size >= size:
            return
        time.sleep(0.05)
    raise AssertionError(f"{path} did not reach {size} bytes in {timeout} s")
