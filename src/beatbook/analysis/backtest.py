"""Rolling-origin back-tests: forecast each month from the months before it, score it against
what happened, and say whether a method beats the best baseline by more than chance.

For every scored month ``M`` the method is fitted on ``CellMonthCounts.before(M)``, a copy that
holds no month from ``M`` on, so no forecast can see the month it is scored on (or any later).
Only ``BacktestSettings.history_months`` months before ``M`` are offered, so a month's score is
the same whichever range of months a back-test covers. Months without data are not scored.

Months are not independent (a busy winter is busy for several months), so the intervals come
from a circular block bootstrap of the months (Politis and Romano 1992), blocks of about the
cube root of the number of months, and the paired comparison with the best baseline is a
block-bootstrap test of the mean difference, Holm-adjusted for the number of methods compared
in the same group (``comparisons``). Same data and seed, same numbers.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from beatbook.analysis.backtest_settings import BacktestSettings
from beatbook.analysis.forecast.matrix import ALL_CRIME, CellMonthCounts
from beatbook.analysis.forecast.methods import BASELINES, ENSEMBLES, METHODS, check_methods
from beatbook.analysis.metrics import scores

RESULT_COLUMNS = [
    "measure",
    "category",
    "method",
    "month",
    "coverage",
    "cells",
    "captured",
    "total",
    "best",
    "hit_rate",
    "pai",
    "pei_star",
    "seconds",
]

Progress = Callable[[str, str, str], None]


def forecast_scores(
    *,
    series: CellMonthCounts,
    method: str,
    month: str,
    auxiliary: CellMonthCounts | None = None,
    seed: int = 0,
) -> np.ndarray:
    """One method's forecast for ``month``, fitted only on the months before it."""
    check_methods([method])
    model = METHODS[method](seed)
    model.fit(series.before(month), None if auxiliary is None else auxiliary.before(month))
    return model.predict(month)


def run_backtest(
    *,
    series: Mapping[str, CellMonthCounts],
    settings: BacktestSettings,
    auxiliary: CellMonthCounts | None = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Scores of every method for every category and observed month of ``settings``.

    ``series`` holds a count matrix for each of the settings' categories. ``auxiliary``
    (all-crime counts) is offered to every method for the other categories. Each forecast
    learns from at most ``settings.history_months`` months before it.
    An ensemble's members are fitted once per month and shared with the members' own rows;
    ``seconds`` is still what each forecast costs on its own (an ensemble's, its members').
    """
    missing = [c for c in settings.categories if c not in series]
    if missing:
        raise ValueError(f"No counts were given for {', '.join(missing)}.")
    rows: list[dict[str, object]] = []
    for category in settings.categories:
        counts = series[category]
        aux = None if category == ALL_CRIME else auxiliary
        for month in _scored_months(counts, settings):
            actual = counts.month_counts(month)
            history = _history(counts, month, settings)
            aux_history = None if aux is None else _history(aux, month, settings)
            made: dict[str, tuple[np.ndarray, float]] = {}
            for method in settings.methods:
                if progress is not None:
                    progress(category, month, method)
                forecast, seconds = _forecast_once(
                    method, made, history, month, aux_history, settings.seed
                )
                for result in scores(forecast, actual, settings.coverages):
                    rows.append(
                        {
                            "measure": settings.measure,
                            "category": category,
                            "method": method,
                            "month": month,
                            **result.__dict__,
                            "seconds": seconds,
                        }
                    )
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def _forecast_once(
    method: str,
    made: dict[str, tuple[np.ndarray, float]],
    counts: CellMonthCounts,
    month: str,
    auxiliary: CellMonthCounts | None,
    seed: int,
) -> tuple[np.ndarray, float]:
    """``method``'s forecast and its cost in seconds, reusing what ``made`` holds."""
    if method not in made:
        if method in ENSEMBLES:
            parts = [
                _forecast_once(member, made, counts, month, auxiliary, seed)
                for member in ENSEMBLES[method]
            ]
            forecast = np.asarray(np.mean([p[0] for p in parts], axis=0), dtype=np.float64)
            made[method] = (forecast, sum(p[1] for p in parts))
        else:
            started = time.perf_counter()
            forecast = forecast_scores(
                series=counts, method=method, month=month, auxiliary=auxiliary, seed=seed
            )
            made[method] = (forecast, time.perf_counter() - started)
    return made[method]


def _history(counts: CellMonthCounts, month: str, settings: BacktestSettings) -> CellMonthCounts:
    """What a forecast for ``month`` may learn from, with ``month`` itself kept for scoring."""
    first = settings.first_history_month(month)
    return counts if first is None else counts.between(first, month)


def _scored_months(counts: CellMonthCounts, settings: BacktestSettings) -> list[str]:
    """Observed months of the settings with at least one earlier observed month to learn from
    (within the history the settings allow)."""
    observed = dict(zip(counts.months, counts.observed, strict=True))
    return settings.scorable([m for m in counts.months if observed[m]])


def block_length(n: int) -> int:
    """Months per block: about the cube root of the number of months (at least one)."""
    return max(1, int(round(float(n) ** (1 / 3))))


def block_bootstrap_means(values: np.ndarray, *, n_boot: int = 2000, seed: int = 0) -> np.ndarray:
    """Means of ``n_boot`` circular block bootstrap resamples of ``values`` (in time order):
    each resample joins blocks of consecutive months, wrapping round the end, so a run of
    similar months stays together instead of counting as independent evidence."""
    n = values.size
    size = block_length(n)
    starts = np.random.default_rng(seed).integers(0, n, size=(n_boot, -(-n // size)))
    index = (starts[:, :, None] + np.arange(size)) % n
    return np.asarray(values[index.reshape(n_boot, -1)[:, :n]].mean(axis=1), dtype=np.float64)


def bootstrap_interval(
    values: np.ndarray, *, n_boot: int = 2000, seed: int = 0, level: float = 0.95
) -> tuple[float, float]:
    """Percentile interval of the mean over months, by the circular block bootstrap."""
    values = np.asarray(values, dtype=np.float64)
    if values.size == 0:
        return (math.nan, math.nan)
    means = block_bootstrap_means(values, n_boot=n_boot, seed=seed)
    tail = (1 - level) / 2 * 100
    return (float(np.percentile(means, tail)), float(np.percentile(means, 100 - tail)))


def paired_test(differences: np.ndarray, *, n_boot: int = 2000, seed: int = 0) -> float:
    """Two-sided block-bootstrap p-value that the mean paired difference is zero: the share of
    resampled means, centred on the observed one, at least as far from it as it is from zero
    (NaN with fewer than two months or no difference at all)."""
    d = np.asarray(differences, dtype=np.float64)
    if d.size < 2 or not np.any(d != 0):
        return math.nan
    observed = float(d.mean())
    means = block_bootstrap_means(d, n_boot=n_boot, seed=seed)
    extreme = int(np.count_nonzero(np.abs(means - observed) >= abs(observed)))
    return (1 + extreme) / (1 + n_boot)


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjustment of p-values from one family of comparisons (NaN kept)."""
    values = np.asarray(p_values, dtype=np.float64)
    finite = np.flatnonzero(~np.isnan(values))
    adjusted = values.copy()
    order = finite[np.argsort(values[finite], kind="stable")]
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (order.size - rank) * values[index]))
        adjusted[index] = running
    return [float(v) for v in adjusted]


def summarise(
    results: pd.DataFrame,
    *,
    baselines: Sequence[str] = BASELINES,
    metric: str = "pei_star",
    n_boot: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Per measure, category, coverage and method: means of hit rate, PAI and PEI* over
    origins, a block-bootstrap interval for ``metric``, and the paired comparison with the best
    baseline (the baseline with the highest mean ``metric`` in the same group): the mean
    difference, its interval and p-value, and the p-value Holm-adjusted for the
    ``comparisons`` made in the group (every other method against that baseline)."""
    scored = results.dropna(subset=[metric])
    rows: list[dict[str, object]] = []
    for key, group in scored.groupby(["measure", "category", "coverage"], sort=False):
        table = group.pivot_table(index="month", columns="method", values=metric)
        candidates = [b for b in baselines if b in table.columns]
        best = max(candidates, key=lambda b: table[b].mean()) if candidates else None
        made = [
            _summary_row(key, str(method), by_month, table, best, metric, n_boot, seed)
            for method, by_month in group.groupby("method", sort=False)
        ]
        compared = [row for row in made if row["method"] != best and best is not None]
        adjusted = holm([float(str(r["p_value"])) for r in compared])
        for row, p_holm in zip(compared, adjusted, strict=True):
            row["p_holm"] = p_holm
        for row in made:
            row["comparisons"] = len(compared)
        rows.extend(made)
    return pd.DataFrame(rows)


def _summary_row(
    key: tuple[object, ...],
    method: str,
    by_month: pd.DataFrame,
    table: pd.DataFrame,
    best: str | None,
    metric: str,
    n_boot: int,
    seed: int,
) -> dict[str, object]:
    measure, category, coverage = key
    values = by_month[metric].to_numpy(np.float64)
    low, high = bootstrap_interval(values, n_boot=n_boot, seed=seed)
    row: dict[str, object] = {
        "measure": measure,
        "category": category,
        "coverage": coverage,
        "method": method,
        "origins": int(values.size),
        "hit_rate": by_month["hit_rate"].mean(),
        "pai": by_month["pai"].mean(),
        metric: float(values.mean()),
        "ci_low": low,
        "ci_high": high,
        "best_baseline": best,
        "difference": math.nan,
        "difference_low": math.nan,
        "difference_high": math.nan,
        "p_value": math.nan,
        "p_holm": math.nan,
    }
    if best is not None and method != best:
        paired = table[[method, best]].dropna()
        diff = (paired[method] - paired[best]).to_numpy(np.float64)
        row["difference"] = float(diff.mean()) if diff.size else math.nan
        row["difference_low"], row["difference_high"] = bootstrap_interval(
            diff, n_boot=n_boot, seed=seed
        )
        row["p_value"] = paired_test(diff, n_boot=n_boot, seed=seed)
    return row


def best_method(
    summary: pd.DataFrame,
    *,
    category: str,
    coverage: float = 0.01,
    measure: str = "count",
    metric: str = "pei_star",
) -> str | None:
    """The method with the highest mean ``metric`` for a category at a coverage."""
    chosen = summary[
        (summary["category"] == category)
        & (summary["measure"] == measure)
        & np.isclose(summary["coverage"].astype(float), coverage)
    ]
    if chosen.empty:
        return None
    return str(chosen.sort_values(metric, ascending=False, kind="stable").iloc[0]["method"])
