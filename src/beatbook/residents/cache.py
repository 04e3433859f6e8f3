"""Answers that change only when data is imported, cached under the data version.

Crime counts, crime locations, stop and search and the crime chart of a neighbourhood are
worked out from whole tables, but change only when an import runs; every import adds a
``SourceFile`` row, whose newest id and start time is the data version
(``policeapi.cache.data_version``). Keys carry that version, so an import makes every old
answer unreachable at once, in every process, and the cache's own culling drops them later.
Django's cache is used (per process by default; shared if ``CACHES`` names a shared one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

from beatbook.policeapi.cache import DataVersion, data_version

T = TypeVar("T")

_MISSING = object()


def version_key(version: DataVersion) -> str:
    """The data version as text for a cache key (the start time tells apart reused ids)."""
    number, started = version
    return f"{number}-{started.timestamp() if started is not None else 0}"


def current_version() -> str:
    return version_key(data_version())


def cached_for_version(name: str, *, version: str, build: Callable[[], T]) -> T:
    """``build()``'s answer for ``name`` at this data version, worked out once."""
    key = f"beatbook.residents:{name}:{version}"
    value = cache.get(key, _MISSING)
    if value is not _MISSING:
        found: T = value
        return found
    built = build()
    cache.set(key, built, timeout=None)
    return built
