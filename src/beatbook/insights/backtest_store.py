"""Stored back-test summaries (``insights.models.Backtest``): saving one, reading it back, and
saying in plain English how current it is. They fill the forecast page's table of every
method; a forecast's own method and score come from the month-by-month scores of the months
before it (``backtest_scores``), never from a summary that may cover later months.

A summary is *current* when it was made from the force's data as held now (``data_version``)
and *complete* when it covers every forecasting method. The worker keeps the headline
categories, counted on the default cells, current and complete (``insights.backtest_refresh``);
until it has, a forecast shows the summary it has and says that a fresh one is on its way.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from django.utils import timezone

from beatbook.analysis.backtest_settings import DEFAULT_CELL_SIZE, BacktestSettings, measure_name
from beatbook.analysis.forecast.matrix import ALL_CRIME
from beatbook.analysis.forecast.methods import FAST_METHODS, METHODS
from beatbook.insights.forecast_data import data_version
from beatbook.insights.models import Backtest

# The categories the worker keeps back-tested for every force, counted on the default cells.
HEADLINE_CATEGORIES = (ALL_CRIME, "burglary", "robbery", "violent-crime")


@dataclass(frozen=True)
class BacktestState:
    """The stored summary for some settings (``None`` if there is none) and how current it is."""

    summary: dict[str, Any] | None
    version: str
    current: bool
    complete: bool
    kept_current: bool
    refreshing_since: datetime | None
    failed: bool


def kept_current(*, category: str, cell_size: float, harm: str | None) -> bool:
    """Whether the worker re-runs this back-test after each import."""
    return category in HEADLINE_CATEGORIES and harm is None and cell_size == DEFAULT_CELL_SIZE


def _key(force_id: str, category: str, cell_size: float, harm: str | None) -> dict[str, Any]:
    return {
        "force_id": force_id,
        "category": category,
        "measure": measure_name(harm),
        "cell_size": int(cell_size),
    }


def summary_of(row: Backtest) -> dict[str, Any]:
    """A stored row as the plain dictionary forecasts and pages read."""
    return {
        "force": row.force_id,
        "category": row.category,
        "measure": row.measure,
        "cell_size": float(row.cell_size),
        "methods": list(row.methods),
        "month_from": row.month_from,
        "month_to": row.month_to,
        "data_version": row.data_version,
        "area_source": row.area_source,
        "made_at": row.made_at,
        "rows": list(row.rows),
    }


def is_complete(methods: Sequence[str]) -> bool:
    return set(METHODS) <= set(methods)


def backtest_state(
    *,
    force_id: str,
    category: str,
    cell_size: float,
    harm: str | None = None,
    now: datetime | None = None,
) -> BacktestState:
    """The stored back-test for these settings, whether or not the data has changed since."""
    moment = now or timezone.now()
    version = data_version(force_id, harm)
    kept = kept_current(category=category, cell_size=cell_size, harm=harm)
    row = Backtest.objects.filter(**_key(force_id, category, cell_size, harm)).first()
    if row is None:
        return BacktestState(None, version, False, False, kept, None, False)
    made = row.made_at is not None
    claimed = row.claimed_until is not None and row.claimed_until > moment
    return BacktestState(
        summary=summary_of(row) if made else None,
        version=version,
        current=made and row.data_version == version,
        complete=made and is_complete(row.methods),
        kept_current=kept,
        refreshing_since=row.refresh_started_at if claimed else None,
        failed=row.refresh_failed_version == version,
    )


def backtest_save(
    *,
    force_id: str,
    settings: BacktestSettings,
    summary: pd.DataFrame,
    version: str,
    area_source: str,
    seconds: float,
    keep_empty: bool = False,
) -> None:
    """Store the summary of each category of the settings, stamped with the data ``version``
    it was made from (read before the data was, so an import meanwhile leaves it stale, not
    wrong).

    A category with no month scored is stored only when ``keep_empty``: otherwise a back-test
    over an empty range would overwrite a good summary with nothing."""
    now = timezone.now()
    for category in settings.categories:
        rows = summary[summary["category"] == category] if not summary.empty else summary
        if rows.empty and not keep_empty:
            continue
        # Through JSON: NaN (no baseline to compare with, no p-value) becomes null.
        records = json.loads(rows.to_json(orient="records", double_precision=15))
        Backtest.objects.update_or_create(
            **_key(force_id, category, settings.cell_size, settings.harm),
            defaults={
                "data_version": version,
                "methods": list(settings.methods),
                "month_from": settings.month_from,
                "month_to": settings.month_to,
                "area_source": area_source,
                "rows": records,
                "made_at": now,
                "seconds": seconds,
            },
        )


def backtest_note(state: BacktestState) -> str:
    """One plain-English sentence on how current the back-test shown is, or nothing."""
    if state.summary is None or (state.current and (state.complete or not state.kept_current)):
        return ""
    if state.refreshing_since is not None:
        since = timezone.localtime(state.refreshing_since).strftime("%H:%M on %d %B")
        return (
            "A fresh back-test of every method on the latest data is being run in the "
            f"background (started at {since}). Until it finishes, the table of how every "
            f"method did comes from {_described(state)}."
        )
    if state.failed:
        return (
            f"The table of how every method did comes from {_described(state)}. The "
            "background back-test on the latest data failed; it will be tried again within "
            "the hour."
        )
    return (
        f"The table of how every method did comes from {_described(state)}. A fresh "
        "back-test of every method on the latest data is waiting for the background worker."
    )


def _described(state: BacktestState) -> str:
    summary = state.summary
    assert summary is not None
    months = f"{summary['month_from']} to {summary['month_to']}"
    if not state.current:
        return f"a back-test over {months} made before the latest data was imported"
    if set(summary["methods"]) == set(FAST_METHODS):
        return f"a quick back-test of the fast methods only, over {months}"
    return f"a back-test of some methods only ({', '.join(summary['methods'])}), over {months}"
