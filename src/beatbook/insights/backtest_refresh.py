"""Keep every force's headline back-tests current: the worker's periodic job (ADR 12).

``backtests_refresh_due`` runs every minute in ``beatbook worker``. It compares each force's
data version (its newest street-level import and its LSOAs) with the stored back-tests of the
headline categories, counted on the default cells, and re-runs the ones that are missing,
stale, incomplete (a quick back-test of the fast methods only) or not over the latest months:
every method, scored on the last 12 months held (fewer when fewer are held), each fitted on up
to 36 months before it. It takes them one at a time, claiming each row with a conditional
UPDATE and a lease, so two workers never run the same one and a worker that dies lets another
take over once the lease runs out. Finding nothing to do costs three small queries.

Polling the import records, rather than hooking the imports, catches every way data arrives
(``beatbook ingest`` from a shell, the demo loader, an import started from the admin, a
writer on a connection of its own) and never runs inside, or slows, an import.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import get_random_string

from beatbook.analysis.backtest_settings import DEFAULT_CELL_SIZE, BacktestSettings
from beatbook.analysis.forecast.methods import METHODS
from beatbook.insights.backtest_store import (
    HEADLINE_CATEGORIES,
    is_complete,
)
from beatbook.insights.forecast_data import data_versions
from beatbook.insights.forecast_services import backtest_run
from beatbook.insights.models import Backtest
from beatbook.insights.selectors import months_held_by_force

logger = logging.getLogger(__name__)

REFRESH_MONTHS = 12
# A worker renews its claim while it works (at most once a minute, between two fits), so one
# that died lets go of the row this long after its last sign of life.
CLAIM_LEASE = timedelta(minutes=10)
RENEW_EVERY = 60.0
# A back-test that failed on some data is tried again after this, or at once on new data.
RETRY_AFTER = timedelta(hours=1)
# One sweep stops taking new back-tests after this long; the next sweep works out afresh what
# is due, so a newer import's back-tests do not wait behind a list made before it.
SWEEP_BUDGET = timedelta(minutes=10)


@dataclass(frozen=True)
class Due:
    force_id: str
    category: str
    version: str
    month_from: str
    month_to: str


@dataclass(frozen=True)
class RefreshSummary:
    refreshed: list[str]
    failed: list[str]

    def __str__(self) -> str:
        if not self.refreshed and not self.failed:
            return "Every headline back-test is current."
        return f"Back-tests re-run: {len(self.refreshed)}; failed: {len(self.failed)}."


def refresh_months(held: list[str]) -> tuple[str, str] | None:
    """The months a full back-test scores: the last ``REFRESH_MONTHS`` held (the first month
    held has nothing before it, so is never scored)."""
    if len(held) < 2:
        return None
    return held[-min(REFRESH_MONTHS, len(held))], held[-1]


def is_fresh(row: Backtest | None, due: Due) -> bool:
    """Made from this data, with every method, over (at least) the months wanted."""
    return (
        row is not None
        and row.made_at is not None
        and row.data_version == due.version
        and is_complete(row.methods)
        and row.month_to == due.month_to
        and row.month_from <= due.month_from
    )


def _waiting(row: Backtest | None, due: Due, now: datetime) -> bool:
    """Held by a worker now, or failed on this data too recently to try again."""
    if row is None:
        return False
    if row.claimed_until is not None and row.claimed_until > now:
        return True
    return (
        row.refresh_failed_version == due.version
        and row.refresh_failed_at is not None
        and row.refresh_failed_at > now - RETRY_AFTER
    )


def backtests_due(*, now: datetime | None = None) -> list[Due]:
    """Every headline back-test that is missing or stale and that no worker holds."""
    moment = now or timezone.now()
    versions = data_versions()
    held = months_held_by_force()
    rows = {
        (row.force_id, row.category): row
        for row in Backtest.objects.filter(
            measure="count", cell_size=int(DEFAULT_CELL_SIZE), category__in=HEADLINE_CATEGORIES
        )
    }
    due = []
    for force_id in sorted(versions):
        months = refresh_months(held.get(force_id, []))
        if months is None:
            continue
        for category in HEADLINE_CATEGORIES:
            item = Due(force_id, category, versions[force_id], *months)
            row = rows.get((force_id, category))
            if not is_fresh(row, item) and not _waiting(row, item, moment):
                due.append(item)
    return due


def _claim(due: Due, now: datetime) -> tuple[int, str] | None:
    """Take the row for ``due`` unless another worker holds it: (row id, claim token)."""
    row, _ = Backtest.objects.get_or_create(
        force_id=due.force_id,
        category=due.category,
        measure="count",
        cell_size=int(DEFAULT_CELL_SIZE),
    )
    token = get_random_string(32)
    taken = (
        Backtest.objects.filter(pk=row.pk)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
        .update(claimed_until=now + CLAIM_LEASE, claim_token=token, refresh_started_at=now)
    )
    return (row.pk, token) if taken == 1 else None


class RefreshInterruptedError(Exception):
    """The worker is stopping, or another worker has taken the row over."""


def _stop_requested() -> bool:
    """Whether the worker running this sweep is stopping: its sweeper thread
    (``site.worker.Sweeper``) sets ``stopping`` once the worker has been told to stop."""
    stopping = getattr(threading.current_thread(), "stopping", None)
    return isinstance(stopping, threading.Event) and stopping.is_set()


class _Heartbeat:
    """Called before each fit of the back-test: stop when asked, and keep the claim alive."""

    def __init__(self, row_id: int, token: str) -> None:
        self.row_id, self.token = row_id, token
        self.renewed = time.monotonic()

    def __call__(self, category: str, month: str, method: str) -> None:
        if _stop_requested():
            raise RefreshInterruptedError("the worker is stopping")
        if time.monotonic() - self.renewed < RENEW_EVERY:
            return
        self.renewed = time.monotonic()
        kept = Backtest.objects.filter(pk=self.row_id, claim_token=self.token).update(
            claimed_until=timezone.now() + CLAIM_LEASE
        )
        if kept != 1:
            raise RefreshInterruptedError("another worker has taken this back-test over")


def _release(row_id: int, token: str, **changes: object) -> None:
    # Only the holder lets go: after a lease ran out, another worker's claim stands.
    Backtest.objects.filter(pk=row_id, claim_token=token).update(
        claimed_until=None, claim_token="", **changes
    )


def backtest_refresh(*, due: Due, now: datetime | None = None) -> str:
    """Claim and re-run one back-test: "refreshed", "failed", "stopped" (the worker is
    stopping), or "skipped" if another worker holds it or has just finished it."""
    moment = now or timezone.now()
    claim = _claim(due, moment)
    if claim is None:
        return "skipped"
    row_id, token = claim
    if is_fresh(Backtest.objects.filter(pk=row_id).first(), due):
        _release(row_id, token)
        return "skipped"
    try:
        backtest_run(
            due.force_id,
            BacktestSettings.between(
                due.month_from,
                due.month_to,
                methods=tuple(METHODS),
                categories=(due.category,),
                cell_size=DEFAULT_CELL_SIZE,
            ),
            keep_empty=True,
            progress=_Heartbeat(row_id, token),
        )
    except RefreshInterruptedError:
        _release(row_id, token)  # let the next worker start it at once
        return "stopped"
    except Exception as error:  # any failure is kept on the row and retried, never fatal
        logger.exception("Back-test of %s %s failed", due.force_id, due.category)
        _release(
            row_id,
            token,
            refresh_failed_at=timezone.now(),
            refresh_failed_version=due.version,
            refresh_error=f"{type(error).__name__}: {error}"[:2000],
        )
        return "failed"
    _release(row_id, token, refresh_failed_at=None, refresh_failed_version="", refresh_error="")
    return "refreshed"


def backtests_refresh_due(
    *, now: datetime | None = None, budget: timedelta = SWEEP_BUDGET
) -> RefreshSummary:
    """The periodic job: re-run the due back-tests one after another, within ``budget``."""
    started = time.monotonic()
    summary = RefreshSummary(refreshed=[], failed=[])
    for due in backtests_due(now=now):
        if time.monotonic() - started > budget.total_seconds() or _stop_requested():
            break
        outcome = backtest_refresh(due=due, now=now)
        label = f"{due.force_id} {due.category}"
        if outcome == "stopped":
            break
        if outcome == "refreshed":
            summary.refreshed.append(label)
            logger.info("Back-test of %s re-run on the latest data", label)
        elif outcome == "failed":
            summary.failed.append(label)
    return summary
