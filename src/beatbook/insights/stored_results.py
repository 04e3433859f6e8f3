"""Finished results of the analysis pages, shared by every process through the database.

A hotspot map, a trend report or a forecast takes seconds to minutes to work out, and used to be
kept in each web process's memory: every gunicorn worker paid for it again. Now each result is
stored once (``AnalysisResult``), keyed by the page's kind and settings, and stamped with the
version of the data it was made from; it is served to every process until that data changes.

Who makes a result:

- the background worker, after each import, for the settings a page opens on (the periodic job
  ``analysis_results_refresh_due``, listed in ``site.worker.periodic_jobs``);
- the worker again, through a task, when a page asks for settings nobody has asked for since the
  data changed. The page waits a moment for it, then says that the result is being prepared and
  checks again by itself (``result_obtain``);
- the request itself only where tasks run where they are queued (``TASKS_BACKEND`` other than
  the database: tests, and a site run without a worker by design).

Whoever makes a result claims its row first (a conditional UPDATE and a lease, as the back-test
refresh does), so two processes never make the same one at once, and a maker that dies lets
another take over. A result is never served to someone who may not see every force it shows.
"""

from __future__ import annotations

import hashlib
import logging
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pandas as pd
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string

from beatbook.insights.models import AnalysisResult

logger = logging.getLogger(__name__)

# How long a page waits for the worker before saying the result is being prepared.
WAIT_SECONDS = 1.0
POLL_SECONDS = 0.1
# A maker renews nothing: a result that takes longer than this is taken over by another.
CLAIM_LEASE = timedelta(minutes=15)
# A request for a result is sent to the worker again if nothing came of it for this long.
REQUEST_AGAIN_AFTER = timedelta(minutes=2)

SLOW_KINDS = {"forecast"}
QUICK_PRIORITY, SLOW_PRIORITY = 10, -10

# kind -> (the function that builds the spec from its parameters, the one that makes it)
KINDS: dict[str, tuple[str, str]] = {
    "hotspots": (
        "beatbook.insights.hotspot_maps.hotspot_result_spec",
        "beatbook.insights.hotspot_maps.hotspot_result_make",
    ),
    "trends": (
        "beatbook.insights.area_trends.trends_result_spec",
        "beatbook.insights.area_trends.trends_result_make",
    ),
    "forecast": (
        "beatbook.insights.forecast_views.forecast_result_spec",
        "beatbook.insights.forecast_views.forecast_result_make",
    ),
}


@dataclass(frozen=True)
class ResultSpec:
    """What to make: the kind of page, its settings (plain JSON), the forces whose data it
    shows, and the version of that data now."""

    kind: str
    params: dict[str, Any]
    force_ids: tuple[str, ...]
    version: str

    @property
    def stamp(self) -> str:
        """The version stored with the result: the data's, and the analysis code's, so that
        results made by older code (another layout, another method) are made again."""
        return f"{code_version()}/{self.version}"

    @property
    def data_part(self) -> str:
        """The version of the data itself; after a ``|``, what is derived from it and may be
        made while the result is (a forecast's quick back-test)."""
        return self.version.split("|", 1)[0]

    @property
    def key(self) -> str:
        text = self.kind.encode() + b"|" + orjson.dumps(self.params, option=orjson.OPT_SORT_KEYS)
        return hashlib.sha256(text).hexdigest()


@dataclass(frozen=True)
class Outcome:
    """A result (``payload``), a plain-English reason there is none (``error``), or neither:
    it is being prepared (since ``preparing_since``)."""

    payload: dict[str, Any] | None = None
    error: str = ""
    preparing_since: datetime | None = None

    @property
    def ready(self) -> bool:
        return self.payload is not None or bool(self.error)


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the analysis code (``beatbook.analysis``, ``common`` and ``insights``)."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for folder in ("analysis", "common", "insights"):
        for path in sorted((root / folder).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def result_spec(kind: str, params: dict[str, Any]) -> ResultSpec:
    """The spec of ``kind`` for ``params``, with the data version as it is now."""
    if kind not in KINDS:
        raise ValueError(f"There is no kind of analysis result called {kind!r}.")
    build: Callable[[dict[str, Any]], ResultSpec] = import_string(KINDS[kind][0])
    return build(params)


def _plain(value: Any) -> Any:
    """What orjson cannot write by itself: pandas' missing values and NumPy scalars."""
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, bytes):
        return value.decode()
    raise TypeError(f"Cannot store a {type(value).__name__} in an analysis result")


def pack(payload: dict[str, Any]) -> bytes:
    data = orjson.dumps(
        payload, default=_plain, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS
    )
    return zlib.compress(data, 6)


def unpack(blob: bytes | memoryview) -> dict[str, Any]:
    loaded: dict[str, Any] = orjson.loads(zlib.decompress(bytes(blob)))
    return loaded


def result_read(spec: ResultSpec) -> Outcome | None:
    """The stored result for ``spec`` if it was made from the data held now."""
    row = (
        AnalysisResult.objects.filter(key=spec.key, version=spec.stamp, made_at__isnull=False)
        .values_list("payload", "error")
        .first()
    )
    if row is None:
        return None
    payload, error = row
    if error:
        return Outcome(error=error)
    return None if payload is None else Outcome(payload=unpack(payload))


def _row(spec: ResultSpec) -> AnalysisResult:
    row, _ = AnalysisResult.objects.get_or_create(
        key=spec.key,
        defaults={"kind": spec.kind, "params": spec.params, "force_ids": list(spec.force_ids)},
    )
    return row


def result_make(spec: ResultSpec, *, now: datetime | None = None) -> Outcome | None:
    """Make and store the result now, unless it is stored already or another process is making
    it (then None). A ValueError from the maker is the plain-English reason the settings give
    no result: it is stored and shown like a result."""
    moment = now or timezone.now()
    row = _row(spec)
    token = get_random_string(32)
    taken = (
        AnalysisResult.objects.filter(pk=row.pk)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=moment))
        .update(claimed_until=moment + CLAIM_LEASE, claim_token=token, claimed_version=spec.stamp)
    )
    if taken != 1:
        return None
    found = result_read(spec)
    if found is not None:
        _release(row.pk, token)
        return found
    make: Callable[[dict[str, Any]], dict[str, Any]] = import_string(KINDS[spec.kind][1])
    started = time.perf_counter()
    try:
        outcome = Outcome(payload=make(spec.params))
    except ValueError as error:
        outcome = Outcome(error=str(error))
    except BaseException:
        logger.exception("Making the %s result %s failed", spec.kind, spec.params)
        _release(row.pk, token)
        raise
    AnalysisResult.objects.filter(pk=row.pk, claim_token=token).update(
        version=_version_made(spec),
        payload=None if outcome.payload is None else pack(outcome.payload),
        error=outcome.error,
        made_at=timezone.now(),
        seconds=time.perf_counter() - started,
        force_ids=list(spec.force_ids),
        claimed_until=None,
        claim_token="",
    )
    return outcome


def _version_made(spec: ResultSpec) -> str:
    """The version to store: as read before the data was (an import meanwhile leaves the result
    stale, never mislabelled), unless only what making it derived has changed since, such as the
    quick back-test a forecast stores, which later reads will see."""
    after = result_spec(spec.kind, spec.params)
    return after.stamp if after.data_part == spec.data_part else spec.stamp


def _release(row_id: int, token: str) -> None:
    AnalysisResult.objects.filter(pk=row_id, claim_token=token).update(
        claimed_until=None, claim_token=""
    )


def result_request(spec: ResultSpec, *, now: datetime | None = None) -> datetime:
    """Ask the worker for the result (once, however many pages ask); since when it was asked."""
    moment = now or timezone.now()
    row = _row(spec)
    not_asked_lately = (
        ~Q(claimed_version=spec.stamp)
        | Q(requested_at__isnull=True)
        | Q(requested_at__lte=moment - REQUEST_AGAIN_AFTER)
    )
    not_being_made = Q(claimed_until__isnull=True) | Q(claimed_until__lte=moment)
    asked = AnalysisResult.objects.filter(not_asked_lately, not_being_made, pk=row.pk).update(
        requested_at=moment, claimed_version=spec.stamp
    )
    if asked == 1:
        from beatbook.insights.tasks import analysis_result_task

        # The worker takes tasks one at a time: quick maps and reports go before forecasts.
        priority = SLOW_PRIORITY if spec.kind in SLOW_KINDS else QUICK_PRIORITY
        task = analysis_result_task.using(priority=priority)
        task.enqueue(kind=spec.kind, params=spec.params)
        return moment
    since = AnalysisResult.objects.filter(pk=row.pk).values_list("requested_at", flat=True).first()
    return since or moment


def may_see(spec: ResultSpec, allowed_force_ids: list[str] | None) -> bool:
    """Whether someone who may see ``allowed_force_ids`` (None: every force) may see it."""
    return allowed_force_ids is None or set(spec.force_ids) <= set(allowed_force_ids)


def result_obtain(
    spec: ResultSpec,
    *,
    allowed_force_ids: list[str] | None,
    wait: float = WAIT_SECONDS,
) -> Outcome:
    """The result for a page: stored, or made by the worker within ``wait`` seconds, or
    (neither) being prepared. PermissionDenied if it shows a force the person may not see."""
    if not may_see(spec, allowed_force_ids):
        raise PermissionDenied("That result shows a force you do not work in.")
    found = result_read(spec)
    if found is not None:
        return found
    since = result_request(spec)
    for _ in _polls(wait):
        found = result_read(spec) or _read_as_made(spec)
        if found is not None:
            return found
    return Outcome(preparing_since=since)


def _read_as_made(spec: ResultSpec) -> Outcome | None:
    """The result stored under the version it was made with, where making it changed only what
    it derives (``_version_made``): a forecast's quick back-test, stored while it was made."""
    after = result_spec(spec.kind, spec.params)
    if after.stamp == spec.stamp or after.data_part != spec.data_part:
        return None
    return result_read(after)


def _polls(wait: float) -> Iterator[None]:
    """One read at once (tasks that run where they are queued have already finished), then one
    every ``POLL_SECONDS`` until ``wait`` is up."""
    deadline = time.monotonic() + wait
    yield
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        yield
