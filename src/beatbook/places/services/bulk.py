"""The bulk write path: COPY on PostgreSQL, executemany on SQLite, in the caller's transaction."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from django.db import connection, models


def bulk_insert_frame(
    *, model: type[models.Model], frame: pd.DataFrame, text_columns: list[str]
) -> int:
    """Insert the frame's rows (its columns named as the model's columns); NaN becomes NULL.

    ``text_columns`` are never NULL: an empty cell is an empty string.
    """
    if frame.empty:
        return 0
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        _copy(table, frame, text_columns)
    else:
        _executemany(table, frame)
    return len(frame)


def _copy(table: str, frame: pd.DataFrame, text_columns: list[str]) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in frame.columns)
    not_null = ", ".join(quote(name) for name in text_columns)
    options = "FORMAT csv, NULL ''" + (f", FORCE_NOT_NULL ({not_null})" if not_null else "")
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, header=False)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN WITH ({options})") as copy,
    ):
        copy.write(buffer.getvalue())


def _executemany(table: str, frame: pd.DataFrame) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(name) for name in frame.columns)
    marks = ", ".join(["%s"] * len(frame.columns))
    # Column by column to Python objects (NA as None), then zipped: far quicker than itertuples.
    values = [frame[name].to_numpy(dtype=object, na_value=None).tolist() for name in frame.columns]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(table)} ({columns}) VALUES ({marks})",  # noqa: S608 (names from the model)
            list(zip(*values, strict=True)),
        )


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
    quote = connection.ops.quote_name
    meta = model._meta
    columns = ", ".join(_column(model, name) for name in fields)
    assignments = ", ".join(
        f"{_column(model, name)} = excluded.{_column(model, name)}" for name in update
    )
    conflict = f"ON CONFLICT ({_column(model, meta.pk.name)}) DO UPDATE SET {assignments}"
    table = quote(meta.db_table)
    if connection.vendor == "postgresql":
        _upsert_by_copy(table, quote(f"staging_{meta.db_table}"), columns, conflict, rows)
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
    return connection.ops.quote_name(str(field.column))
