"""Getis-Ord Gi* on grid cells: where high (or low) values cluster more than chance allows.

For each cell, Gi* compares the sum of the values in its neighbourhood (itself included) with
what the same number of cells drawn at random would hold (Ord and Getis 1995). Neighbours are
binary: the queen neighbourhood (the 8 cells round it, as ``sfhotspot`` uses) or every cell
whose centre is within a distance band. Because the grid is regular, the neighbourhood sums are
one correlation of the value image with a small disc of ones (``scipy.ndimage.correlate``), so
the cost is O(cells x neighbourhood) in compiled code, with no weights matrix built at all.

The statistic, its expectation and variance are those of ``esda.G_Local(y, w, star=True,
transform="B")`` (tested to 1e-10 against it). Cells outside the study area (``mask``) take no
part: they are not observations and add nothing to their neighbours' sums. P-values are
two-sided from the normal approximation and corrected for testing thousands of cells at once
with the Benjamini-Hochberg false discovery rate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import ndimage, special

from beatbook.analysis.grid import FloatArray, Grid

BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class GiStarResult:
    """Per-cell results in flat cell order; cells outside the study area hold NaN."""

    z: FloatArray
    p: FloatArray
    p_adjusted: FloatArray
    hot: BoolArray
    cold: BoolArray
    neighbours: FloatArray
    false_discovery_rate: float
    observations: int


def neighbourhood(cell_size: float, distance_band: float | None = None) -> FloatArray:
    """The binary neighbourhood (self included) as a square image of 0s and 1s.

    ``None`` gives queen contiguity: the cell and the 8 round it.
    """
    if distance_band is None:
        return np.ones((3, 3), dtype=np.float64)
    if not (math.isfinite(distance_band) and distance_band > 0):
        raise ValueError(f"The distance band must be a distance above 0, not {distance_band}.")
    reach = math.floor(distance_band / cell_size + 1e-9)
    offsets = np.arange(-reach, reach + 1, dtype=np.float64)
    dx, dy = np.meshgrid(offsets, offsets)
    # A small tolerance so a band of exactly one or two cell widths takes the cells at that range.
    return (np.hypot(dx, dy) * cell_size <= distance_band * (1 + 1e-9)).astype(np.float64)


def gi_star(
    grid: Grid,
    values: npt.ArrayLike,
    *,
    distance_band: float | None = None,
    mask: npt.ArrayLike | None = None,
    false_discovery_rate: float = 0.05,
) -> GiStarResult:
    """Gi* z-scores and p-values for every cell of ``grid`` holding ``values`` (flat order)."""
    y = np.asarray(values, dtype=np.float64).reshape(-1)
    if y.shape != (grid.n_cells,):
        raise ValueError(f"Expected {grid.n_cells} cell values, got {y.size}.")
    if not np.isfinite(y).all():
        raise ValueError("Cell values must all be finite numbers.")
    inside = _study_area(grid, mask)
    kernel = neighbourhood(grid.cell_size, distance_band)
    y_in = np.where(inside, y, 0.0)
    sums = _correlate(grid, y_in, kernel)
    cardinality = _correlate(grid, inside.astype(np.float64), kernel)
    z = _z_scores(y_in[inside], sums[inside], cardinality[inside])
    # The standard normal's upper tail, from scipy.special: scipy.stats would add most of a
    # second to importing anything that maps hotspots (every page and command loads this).
    p = 2.0 * special.ndtr(-np.abs(z))
    p_adjusted, reject = benjamini_hochberg(p, false_discovery_rate)
    return GiStarResult(
        z=_scatter(inside, z),
        p=_scatter(inside, p),
        p_adjusted=_scatter(inside, p_adjusted),
        hot=_scatter_flags(inside, reject & (z > 0)),
        cold=_scatter_flags(inside, reject & (z < 0)),
        neighbours=_scatter(inside, cardinality[inside]),
        false_discovery_rate=false_discovery_rate,
        observations=int(inside.sum()),
    )


def benjamini_hochberg(
    p_values: npt.ArrayLike, false_discovery_rate: float = 0.05
) -> tuple[FloatArray, BoolArray]:
    """Benjamini-Hochberg adjusted p-values and which tests are rejected at the given rate."""
    if not 0 < false_discovery_rate < 1:
        raise ValueError(
            f"The false discovery rate must be between 0 and 1, not {false_discovery_rate}."
        )
    p = np.asarray(p_values, dtype=np.float64).reshape(-1)
    n = p.size
    if n == 0:
        return p.copy(), np.zeros(0, dtype=bool)
    order = np.argsort(p, kind="stable")
    ranked = p[order] * n / np.arange(1, n + 1)
    # The adjusted p of rank k is the smallest scaled p at rank k or above.
    monotone = np.minimum.accumulate(ranked[::-1])[::-1]
    adjusted = np.empty(n, dtype=np.float64)
    adjusted[order] = np.minimum(monotone, 1.0)
    return adjusted, adjusted <= false_discovery_rate


def _study_area(grid: Grid, mask: npt.ArrayLike | None) -> BoolArray:
    if mask is None:
        return np.ones(grid.n_cells, dtype=bool)
    inside = np.asarray(mask, dtype=bool).reshape(-1)
    if inside.shape != (grid.n_cells,):
        raise ValueError(f"The study-area mask must have {grid.n_cells} cells, not {inside.size}.")
    return inside


def _correlate(grid: Grid, flat: FloatArray, kernel: FloatArray) -> FloatArray:
    image = ndimage.correlate(grid.to_image(flat), kernel, mode="constant", cval=0.0)
    return np.asarray(image, dtype=np.float64).reshape(-1)


def _z_scores(y: FloatArray, sums: FloatArray, cardinality: FloatArray) -> FloatArray:
    """esda's analytical moments for Gi* with binary weights (``G_Local.calc``)."""
    n = y.size
    total = y.sum()
    mean = total / n if n else 0.0
    variance = (y**2).sum() / n - mean**2 if n else 0.0
    if n < 2 or total == 0 or variance <= 0:
        # No crime, or the same in every cell: nothing stands out.
        return np.zeros(n, dtype=np.float64)
    statistic = sums / total
    expected = cardinality / n
    spread = cardinality * (n - cardinality) / (n - 1) / n**2 * variance / mean**2
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (statistic - expected) / np.sqrt(spread)
    # A neighbourhood holding the whole study area has no variance: it is not a hotspot.
    return np.where(spread > 0, z, 0.0)


def _scatter(inside: BoolArray, values: FloatArray) -> FloatArray:
    out = np.full(inside.shape, np.nan, dtype=np.float64)
    out[inside] = values
    return out


def _scatter_flags(inside: BoolArray, flags: BoolArray) -> BoolArray:
    out = np.zeros(inside.shape, dtype=bool)
    out[inside] = flags
    return out
