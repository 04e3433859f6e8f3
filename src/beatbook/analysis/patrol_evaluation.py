"""Did harm fall where officers patrolled, against comparable high-risk places they did not
visit? The evaluation of tasking's patrols (issue 15, item 5), from police.uk's monthly data.

The method, and why:

- **Cells and months.** The unit is the 250 m grid cell of the plans and forecasts (ADR 8),
  keyed by its lower-left corner ("E398000N345250", as ``tasking.patrol_cells`` names it). The
  outcome is harm: crimes weighted by the Cambridge Crime Harm Index (``analysis.harm``), per
  cell and month. police.uk publishes only months and snaps each crime to a nearby map point, so
  a month is the finest time and a cell the finest place this can ever see.
- **Treated cells** are those with a patrol visit done from the start month to the end of the
  window (``start + months_after - 1``). **Before** is the months held before the start (at most
  ``MONTHS_BEFORE``, at least ``MIN_MONTHS_BEFORE``, as the operations' evaluation uses):
  no month from the start on is ever "before", so months of patrol never count as the baseline.
- **Only what was known by the end.** Every month after the end is dropped before anything is
  computed, and so are visits after it: crime data published later changes nothing (tested).
- **Comparison.** Cells never visited up to the end are the pool. Each patrolled cell is matched
  to its ``MATCHES`` nearest pool cells on pre-period risk (the log of one plus the risk: the
  stored forecast's score when the caller has one made before the start, else the cell's mean
  monthly harm before the start). So a patrolled high-harm cell is compared with cells that had
  as much harm before and were left alone, and both share any fall back from a high month
  (regression to the mean) and any force-wide change.
- **Estimate.** A difference in differences on the ratio scale: if the patrolled cells' harm per
  month went from ``T0`` to ``T1`` and their matches' from ``C0`` to ``C1``, the change is
  ``(T1 / T0) / (C1 / C0) - 1`` (-0.2 is 20% less harm than the comparison predicts).
- **Interval.** A seeded bootstrap over cells: patrolled cells are drawn with replacement, and
  for each its matches are drawn again with replacement, so the interval carries the spread
  between cells on both sides; the 2.5th and 97.5th percentiles give the 95% interval. On
  synthetic forces where patrolled cells were chosen, as a planner chooses them, among those
  with the most crime before, the estimate is unbiased and 92-95% of intervals cover the true
  effect (tests/analysis/test_analysis_patrol_evaluation.py). Cells chosen for something the
  data before does not show (a tip-off) may differ from their matches in ways this cannot see.
- **Too coarse to tell.** The verdict is "too early or too coarse to tell", with every reason,
  when the months after are not all published, when fewer than ``MIN_PATROLLED_CELLS`` cells
  were patrolled, when patrol lasted less than ``MIN_PATROL_DAYS`` (a monthly count mixes it
  with the weeks around it), when the window has fewer than ``MIN_MONTHS_AFTER`` months, when
  the patrolled cells had fewer than ``MIN_CRIMES_BEFORE`` crimes before, or when too few
  unvisited cells are left to compare with.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from beatbook.analysis.evaluation import MIN_MONTHS_BEFORE, MONTHS_BEFORE, NO_CHANGE
from beatbook.common.months import add_months, check_month, month_name, month_range

CELL_SIZE_M = 250
MATCHES = 5
MIN_PATROLLED_CELLS = 10
MIN_PATROL_DAYS = 28
MIN_MONTHS_AFTER = 2
MIN_CRIMES_BEFORE = 30
MIN_COMPARISON_CELLS = 20  # unvisited cells with harm before, so matches are not all one cell
BOOTSTRAP = 2000
SIGNIFICANCE = 0.05
TOO_COARSE = "too early or too coarse to tell"
FELL = "harm fell where officers went, more than in comparable places they did not visit"
ROSE = "harm rose where officers went, more than in comparable places they did not visit"
RISK_FROM_HARM = "the harm in each cell in the months before the start"


@dataclass(frozen=True)
class PatrolEvaluation:
    """The answer. ``estimate`` is the relative change in harm against the matched comparison
    (-0.2 is 20% less); ``ci_low``/``ci_high`` its 95% interval; ``harm_difference`` the same in
    harm per cell and month (CCHI days). They are None when it is too early or too coarse."""

    verdict: str
    reasons: tuple[str, ...]
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    harm_difference: float | None
    start: str
    end: str
    months_before: tuple[str, ...]
    months_after: tuple[str, ...]
    patrolled_cells: int
    comparison_cells: int
    crimes_before: int
    crimes_after: int
    minutes: int
    patrol_days: int
    risk_source: str
    treated_harm_before: float | None = None  # mean monthly harm per cell, patrolled
    comparison_harm_before: float | None = None  # and their matches
    method: str = ""
    cells: tuple[str, ...] = field(default=())

    @property
    def too_coarse(self) -> bool:
        return self.verdict == TOO_COARSE


def cell_key(easting: float, northing: float, size: int = CELL_SIZE_M) -> str:
    """The key of the cell holding a British National Grid point: its lower-left corner."""
    return f"E{math.floor(easting / size) * size}N{math.floor(northing / size) * size}"


def cell_month_harm(
    crimes: pd.DataFrame, weights: Mapping[str, float], *, size: int = CELL_SIZE_M
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Crimes and harm per cell (rows, keyed as ``cell_key``) and month (columns, as present).

    ``crimes`` has ``month``, ``category``, ``easting`` and ``northing`` (rows without a
    location are left out: they belong to no cell). ``weights`` gives each police.uk category's
    harm; a category it does not name weighs 0 (as anti-social behaviour does in the CCHI).
    """
    located = crimes.dropna(subset=["easting", "northing"])
    if located.empty:
        empty = pd.DataFrame(dtype=np.float64)
        return empty.astype(np.int64), empty
    x = (np.floor(located["easting"].to_numpy(np.float64) / size) * size).astype(np.int64)
    y = (np.floor(located["northing"].to_numpy(np.float64) / size) * size).astype(np.int64)
    keys = pd.Series([f"E{a}N{b}" for a, b in zip(x, y, strict=True)], index=located.index)
    frame = pd.DataFrame(
        {
            "cell": keys,
            "month": located["month"].astype(str),
            "harm": located["category"].map(dict(weights)).fillna(0.0).astype(np.float64),
        }
    )
    counts = pd.crosstab(frame["cell"], frame["month"]).astype(np.int64)
    harm = frame.pivot_table(
        index="cell", columns="month", values="harm", aggfunc="sum", fill_value=0.0
    ).reindex(index=counts.index, columns=counts.columns, fill_value=0.0)
    return counts, harm.astype(np.float64)


def patrol_evaluate(
    counts: pd.DataFrame,
    harm: pd.DataFrame,
    visits: pd.DataFrame,
    *,
    start: str,
    months_after: int,
    months_held: list[str] | tuple[str, ...],
    risk: pd.Series | None = None,
    risk_source: str = RISK_FROM_HARM,
    other_visits: pd.DataFrame | None = None,
    seed: int = 0,
) -> PatrolEvaluation:
    """Did harm in the patrolled cells change from ``start`` for ``months_after`` months,
    against matched unvisited cells?

    ``counts`` and ``harm`` are per cell (index: cell key) and month (columns "YYYY-MM"), for
    every cell of the force with a crime (a patrolled cell without one may be missing: it counts
    as none). ``visits`` has one row per visit done: ``cell``, ``day`` (a date) and
    ``minutes`` in place. ``months_held`` are the months police.uk published: a month not held
    is unknown, never a month without crime. ``risk`` (cell to score, known before the start)
    replaces the pre-period harm as what cells are matched on. ``other_visits`` (same shape) are
    visits outside what is evaluated (another team's): their cells are not patrolled here, but
    were not left alone either, so they are not compared with.
    """
    check_month(start, label="start month")
    if not 1 <= months_after <= 24:
        raise ValueError(f"The months after the start must be 1 to 24, not {months_after}.")
    end = add_months(start, months_after - 1)
    after = month_range(start, end)
    held = sorted({check_month(str(m), label="month held") for m in months_held})
    before = [m for m in held if m < start][-MONTHS_BEFORE:]
    window = _visits_in(visits, start, end)
    treated_keys = sorted(set(window["cell"]))
    visited_by_end = set(_visits_in(visits, "0000-01", end)["cell"])
    if other_visits is not None:
        visited_by_end |= set(_visits_in(other_visits, "0000-01", end)["cell"])
    days = _patrol_days(window)
    base: dict[str, Any] = {
        "start": start,
        "end": end,
        "months_before": tuple(before),
        "months_after": tuple(after),
        "patrolled_cells": len(treated_keys),
        "minutes": int(window["minutes"].sum()) if len(window) else 0,
        "patrol_days": days,
        "risk_source": risk_source,
        "cells": tuple(treated_keys),
    }
    known = [m for m in held if m <= end]
    counts = _upto(counts, known)
    harm = _upto(harm, known).reindex(index=counts.index, columns=counts.columns, fill_value=0.0)
    rows = sorted(set(counts.index[counts.to_numpy().sum(axis=1) > 0]) | set(treated_keys))
    counts = counts.reindex(index=rows, fill_value=0)
    harm = harm.reindex(index=rows, fill_value=0.0)
    treated = np.isin(np.asarray(rows, dtype=object), treated_keys)
    crimes_before = int(counts.loc[treated, before].to_numpy().sum()) if before else 0
    reasons = _coarse_reasons(held, after, before, len(treated_keys), days, crimes_before)
    pool = ~treated & ~np.isin(np.asarray(rows, dtype=object), sorted(visited_by_end))
    pre = harm[before].to_numpy(np.float64).mean(axis=1) if before else np.zeros(len(rows))
    usable_pool = pool & (pre > 0)
    if int(usable_pool.sum()) < MIN_COMPARISON_CELLS:
        reasons.append(
            f"Only {int(usable_pool.sum())} cells with harm before the start were never "
            f"visited: at least {MIN_COMPARISON_CELLS} are needed to compare with."
        )
    if reasons:
        return PatrolEvaluation(
            verdict=TOO_COARSE,
            reasons=tuple(reasons),
            estimate=None,
            ci_low=None,
            ci_high=None,
            harm_difference=None,
            comparison_cells=0,
            crimes_before=crimes_before,
            crimes_after=_crimes_after(counts, treated, after, held),
            method=_method(before, after),
            **base,
        )
    post = harm[after].to_numpy(np.float64).mean(axis=1)
    score = pre if risk is None else risk.reindex(rows).fillna(0.0).to_numpy(np.float64)
    members = np.flatnonzero(treated)
    matches = _matches(np.log1p(np.maximum(score, 0.0)), members, np.flatnonzero(usable_pool))
    return _answer(
        pre=pre,
        post=post,
        members=members,
        matches=matches,
        seed=seed,
        crimes_before=crimes_before,
        crimes_after=_crimes_after(counts, treated, after, held),
        method=_method(before, after),
        base=base,
    )


def _visits_in(visits: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    if visits.empty:
        return pd.DataFrame({"cell": [], "day": [], "minutes": []})
    months = pd.Series([f"{d:%Y-%m}" for d in visits["day"]], index=visits.index)
    return visits[(months >= start) & (months <= end)]


def _patrol_days(window: pd.DataFrame) -> int:
    """Days from the first visit to the last in the window, both counted."""
    if window.empty:
        return 0
    days: list[date] = list(window["day"])
    return (max(days) - min(days)).days + 1


def _upto(table: pd.DataFrame, months: list[str]) -> pd.DataFrame:
    """The table's columns for ``months`` only (missing ones are zero): later ones are gone."""
    return table.reindex(columns=months, fill_value=0)


def _crimes_after(
    counts: pd.DataFrame, treated: np.ndarray, after: list[str], held: list[str]
) -> int:
    shown = [m for m in after if m in held and m in counts.columns]
    return int(counts.loc[treated, shown].to_numpy().sum()) if shown else 0


def _coarse_reasons(
    held: list[str],
    after: list[str],
    before: list[str],
    patrolled: int,
    days: int,
    crimes_before: int,
) -> list[str]:
    reasons: list[str] = []
    if not held or after[-1] > held[-1]:
        last = month_name(held[-1]) if held else "no month"
        reasons.append(
            f"police.uk has published up to {last}; the months to {month_name(after[-1])} are "
            "not all out yet."
        )
    else:
        gaps = [m for m in after if m not in held]
        if gaps:
            reasons.append(
                f"police.uk published no data for {', '.join(month_name(m) for m in gaps)}."
            )
    if len(after) < MIN_MONTHS_AFTER:
        reasons.append(
            f"The window is {len(after)} month long: at least {MIN_MONTHS_AFTER} months after "
            "the start are needed for monthly counts to show a change."
        )
    if len(before) < MIN_MONTHS_BEFORE:
        reasons.append(
            f"Only {len(before)} months before the start are held: at least "
            f"{MIN_MONTHS_BEFORE} are needed to know what the places were like before."
        )
    if patrolled < MIN_PATROLLED_CELLS:
        reasons.append(
            f"Officers patrolled {patrolled} cell{'s' if patrolled != 1 else ''} in the window: "
            f"at least {MIN_PATROLLED_CELLS} are needed to tell an effect from chance."
        )
    if 0 < days < MIN_PATROL_DAYS:
        reasons.append(
            f"The patrols lasted {days} day{'s' if days != 1 else ''}: police.uk counts crime "
            "by month, so a patrol shorter than a month is mixed with the weeks around it."
        )
    if patrolled and crimes_before < MIN_CRIMES_BEFORE:
        reasons.append(
            f"The patrolled cells had {crimes_before} recorded crimes in the months before: at "
            f"least {MIN_CRIMES_BEFORE} are needed for a change to show."
        )
    return reasons


def _matches(score: np.ndarray, members: np.ndarray, pool: np.ndarray) -> np.ndarray:
    """For each patrolled cell (row), the ``MATCHES`` pool cells nearest it on the score; ties
    go to the lower row, so the answer does not depend on anything random."""
    distance = np.abs(score[members][:, None] - score[pool][None, :])
    k = min(MATCHES, len(pool))
    nearest = np.argsort(distance, axis=1, kind="stable")[:, :k]
    return pool[nearest]


def _ratio(t0: np.ndarray, t1: np.ndarray, c0: np.ndarray, c1: np.ndarray) -> np.ndarray:
    """(T1 / T0) / (C1 / C0) - 1, NaN where a sum is zero (no ratio to take)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        value = (t1 * c0) / (t0 * c1) - 1.0
    bad = (t0 <= 0) | (c0 <= 0) | (c1 <= 0)
    return np.where(bad, np.nan, value)


def _answer(
    *,
    pre: np.ndarray,
    post: np.ndarray,
    members: np.ndarray,
    matches: np.ndarray,
    seed: int,
    crimes_before: int,
    crimes_after: int,
    method: str,
    base: dict[str, Any],
) -> PatrolEvaluation:
    n, k = matches.shape
    c_pre = pre[matches].mean(axis=1)
    c_post = post[matches].mean(axis=1)
    t0, t1 = pre[members].sum(), post[members].sum()
    c0, c1 = c_pre.sum(), c_post.sum()
    estimate = float(_ratio(np.array([t0]), np.array([t1]), np.array([c0]), np.array([c1]))[0])
    difference = float(((t1 - t0) - (c1 - c0)) / n)
    rng = np.random.default_rng(seed)
    picked = rng.integers(0, n, size=(BOOTSTRAP, n))
    inner = rng.integers(0, k, size=(BOOTSTRAP, n, k))
    drawn = np.take_along_axis(matches[picked], inner, axis=2)
    replicates = _ratio(
        pre[members][picked].sum(axis=1),
        post[members][picked].sum(axis=1),
        pre[drawn].mean(axis=2).sum(axis=1),
        post[drawn].mean(axis=2).sum(axis=1),
    )
    finite = replicates[np.isfinite(replicates)]
    if math.isnan(estimate) or len(finite) < BOOTSTRAP * 0.9:
        return PatrolEvaluation(
            verdict=TOO_COARSE,
            reasons=("The comparison cells had no harm in one of the periods: no ratio to take.",),
            estimate=None,
            ci_low=None,
            ci_high=None,
            harm_difference=None,
            comparison_cells=len(np.unique(matches)),
            crimes_before=crimes_before,
            crimes_after=crimes_after,
            method=method,
            **base,
        )
    low, high = np.percentile(finite, [100 * SIGNIFICANCE / 2, 100 * (1 - SIGNIFICANCE / 2)])
    return PatrolEvaluation(
        verdict=_verdict(float(low), float(high)),
        reasons=(),
        estimate=estimate,
        ci_low=float(low),
        ci_high=float(high),
        harm_difference=difference,
        comparison_cells=len(np.unique(matches)),
        crimes_before=crimes_before,
        crimes_after=crimes_after,
        treated_harm_before=float(t0 / n),
        comparison_harm_before=float(c0 / n),
        method=method,
        **base,
    )


def _verdict(low: float, high: float) -> str:
    if high < 0:
        return FELL
    if low > 0:
        return ROSE
    return NO_CHANGE


def _method(before: list[str], after: list[str]) -> str:
    first = month_name(before[0]) if before else "no month"
    return (
        "Difference in differences on harm (crimes weighted by the Cambridge Crime Harm Index) "
        "in 250 m cells: the patrolled cells' harm per month in the "
        f"{len(after)} months from {month_name(after[0])} against the {len(before)} months "
        f"before (from {first}), relative to the same change in the {MATCHES} cells never "
        "visited nearest each patrolled cell in risk before the start. The 95% interval comes "
        f"from {BOOTSTRAP} bootstrap draws of cells, patrolled and compared, with a fixed seed. "
        "Months from the start on are never used as 'before', and data for months after the "
        "window is not read. Recorded crime can rise where officers find it, and police.uk "
        "moves each crime to a nearby map point, so a cell's counts are approximate."
    )
