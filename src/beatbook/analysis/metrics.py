"""How well a forecast picked the cells where crime then happened: hit rate, PAI and PEI*.

A forecast flags the top ``k`` cells by score, ``k`` being a share (coverage) of the study
area's cells. Scores often tie at the threshold (many cells with last month's count of 1, say);
rather than break ties by arbitrary order, the tied cells share the remaining places equally,
so the crimes captured are the expected value over every order of the ties.

* hit rate = captured / all crimes;
* PAI (Chainey, Tompson and Uhlig 2008) = hit rate / share of area flagged;
* PEI* (as the NIJ Real-Time Crime Forecasting Challenge scored it) = captured / the most any
  ``k`` cells could have captured (the ``k`` cells with most crime).

``actual`` may be counts or harm (crimes weighted by seriousness); the same formulas apply.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

COVERAGES = (0.005, 0.01, 0.02, 0.05, 0.1)


@dataclass(frozen=True)
class Score:
    coverage: float
    cells: int
    captured: float
    total: float
    best: float
    hit_rate: float
    pai: float
    pei_star: float


def cells_for_coverage(n_cells: int, coverage: float) -> int:
    """How many cells a coverage share flags: the nearest whole number, at least one."""
    if not 0 < coverage <= 1:
        raise ValueError(
            f"Coverage must be a share of the area above 0 and at most 1, not {coverage}."
        )
    if n_cells < 1:
        raise ValueError("The study area has no cells.")
    return max(1, math.floor(coverage * n_cells + 0.5))


def expected_capture(scores: npt.ArrayLike, actual: npt.ArrayLike, k: int) -> float:
    """Crimes in the ``k`` highest-scoring cells, tied cells at the threshold counted
    fractionally (each tied cell is flagged with the same probability)."""
    s, a = _pair(scores, actual)
    if not 0 <= k <= s.size:
        raise ValueError(f"Cannot flag {k} of {s.size} cells.")
    if k == 0:
        return 0.0
    threshold = np.partition(s, s.size - k)[s.size - k]
    above = s > threshold
    tied = s == threshold
    places = k - int(above.sum())
    return float(a[above].sum() + a[tied].sum() * places / int(tied.sum()))


def best_capture(actual: npt.ArrayLike, k: int) -> float:
    """The most any ``k`` cells held: the sum of the ``k`` largest actual values."""
    a = np.asarray(actual, dtype=np.float64)
    if k <= 0:
        return 0.0
    return float(np.sort(a)[::-1][:k].sum())


def score(scores: npt.ArrayLike, actual: npt.ArrayLike, coverage: float) -> Score:
    """Hit rate, PAI and PEI* at one coverage. With no crime at all, all three are NaN."""
    s, a = _pair(scores, actual)
    k = cells_for_coverage(s.size, coverage)
    captured = expected_capture(s, a, k)
    total = float(a.sum())
    best = best_capture(a, k)
    hit_rate = captured / total if total > 0 else math.nan
    return Score(
        coverage=coverage,
        cells=k,
        captured=captured,
        total=total,
        best=best,
        hit_rate=hit_rate,
        pai=hit_rate / (k / s.size),
        pei_star=captured / best if best > 0 else math.nan,
    )


def scores(
    forecast: npt.ArrayLike, actual: npt.ArrayLike, coverages: Sequence[float] = COVERAGES
) -> list[Score]:
    return [score(forecast, actual, c) for c in coverages]


def _pair(
    scores: npt.ArrayLike, actual: npt.ArrayLike
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    s = np.asarray(scores, dtype=np.float64)
    a = np.asarray(actual, dtype=np.float64)
    if s.ndim != 1 or s.shape != a.shape:
        raise ValueError(
            f"Scores and actual counts must be flat arrays of the same length, not {s.shape} "
            f"and {a.shape}."
        )
    if not np.isfinite(s).all():
        raise ValueError("Forecast scores must all be finite numbers.")
    if not np.isfinite(a).all() or (a < 0).any():
        raise ValueError("Actual counts must be finite and not negative.")
    return s, a
