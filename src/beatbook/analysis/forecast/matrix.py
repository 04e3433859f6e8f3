"""Cell-by-month counts of crime over a study area: what every forecasting method learns from.

A month with no data (Merseyside published no file for 2019-07) is a row of NaN, not a row of
zeros: methods skip it instead of reading it as a month without crime. Points without
coordinates, or outside the study area's cells, are counted in ``dropped`` and left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from beatbook.analysis.grid import FloatArray, Grid, IntArray
from beatbook.common.months import check_month, month_range

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class CellMonthCounts:
    """``counts[m, i]``: crimes (or harm) in study cell ``cells[i]`` of ``grid`` in
    ``months[m]``; months are consecutive and unobserved months are rows of NaN."""

    grid: Grid
    cells: IntArray
    months: tuple[str, ...]
    counts: FloatArray
    dropped: int = 0

    def __post_init__(self) -> None:
        if self.counts.shape != (len(self.months), len(self.cells)):
            raise ValueError(
                f"Counts have shape {self.counts.shape}, expected "
                f"({len(self.months)} months, {len(self.cells)} cells)."
            )

    @property
    def observed(self) -> BoolArray:
        """Whether each month has data."""
        if not len(self.cells):
            return np.ones(len(self.months), dtype=bool)
        return np.asarray(~np.isnan(self.counts).all(axis=1), dtype=bool)

    @property
    def n_cells(self) -> int:
        return len(self.cells)

    def index_of(self, month: str) -> int:
        if month not in self.months:
            raise ValueError(f"{month} is not among the months held ({self._span()}).")
        return self.months.index(month)

    def before(self, month: str) -> CellMonthCounts:
        """Only the months strictly before ``month``, copied: what a forecast for it may use."""
        check_month(month)
        return self._keeping([i for i, m in enumerate(self.months) if m < month])

    def between(self, first: str, last: str) -> CellMonthCounts:
        """Only the months from ``first`` to ``last`` inclusive, copied."""
        check_month(first)
        check_month(last)
        return self._keeping([i for i, m in enumerate(self.months) if first <= m <= last])

    def _keeping(self, rows: list[int]) -> CellMonthCounts:
        return CellMonthCounts(
            grid=self.grid,
            cells=self.cells.copy(),
            months=tuple(self.months[i] for i in rows),
            counts=self.counts[rows].copy(),
            dropped=self.dropped,
        )

    def month_counts(self, month: str) -> FloatArray:
        return np.array(self.counts[self.index_of(month)], dtype=np.float64)

    def to_images(self, values: FloatArray) -> FloatArray:
        """Per-cell values (..., n_cells) as grid images (..., rows, columns), zero outside."""
        leading = values.shape[:-1]
        flat = np.zeros((*leading, self.grid.n_cells), dtype=np.float64)
        flat[..., self.cells] = values
        return flat.reshape(*leading, self.grid.rows, self.grid.columns)

    def from_images(self, images: FloatArray) -> FloatArray:
        """Grid images back to per-cell values of the study area."""
        leading = images.shape[:-2]
        return images.reshape(*leading, self.grid.n_cells)[..., self.cells]

    def _span(self) -> str:
        return f"{self.months[0]} to {self.months[-1]}" if self.months else "none"


def count_matrix(
    points: pd.DataFrame,
    *,
    grid: Grid,
    cells: Sequence[int] | IntArray,
    months: Sequence[str],
    observed_months: Iterable[str] | None = None,
    weights: FloatArray | None = None,
) -> CellMonthCounts:
    """Count ``points`` (columns ``month``, ``easting``, ``northing``) per study cell and month.

    ``months`` must be consecutive. ``observed_months`` names the months that have data (by
    default, those with at least one point: pass the months of the whole force's data when
    ``points`` are one category, or a rare category's quiet month would read as missing);
    the others become NaN rows. ``weights`` (one per
    point, e.g. harm) are summed instead of counting.
    """
    months = tuple(check_month(m) for m in months)
    if months and list(months) != month_range(months[0], months[-1]):
        raise ValueError("The months of a count matrix must be consecutive.")
    study = np.unique(np.asarray(cells, dtype=np.int64))
    if study.size and (study[0] < 0 or study[-1] >= grid.n_cells):
        raise ValueError("A study-area cell index lies outside the grid.")
    counts = _bin(points, grid, study, months, weights)
    observed = _observed(points, months, observed_months)
    counts[~observed] = np.nan
    in_months = points["month"].isin(months).to_numpy() if len(points) else np.zeros(0, bool)
    placed = _position(points, grid, study)
    dropped = int((in_months & (placed < 0)).sum())
    return CellMonthCounts(grid=grid, cells=study, months=months, counts=counts, dropped=dropped)


def _position(points: pd.DataFrame, grid: Grid, study: IntArray) -> IntArray:
    """Each point's column in the study area, or -1 (no coordinates, outside the area)."""
    if not len(points):
        return np.zeros(0, dtype=np.int64)
    flat = grid.cell_index(
        points["easting"].to_numpy(np.float64), points["northing"].to_numpy(np.float64)
    )
    lookup = np.full(grid.n_cells + 1, -1, dtype=np.int64)
    lookup[study] = np.arange(study.size)
    return lookup[np.where(flat >= 0, flat, grid.n_cells)]


def _bin(
    points: pd.DataFrame,
    grid: Grid,
    study: IntArray,
    months: tuple[str, ...],
    weights: FloatArray | None,
) -> FloatArray:
    counts = np.zeros((len(months), study.size), dtype=np.float64)
    if not len(points) or not months or not study.size:
        return counts
    column = _position(points, grid, study)
    row = pd.Categorical(points["month"], categories=list(months)).codes.astype(np.int64)
    keep = (column >= 0) & (row >= 0) & (row < len(months))
    w = None if weights is None else np.asarray(weights, dtype=np.float64)
    if w is not None and w.shape != (len(points),):
        raise ValueError("There must be exactly one weight per point.")
    flat = row[keep] * study.size + column[keep]
    summed = np.bincount(flat, weights=None if w is None else w[keep], minlength=counts.size)
    return summed.reshape(counts.shape).astype(np.float64)


def _observed(
    points: pd.DataFrame, months: tuple[str, ...], observed_months: Iterable[str] | None
) -> BoolArray:
    if observed_months is None:
        present = set(points["month"].unique()) if len(points) else set()
    else:
        present = {check_month(m) for m in observed_months}
    return np.array([m in present for m in months], dtype=bool)


ALL_CRIME = "all-crime"


def series_by_category(
    points: pd.DataFrame,
    *,
    grid: Grid,
    cells: Sequence[int] | IntArray,
    months: Sequence[str],
    observed_months: Iterable[str],
    categories: Sequence[str],
    harm_weights: dict[str, float] | None = None,
) -> dict[str, CellMonthCounts]:
    """One count matrix per category (``"all-crime"`` is every category together, as on
    police.uk), counted or, with ``harm_weights`` (per category slug), harm-weighted.

    ``observed_months`` are the months the whole force has data for, so a category's quiet
    month stays a month of zeros."""
    observed = list(observed_months)
    result: dict[str, CellMonthCounts] = {}
    for category in categories:
        chosen = points if category == ALL_CRIME else points[points["category"] == category]
        weights = None
        if harm_weights is not None:
            weights = chosen["category"].map(harm_weights).fillna(0.0).to_numpy(np.float64)
        result[category] = count_matrix(
            chosen,
            grid=grid,
            cells=cells,
            months=months,
            observed_months=observed,
            weights=weights,
        )
    return result
