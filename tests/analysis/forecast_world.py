"""Small synthetic crime data for the forecasting tests: fixed Poisson rates per cell."""

from __future__ import annotations

import numpy as np
import pandas as pd

from beatbook.analysis.forecast.matrix import CellMonthCounts, count_matrix
from beatbook.analysis.grid import Grid
from beatbook.common.months import month_range

GRID = Grid(x0=400_000.0, y0=300_000.0, cell_size=100.0, columns=12, rows=10)


def rates(seed: int = 1) -> np.ndarray:
    """A hot corner, a hot street (row 5) and a quiet rest."""
    rng = np.random.default_rng(seed)
    image = rng.gamma(0.3, 0.5, size=(GRID.rows, GRID.columns))
    image[:3, :3] += 4.0
    image[5, :] += 1.5
    return image.reshape(-1)


def points(months: list[str], seed: int = 2) -> pd.DataFrame:
    """Crimes drawn from ``rates`` every month, placed at random inside their cells."""
    rng = np.random.default_rng(seed)
    xs, ys = GRID.origins()
    lam = rates()
    frames = []
    for month in months:
        n = rng.poisson(lam)
        cell = np.repeat(np.arange(GRID.n_cells), n)
        frames.append(
            pd.DataFrame(
                {
                    "month": month,
                    "category": np.where(rng.random(cell.size) < 0.3, "burglary", "violent-crime"),
                    "easting": xs[cell] + rng.random(cell.size) * 100,
                    "northing": ys[cell] + rng.random(cell.size) * 100,
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def series(
    first: str = "2020-01", last: str = "2021-12", missing: tuple[str, ...] = ()
) -> CellMonthCounts:
    months = month_range(first, last)
    observed = [m for m in months if m not in missing]
    return count_matrix(
        points(observed),
        grid=GRID,
        cells=np.arange(GRID.n_cells),
        months=months,
        observed_months=observed,
    )
