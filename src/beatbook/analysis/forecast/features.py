"""Features for the learned forecasters: per cell and target month, computed only from the
months before the target (lagged counts, recent means, neighbours' counts, the season).

Built for many target months at once with cumulative sums and image filters, so a force's
whole training set (tens of thousands of cells x a year or two of months) takes well under a
second.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from beatbook.analysis.forecast.matrix import CellMonthCounts
from beatbook.analysis.grid import FloatArray, IntArray
from beatbook.common.months import month_from_number, month_number

WINDOWS = (3, 6, 12, 24)
LAGS = (1, 2, 3)


@dataclass(frozen=True)
class Timeline:
    """A history extended with unobserved months up to ``last`` (the latest target)."""

    counts: FloatArray
    months: tuple[str, ...]

    @classmethod
    def extend(cls, history: CellMonthCounts, last: str) -> Timeline:
        start = month_number(history.months[0])
        end = max(month_number(last), month_number(history.months[-1]))
        extra = end - month_number(history.months[-1])
        padding = np.full((extra, history.n_cells), np.nan)
        months = tuple(month_from_number(n) for n in range(start, end + 1))
        return cls(counts=np.vstack([history.counts, padding]), months=months)

    def index_of(self, month: str) -> int:
        return month_number(month) - month_number(self.months[0])


def _window_means(counts: FloatArray, targets: IntArray, window: int) -> FloatArray:
    observed = (~np.isnan(counts).all(axis=1)).astype(np.float64)
    totals = np.vstack([np.zeros(counts.shape[1]), np.cumsum(np.nan_to_num(counts), axis=0)])
    seen = np.concatenate([[0.0], np.cumsum(observed)])
    start = np.maximum(targets - window, 0)
    months_seen = seen[targets] - seen[start]
    sums = totals[targets] - totals[start]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(months_seen[:, None] > 0, sums / months_seen[:, None], np.nan)


def _observed_lags(counts: FloatArray, targets: IntArray, lag: int) -> FloatArray:
    """The ``lag``-th most recent observed month before each target (NaN if too few)."""
    observed = np.flatnonzero(~np.isnan(counts).all(axis=1))
    result = np.full((targets.size, counts.shape[1]), np.nan)
    for row, target in enumerate(targets):
        before = observed[observed < target]
        if before.size >= lag:
            result[row] = counts[before[-lag]]
    return result


def _spatial(series: CellMonthCounts, values: FloatArray) -> list[FloatArray]:
    """Neighbours' means (3x3 and 7x7 cells) and a smooth surface (Gaussian, 2 cells)."""
    images = series.to_images(np.nan_to_num(values))
    return [
        series.from_images(ndimage.uniform_filter(images, size=(1, 3, 3), mode="constant")),
        series.from_images(ndimage.uniform_filter(images, size=(1, 7, 7), mode="constant")),
        series.from_images(ndimage.gaussian_filter(images, sigma=(0, 2, 2), mode="constant")),
    ]


def feature_names(with_auxiliary: bool, extended: bool = False) -> list[str]:
    names = [f"lag_{lag}" for lag in LAGS] + ["same_month_last_year"]
    names += [f"mean_{w}" for w in WINDOWS] + ["mean_all"]
    names += ["neighbours_3x3_mean_12", "neighbours_7x7_mean_12", "smooth_mean_12"]
    names += ["neighbours_3x3_lag_1", "month_of_year"]
    if with_auxiliary:
        names += ["all_crime_mean_12", "all_crime_neighbours_3x3_mean_12", "all_crime_lag_1"]
    if extended:
        names += ["neighbours_3x3_mean_all", "smooth_mean_all"]
    if extended and with_auxiliary:
        names += ["all_crime_mean_3", "all_crime_mean_all"]
    return names


def build_features(
    series: CellMonthCounts,
    timeline: Timeline,
    targets: Sequence[int],
    auxiliary: Timeline | None = None,
    extended: bool = False,
) -> FloatArray:
    """Rows (target-major: every cell of the first target, then the next) x features;
    ``extended`` adds the long-run neighbourhood and all-crime columns (``feature_names``)."""
    index = np.asarray(targets, dtype=np.int64)
    counts = timeline.counts
    lags = [_observed_lags(counts, index, lag) for lag in LAGS]
    last_year = np.where((index >= 12)[:, None], counts[np.maximum(index - 12, 0)], np.nan)
    means = [_window_means(counts, index, w) for w in WINDOWS]
    mean_all = _window_means(counts, index, counts.shape[0])
    spatial = _spatial(series, means[2]) + _spatial(series, lags[0])[:1]
    month_of_year = (
        np.array([month_number(timeline.months[0]) + t for t in index], dtype=np.float64) % 12 + 1
    )
    season = np.broadcast_to(month_of_year[:, None], lags[0].shape)
    columns = [*lags, last_year, *means, mean_all, *spatial, season]
    if auxiliary is not None:
        aux_mean = _window_means(auxiliary.counts, index, 12)
        columns += [aux_mean, _spatial(series, aux_mean)[0]]
        columns += [_observed_lags(auxiliary.counts, index, 1)]
    if extended:
        neighbours, _, smooth = _spatial(series, mean_all)
        columns += [neighbours, smooth]
    if extended and auxiliary is not None:
        columns += [_window_means(auxiliary.counts, index, 3)]
        columns += [_window_means(auxiliary.counts, index, auxiliary.counts.shape[0])]
    return np.stack([c.reshape(-1) for c in columns], axis=1)
