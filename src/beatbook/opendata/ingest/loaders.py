"""The ingest's loaders: deletes, locations and rows, inside the caller's transaction. Rows go
through the one bulk write path (``beatbook.core.bulk_write``: ``executemany`` on SQLite,
``COPY`` on PostgreSQL); the locations' conflict handling is the ingest's own."""

from __future__ import annotations

from typing import Protocol

import pyarrow as pa
from django.db import connection

from beatbook.core.bulk_write import insert_columns, python_list

LOCATION_TABLE = "opendata_location"
LOCATION_COLUMNS = ("id", "latitude", "longitude", "name", "easting", "northing")
# The Crime IDs and outcomes a reload of a street file replaces ("?" marks, SQLite's style).
OUTCOMES_BEFORE_SQL = (
    "SELECT persistent_id, outcome FROM opendata_crime "
    "WHERE force_id = ? AND month = ? AND persistent_id <> ''"
)
# SQLite's page cache for the ingest connection (KiB, negative by SQLite's convention): index
# pages of a month stay in memory between statements instead of being re-read.
SQLITE_CACHE_KIB = 262_144


class Loader(Protocol):
    def delete(self, *, table: str, force_id: str, month: str) -> int: ...

    def insert_locations(self, *, locations: pa.Table) -> None: ...

    def insert_rows(
        self, *, table: str, columns: dict[str, pa.Array], constants: dict[str, object]
    ) -> None: ...


def loader_for_connection() -> Loader:
    if connection.vendor == "sqlite":
        return SqliteLoader()
    return PostgresLoader()


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def delete_rows(*, table: str, force_id: str, month: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {_quote(table)} WHERE force_id = %s AND month = %s",  # noqa: S608 (names are ours)
            [force_id, month],
        )
        return int(cursor.rowcount)


class SqliteLoader:
    def __init__(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")

    def delete(self, *, table: str, force_id: str, month: str) -> int:
        return delete_rows(table=table, force_id=force_id, month=month)

    def insert_locations(self, *, locations: pa.Table) -> None:
        names = ", ".join(LOCATION_COLUMNS)
        marks = ", ".join("?" * len(LOCATION_COLUMNS))
        sql = f"INSERT INTO {LOCATION_TABLE} ({names}) VALUES ({marks}) ON CONFLICT (id) DO NOTHING"  # noqa: S608
        lists = [python_list(locations.column(name).combine_chunks()) for name in LOCATION_COLUMNS]
        connection.connection.executemany(sql, zip(*lists, strict=True))

    def insert_rows(
        self, *, table: str, columns: dict[str, pa.Array], constants: dict[str, object]
    ) -> None:
        insert_columns(table=table, columns=columns, constants=constants)


class PostgresLoader:
    def delete(self, *, table: str, force_id: str, month: str) -> int:
        return delete_rows(table=table, force_id=force_id, month=month)

    def insert_locations(self, *, locations: pa.Table) -> None:
        """One statement, the points as arrays: a round trip a file, not four."""
        if locations.num_rows == 0:
            return
        names = ", ".join(LOCATION_COLUMNS)
        types = ("bigint", "float8", "float8", "text", "integer", "integer")
        arrays = ", ".join(f"%s::{kind}[]" for kind in types)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {LOCATION_TABLE} ({names}) "  # noqa: S608 (names are ours)
                f"SELECT * FROM unnest({arrays}) ON CONFLICT (id) DO NOTHING",
                [locations.column(name).to_pylist() for name in LOCATION_COLUMNS],
            )

    def insert_rows(
        self, *, table: str, columns: dict[str, pa.Array], constants: dict[str, object]
    ) -> None:
        insert_columns(table=table, columns=columns, constants=constants)
