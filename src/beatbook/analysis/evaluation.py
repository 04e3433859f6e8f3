"""Did recorded crime in an area change after an operation began, against what comparable areas
of the same force predict? The before-and-after evaluation of issue 14, item 6.

The method is a difference in differences with matched comparison areas and placebo inference:

- **Counts.** Crimes per LSOA and month, from the force's police.uk street files alone (no
  boundaries, no neighbourhoods), so it works for any force as soon as its data is loaded.
- **Only what was known by the end of the evaluation window.** Every month after
  ``start + months_after - 1`` is dropped before anything is computed, and so are LSOAs first
  seen later: data published later can never change an answer already given.
- **Comparison.** Each of the area's LSOAs is matched to the ``MATCHES`` other LSOAs of the force
  nearest to it on the level (log of mean monthly crimes) and trend (linear slope relative to
  the level) of its months before the start. Their sum predicts the area's change: if they went
  from ``C0`` to ``C1`` while the area went from ``T0`` to ``T1``, the statistic is
  ``log(T1 / T0) - log(C1 / C0)``, the log of the area's crimes against the counterfactual.
- **Inference from the data's own noise.** Small areas, few months, over-dispersed counts and
  crime that clusters in neighbouring LSOAs make textbook standard errors far too narrow (with
  one treated area, cluster-robust errors have one cluster: Conley and Taber 2011). So the same
  statistic, matching included, is computed for placebo areas: runs of as many neighbouring
  LSOAs of the force (consecutive by LSOA name, "Liverpool 012A", "Liverpool 012B", ...: the
  same or the next MSOA) as the area has, outside the area, each starting half a run after the
  last (runs overlapping more are near copies, which made the placebos too alike: 9% false
  positives on Merseyside), the ``PLACEBO_AREAS`` whose crime before the start is nearest the
  area's in volume (noise depends on volume: with every run, 2% false positives and too little
  power). The p-value is the area's rank among them (two-sided); the 95% interval inverts that
  test (Fisher's constant effect: the effects the placebos would not reject); the estimate is
  corrected by the placebos' median, so that it lies in the interval.
  ``benchmarks/evaluation.py`` measures, on real files, how often it finds a change that is
  not there and how often it finds one that is: on Merseyside, areas of ten LSOAs and three
  months, 6% false positives at 5%, 90% of true +50% rises found, intervals covering +50%
  94% of the time (docs/benchmarks.md).

The area's LSOAs should be neighbours, as an operation's are: an area of scattered LSOAs gets
placebos of neighbours, which vary more, and the test is then conservative. An area chosen
because its crime had just risen is expected to fall back (regression to the mean), which no
before-and-after comparison can tell from an effect; the method says so.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from beatbook.common.months import add_months, check_month, month_name, month_range
from beatbook.common.policeuk import CRIME_TYPES

MONTHS_AFTER = 3
MONTHS_BEFORE = 12  # the most months before the start that are used
MIN_MONTHS_BEFORE = 6
MATCHES = 5  # comparison LSOAs per LSOA of the area
PLACEBO_AREAS = 100  # placebo areas nearest the area in volume
MIN_PLACEBO_AREAS = 40  # the fewest that can give p < 0.05, so a bounded 95% interval
SIGNIFICANCE = 0.05
TOO_EARLY = "too early to tell"
NO_CHANGE = "no change that data of this size can detect"
_HALF = 0.5  # added to counts before logs: an area without crime in a period has no log


@dataclass(frozen=True)
class Evaluation:
    """The answer: a relative change against the counterfactual (-0.12 is 12% fewer crimes
    than the comparison areas predict), its 95% interval and p-value, and what was compared.
    The figures are None when it is too early to tell."""

    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    verdict: str
    comparison: tuple[str, ...]
    months_before: int
    months_after: int
    method: str

    def as_json(self) -> dict[str, Any]:
        """Exactly the keys the ``evaluate`` command prints, with JSON's types."""
        return {
            "estimate": self.estimate,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "p_value": self.p_value,
            "verdict": self.verdict,
            "comparison": list(self.comparison),
            "months_before": self.months_before,
            "months_after": self.months_after,
            "method": self.method,
        }


@dataclass(frozen=True)
class _Window:
    """The months compared: those before the start that are used, and those after it."""

    before: list[str]
    after: list[str]


def evaluate(
    crimes: pd.DataFrame,
    lsoas: Iterable[str],
    start: str,
    *,
    months_after: int = MONTHS_AFTER,
    category: str | None = None,
    months_held: Iterable[str] | None = None,
) -> Evaluation:
    """The evaluation of the area ``lsoas`` from ``start`` for ``months_after`` months.

    ``crimes`` is the force's crimes in the shape of ``frames.CRIME_POINT_COLUMNS`` (only
    ``month``, ``category``, ``lsoa_code`` and ``lsoa_name`` are read). ``months_held`` are the
    months police.uk published (default: the months with any crime); a month not held is
    unknown, never a month without crime. ``category`` is a police.uk slug; without it, every
    crime in the files counts (anti-social behaviour included, as police.uk's street files
    record it).
    """
    check_month(start, label="start month")
    _check_months_after(months_after)
    end = add_months(start, months_after - 1)
    held = crimes["month"].unique() if months_held is None else list(months_held)
    counts = lsoa_month_counts(crimes, category=category, months_held=held)
    # Only LSOAs seen up to the end: one first seen later would be a place the force's data
    # did not know of at the time (evaluate_counts drops every month after the end).
    known = crimes[crimes["month"] <= end]
    counts = counts[counts.index.isin(known["lsoa_code"])]
    names = _lsoa_names(known)
    return evaluate_counts(counts, lsoas, start, months_after=months_after, names=names)


def lsoa_month_counts(
    crimes: pd.DataFrame, *, category: str | None = None, months_held: Iterable[str]
) -> pd.DataFrame:
    """Crimes per LSOA (rows, every LSOA with any crime) and month held (columns, oldest first).

    LSOAs are those with a crime of any category, so that an LSOA without burglary still
    counts as a place with none.
    """
    if category is not None and category not in set(CRIME_TYPES.values()):
        raise ValueError(f"{category!r} is not a police.uk crime category.")
    held = sorted({check_month(str(m), label="month held") for m in months_held})
    lsoas = sorted(set(crimes["lsoa_code"].dropna()) - {""})
    chosen = crimes if category is None else crimes[crimes["category"] == category]
    chosen = chosen[chosen["month"].isin(held) & chosen["lsoa_code"].isin(lsoas)]
    table = pd.crosstab(chosen["lsoa_code"], chosen["month"]) if len(chosen) else pd.DataFrame()
    return table.reindex(index=lsoas, columns=held, fill_value=0).astype(np.int64)


def _lsoa_names(crimes: pd.DataFrame) -> pd.Series:
    named = crimes[["lsoa_code", "lsoa_name"]].dropna().drop_duplicates("lsoa_code")
    return pd.Series(named["lsoa_name"].to_numpy(), index=named["lsoa_code"].to_numpy())


def evaluate_counts(
    counts: pd.DataFrame,
    lsoas: Iterable[str],
    start: str,
    *,
    months_after: int = MONTHS_AFTER,
    names: pd.Series | None = None,
) -> Evaluation:
    """The evaluation from monthly counts: one row per LSOA of the force (index: LSOA code),
    one column per month held ("YYYY-MM"; a month not published has no column).

    ``names`` (LSOA code to name, such as "Liverpool 012A") orders the LSOAs into neighbours
    for the placebo areas; without it, codes are used, which ONS also assigned by place.
    """
    check_month(start, label="start month")
    _check_months_after(months_after)
    end = add_months(start, months_after - 1)
    held = sorted(check_month(str(c), label="month held") for c in counts.columns)
    if not held or start < held[0]:
        raise ValueError(
            f"The start month {start} is not in the data held, which begins "
            f"{held[0] if held else 'nowhere'}: no months before it to compare with."
        )
    counts = counts.loc[:, [c for c in counts.columns if str(c) <= end]]
    area = _area(lsoas, counts)
    # An LSOA without crime up to the end is one first seen later (or one where this kind of
    # crime never happens): it says nothing, and must not change the placebo areas.
    counts = counts[(counts.to_numpy().sum(axis=1) > 0) | counts.index.isin(area)]
    window = _window(sorted(counts.columns), start, months_after)
    if window is None:
        before = sum(1 for m in counts.columns if m < start)
        return _too_early(min(before, MONTHS_BEFORE), months_after)
    order = _neighbour_order(counts.index, names)
    return _evaluate_window(counts.loc[order], area, window)


def _check_months_after(months_after: int) -> None:
    if not 1 <= months_after <= 24:
        raise ValueError(f"The months after the start must be 1 to 24, not {months_after}.")


def _area(lsoas: Iterable[str], counts: pd.DataFrame) -> list[str]:
    area = sorted(set(lsoas))
    if not area:
        raise ValueError("The area has no LSOAs: give at least one LSOA code.")
    unknown = [code for code in area if code not in counts.index]
    if unknown:
        shown = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        raise ValueError(
            f"{len(unknown)} of the area's LSOAs have no recorded crime in this force's data "
            f"up to the end of the evaluation: {shown}."
        )
    return area


def _window(held: list[str], start: str, months_after: int) -> _Window | None:
    """The months compared, or None when the months after the start are not all published yet.

    A month inside the published range that was never published is an error: the answer would
    never come.
    """
    after = month_range(start, add_months(start, months_after - 1))
    if after[-1] > held[-1]:
        return None
    gaps = [m for m in after if m not in held]
    if gaps:
        raise ValueError(
            f"police.uk published no data for {', '.join(month_name(m) for m in gaps)}, "
            "within the months after the start: choose another start or fewer months."
        )
    before = [m for m in held if m < start][-MONTHS_BEFORE:]
    if len(before) < MIN_MONTHS_BEFORE:
        raise ValueError(
            f"Only {len(before)} months before {start} are held: at least "
            f"{MIN_MONTHS_BEFORE} are needed to know what the area was like before."
        )
    return _Window(before=before, after=after)


def _neighbour_order(codes: pd.Index, names: pd.Series | None) -> list[str]:
    """LSOA codes in the order of their names ("Liverpool 012A" next to "Liverpool 012B"), so
    that consecutive LSOAs are neighbours; codes without a name keep their code's place."""
    named = {} if names is None else names.to_dict()
    return sorted((str(c) for c in codes), key=lambda code: (str(named.get(code, "~")), code))


def _too_early(months_before: int, months_after: int) -> Evaluation:
    return Evaluation(
        estimate=None,
        ci_low=None,
        ci_high=None,
        p_value=None,
        verdict=TOO_EARLY,
        comparison=(),
        months_before=months_before,
        months_after=months_after,
        method=(
            f"Not yet evaluated: the {months_after} months from the start are not all "
            "published by police.uk yet."
        ),
    )


class _Panel:
    """The force's counts before and after, the matching features, and the statistic."""

    def __init__(self, counts: pd.DataFrame, window: _Window) -> None:
        before = counts[window.before].to_numpy(np.float64)
        self.codes = counts.index.to_numpy()
        self.pre = before.sum(axis=1)
        self.post = counts[window.after].to_numpy(np.float64).sum(axis=1)
        self.features = _features(before)

    def matches(self, members: np.ndarray, allowed: np.ndarray) -> np.ndarray:
        """The ``MATCHES`` allowed LSOAs nearest each member, as one set of row numbers."""
        pool = np.flatnonzero(allowed)
        distance = ((self.features[members][:, None, :] - self.features[pool][None]) ** 2).sum(-1)
        k = min(MATCHES, len(pool))
        nearest = np.argpartition(distance, k - 1, axis=1)[:, :k]
        return np.unique(pool[nearest])

    def statistic(self, members: np.ndarray, comparison: np.ndarray) -> float:
        area = math.log((self.post[members].sum() + _HALF) / (self.pre[members].sum() + _HALF))
        rest = math.log(
            (self.post[comparison].sum() + _HALF) / (self.pre[comparison].sum() + _HALF)
        )
        return area - rest


def _features(before: np.ndarray) -> np.ndarray:
    """Level and trend of each LSOA's months before, each scaled to unit spread across the
    force, so neither dominates the matching."""
    mean = before.mean(axis=1) + _HALF
    steps = np.arange(before.shape[1], dtype=np.float64)
    steps -= steps.mean()
    slope = (before @ steps) / (steps @ steps) / mean
    features = np.column_stack([np.log(mean), slope])
    spread = features.std(axis=0)
    return features / np.where(spread > 0, spread, 1.0)


def _evaluate_window(counts: pd.DataFrame, area: list[str], window: _Window) -> Evaluation:
    panel = _Panel(counts, window)
    treated = np.isin(panel.codes, area)
    members = np.flatnonzero(treated)
    placebos = _placebo_statistics(panel, treated, len(members))  # first: it checks the size
    comparison = panel.matches(members, ~treated)
    observed = panel.statistic(members, comparison)
    return _result(observed, placebos, panel.codes[comparison], window, len(members))


def _placebo_statistics(panel: _Panel, treated: np.ndarray, size: int) -> np.ndarray:
    """The statistic for runs of ``size`` consecutive LSOAs outside the area, the
    ``PLACEBO_AREAS`` nearest the area's volume of crime before, each with its own matches."""
    outside = np.flatnonzero(~treated)
    starts = len(outside) - size + 1
    stride = (size + 1) // 2
    if len(range(0, starts, stride)) < MIN_PLACEBO_AREAS:
        raise ValueError(
            f"The force has {len(outside)} LSOAs outside the area: too few to make the "
            f"{MIN_PLACEBO_AREAS} placebo areas of {size} LSOAs needed to judge a change."
        )
    runs = outside[np.arange(0, starts, stride)[:, None] + np.arange(size)[None, :]]
    volume = np.log(panel.pre[runs].sum(axis=1) + _HALF)
    target = math.log(panel.pre[treated].sum() + _HALF)
    nearest = np.argsort(np.abs(volume - target), kind="stable")[:PLACEBO_AREAS]
    statistics = []
    for run in runs[nearest]:
        allowed = ~treated
        allowed[run] = False
        statistics.append(panel.statistic(run, panel.matches(run, allowed)))
    return np.asarray(statistics)


def _result(
    observed: float,
    placebos: np.ndarray,
    comparison: Sequence[str],
    window: _Window,
    size: int,
) -> Evaluation:
    ranked = np.sort(placebos)
    count = len(ranked)
    below = (1 + np.sum(ranked <= observed)) / (count + 1)
    above = (1 + np.sum(ranked >= observed)) / (count + 1)
    p_value = float(min(1.0, 2.0 * min(below, above)))
    # The effects the same test would not reject: the statistic less the effect stays within
    # the placebos from the m-th smallest to the m-th largest (m >= 1 as count >= 40).
    m = math.ceil(round(SIGNIFICANCE / 2 * (count + 1) - 1, 9))
    estimate = math.expm1(observed - float(np.median(ranked)))
    return Evaluation(
        estimate=estimate,
        ci_low=math.expm1(observed - float(ranked[count - m])),
        ci_high=math.expm1(observed - float(ranked[m - 1])),
        p_value=p_value,
        verdict=_verdict(estimate, p_value),
        comparison=tuple(sorted(str(code) for code in comparison)),
        months_before=len(window.before),
        months_after=len(window.after),
        method=_method(window, len(comparison), count, size),
    )


def _verdict(estimate: float, p_value: float) -> str:
    if p_value >= SIGNIFICANCE:
        return NO_CHANGE
    percent = round(abs(estimate) * 100)
    direction = "fell" if estimate < 0 else "rose"
    return f"{direction} by about {percent}% more than comparable areas"


def _method(window: _Window, comparisons: int, placebos: int, size: int) -> str:
    return (
        "Difference in differences with matched comparison areas and placebo inference: "
        f"the area's recorded crime in the {len(window.after)} months from "
        f"{month_name(window.after[0])} against its {len(window.before)} months before, "
        f"relative to the same change in {comparisons} other LSOAs of the force matched on "
        "their level and trend before the start. The p-value and 95% interval come from the "
        f"same calculation for {placebos} placebo areas of {size} neighbouring LSOAs (by "
        "LSOA name) with similar crime before, so they carry the data's own noise; the "
        "estimate is corrected by the placebos' median. An area chosen because crime there "
        "had just risen may fall back by itself, which this cannot tell from an effect."
    )
