"""Choosing a forecast's method from the months before it, and scoring that choice honestly.

The rule (``choose_method``): over the months it is chosen on, a learned method may be chosen
only if its mean PEI* is at least the best baseline's at both 1% and 5% of the area; among
those and the best baseline (at 1%), the highest mean PEI* at 1% wins. So when a learned
method is better at 1% but behind at 5%, the forecast is the best baseline, and the reason
says so.

The score of the chosen method on the months it was chosen on is in-sample: it is the best of
several on the same months, so it flatters. ``held_out`` scores the rule itself: for each of
the latest months, the rule chooses from the months before that month only, and the month's
score of that choice is recorded; the mean of those is an honest estimate of what the rule
does on a month it has not seen.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from beatbook.analysis.backtest import bootstrap_interval
from beatbook.analysis.forecast.methods import BASELINES, DESCRIPTIONS

HEADLINE = 0.01
CHECKED = (0.01, 0.05)
# Without a single month to judge by, a learned method cannot show it is at least as good as
# the baselines: the forecast is the baseline best on the recorded back-tests of the real
# data for all crime and violence (docs/benchmarks.md).
NO_EVIDENCE_METHOD = "mean-12"


@dataclass(frozen=True)
class Choice:
    """The method chosen, why, and the evidence: mean PEI* per method and coverage."""

    method: str
    reason: str
    best_baseline: str | None
    months: tuple[str, ...]
    candidates: tuple[str, ...]
    means: dict[str, dict[float, float]]

    @property
    def comparisons(self) -> int:
        """Methods compared with each other to make the choice, less the one chosen."""
        return max(0, len(self.candidates) - 1)


@dataclass(frozen=True)
class HeldOut:
    """The rule's own score on months after each choice: PEI* at 1% of the area."""

    months: tuple[str, ...]
    methods: tuple[str, ...]
    pei_star: float
    ci_low: float
    ci_high: float


def _percent(coverage: float) -> str:
    return f"{coverage * 100:g}%"


def _means(results: pd.DataFrame, months: Sequence[str], candidates: Sequence[str]) -> pd.DataFrame:
    """Mean PEI* per method (rows) and coverage (columns) over ``months``, methods with a score
    for every one of those months only (so every method is judged on the same months)."""
    if results.empty:
        return pd.DataFrame()
    chosen = results[
        results["month"].isin(list(months))
        & results["method"].isin(list(candidates))
        & np.isin(results["coverage"].astype(float).round(6), [round(c, 6) for c in CHECKED])
    ].dropna(subset=["pei_star"])
    months_scored = chosen.groupby("method")["month"].nunique()
    complete = months_scored[months_scored == len(set(months))].index
    chosen = chosen[chosen["method"].isin(complete)]
    if chosen.empty:
        return pd.DataFrame()
    return chosen.pivot_table(index="method", columns="coverage", values="pei_star", aggfunc="mean")


def _best_baseline(table: pd.DataFrame, coverage: float) -> str | None:
    baselines = [b for b in BASELINES if b in table.index]
    if not baselines:
        return None
    # Stable: the first baseline listed wins a tie.
    return max(baselines, key=lambda b: (table.loc[b, coverage], -baselines.index(b)))


def choose_method(
    results: pd.DataFrame, *, months: Sequence[str], candidates: Sequence[str]
) -> Choice:
    """The method to forecast with, by the rule above, from per-month back-test ``results``
    (columns method, month, coverage, pei_star) of ``months``."""
    table = _means(results, months, candidates)
    baseline = None if table.empty else _best_baseline(table, HEADLINE)
    span = _span(months)
    if baseline is None or any(c not in table.columns for c in CHECKED):
        return Choice(
            method=NO_EVIDENCE_METHOD,
            reason=(
                f"No month before could be back-tested, so this forecast is the "
                f"{DESCRIPTIONS[NO_EVIDENCE_METHOD].lower()} ({NO_EVIDENCE_METHOD}), a baseline."
            ),
            best_baseline=None,
            months=tuple(months),
            candidates=tuple(candidates),
            means={},
        )
    means = {str(m): {float(c): float(table.loc[m, c]) for c in CHECKED} for m in table.index}
    best_at = {c: _best_baseline(table, c) for c in CHECKED}
    learned = [m for m in table.index if m not in BASELINES]
    eligible = [m for m in learned if all(_at_least(means, m, best_at[c], c) for c in CHECKED)]
    contenders = [baseline, *eligible]
    method = max(contenders, key=lambda m: (means[m][HEADLINE], -contenders.index(m)))
    return Choice(
        method=method,
        reason=_reason(method, baseline, learned, eligible, means, best_at, span),
        best_baseline=baseline,
        months=tuple(months),
        candidates=tuple(str(m) for m in table.index),
        means=means,
    )


def _at_least(
    means: dict[str, dict[float, float]], method: str, other: str | None, c: float
) -> bool:
    # A hair of tolerance: equal forecasts summed in another order must still count as equal.
    return other is None or means[method][c] >= means[other][c] - 1e-12


def _span(months: Sequence[str]) -> str:
    if not months:
        return "no months"
    if len(months) == 1:
        return f"the month {months[0]}"
    return f"the {len(months)} months {months[0]} to {months[-1]}"


def _against(
    means: dict[str, dict[float, float]], method: str, baseline: str | None, coverage: float
) -> str:
    """Like "0.812 against mean-12's 0.820"."""
    return (
        f"{means[method][coverage]:.3f} against {baseline}'s {means[str(baseline)][coverage]:.3f}"
    )


def _reason(
    method: str,
    baseline: str,
    learned: list[str],
    eligible: list[str],
    means: dict[str, dict[float, float]],
    best_at: dict[float, str | None],
    span: str,
) -> str:
    if method not in BASELINES:
        versus = "; ".join(
            f"{_percent(c)}: {_against(means, method, best_at[c], c)}" for c in CHECKED
        )
        return (
            f"{method} was at least as good as the best baseline at both 1% and 5% of the area "
            f"over {span} ({versus}), and the best at 1% of the methods compared."
        )
    behind = [m for m in learned if m not in eligible]
    if not behind:
        return f"{method} was the best baseline at 1% of the area over {span}."
    # Name the strongest learned method and where it fell short.
    strongest = max(behind, key=lambda m: means[m][HEADLINE])
    short = [c for c in CHECKED if not _at_least(means, strongest, best_at[c], c)]
    where = " and ".join(
        f"{_percent(c)} of the area ({_against(means, strongest, best_at[c], c)})" for c in short
    )
    return (
        f"{strongest} was behind the best baseline at {where} over {span}. A learned method is "
        f"used only when its earlier months show it at least as good as the best baseline at "
        f"both 1% and 5% of the area, so this forecast is the best baseline, {method}."
    )


def held_out(
    results: pd.DataFrame,
    *,
    months: Sequence[str],
    evaluate: int,
    window: int,
    minimum: int,
    candidates: Sequence[str],
    seed: int = 0,
) -> HeldOut | None:
    """The rule scored on months it had not seen: each of the last ``evaluate`` of ``months``
    is forecast with the method the rule chooses from the (up to ``window``, at least
    ``minimum``) months before it. ``None`` when no month has enough months before it."""
    ordered = sorted(months)
    scored: list[tuple[str, str, float]] = []
    for position in range(max(0, len(ordered) - evaluate), len(ordered)):
        before = ordered[max(0, position - window) : position]
        if len(before) < minimum:
            continue
        month = ordered[position]
        method = choose_method(results, months=before, candidates=candidates).method
        value = _score(results, method, month)
        if not math.isnan(value):
            scored.append((month, method, value))
    if not scored:
        return None
    values = np.array([v for _, _, v in scored])
    low, high = bootstrap_interval(values, seed=seed)
    return HeldOut(
        months=tuple(m for m, _, _ in scored),
        methods=tuple(m for _, m, _ in scored),
        pei_star=float(values.mean()),
        ci_low=low,
        ci_high=high,
    )


def _score(results: pd.DataFrame, method: str, month: str) -> float:
    row = results[
        (results["method"] == method)
        & (results["month"] == month)
        & np.isclose(results["coverage"].astype(float), HEADLINE)
    ]
    return float(row["pei_star"].iloc[0]) if len(row) else math.nan
