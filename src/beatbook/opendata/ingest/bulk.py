"""Bulk mode: load a large batch with the tables' secondary indexes dropped, then rebuild them.

Keeping an index up to date row by row costs more than building it once by sorting: on the
44-month Merseyside archive the crime table's three indexes made up most of the load time.
When a run brings at least as many rows as its tables already hold (a first load, a new force),
the run becomes one transaction: the indexes are dropped, each file loads in a savepoint of its
own (a bad file still rolls back alone), and the indexes are rebuilt before the commit. Both
SQLite and PostgreSQL make index DDL transactional, so a process killed part-way leaves the
tables, and their indexes, exactly as they were before the run.

The price is that readers of those tables on PostgreSQL wait for the run to commit (DROP INDEX
takes an exclusive lock), which is why small runs into big tables keep the indexes in place.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, models, transaction
from django.db.models import Sum

from beatbook.opendata.models import (
    Crime,
    Outcome,
    SourceFile,
    SourceKind,
    SourceStatus,
    StopAndSearch,
)

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
    """The kinds whose tables this run should load with their indexes dropped.

    ``bulk`` True or False forces the choice; None decides by size.
    """
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
        if connection.vendor == "postgresql":
            # Enough memory to build each index in one in-memory sort (the default 64 MB
            # spills a national table's index build to disk); for this transaction only.
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for drop, _create in statements:
            cursor.execute(drop)
        yield
        for _drop, create in statements:
            cursor.execute(create)
