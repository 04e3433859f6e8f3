"""Forecasts and back-tests of a force's crime, from the database.

Thin glue round ``beatbook.analysis``: read a force's crimes once
(``forecast_data.force_crimes_load``), count them on the study area each month needs, then fit
and score there.

Every forecast of a month M is made from the 36 months before M, on M's study area; so is
every back-tested month, whose scores are kept month by month (``backtest_scores``) and are
the same whichever back-test made them. A forecast chooses its method, and shows its score,
from the scores of months before M only (``analysis.forecast.selection``), computing the
months not kept yet with the fast methods (the quick back-test); a later month can change
neither. Back-test summaries are also stored whole (``backtest_store``) for the page's table;
the worker re-runs the headline categories' after each import (``backtest_refresh``, ADR 12).
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from beatbook.analysis.backtest import Progress, forecast_scores, summarise
from beatbook.analysis.backtest_settings import DEFAULT_CELL_SIZE, BacktestSettings
from beatbook.analysis.forecast.matrix import ALL_CRIME, CellMonthCounts
from beatbook.analysis.forecast.methods import FAST_METHODS, check_methods
from beatbook.analysis.forecast.selection import Choice, HeldOut, choose_method, held_out
from beatbook.analysis.grid import FloatArray, Grid, IntArray
from beatbook.common.months import add_months, check_month
from beatbook.insights.backtest_scores import (
    month_inputs,
    months_missing,
    scores_combine,
    scores_compute,
    scores_save,
    scores_stored,
)
from beatbook.insights.backtest_store import (
    BacktestState,
    backtest_save,
    backtest_state,
)
from beatbook.insights.forecast_data import (
    ForceCrimes,
    data_version,
    force_crimes_load,
    force_get,
)
from beatbook.insights.selectors import months_held
from beatbook.insights.study_area_cache import CRIME_AREA, LSOA_AREA, area_keys
from beatbook.places.models import Force

# A forecast chooses its method on the last SELECTION_MONTHS months back-tested before it, and
# the rule is itself scored on the EVALUATION_MONTHS before it, each choosing from the
# (at least MIN_SELECTION_MONTHS) months before that month.
SELECTION_MONTHS = 6
EVALUATION_MONTHS = 6
MIN_SELECTION_MONTHS = 3
QUICK_BACKTEST_MONTHS = SELECTION_MONTHS + EVALUATION_MONTHS
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
    # The method's score at 1% of the area over the months it was chosen on (``choice``):
    # in-sample when the method was chosen by them, not named.
    backtest: dict[str, Any] | None
    backtest_state: BacktestState
    choice: Choice | None = None
    held_out: HeldOut | None = None
    named: bool = False

    def evidence(self) -> dict[str, Any]:
        """Why this method and how it did, as plain JSON-ready values for a page."""
        choice, held = self.choice, self.held_out
        return {
            "named": self.named,
            "reason": "" if choice is None else choice.reason,
            "best_baseline": None if choice is None else choice.best_baseline,
            "compared": [] if choice is None else list(choice.candidates),
            "held_out": None
            if held is None
            else {
                "months": len(held.months),
                "month_from": held.months[0],
                "month_to": held.months[-1],
                "methods": sorted(set(held.methods)),
                "pei_star": held.pei_star,
                "ci_low": held.ci_low,
                "ci_high": held.ci_high,
            },
        }

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


@dataclass(frozen=True)
class MonthScores:
    """Per-month results of some months, kept or made now, and the crimes read to make them."""

    results: pd.DataFrame
    loaded: ForceCrimes | None


def month_scores(
    *,
    force_id: str,
    settings: BacktestSettings,
    keep: bool = True,
    also_read: tuple[str, str] | None = None,
    progress: Progress | None = None,
) -> MonthScores:
    """Per-month results of the settings' methods for their scorable months: those kept and
    still valid (when ``keep``), the rest computed (and kept, when ``keep``) from one read of
    the crimes, which also covers ``also_read`` (first and last month) when given."""
    wanted = settings.replace(months=tuple(settings.scorable(months_held(force_ids=[force_id]))))
    inputs = month_inputs(force_id=force_id, settings=wanted)
    kept: list[pd.DataFrame] = []
    missing: set[str] = set()
    for category in wanted.categories:
        stored = pd.DataFrame()
        if keep:
            stored = scores_stored(
                force_id=force_id, category=category, settings=wanted, inputs=inputs
            )
            kept.append(stored)
        missing.update(
            months_missing(stored, wanted.months, wanted.methods) if keep else wanted.months
        )
    todo = wanted.replace(months=tuple(sorted(missing)))
    loaded = _crimes_read(force_id, todo, also_read)
    made = pd.DataFrame()
    if todo.months and loaded is not None:
        made = scores_compute(loaded, todo, progress=progress)
        if keep:
            scores_save(force_id=force_id, settings=todo, inputs=inputs, results=made)
    # Kept months first dropped where remade, so no month is counted twice.
    kept = [k[~k["month"].isin(todo.months)] for k in kept]
    return MonthScores(scores_combine([*kept, made], wanted.methods, wanted.categories), loaded)


def _crimes_read(
    force_id: str, todo: BacktestSettings, also_read: tuple[str, str] | None
) -> ForceCrimes | None:
    """One read of the crimes the ``todo`` months need with their history, and ``also_read``;
    ``None`` when neither needs any."""
    spans = (
        [(todo.first_history_month(todo.month_from) or todo.month_from, todo.month_to)]
        if todo.months
        else []
    )
    spans += [also_read] if also_read else []
    if not spans:
        return None
    return force_crimes_load(
        force_id=force_id,
        month_from=min(s[0] for s in spans),
        month_to=max(s[1] for s in spans),
        cell_size=todo.cell_size,
        harm=todo.harm,
    )


def backtest_run(
    force_id: str,
    settings: BacktestSettings,
    *,
    store: bool = True,
    keep_empty: bool = False,
    progress: Progress | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rolling-origin back-test of the settings over their months; per-month results and the
    summary (stored for the forecast page's table when ``store``, with the months' scores;
    without ``store`` every month is computed afresh). ``progress`` is called before each
    forecast with the category, month and method."""
    force = force_get(force_id)
    # Read before the crimes are: an import meanwhile leaves the result stale, never mislabelled.
    version = data_version(force.pk, settings.harm)
    started = time.perf_counter()
    if not any(m in settings.months for m in months_held(force_ids=[force.pk])):
        raise ValueError(
            f"No crime data is loaded for {force.name} from {settings.month_from} to "
            f"{settings.month_to}."
        )
    scored = month_scores(force_id=force.pk, settings=settings, keep=store, progress=progress)
    summary = summarise(scored.results, seed=settings.seed)
    if store:
        backtest_save(
            force_id=force.pk,
            settings=settings,
            summary=summary,
            version=version,
            area_source=_area_source(force.pk, scored.loaded),
            seconds=time.perf_counter() - started,
            keep_empty=keep_empty,
        )
    return scored.results, summary


def _area_source(force_id: str, loaded: ForceCrimes | None) -> str:
    if loaded is not None:
        return CRIME_AREA if loaded.lsoa_area is None else LSOA_AREA
    return LSOA_AREA if force_id in area_keys([force_id]) else CRIME_AREA


def _needs_quick(state: BacktestState) -> bool:
    """No summary, or a stale one that the worker will not refresh: make one now."""
    return state.summary is None or (not state.current and not state.kept_current)


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
    """The forecast for ``month`` from the months before it only. Unless named, the method is
    chosen by the back-test scores of the months before ``month`` (``selection``), and the
    months not yet back-tested are back-tested now with the fast methods, from the same one
    read of the force's crimes."""
    check_month(month, label="forecast month")
    if method is not None:
        check_methods([method])
    force = force_get(force_id)
    quick = _quick_settings(force.pk, month, category, cell_size, harm, seed)
    state = backtest_state(force_id=force.pk, category=category, cell_size=cell_size, harm=harm)
    first, last = quick.first_history_month(month) or month, add_months(month, -1)
    scored = month_scores(force_id=force.pk, settings=quick, also_read=(first, last))
    assert scored.loaded is not None  # also_read always reads
    results = scored.results
    window, candidates = list(quick.months), list(quick.methods)
    selection = window[-SELECTION_MONTHS:]
    if method is not None and method not in candidates:
        # A slow method named: its scores on the months the others are judged on only.
        only = quick.replace(months=tuple(selection), methods=(method,))
        results = pd.concat([results, month_scores(force_id=force.pk, settings=only).results])
        results = results.reset_index(drop=True)
    if _needs_quick(state) and not results.empty:
        _quick_summary_save(results, force.pk, quick, state.version)
        state = backtest_state(force_id=force.pk, category=category, cell_size=cell_size, harm=harm)
    choice = choose_method(results, months=selection, candidates=candidates)
    chosen = method or choice.method
    data = scored.loaded.counts(
        month_from=first, month_to=last, categories=[category], area_before=month
    )
    if not data.observed:
        raise ValueError(f"There is no data before {month} to forecast from.")
    scores = forecast_scores(
        series=_extend(data.series[category], month),
        method=chosen,
        month=month,
        auxiliary=None if category == ALL_CRIME else _extend(data.auxiliary, month),
        seed=seed,
    )
    return Forecast(
        force=data.force,
        month=month,
        category=category,
        measure=quick.measure,
        method=chosen,
        grid=data.grid,
        cells=data.cells,
        scores=scores,
        area_source=data.area_source,
        backtest=_score_row(
            results, selection, chosen, choice, named=method is not None, seed=seed
        ),
        backtest_state=state,
        choice=choice,
        held_out=held_out(
            results,
            months=window,
            evaluate=EVALUATION_MONTHS,
            window=SELECTION_MONTHS,
            minimum=MIN_SELECTION_MONTHS,
            candidates=candidates,
            seed=seed,
        ),
        named=method is not None,
    )


def _quick_settings(
    force_id: str, month: str, category: str, cell_size: float, harm: str | None, seed: int
) -> BacktestSettings:
    """The quick back-test a forecast of ``month`` chooses its method on: the fast methods
    over the last ``QUICK_BACKTEST_MONTHS`` months held before it that can be scored."""
    held = [m for m in months_held(force_ids=[force_id]) if m < month]
    every = BacktestSettings(
        months=tuple(held),
        methods=FAST_METHODS,
        categories=(category,),
        cell_size=cell_size,
        harm=harm,
        seed=seed,
    )
    return every.replace(months=tuple(every.scorable(held)[-QUICK_BACKTEST_MONTHS:]))


def _quick_summary_save(
    results: pd.DataFrame, force_id: str, quick: BacktestSettings, version: str
) -> None:
    """Keep the fast methods' summary over the months back-tested, for the page's table."""
    fast = results[results["method"].isin(FAST_METHODS)]
    months = sorted(fast["month"].unique())
    backtest_save(
        force_id=force_id,
        settings=quick.replace(months=tuple(months), methods=FAST_METHODS),
        summary=summarise(fast, seed=quick.seed),
        version=version,
        area_source=LSOA_AREA if force_id in area_keys([force_id]) else CRIME_AREA,
        seconds=float(fast.drop_duplicates(["month", "method"])["seconds"].sum()),
    )


def _score_row(
    results: pd.DataFrame,
    months: Sequence[str],
    method: str,
    choice: Choice,
    *,
    named: bool,
    seed: int,
) -> dict[str, Any] | None:
    """``method``'s summary at 1% of the area over ``months``, with the number of methods it
    was compared with and the months, or ``None`` if it has no score for them."""
    chosen = results[results["month"].isin(list(months))]
    chosen = chosen[chosen["method"].isin([*choice.candidates, method])]
    if chosen.empty or method not in set(chosen["method"]):
        return None
    row = backtest_row({"rows": summarise(chosen, seed=seed).to_dict("records")}, method)
    if row is not None:
        # Plain numbers, NaN as None: the row is shown and kept as JSON.
        row = {k: _plain(v) for k, v in row.items()}
        row.update(
            month_from=min(months),
            month_to=max(months),
            comparisons=choice.comparisons,
            in_sample=not named,
        )
    return row


def _plain(value: Any) -> Any:
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


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
