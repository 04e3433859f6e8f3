"""Bulk mode, on SQLite: load a large batch with the tables' secondary indexes dropped, then
rebuild them.

Keeping an index up to date row by row costs more than building it once by sorting: on the
44-month Merseyside archive the crime table's three indexes made up most of SQLite's load time.
When a run brings at least as many rows as its tables already hold (a first load, a new force),
the run becomes one transaction: the indexes are dropped, each file loads in a savepoint of its
own (a bad file still rolls back alone), and the indexes are rebuilt before the commit. SQLite
makes index DDL transactional, so a process killed part-way leaves the tables, and their
indexes, exactly as they were before the run. Web processes read on meanwhile: in WAL mode a
reader sees the last committed schema and rows, indexes included, and re-prepares its
statements once the run commits.

Never on PostgreSQL: there DROP INDEX takes an ACCESS EXCLUSIVE lock on the table until the
run commits, so every reader of the table waited for the whole run (a Merseyside reload kept
the API's crime queries waiting for 45-60 s). Keeping the indexes costs nothing measurable on a
first load there and makes a reload about twice as fast, since a reload's deletes and
before-images find each month through the (force, month) index instead of scanning the table
once a file (ADR 15).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, models, transaction
from django.db.models import Sum

from beatbook.opendata.models import Crime, Outcome, StopAndSearch
from beatbook.records.models import SourceFile, SourceKind, SourceStatus

MODELS: dict[str, type[models.Model]] = {
    SourceKind.STREET: Crime,
    SourceKind.OUTCOMES: Outcome,
    SourceKind.STOP_AND_SEARCH: StopAndSearch,
}
# A street file row is about this many bytes: enough to estimate a run's rows from file sizes.
BYTES_PER_ROW = 215
# Below this, rebuilding indexes costs more than it saves.
BULK_MINIMUM_ROWS = 50_000


def bulk_kinds(*, incoming_bytes: dict[str, int], bulk: bool | None = None) -> list[str]:
    """The kinds whose tables this run should load with their indexes dropped: on SQLite only.

    ``bulk`` True or False forces the choice; None decides by size.
    """
    if connection.vendor != "sqlite":
        return []
    if bulk is not None:
        return [kind for kind in incoming_bytes if kind in MODELS] if bulk else []
    chosen = []
    for kind, size in incoming_bytes.items():
        incoming_rows = size // BYTES_PER_ROW
        if (
            kind in MODELS
            and incoming_rows >= BULK_MINIMUM_ROWS
            and incoming_rows >= _rows_held(kind)
        ):
            chosen.append(kind)
    return chosen


def _rows_held(kind: str) -> int:
    loaded = SourceFile.objects.filter(kind=kind, status=SourceStatus.LOADED)
    return int(loaded.aggregate(rows=Sum("rows_loaded"))["rows"] or 0)


def index_statements(kinds: Sequence[str]) -> list[tuple[str, str]]:
    """(drop, create) SQL for the secondary indexes of the given kinds' tables."""
    # An unentered schema editor only renders SQL; entering one is refused inside a
    # transaction on SQLite, and this must happen inside one.
    editor = connection.schema_editor(atomic=False)
    editor.deferred_sql = []
    return [
        (str(index.remove_sql(model, editor)), str(index.create_sql(model, editor)))
        for model in (MODELS[kind] for kind in kinds)
        for index in model._meta.indexes
    ]


@contextmanager
def indexes_rebuilt_after(kinds: Sequence[str]) -> Iterator[None]:
    """One transaction in which the given kinds' tables load without their secondary indexes."""
    statements = index_statements(kinds)
    if not statements:
        # Not bulk: each file commits on its own.
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        for drop, _create in statements:
            cursor.execute(drop)
        yield
        for _drop, create in statements:
            cursor.execute(create)
