"""A per-process cache of the open-data answers (crimes, outcomes, stop and search, months).

Those answers change only when an import runs, and every import, whatever its outcome, adds a
``SourceFile`` row: the newest row (its id and start time, since SQLite hands a rolled-back id
out again) is the data's version, read with one indexed query per request. An answer is reused
only while the version it was made at is still the newest, so every process sees an import at
its next request without any shared memory. Team, priority and event answers are not cached:
staff edit those at any time.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from threading import Lock

from django.conf import settings

from beatbook.opendata.models import SourceFile

CACHEABLE_PREFIXES = (
    "/api/crimes-street/",
    "/api/crimes-at-location",
    "/api/crimes-no-location",
    "/api/crime-categories",
    "/api/crime-last-updated",
    "/api/crimes-street-dates",
    "/api/outcomes-for-crime/",
    "/api/outcomes-at-location",
    "/api/stops-",
)


# The newest import record as (id, start time); (0, None) before any import.
DataVersion = tuple[int, datetime | None]


@dataclass(frozen=True)
class Entry:
    version: DataVersion
    body: bytes
    content_type: str
    content_encoding: str


class ResponseCache:
    """Least-recently-used answers, up to a total size in bytes."""

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[str, bool], Entry] = OrderedDict()
        self._bytes = 0
        self._lock = Lock()

    def get(self, key: tuple[str, bool], version: DataVersion) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.version != version:
                return None
            self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple[str, bool], entry: Entry, *, max_bytes: int) -> None:
        # One answer may take at most a tenth of the cache, so a few huge areas cannot empty it.
        if len(entry.body) > max_bytes // 10:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[key] = entry
            self._bytes += len(entry.body)
            while self._bytes > max_bytes and self._entries:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.body)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


RESPONSES = ResponseCache()


def cache_bytes() -> int:
    return int(settings.API_RESPONSE_CACHE_MB) * 1024 * 1024


def is_cacheable(path: str) -> bool:
    return cache_bytes() > 0 and path.startswith(CACHEABLE_PREFIXES)


def data_version() -> DataVersion:
    """The newest import record: any import, loaded or failed, changes it."""
    newest = SourceFile.objects.order_by("-id").values_list("id", "started_at").first()
    return (0, None) if newest is None else newest
