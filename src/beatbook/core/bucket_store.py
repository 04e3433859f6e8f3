"""Where the rate limiter's leaky buckets are kept: see ``beatbook.core.ratelimit``.

On PostgreSQL (and an in-memory SQLite database, which only one process can see) they are rows
of the ``RateBucket`` model, updated through Django's connection. On a SQLite file they are in
a SQLite file of their own beside it, updated through a connection of this module's (one per
process and thread), with its own write-ahead log and lock: an import holding the main file's
write lock for minutes never holds this one, and nothing else holds it for longer than one
bucket's update.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from pathlib import Path

from django.apps import apps
from django.db import connection, models

logger = logging.getLogger(__name__)

# How long a request may wait for the buckets' file before it is let through unlimited. Other
# web processes hold its lock for tens of microseconds at a time, so this is reached only if
# something is wrong with the file.
BUSY_TIMEOUT_SECONDS = 0.25
# At most one warning a minute per process about buckets out of reach.
_WARN_EVERY = 60.0
TABLE = "bucket"

# One statement per request: the bucket's level drained for the time since its last request,
# plus this one if it fits. ``{x}`` are the parameters, named once each.
_UPSERT = """
INSERT INTO {table} (key, level, updated, allowed, empty_at)
VALUES ({key}, 1, {now}, {first_fits}, {now} + 1.0 / {rate})
ON CONFLICT (key) DO UPDATE SET
    level = {poured},
    allowed = ({drained} + 1 <= {burst}),
    empty_at = excluded.updated + {poured} / {rate},
    updated = excluded.updated
RETURNING level, allowed
"""
_POURED = "CASE WHEN {drained} + 1 <= {burst} THEN {drained} + 1 ELSE {drained} END"
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    key TEXT PRIMARY KEY,
    level REAL NOT NULL,
    updated REAL NOT NULL,
    allowed INTEGER NOT NULL,
    empty_at REAL NOT NULL
) WITHOUT ROWID
"""

_local = threading.local()
_last_warning = 0.0


def upsert_sql(*, table: str, greatest: str, mark: str) -> str:
    """The UPSERT for ``table``, with parameters as ``mark`` formats a name (``%(name)s``...)."""
    names = {name: mark.format(name) for name in ("key", "now", "first_fits", "rate", "burst")}
    drained = (
        f"{greatest}(0.0, {table}.level - (excluded.updated - {table}.updated) * {names['rate']})"
    )
    poured = _POURED.format(drained=drained, burst=names["burst"])
    return _UPSERT.format(table=table, drained=drained, poured=poured, **names)


Parameters = dict[str, str | float | bool]


def _parameters(*, key: str, rate: float, burst: int, now: float) -> Parameters:
    return {"key": key, "now": now, "first_fits": burst >= 1, "rate": rate, "burst": burst}


def bucket_file() -> Path | None:
    """The SQLite file the buckets are kept in, or None where they are rows of a table."""
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    return bucket_file_beside(Path(name))


def bucket_file_beside(database: Path) -> Path:
    """The buckets' file for the SQLite database file ``database``."""
    return database.with_name(f"{database.stem}-ratelimit{database.suffix or '.sqlite3'}")


def pour(*, key: str, rate: float, burst: int, now: float) -> tuple[float, bool] | None:
    """Pour one into ``key``'s bucket: (its level after, whether this one fitted), or None if
    the buckets could not be reached in time."""
    parameters = _parameters(key=key, rate=rate, burst=burst, now=now)
    path = bucket_file()
    if path is None:
        return _pour_in_table(parameters)
    try:
        row = _file_connection(path).execute(_file_upsert(), parameters).fetchone()
    except sqlite3.Error as error:
        _forget_connection(path)
        _warn(f"rate-limit buckets in {path} out of reach ({error}): request let through")
        return None
    return float(row[0]), bool(row[1])


def prune(*, now: float) -> int:
    """Delete the buckets that have drained empty by ``now``."""
    path = bucket_file()
    if path is None:
        deleted, _ = _model()._default_manager.filter(empty_at__lt=now).delete()
        return int(deleted)
    try:
        cursor = _file_connection(path).execute(f"DELETE FROM {TABLE} WHERE empty_at < ?", [now])  # noqa: S608
    except sqlite3.Error as error:
        _forget_connection(path)
        _warn(f"rate-limit buckets in {path} out of reach ({error}): not pruned")
        return 0
    return int(cursor.rowcount)


def forget_all() -> None:
    """Empty the buckets' file, where there is one (tests start each case from empty buckets:
    unlike a table's rows, the file's are not rolled back with the test's transaction)."""
    path = bucket_file()
    if path is not None and path.exists():
        _file_connection(path).execute(f"DELETE FROM {TABLE}")  # noqa: S608


def _model() -> type[models.Model]:
    # Looked up at call time, so that importing this module never needs the app registry.
    return apps.get_model("core", "RateBucket")


def _pour_in_table(parameters: Parameters) -> tuple[float, bool]:
    table = connection.ops.quote_name(_model()._meta.db_table)
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    with connection.cursor() as cursor:
        cursor.execute(upsert_sql(table=table, greatest=greatest, mark="%({})s"), parameters)
        level, allowed = cursor.fetchone()
    return float(level), bool(allowed)


def _file_upsert() -> str:
    return upsert_sql(table=TABLE, greatest="MAX", mark=":{}")


def _file_connection(path: Path) -> sqlite3.Connection:
    """This thread's connection to the buckets' file, opened (and the table made) on first use.

    Kept per process as well as per thread: a connection must never be used on both sides of
    a fork, nor closed on the child's side (closing would drop the parent's file locks).
    """
    connections: dict[tuple[int, Path], sqlite3.Connection] = _local.__dict__.setdefault(
        "connections", {}
    )
    key = (os.getpid(), path)
    if key not in connections:
        connections[key] = _open(path)
    return connections[key]


def _open(path: Path) -> sqlite3.Connection:
    # Autocommit: each UPSERT is its own transaction, holding the lock for microseconds.
    database = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    try:
        database.execute("PRAGMA journal_mode=WAL")
        # In WAL mode: no flush to disk per update, only at checkpoints.
        database.execute("PRAGMA synchronous=NORMAL")
        database.execute(_SCHEMA)
    except sqlite3.Error:
        database.close()
        raise
    return database


def _forget_connection(path: Path) -> None:
    connections = _local.__dict__.get("connections", {})
    stale = connections.pop((os.getpid(), path), None)
    if stale is not None:
        stale.close()


def _warn(message: str) -> None:
    global _last_warning
    moment = time.monotonic()
    if moment - _last_warning >= _WARN_EVERY or _last_warning == 0.0:
        _last_warning = moment
        logger.warning(message)
