from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from beatbook.analysis.grid import Grid


def test_cells_are_aligned_to_their_size() -> None:
    grid = Grid.covering([391_120.0, 391_560.0], [342_630.0, 342_890.0], 250.0)
    assert (grid.x0, grid.y0) == (391_000.0, 342_500.0)
    assert (grid.columns, grid.rows) == (3, 2)


def test_flat_index_is_row_major_from_the_south_west() -> None:
    grid = Grid(x0=0.0, y0=0.0, cell_size=100.0, columns=3, rows=2)
    index = grid.cell_index([50.0, 250.0, 50.0, 299.0], [50.0, 50.0, 150.0, 199.0])
    assert index.tolist() == [0, 2, 3, 5]
    xs, ys = grid.origins()
    assert (xs[5], ys[5]) == (200.0, 100.0)


def test_points_outside_or_without_coordinates_are_left_out() -> None:
    grid = Grid(x0=0.0, y0=0.0, cell_size=100.0, columns=2, rows=2)
    index = grid.cell_index([50.0, np.nan, 500.0, -1.0], [50.0, 50.0, 50.0, 50.0])
    assert index.tolist() == [0, -1, -1, -1]
    counts = grid.counts([50.0, np.nan, 500.0, 60.0], [50.0, 50.0, 50.0, 60.0], [2.0, 1, 1, 3])
    assert counts.tolist() == [5.0, 0.0, 0.0, 0.0]


def test_centres_and_image_agree_with_the_index() -> None:
    grid = Grid(x0=1000.0, y0=2000.0, cell_size=250.0, columns=4, rows=3)
    cx, cy = grid.centres()
    assert_allclose(grid.cell_index(cx, cy), np.arange(grid.n_cells))
    image = grid.to_image(np.arange(grid.n_cells))
    assert image[1, 2] == 1 * 4 + 2


def test_a_grid_with_no_points_or_a_bad_size_is_refused() -> None:
    with pytest.raises(ValueError, match="No points with coordinates"):
        Grid.covering([np.nan], [np.nan], 250.0)
    with pytest.raises(ValueError, match="Cell size must be between"):
        Grid(x0=0.0, y0=0.0, cell_size=10.0, columns=1, rows=1)
