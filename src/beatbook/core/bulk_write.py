"""The one bulk write path for every app that loads files: ``executemany`` on SQLite, ``COPY``
on PostgreSQL, always in the caller's transaction.

Columns go in as Arrow arrays (``insert_columns``; police.uk files are read into Arrow) or as a
pandas frame (``insert_frame``; the places' files are read with pandas), and rows to merge by
primary key as tuples (``upsert_rows``). The split between the two databases' bulk paths is
made here once, so places and opendata load the same way without importing each other.
"""

from __future__ import annotations

import io
import itertools
from typing import Any, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
from django.db import connection, models

# Rows a COPY sends at a time (under 1 MB of CSV: a month's street file goes in 3-4 slices).
COPY_SLICE_ROWS = 4_096


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def insert_columns(
    *, table: str, columns: dict[str, pa.Array], constants: dict[str, object] | None = None
) -> None:
    """Insert one row per position of ``columns`` (arrays of equal length, named as the table's
    columns), each row also holding ``constants``. A null is NULL; an empty string stays one."""
    if not columns:
        return
    fixed = constants or {}
    if connection.vendor == "postgresql":
        _copy_columns(table, columns, fixed)
    else:
        _executemany_columns(table, columns, fixed)


def insert_frame(*, model: type[models.Model], frame: pd.DataFrame, text_columns: list[str]) -> int:
    """Insert the frame's rows (its columns named as the model's columns); NaN becomes NULL.

    ``text_columns`` are never NULL: an empty or missing cell is an empty string.
    """
    if frame.empty:
        return 0
    data = pa.Table.from_pandas(frame, preserve_index=False)
    columns = {}
    for name in data.column_names:
        values = data.column(name).combine_chunks()
        if name in text_columns:
            values = pc.fill_null(values.cast(pa.string()), "")
        columns[name] = values
    insert_columns(table=model._meta.db_table, columns=columns)
    return len(frame)


def _executemany_columns(
    table: str, columns: dict[str, pa.Array], constants: dict[str, object]
) -> None:
    names = [*columns, *constants]
    sql = (
        f"INSERT INTO {_quote(table)} ({', '.join(_quote(name) for name in names)}) "  # noqa: S608 (names are ours)
        f"VALUES ({', '.join('?' * len(names))})"
    )
    lists = [python_list(values) for values in columns.values()]
    fixed = [itertools.repeat(value) for value in constants.values()]
    # The driver binds straight from these lists: no per-row Python object besides the tuple.
    # Its own connection, so the rows are in the caller's transaction like any other write.
    connection.ensure_connection()
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


def _copy_columns(table: str, columns: dict[str, pa.Array], constants: dict[str, object]) -> None:
    rows = len(next(iter(columns.values())))
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


def upsert_rows(
    *,
    model: type[models.Model],
    fields: list[str],
    update: list[str],
    rows: list[tuple[Any, ...]],
) -> int:
    """Insert rows (values in ``fields`` order), updating ``update`` where the primary key exists.

    One ``INSERT ... ON CONFLICT DO UPDATE``: fed by COPY through a temporary table on
    PostgreSQL, by one executemany on SQLite. JSON fields take JSON text.
    """
    if not rows:
        return 0
    meta = model._meta
    columns = ", ".join(_column(model, name) for name in fields)
    assignments = ", ".join(
        f"{_column(model, name)} = excluded.{_column(model, name)}" for name in update
    )
    conflict = f"ON CONFLICT ({_column(model, meta.pk.name)}) DO UPDATE SET {assignments}"
    table = _quote(meta.db_table)
    if connection.vendor == "postgresql":
        _upsert_by_copy(table, _quote(f"staging_{meta.db_table}"), columns, conflict, rows)
    else:
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) {conflict}"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
    return len(rows)


def _upsert_by_copy(
    table: str, staging: str, columns: str, conflict: str, rows: list[tuple[Any, ...]]
) -> None:
    create = f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA"  # noqa: S608, E501
    insert = f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {staging} {conflict}"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(create)
        with cursor.copy(f"COPY {staging} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(insert)
        cursor.execute(f"DROP TABLE {staging}")


def _column(model: type[models.Model], name: str) -> str:
    """The quoted database column of a concrete field (``force`` -> ``"force_id"``)."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), name
    return _quote(str(field.column))


def tables_analyse(*, models_written: list[type[models.Model]]) -> None:
    """Gives PostgreSQL's planner statistics for tables a bulk load has just filled.

    Until autovacuum gets to them (a minute or more), a table of half a million new rows is
    planned as if it held a handful, and a query joining it can take a thousand times too
    long. SQLite plans from its indexes alone and needs nothing. ANALYZE may run inside the
    caller's transaction; the statistics count once it commits.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models_written:
            cursor.execute(f"ANALYZE {_quote(model._meta.db_table)}")
