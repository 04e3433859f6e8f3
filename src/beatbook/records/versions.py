"""The data version: the one stamp that every cache of imported data is keyed on.

Imported data changes only when an import runs, and every import, whatever its outcome, adds a
``SourceFile`` row (``records.models``). So the newest matching row says whether anything has
changed since an answer was made. Its id alone is not enough: SQLite hands out a rolled-back
row's id again, so an import that failed and was rolled back, then one that loaded, would share
an id. The stamp is the newest id *and* the newest start time, which no later import repeats.

Callers narrow the rows to what their answer depends on: the open API and the residents' pages
take every import; an analysis page takes its forces' street-level crime and the places imports
that draw its areas.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Max, QuerySet

from beatbook.records.models import SourceFile

T = TypeVar("T")

_MISSING = object()


def version_stamp(newest_id: int | None, newest_start: datetime | None) -> str:
    """The version as text: ``0.0`` before any matching import."""
    moment = newest_start.timestamp() if newest_start is not None else 0
    return f"{newest_id or 0}.{moment:.6f}"


def _records(
    *,
    kinds: Collection[str] = (),
    other_than: Collection[str] = (),
    force_ids: Collection[str] | None = None,
    status: str | None = None,
) -> QuerySet[SourceFile]:
    rows = SourceFile.objects.all()
    if kinds:
        rows = rows.filter(kind__in=list(kinds))
    if other_than:
        rows = rows.exclude(kind__in=list(other_than))
    if force_ids is not None:
        rows = rows.filter(force_id__in=list(force_ids))
    if status is not None:
        rows = rows.filter(status=status)
    return rows


def data_version(
    *,
    kinds: Collection[str] = (),
    other_than: Collection[str] = (),
    force_ids: Collection[str] | None = None,
    status: str | None = None,
) -> str:
    """The version of the imports that match: of every import when nothing is named.

    One indexed query: the newest matching row, by id.
    """
    rows = _records(kinds=kinds, other_than=other_than, force_ids=force_ids, status=status)
    newest = rows.order_by("-id").values_list("id", "started_at").first()
    return version_stamp(*newest) if newest is not None else version_stamp(None, None)


def data_versions_by_force(
    *, kinds: Collection[str], status: str | None = None, force_ids: Collection[str] | None = None
) -> dict[str, str]:
    """``data_version`` of each force with a matching import, in one query."""
    rows = _records(kinds=kinds, force_ids=force_ids, status=status).filter(force__isnull=False)
    grouped = rows.values("force_id").annotate(newest=Max("id"), started=Max("started_at"))
    return {
        row["force_id"]: version_stamp(row["newest"], row["started"])
        for row in grouped.values("force_id", "newest", "started")
    }


def cached_for_version(name: str, *, version: str, build: Callable[[], T]) -> T:
    """``build()``'s answer for ``name`` at this data version, worked out once.

    Django's cache is used (per process by default; shared if ``CACHES`` names a shared one).
    Keys carry the version, so an import makes every older answer unreachable at once, in
    every process, and the cache's own culling drops them later.
    """
    key = f"beatbook.records:{name}:{version}"
    value = cache.get(key, _MISSING)
    if value is not _MISSING:
        found: T = value
        return found
    built = build()
    cache.set(key, built, timeout=None)
    return built
