"""SQLite through ADBC: Arrow columns bound in C, every write of a run on one connection.

Python's ``sqlite3`` binds each value of each row from a Python object; ADBC's SQLite driver
binds straight from the Arrow arrays the ingest already holds, about three times as fast
(ADR 6). The price is a connection of its own, so this writer does everything a run writes,
and reads back while it writes, on that connection: provenance rows, deletes, the outcomes a
reload replaces, locations, rows, and bulk mode's index drop and rebuild, with the same
transactions and savepoints Django would have used. It applies the same pragmas as Django's
connection (``init_command``: WAL, ``synchronous``, ``busy_timeout``, in-memory sorts) and
turns foreign-key checks on as Django does.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import adbc_driver_sqlite.dbapi
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from django.db import connection

from beatbook.opendata.ingest.loaders import (
    LOCATION_COLUMNS,
    LOCATION_TABLE,
    OUTCOMES_BEFORE_SQL,
    SQLITE_CACHE_KIB,
    Loader,
)
from beatbook.opendata.ingest.results import LoadedSource
from beatbook.places.models import Neighbourhood
from beatbook.places.spatial import PolygonIndex
from beatbook.records.models import SourceFile, SourceStatus

SOURCE_TABLE = SourceFile._meta.db_table
SOURCE_FIELDS = {field.attname: field for field in SourceFile._meta.concrete_fields}
_STAGED_LOCATIONS = "ingest_location"


class AdbcSqliteWriter:
    """A run's writes on one ADBC connection; ``open`` after Django's connection is closed."""

    def __init__(
        self, *, database: str, init_command: str, indexes: Sequence[tuple[str, str]]
    ) -> None:
        self._database = database
        self._pragmas = [part.strip() for part in init_command.split(";") if part.strip()]
        self._indexes = list(indexes)
        self._connection: Any = None
        self._cursor: Any = None
        self._depth = 0
        self._savepoints = itertools.count(1)
        self._neighbourhoods: dict[str, PolygonIndex] = {}

    def open(self) -> None:
        # Autocommit, so that BEGIN IMMEDIATE, savepoints and COMMIT are ours to issue.
        self._connection = adbc_driver_sqlite.dbapi.connect(self._database, autocommit=True)
        self._cursor = self._connection.cursor()
        for pragma in [
            *self._pragmas,
            "PRAGMA foreign_keys = ON",
            f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}",
        ]:
            self._run(pragma)
        self._run(
            f"CREATE TEMP TABLE IF NOT EXISTS {_STAGED_LOCATIONS} "
            "(id INTEGER, latitude REAL, longitude REAL, name TEXT, easting INTEGER, "
            "northing INTEGER)"
        )

    def close(self) -> None:
        if self._connection is None:
            return
        # Should anything have opened Django's connection meanwhile, close it while ADBC's
        # still holds nothing but an idle connection (see writers.writer_for_run).
        connection.close()
        self._cursor.close()
        self._connection.close()
        self._connection = self._cursor = None

    @property
    def loader(self) -> Loader:
        return self

    def _run(self, sql: str, parameters: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        self._cursor.execute(sql, list(parameters) if parameters else None)
        if self._cursor.description is None:
            return []
        return list(self._cursor.fetchall())

    # Transactions --------------------------------------------------------------------------

    def transaction(self) -> AbstractContextManager[None]:
        return self._transaction()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """A transaction, or inside one a savepoint: all or nothing, like ``atomic``."""
        outermost = self._depth == 0
        name = f"ingest_{next(self._savepoints)}"
        # IMMEDIATE takes the write lock up front (waiting up to busy_timeout), rather than
        # failing to upgrade a read lock half-way through a file.
        self._run("BEGIN IMMEDIATE" if outermost else f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if outermost:
                self._run("ROLLBACK")
            else:
                self._run(f"ROLLBACK TO {name}")
                self._run(f"RELEASE {name}")
            raise
        self._depth -= 1
        self._run("COMMIT" if outermost else f"RELEASE {name}")

    def bulk(self, kinds: Sequence[str]) -> AbstractContextManager[None]:
        return self._bulk()

    @contextmanager
    def _bulk(self) -> Iterator[None]:
        """One transaction with the secondary indexes dropped, rebuilt before it commits."""
        if not self._indexes:
            yield
            return
        with self._transaction():
            for drop, _create in self._indexes:
                self._run(drop)
            yield
            for _drop, create in self._indexes:
                self._run(create)

    # Provenance ----------------------------------------------------------------------------

    def current(self, *, kind: str, force_id: str, month: str) -> LoadedSource | None:
        rows = self._run(
            f"SELECT id, sha256, rows_loaded FROM {SOURCE_TABLE} "  # noqa: S608 (names are ours)
            "WHERE kind = ? AND force_id = ? AND month = ? AND status = ? "
            "ORDER BY id DESC LIMIT 1",
            [kind, force_id, month, SourceStatus.LOADED.value],
        )
        return LoadedSource(int(rows[0][0]), str(rows[0][1]), int(rows[0][2])) if rows else None

    def source_create(self, fields: dict[str, object]) -> int:
        unknown = set(fields) - set(SOURCE_FIELDS)
        if unknown:
            raise TypeError(f"SourceFile has no field(s) {', '.join(sorted(unknown))}")
        values = {
            name: field.get_default() if name not in fields else fields[name]
            for name, field in SOURCE_FIELDS.items()
            if not field.primary_key
        }
        names = ", ".join(values)
        marks = ", ".join("?" * len(values))
        rows = self._run(
            f"INSERT INTO {SOURCE_TABLE} ({names}) VALUES ({marks}) RETURNING id",  # noqa: S608
            _db_values(values),
        )
        return int(rows[0][0])

    def source_update(self, source_id: int, fields: dict[str, object]) -> None:
        settings = ", ".join(f"{name} = ?" for name in fields)
        self._run(
            f"UPDATE {SOURCE_TABLE} SET {settings} WHERE id = ?",  # noqa: S608
            [*_db_values(fields), source_id],
        )

    def sources_replaced(self, *, kind: str, force_id: str, month: str, keep_id: int) -> None:
        self._run(
            f"UPDATE {SOURCE_TABLE} SET status = ? "  # noqa: S608
            "WHERE kind = ? AND force_id = ? AND month = ? AND status = ? AND id <> ?",
            [
                SourceStatus.REPLACED.value,
                kind,
                force_id,
                month,
                SourceStatus.LOADED.value,
                keep_id,
            ],
        )

    def outcomes_before(self, *, force_id: str, month: str) -> pd.DataFrame:
        rows = self._run(OUTCOMES_BEFORE_SQL, [force_id, month])
        return pd.DataFrame(rows, columns=["persistent_id", "outcome"])

    def neighbourhoods(self, force_id: str) -> PolygonIndex:
        if force_id not in self._neighbourhoods:
            meta = Neighbourhood._meta
            rows = self._run(
                f"SELECT {meta.pk.column}, {meta.get_field('boundary').column} "  # noqa: S608
                f"FROM {meta.db_table} WHERE {meta.get_field('force').column} = ?",
                [force_id],
            )
            self._neighbourhoods[force_id] = PolygonIndex.from_geojson(rows)
        return self._neighbourhoods[force_id]

    # Rows ----------------------------------------------------------------------------------

    def delete(self, *, table: str, force_id: str, month: str) -> int:
        self._run(
            f'DELETE FROM "{table}" WHERE force_id = ? AND month = ?',  # noqa: S608
            [force_id, month],
        )
        return int(self._run("SELECT changes()")[0][0])

    def insert_locations(self, *, locations: pa.Table) -> None:
        if locations.num_rows == 0:
            return
        names = ", ".join(LOCATION_COLUMNS)
        self._cursor.adbc_ingest(
            _STAGED_LOCATIONS,
            locations.select(list(LOCATION_COLUMNS)),
            mode="append",
            temporary=True,
        )
        self._run(
            f"INSERT INTO {LOCATION_TABLE} ({names}) "  # noqa: S608
            f"SELECT {names} FROM temp.{_STAGED_LOCATIONS} WHERE true "
            "ON CONFLICT (id) DO NOTHING"
        )
        self._run(f"DELETE FROM temp.{_STAGED_LOCATIONS}")  # noqa: S608

    def insert_rows(
        self, *, table: str, columns: dict[str, pa.Array], constants: dict[str, object]
    ) -> None:
        rows = len(next(iter(columns.values()))) if columns else 0
        if rows == 0:
            return
        arrays = {name: _for_sqlite(values) for name, values in columns.items()}
        for name, value in constants.items():
            arrays[name] = pa.repeat(pa.scalar(value), rows)
        self._cursor.adbc_ingest(table, pa.table(arrays), mode="append")


def _db_values(fields: dict[str, object]) -> list[object]:
    """Each value as Django would store it on SQLite (UTC text times, JSON text)."""
    return [
        SOURCE_FIELDS[name].get_db_prep_save(value, connection) for name, value in fields.items()
    ]


def _for_sqlite(values: pa.Array) -> pa.Array:
    """Values as Django keeps them in SQLite: aware times as UTC text, booleans as 0 and 1."""
    if pa.types.is_timestamp(values.type):
        utc = pc.cast(values, pa.timestamp("us", tz="UTC"))
        return pc.strftime(utc, "%Y-%m-%d %H:%M:%S")
    if pa.types.is_boolean(values.type):
        return pc.cast(values, pa.int64())
    return values
