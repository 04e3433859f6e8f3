"""Where an ingest run writes: Django's connection, or on SQLite an Arrow-native ADBC one.

Everything a run writes or reads back while it writes (provenance rows, the file already
loaded for a (force, month, kind), the outcomes a reload replaces, neighbourhood boundaries)
goes through one ``Writer``, so that each file's changes are in one transaction on one
connection whichever writer it is. See ADR 6 for why SQLite gets its own connection.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Protocol

import adbc_driver_manager
import pandas as pd
from django.db import DatabaseError, connection, transaction

from beatbook.opendata.ingest.adbc_sqlite import AdbcSqliteWriter
from beatbook.opendata.ingest.bulk import index_statements, indexes_rebuilt_after
from beatbook.opendata.ingest.loaders import OUTCOMES_BEFORE_SQL, Loader, loader_for_connection
from beatbook.opendata.ingest.results import LoadedSource
from beatbook.places.spatial import PolygonIndex, neighbourhood_index
from beatbook.records.models import SourceFile, SourceStatus

# What a failed write raises, whichever writer it was: the file fails and is reported.
WRITE_ERRORS: tuple[type[Exception], ...] = (DatabaseError, adbc_driver_manager.Error)


class Writer(Protocol):
    """One run's database session: each file in ``transaction()``, inside ``bulk()``."""

    @property
    def loader(self) -> Loader: ...

    def transaction(self) -> AbstractContextManager[None]: ...

    def bulk(self, kinds: Sequence[str]) -> AbstractContextManager[None]: ...

    def current(self, *, kind: str, force_id: str, month: str) -> LoadedSource | None: ...

    def source_create(self, fields: dict[str, object]) -> int: ...

    def source_update(self, source_id: int, fields: dict[str, object]) -> None: ...

    def sources_replaced(self, *, kind: str, force_id: str, month: str, keep_id: int) -> None: ...

    def outcomes_before(self, *, force_id: str, month: str) -> pd.DataFrame: ...

    def neighbourhoods(self, force_id: str) -> PolygonIndex: ...


class DjangoWriter:
    """Django's own connection: COPY on PostgreSQL, ``executemany`` on SQLite."""

    def __init__(self) -> None:
        self._loader = loader_for_connection()
        # Boundaries do not change during a run: look each force's up once, not once a file.
        self._neighbourhoods: dict[str, PolygonIndex] = {}

    @property
    def loader(self) -> Loader:
        return self._loader

    def transaction(self) -> AbstractContextManager[None]:
        return transaction.atomic()

    def bulk(self, kinds: Sequence[str]) -> AbstractContextManager[None]:
        return indexes_rebuilt_after(kinds)

    def current(self, *, kind: str, force_id: str, month: str) -> LoadedSource | None:
        found = (
            SourceFile.objects.filter(
                kind=kind, force_id=force_id, month=month, status=SourceStatus.LOADED
            )
            .order_by("-id")
            .values_list("id", "sha256", "rows_loaded")
            .first()
        )
        return None if found is None else LoadedSource(int(found[0]), str(found[1]), int(found[2]))

    def source_create(self, fields: dict[str, object]) -> int:
        return int(SourceFile.objects.create(**fields).pk)

    def source_update(self, source_id: int, fields: dict[str, object]) -> None:
        SourceFile.objects.filter(pk=source_id).update(**fields)

    def sources_replaced(self, *, kind: str, force_id: str, month: str, keep_id: int) -> None:
        SourceFile.objects.filter(
            kind=kind, force_id=force_id, month=month, status=SourceStatus.LOADED
        ).exclude(pk=keep_id).update(status=SourceStatus.REPLACED)

    def outcomes_before(self, *, force_id: str, month: str) -> pd.DataFrame:
        with connection.cursor() as cursor:
            cursor.execute(OUTCOMES_BEFORE_SQL.replace("?", "%s"), [force_id, month])
            return pd.DataFrame(cursor.fetchall(), columns=["persistent_id", "outcome"])

    def neighbourhoods(self, force_id: str) -> PolygonIndex:
        if force_id not in self._neighbourhoods:
            self._neighbourhoods[force_id] = neighbourhood_index(force_id=force_id)
        return self._neighbourhoods[force_id]


@contextmanager
def writer_for_run(*, bulk_kinds: Sequence[str], arrow: bool = False) -> Iterator[Writer]:
    """The writer for this run: with ``arrow``, ADBC on a SQLite file when Django is not
    mid-transaction; otherwise Django's connection.

    Only a process that does nothing but ingest may ask for ``arrow`` (``beatbook ingest``):
    with ADBC no other thread of the process may have the SQLite file open until the run ends,
    not even a connection a finished thread left for the garbage collector to close (ADR 6).
    Inside a transaction of the caller's the run must see and join it, so it writes through
    Django's connection like on PostgreSQL.
    """
    database = _adbc_sqlite_database() if arrow else None
    if database is None:
        yield DjangoWriter()
        return
    writer = AdbcSqliteWriter(
        database=database,
        init_command=str(connection.settings_dict.get("OPTIONS", {}).get("init_command", "")),
        indexes=index_statements(bulk_kinds),
    )
    # Two SQLite libraries (Python's and ADBC's) in one process must not both have the file
    # open: closing one's file descriptor drops the other's POSIX locks. Django's connection is
    # closed before ADBC's opens, and the run touches the database only through ADBC's.
    connection.close()
    try:
        writer.open()
        yield writer
    finally:
        writer.close()


def _adbc_sqlite_database() -> str | None:
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return None
    if not connection.get_autocommit():
        # Work of the caller's not yet committed: closing the connection would lose it.
        return None
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    return name
