"""Bulk writers: SQLite ``executemany`` and PostgreSQL ``COPY``, inside the caller's transaction."""

from __future__ import annotations

import io
import itertools
from typing import Protocol, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
from django.db import connection

LOCATION_TABLE = "opendata_location"
LOCATION_COLUMNS = ("id", "latitude", "longitude", "name", "easting", "northing")
# The Crime IDs and outcomes a reload of a street file replaces ("?" marks, SQLite's style).
OUTCOMES_BEFORE_SQL = (
    "SELECT persistent_id, outcome FROM opendata_crime "
    "WHERE force_id = ? AND month = ? AND persistent_id <> ''"
)
# Rows a COPY sends at a time (under 1 MB of CSV: a month's street file goes in 3-4 slices).
COPY_SLICE_ROWS = 4_096
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
        names = [*columns, *constants]
        sql = (
            f"INSERT INTO {_quote(table)} ({', '.join(_quote(name) for name in names)}) "  # noqa: S608
            f"VALUES ({', '.join('?' * len(names))})"
        )
        lists = [python_list(values) for values in columns.values()]
        fixed = [itertools.repeat(value) for value in constants.values()]
        # The driver binds straight from these lists: no per-row Python object besides the tuple.
        connection.connection.executemany(sql, zip(*lists, *fixed, strict=False))


def python_list(values: pa.Array) -> list[object]:
    """A column as Python values for the sqlite3 driver, as cheaply as arrow allows."""
    kind = values.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return _strings(values)
    if pa.types.is_timestamp(kind):
        # Django keeps aware datetimes in SQLite as UTC text.
        utc = pc.cast(values, pa.timestamp("us", tz="UTC"))
        return cast("list[object]", pc.strftime(utc, "%Y-%m-%d %H:%M:%S").to_pylist())
    if pa.types.is_boolean(kind):
        return cast("list[object]", values.to_pylist())
    if values.null_count == 0:
        return cast("list[object]", values.to_numpy(zero_copy_only=False).tolist())
    filled = pc.fill_null(values, 0).to_numpy(zero_copy_only=False).astype(object)
    filled[values.is_null().to_numpy(zero_copy_only=False)] = None
    return cast("list[object]", filled.tolist())


def _strings(values: pa.Array) -> list[object]:
    encoded = pc.dictionary_encode(values)
    distinct = len(encoded.dictionary)
    if distinct * 4 > len(values):
        return cast("list[object]", values.to_pylist())
    # Few distinct values (months, names, categories): decode each once and share the objects.
    decoded = np.array([*encoded.dictionary.to_pylist(), None], dtype=object)
    indices = pc.fill_null(encoded.indices, distinct).to_numpy(zero_copy_only=False)
    return cast("list[object]", decoded[indices].tolist())


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
        rows = len(next(iter(columns.values()))) if columns else 0
        arrays = {name: _for_copy(values) for name, values in columns.items()}
        for name, value in constants.items():
            arrays[name] = pa.repeat(pa.scalar(value), rows)
        with connection.cursor() as cursor:
            _copy(cursor, table, list(arrays), pa.table(arrays))


def _for_copy(values: pa.Array) -> pa.Array:
    if pa.types.is_timestamp(values.type):
        utc = pc.cast(values, pa.timestamp("us", tz="UTC"))
        return pc.strftime(utc, "%Y-%m-%d %H:%M:%S+00")
    return values


def _copy(cursor: object, table: str, names: list[str], data: pa.Table) -> None:
    """COPY in CSV form: quoting every value that is there makes '' an empty string and a bare
    empty field a NULL, which is exactly what the text and nullable columns need.

    Sent in slices, so that the server parses one while the next is being written.
    """
    columns = ", ".join(_quote(name) for name in names)
    sql = f"COPY {_quote(table)} ({columns}) FROM STDIN WITH (FORMAT csv)"
    options = pcsv.WriteOptions(include_header=False, quoting_style="all_valid")
    with cursor.copy(sql) as copy:  # type: ignore[attr-defined]
        for batch in data.to_batches(max_chunksize=COPY_SLICE_ROWS):
            buffer = io.BytesIO()
            pcsv.write_csv(batch, buffer, options)
            copy.write(buffer.getbuffer())
