"""Square cells on the British National Grid (EPSG:27700), the unit every hotspot and forecast
is counted on.

Cells are aligned to whole multiples of their size, so the same cell has the same origin in
every run and anyone can rebuild it from its lower-left easting and northing. Flat cell indexes
are row-major from the south-west corner: ``index = row * columns + column``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

MIN_CELL_SIZE = 50.0
MAX_CELL_SIZE = 5_000.0


@dataclass(frozen=True)
class Grid:
    """A rectangle of ``columns`` x ``rows`` cells of ``cell_size`` metres, lower-left at
    (``x0``, ``y0``)."""

    x0: float
    y0: float
    cell_size: float
    columns: int
    rows: int

    def __post_init__(self) -> None:
        if not MIN_CELL_SIZE <= self.cell_size <= MAX_CELL_SIZE:
            raise ValueError(
                f"Cell size must be between {MIN_CELL_SIZE:g} and {MAX_CELL_SIZE:g} metres, "
                f"not {self.cell_size:g}."
            )
        if self.columns < 1 or self.rows < 1:
            raise ValueError("A grid needs at least one cell.")

    @classmethod
    def covering(
        cls, easting: npt.ArrayLike, northing: npt.ArrayLike, cell_size: float, margin: int = 0
    ) -> Grid:
        """The smallest aligned grid holding every finite point, plus ``margin`` cells a side."""
        xs = np.asarray(easting, dtype=np.float64)
        ys = np.asarray(northing, dtype=np.float64)
        finite = np.isfinite(xs) & np.isfinite(ys)
        if not finite.any():
            raise ValueError("No points with coordinates to build a grid around.")
        return cls.from_bounds(
            (xs[finite].min(), ys[finite].min(), xs[finite].max(), ys[finite].max()),
            cell_size,
            margin,
        )

    @classmethod
    def from_bounds(
        cls, bounds: tuple[float, float, float, float], cell_size: float, margin: int = 0
    ) -> Grid:
        """The aligned grid covering (min easting, min northing, max easting, max northing)."""
        min_x, min_y, max_x, max_y = bounds
        x0 = (math.floor(min_x / cell_size) - margin) * cell_size
        y0 = (math.floor(min_y / cell_size) - margin) * cell_size
        columns = math.floor(max_x / cell_size) + margin + 1 - round(x0 / cell_size)
        rows = math.floor(max_y / cell_size) + margin + 1 - round(y0 / cell_size)
        return cls(x0=x0, y0=y0, cell_size=cell_size, columns=columns, rows=rows)

    @property
    def n_cells(self) -> int:
        return self.columns * self.rows

    @property
    def cell_area_km2(self) -> float:
        return (self.cell_size / 1000.0) ** 2

    def cell_index(self, easting: npt.ArrayLike, northing: npt.ArrayLike) -> IntArray:
        """Flat index of the cell holding each point; -1 for points outside or without
        coordinates."""
        xs = np.asarray(easting, dtype=np.float64)
        ys = np.asarray(northing, dtype=np.float64)
        with np.errstate(invalid="ignore"):
            column = np.floor((xs - self.x0) / self.cell_size)
            row = np.floor((ys - self.y0) / self.cell_size)
        inside = (column >= 0) & (column < self.columns) & (row >= 0) & (row < self.rows)
        index = np.full(xs.shape, -1, dtype=np.int64)
        index[inside] = row[inside].astype(np.int64) * self.columns + column[inside].astype(
            np.int64
        )
        return index

    def counts(
        self,
        easting: npt.ArrayLike,
        northing: npt.ArrayLike,
        weights: npt.ArrayLike | None = None,
    ) -> FloatArray:
        """Points (or their weights) summed per cell, as a flat array of ``n_cells``."""
        index = self.cell_index(easting, northing)
        keep = index >= 0
        w = None if weights is None else np.asarray(weights, dtype=np.float64)[keep]
        return np.bincount(index[keep], weights=w, minlength=self.n_cells).astype(np.float64)

    def origins(self) -> tuple[FloatArray, FloatArray]:
        """Easting and northing of every cell's lower-left corner, in flat-index order."""
        rows, columns = np.divmod(np.arange(self.n_cells, dtype=np.int64), self.columns)
        return (
            self.x0 + columns.astype(np.float64) * self.cell_size,
            self.y0 + rows.astype(np.float64) * self.cell_size,
        )

    def centres(self) -> tuple[FloatArray, FloatArray]:
        """Easting and northing of every cell's centre, in flat-index order."""
        xs, ys = self.origins()
        half = self.cell_size / 2.0
        return xs + half, ys + half

    def to_image(self, values: npt.ArrayLike) -> FloatArray:
        """A flat per-cell array as a (rows, columns) image, row 0 at the south."""
        return np.asarray(values, dtype=np.float64).reshape(self.rows, self.columns)
