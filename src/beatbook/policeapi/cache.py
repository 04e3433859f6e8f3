"""A per-process cache of the open-data answers (crimes, outcomes, stop and search, months).

Those answers change only when an import runs. An answer is reused only while the data version
it was made at (``records.versions.data_version``, one indexed query per request) is still the
current one, so every process sees an import at its next request without any shared memory.
Team, priority and event answers are not cached: staff edit those at any time, and the events
route carries operations' public activities, which staff change at any time too.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from django.conf import settings

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


@dataclass(frozen=True)
class Entry:
    version: str
    body: bytes
    content_type: str
    content_encoding: str


class ResponseCache:
    """Least-recently-used answers, up to a total size in bytes."""

    def __init__(self) -> None:
        self._entries: OrderedDict[tuple[str, bool], Entry] = OrderedDict()
        self._bytes = 0
        self._lock = Lock()

    def get(self, key: tuple[str, bool], version: str) -> Entry | None:
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
