"""The leaky bucket: 15 requests a second, bursts of 30, 429 with Retry-After, shared by every
process, and never made to wait by an import holding the database's locks."""

from __future__ import annotations

import logging
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from pytest_django.fixtures import Settings

from beatbook.core.bucket_store import BUSY_TIMEOUT_SECONDS, bucket_file
from beatbook.core.models import RateBucket
from beatbook.core.ratelimit import rate_buckets_prune, rate_limit_check
from database_locks import waiting_for_locks_at_most

BEATBOOK = Path(sys.executable).with_name("beatbook")
# Far above what a rate-limit check costs, far below the 30 s an import's lock could hold one.
NOT_WAITING_SECONDS = 5.0


def _bucket_keys() -> set[str]:
    path = bucket_file()
    if path is None:
        return set(RateBucket.objects.values_list("key", flat=True))
    with sqlite3.connect(path) as database:
        return {row[0] for row in database.execute("SELECT key FROM bucket")}


@pytest.mark.django_db
def test_a_burst_of_thirty_is_let_through_and_the_thirty_first_waits() -> None:
    decisions = [rate_limit_check(key="ip:a", rate=15, burst=30, now=1000.0) for _ in range(31)]
    assert all(d.allowed for d in decisions[:30])
    assert not decisions[30].allowed
    assert decisions[30].retry_after == 1


@pytest.mark.django_db
def test_the_bucket_drains_at_the_rate() -> None:
    for _ in range(30):
        rate_limit_check(key="ip:a", rate=15, burst=30, now=1000.0)
    # A second later fifteen have drained away: fifteen more fit, not sixteen.
    later = [rate_limit_check(key="ip:a", rate=15, burst=30, now=1001.0) for _ in range(16)]
    assert [d.allowed for d in later] == [True] * 15 + [False]
    # Refused requests pour nothing in: a client that waits is served again.
    assert rate_limit_check(key="ip:a", rate=15, burst=30, now=1001.1).allowed


@pytest.mark.django_db
def test_each_client_has_its_own_bucket() -> None:
    for _ in range(3):
        rate_limit_check(key="ip:a", rate=1, burst=3, now=50.0)
    assert not rate_limit_check(key="ip:a", rate=1, burst=3, now=50.0).allowed
    assert rate_limit_check(key="ip:b", rate=1, burst=3, now=50.0).allowed


@pytest.mark.django_db
def test_retry_after_says_how_long_to_wait() -> None:
    for _ in range(2):
        rate_limit_check(key="ip:slow", rate=0.25, burst=2, now=10.0)
    refused = rate_limit_check(key="ip:slow", rate=0.25, burst=2, now=10.0)
    assert (refused.allowed, refused.retry_after) == (False, 4)


@pytest.mark.django_db
def test_drained_buckets_are_pruned_whatever_their_rate() -> None:
    rate_limit_check(key="ip:old", rate=15, burst=30, now=100.0)
    # Five an hour: one poured at 100 s has not drained by 200 s, though the API's would have.
    rate_limit_check(key="ask:slow", rate=5 / 3600, burst=5, now=100.0)
    rate_limit_check(key="ip:new", rate=15, burst=30, now=200.0)

    assert rate_buckets_prune(now=200.0) == 1
    assert _bucket_keys() == {"ask:slow", "ip:new"}


@pytest.mark.django_db
def test_the_api_answers_429_with_retry_after(client: Client, settings: Settings) -> None:
    settings.API_RATE_LIMIT_ENABLED = True
    settings.API_RATE_LIMIT_PER_SECOND = 0.5
    settings.API_RATE_LIMIT_BURST = 3
    # The first request loads the API's code (seconds on a busy machine, while buckets drain).
    client.get("/api/forces", REMOTE_ADDR="10.0.0.3")
    codes = [client.get("/api/forces").status_code for _ in range(3)]
    refused = client.get("/api/forces")
    assert codes == [200, 200, 200]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    # Another address, and the site's own pages, are not affected.
    assert client.get("/api/forces", REMOTE_ADDR="10.0.0.2").status_code == 200
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_trusted_proxy_forwards_the_client_address(client: Client, settings: Settings) -> None:
    settings.API_RATE_LIMIT_ENABLED = True
    settings.API_RATE_LIMIT_BURST = 1
    settings.API_TRUST_X_FORWARDED_FOR = True
    assert client.get("/api/forces", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 200
    assert client.get("/api/forces", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert client.get("/api/forces", HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


@pytest.mark.django_db
def test_on_a_sqlite_file_the_buckets_are_kept_in_a_file_of_their_own() -> None:
    path = bucket_file()
    if path is None:
        pytest.skip("PostgreSQL keeps the buckets in a table")
    rate_limit_check(key="ip:beside", rate=15, burst=30)

    assert path.parent == Path(connection.settings_dict["NAME"]).parent
    assert _bucket_keys() == {"ip:beside"}
    assert not RateBucket.objects.exists()


@contextmanager
def _an_import_holding_its_locks() -> Iterator[None]:
    """Another connection in the middle of an import's transaction: on SQLite holding the
    database's one write lock, on PostgreSQL an exclusive lock on the crime table."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        other = sqlite3.connect(settings["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("DELETE FROM opendata_crime")
    else:
        import psycopg

        other = psycopg.connect(  # type: ignore[assignment]
            dbname=settings["NAME"],
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            host=settings["HOST"],
            port=settings["PORT"] or None,
        )
        other.execute("LOCK TABLE opendata_crime IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        other.rollback()
        other.close()


@pytest.mark.django_db(transaction=True)
def test_the_limit_never_waits_for_an_import(client: Client, settings: Settings) -> None:
    settings.API_RATE_LIMIT_ENABLED = True
    with waiting_for_locks_at_most(2.0), _an_import_holding_its_locks():
        started = time.monotonic()
        decision = rate_limit_check(key="ip:during-import", rate=15, burst=30)
        response = client.get("/api/forces")
        elapsed = time.monotonic() - started

    assert decision.allowed
    assert response.status_code == 200
    assert elapsed < NOT_WAITING_SECONDS


@pytest.mark.django_db(transaction=True)
def test_when_its_own_file_is_locked_the_limit_lets_requests_through(
    caplog: pytest.LogCaptureFixture,
) -> None:
    path = bucket_file()
    if path is None:
        pytest.skip("PostgreSQL keeps the buckets in a table")
    rate_limit_check(key="ip:first", rate=15, burst=30)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with caplog.at_level(logging.WARNING, logger="beatbook.core.bucket_store"):
            started = time.monotonic()
            decisions = [rate_limit_check(key="ip:locked", rate=1, burst=1) for _ in range(3)]
            elapsed = time.monotonic() - started
    finally:
        holder.rollback()
        holder.close()

    assert all(decision.allowed for decision in decisions)
    assert elapsed < 3 * BUSY_TIMEOUT_SECONDS + NOT_WAITING_SECONDS
    assert "request let through" in caplog.text
    # Once the file is free again, the limit applies again.
    assert rate_limit_check(key="ip:after", rate=1, burst=1).allowed
    assert not rate_limit_check(key="ip:after", rate=1, burst=1).allowed


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server_database(tmp_path: Path) -> Iterator[str]:
    """A database of its own for the server: a SQLite file, or on the PostgreSQL pass a fresh
    PostgreSQL database beside the test database (dropped afterwards)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if "postgresql" not in str(database["ENGINE"]):
        yield f"sqlite:///{tmp_path / 'serve.sqlite3'}"
        return
    import psycopg

    name = f"beatbook_rate_limit_{os.getpid()}"
    user, password = database.get("USER") or "postgres", database.get("PASSWORD") or ""
    host, port = database.get("HOST") or "127.0.0.1", database.get("PORT") or 5432
    admin = f"postgresql://{user}:{password}@{host}:{port}/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name}")
        connection.execute(f"CREATE DATABASE {name}")
    try:
        yield f"postgres://{user}:{password}@{host}:{port}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def four_worker_server(tmp_path: Path, server_database: str) -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "BEATBOOK_DATA_DIR": str(tmp_path),
        "DATABASE_URL": server_database,
        "API_RATE_LIMIT_ENABLED": "true",
        "API_RATE_LIMIT_PER_SECOND": "1",
        "API_RATE_LIMIT_BURST": "10",
    }
    env.pop("DATABASE_URL_FILE", None)
    process = subprocess.Popen(
        [str(BEATBOOK), "serve", "--port", str(port), "--workers", "4", "--no-access-log"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        assert process.stdout is not None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if "Beatbook is running at" in line:
                break
            if not line and process.poll() is not None:
                pytest.fail("beatbook serve stopped before it was running")
        yield f"http://127.0.0.1:{port}/api/forces"
    finally:
        process.terminate()
        process.wait(timeout=30)


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_the_limit_holds_across_several_server_processes(four_worker_server: str) -> None:
    started = time.monotonic()
    # A fresh connection each time, so gunicorn spreads the requests over its four workers.
    codes = [_status(four_worker_server) for _ in range(30)]
    elapsed = time.monotonic() - started
    served = codes.count(200)
    assert set(codes) == {200, 429}
    # A bucket per process would have let all 30 through (four buckets of ten).
    assert 10 <= served <= 10 + int(elapsed) + 1
