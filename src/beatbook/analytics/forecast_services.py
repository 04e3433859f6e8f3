"""Forecasts and back-tests of a force's crime, from the database.

Thin glue round ``beatbook.analysis``: load a force's counts on its study area once
(``forecast_data.force_data_load``), then fit and score there.

Back-test summaries are stored in the database (``backtest_store``), stamped with the force's
data version, so a forecast can always show the back-test score of the method it uses. The
worker re-runs the headline categories' back-tests after each import
(``backtest_refresh``); for anything else, a forecast with no current summary runs a quick
back-test of the fast methods first, on the data it has already loaded (ADR 12).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from beatbook.analysis.backtest import (
    Progress,
    best_method,
    forecast_scores,
    run_backtest,
    summarise,
)
from beatbook.analysis.forecast.matrix import ALL_CRIME, CellMonthCounts
from beatbook.analysis.forecast.methods import (
    DEFAULT_METHOD,
    FAST_METHODS,
    METHODS,
    check_methods,
)
from beatbook.analysis.forecast.months import add_months, check_month, month_range
from beatbook.analysis.grid import FloatArray, Grid, IntArray
from beatbook.analytics.backtest_store import (
    DEFAULT_CELL_SIZE,
    BacktestState,
    backtest_save,
    backtest_state,
)
from beatbook.analytics.forecast_data import (
    ForceData,
    data_version,
    force_data_load,
    force_get,
    measure_name,
)
from beatbook.analytics.selectors import months_held
from beatbook.places.models import Force

HISTORY_MONTHS = 36
QUICK_BACKTEST_MONTHS = 6
SUMMARY_COVERAGE = 0.01


@dataclass(frozen=True)
class Forecast:
    force: Force
    month: str
    category: str
    measure: str
    method: str
    grid: Grid
    cells: IntArray
    scores: FloatArray
    area_source: str
    backtest: dict[str, Any] | None
    backtest_state: BacktestState

    def frame(self) -> pd.DataFrame:
        """Every study cell: BNG origin (lower-left), size in metres, score and rank."""
        xs, ys = self.grid.origins()
        order = np.argsort(-self.scores, kind="stable")
        rank = np.empty(order.size, dtype=np.int64)
        rank[order] = np.arange(1, order.size + 1)
        return pd.DataFrame(
            {
                "easting": xs[self.cells].astype(np.int64),
                "northing": ys[self.cells].astype(np.int64),
                "size_m": int(self.grid.cell_size),
                "score": self.scores,
                "rank": rank,
            }
        )


def backtest_compute(
    *,
    data: ForceData,
    methods: Sequence[str],
    month_from: str,
    month_to: str,
    categories: Sequence[str],
    harm: str | None,
    seed: int = 0,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rolling-origin back-test on data already loaded: per-month results and the summary."""
    series = {c: data.series[c] for c in dict.fromkeys(categories)}
    results = run_backtest(
        series=series,
        methods=list(methods),
        months=month_range(month_from, month_to),
        auxiliary=data.auxiliary,
        measure=measure_name(harm),
        seed=seed,
        progress=progress,
    )
    return results, summarise(results, seed=seed)


def backtest_run(
    *,
    force_id: str,
    month_from: str,
    month_to: str,
    methods: Sequence[str] | None = None,
    categories: Sequence[str] = (ALL_CRIME,),
    cell_size: float = DEFAULT_CELL_SIZE,
    harm: str | None = None,
    seed: int = 0,
    store: bool = True,
    keep_empty: bool = False,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rolling-origin back-test of ``methods`` over ``month_from``..``month_to``; per-month
    results and the summary (stored for forecasts to show when ``store``). ``progress`` is
    called before each forecast with the category, month and method."""
    check_month(month_from, label="first month")
    check_month(month_to, label="last month")
    chosen = check_methods(list(methods or METHODS))
    # Read before the crimes are: an import meanwhile leaves the result stale, never mislabelled.
    version = data_version(force_id, harm)
    started = time.perf_counter()
    data = force_data_load(
        force_id=force_id,
        month_from=add_months(month_from, -HISTORY_MONTHS),
        month_to=month_to,
        categories=categories,
        cell_size=cell_size,
        harm=harm,
    )
    return _backtest_and_save(
        data=data,
        methods=chosen,
        months=(month_from, month_to),
        categories=categories,
        cell_size=cell_size,
        harm=harm,
        version=version,
        started=started,
        seed=seed,
        store=store,
        keep_empty=keep_empty,
        progress=progress,
    )


def _backtest_and_save(
    *,
    data: ForceData,
    methods: Sequence[str],
    months: tuple[str, str],
    categories: Sequence[str],
    cell_size: float,
    harm: str | None,
    version: str,
    started: float,
    seed: int,
    store: bool = True,
    keep_empty: bool = False,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Back-test on loaded data and, when ``store``, keep the summary stamped with ``version``."""
    month_from, month_to = months
    results, summary = backtest_compute(
        data=data,
        methods=methods,
        month_from=month_from,
        month_to=month_to,
        categories=categories,
        harm=harm,
        seed=seed,
        progress=progress,
    )
    if store:
        backtest_save(
            force_id=data.force.pk,
            categories=categories,
            summary=summary,
            methods=methods,
            month_from=month_from,
            month_to=month_to,
            cell_size=cell_size,
            harm=harm,
            version=version,
            area_source=data.area_source,
            seconds=time.perf_counter() - started,
            keep_empty=keep_empty,
        )
    return results, summary


def _quick_months(force_id: str, month: str) -> tuple[str, str] | None:
    """The last few months held before ``month``, for a quick back-test (None if too few)."""
    held = [m for m in months_held(force_ids=[force_id]) if m < month]
    if len(held) < 3:
        return None
    return held[-min(QUICK_BACKTEST_MONTHS, len(held) - 2)], held[-1]


def _needs_quick(state: BacktestState) -> bool:
    """No summary, or a stale one that the worker will not refresh: make one now."""
    return state.summary is None or (not state.current and not state.kept_current)


def backtest_for_forecast(
    *,
    data: ForceData,
    months: tuple[str, str],
    category: str,
    cell_size: float,
    harm: str | None,
    version: str,
    seed: int = 0,
) -> None:
    """A quick back-test of the fast methods over ``months``, on the data the forecast has
    loaded (from 36 months before the first of them), stored like any other."""
    started = time.perf_counter()
    _backtest_and_save(
        data=data.window(add_months(months[0], -HISTORY_MONTHS), months[1]),
        methods=FAST_METHODS,
        months=months,
        categories=[category],
        cell_size=cell_size,
        harm=harm,
        version=version,
        started=started,
        seed=seed,
    )


def backtest_row(stored: dict[str, Any] | None, method: str) -> dict[str, Any] | None:
    """The stored summary of ``method`` at the headline coverage (1% of the area)."""
    if stored is None:
        return None
    for row in stored["rows"]:
        if row["method"] == method and math.isclose(row["coverage"], SUMMARY_COVERAGE):
            return dict(row)
    return None


def forecast_make(
    *,
    force_id: str,
    month: str,
    category: str = ALL_CRIME,
    method: str | None = None,
    cell_size: float = DEFAULT_CELL_SIZE,
    harm: str | None = None,
    seed: int = 0,
) -> Forecast:
    """The forecast for ``month`` from the months before it only; the method is the best one
    by back-test unless named. The force's crimes are read once, for both the forecast and
    any quick back-test it needs."""
    check_month(month, label="forecast month")
    if method is not None:
        check_methods([method])
    force_get(force_id)
    state = backtest_state(force_id=force_id, category=category, cell_size=cell_size, harm=harm)
    quick = _quick_months(force_id, month) if _needs_quick(state) else None
    first, last = add_months(month, -HISTORY_MONTHS), add_months(month, -1)
    data = force_data_load(
        force_id=force_id,
        month_from=first if quick is None else min(first, add_months(quick[0], -HISTORY_MONTHS)),
        month_to=last,
        categories=[category],
        cell_size=cell_size,
        harm=harm,
    )
    if quick is not None:
        backtest_for_forecast(
            data=data,
            months=quick,
            category=category,
            cell_size=cell_size,
            harm=harm,
            version=state.version,
            seed=seed,
        )
        state = backtest_state(force_id=force_id, category=category, cell_size=cell_size, harm=harm)
    data = data.window(first, last)
    if not data.observed:
        raise ValueError(f"There is no data before {month} to forecast from.")
    method = method or _best(state.summary, category, harm) or DEFAULT_METHOD
    scores = forecast_scores(
        series=_extend(data.series[category], month),
        method=method,
        month=month,
        auxiliary=None if category == ALL_CRIME else _extend(data.auxiliary, month),
        seed=seed,
    )
    return Forecast(
        force=data.force,
        month=month,
        category=category,
        measure=measure_name(harm),
        method=method,
        grid=data.grid,
        cells=data.cells,
        scores=scores,
        area_source=data.area_source,
        backtest=backtest_row(state.summary, method),
        backtest_state=state,
    )


def _best(stored: dict[str, Any] | None, category: str, harm: str | None) -> str | None:
    if not stored or not stored["rows"]:
        return None
    return best_method(
        pd.DataFrame(stored["rows"]),
        category=category,
        coverage=SUMMARY_COVERAGE,
        measure=measure_name(harm),
    )


def _extend(series: CellMonthCounts, month: str) -> CellMonthCounts:
    """The series with an empty row for ``month``, so ``before(month)`` can be asked for."""
    counts = np.vstack([series.counts, np.full((1, series.n_cells), np.nan)])
    return CellMonthCounts(
        grid=series.grid,
        cells=series.cells,
        months=(*series.months, month),
        counts=counts,
        dropped=series.dropped,
    )
