from __future__ import annotations

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from beatbook.analysis.getis_ord import benjamini_hochberg, gi_star, neighbourhood
from beatbook.analysis.grid import Grid

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import esda
    from libpysal import weights as pysal_weights


def _poisson_grid(seed: int, rows: int = 12, columns: int = 15) -> tuple[Grid, np.ndarray]:
    grid = Grid(x0=390_000.0, y0=340_000.0, cell_size=250.0, columns=columns, rows=rows)
    rng = np.random.default_rng(seed)
    values = rng.poisson(2.0, grid.n_cells).astype(float)
    values[grid.columns * 5 + 6 : grid.columns * 5 + 9] += 25.0  # a hot row of three cells
    return grid, values


def _esda_z(values: np.ndarray, w: pysal_weights.W) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = esda.G_Local(values, w, transform="B", star=True, permutations=0)
    return np.asarray(result.Zs)


def test_queen_z_scores_match_esda() -> None:
    grid, values = _poisson_grid(7)
    w = pysal_weights.lat2W(grid.rows, grid.columns, rook=False)
    ours = gi_star(grid, values)
    assert_allclose(ours.z, _esda_z(values, w), rtol=1e-10, atol=1e-10)
    assert_allclose(ours.p, 2 * stats.norm.sf(np.abs(_esda_z(values, w))), rtol=1e-10)


@pytest.mark.parametrize("band", [250.0, 400.0, 600.0])
def test_distance_band_z_scores_match_esda(band: float) -> None:
    grid, values = _poisson_grid(11)
    cx, cy = grid.centres()
    w = pysal_weights.DistanceBand(np.column_stack([cx, cy]), threshold=band, binary=True)
    ours = gi_star(grid, values, distance_band=band)
    assert_allclose(ours.z, _esda_z(values, w), rtol=1e-10, atol=1e-10)


def test_a_study_area_mask_matches_esda_on_the_cells_inside() -> None:
    grid, values = _poisson_grid(3)
    inside = np.ones(grid.n_cells, dtype=bool)
    inside[: grid.columns * 3] = False  # the southern three rows are outside the force
    inside[::7] = False
    cx, cy = grid.centres()
    w = pysal_weights.DistanceBand(
        np.column_stack([cx[inside], cy[inside]]), threshold=400.0, binary=True
    )
    ours = gi_star(grid, values, distance_band=400.0, mask=inside)
    assert_allclose(ours.z[inside], _esda_z(values[inside], w), rtol=1e-10, atol=1e-10)
    assert np.isnan(ours.z[~inside]).all()
    assert not ours.hot[~inside].any()
    assert ours.observations == inside.sum()


def test_the_planted_cluster_is_hot_after_correction() -> None:
    grid, values = _poisson_grid(7)
    result = gi_star(grid, values)
    planted = grid.columns * 5 + 7
    assert result.hot[planted]
    assert not result.cold[planted]
    assert (result.p_adjusted >= result.p).all()
    assert result.hot.sum() < 20


def test_no_crime_gives_no_hotspots() -> None:
    grid = Grid(x0=0.0, y0=0.0, cell_size=200.0, columns=4, rows=4)
    result = gi_star(grid, np.zeros(grid.n_cells))
    assert (result.z == 0).all()
    assert (result.p == 1).all()
    assert not result.hot.any()


def test_a_single_crime_is_not_significant_on_a_small_grid() -> None:
    grid = Grid(x0=0.0, y0=0.0, cell_size=200.0, columns=5, rows=5)
    values = np.zeros(grid.n_cells)
    values[12] = 1
    result = gi_star(grid, values)
    assert not result.hot.any()
    assert result.z[12] > 0


def test_queen_neighbourhood_is_the_distance_band_of_a_diagonal() -> None:
    assert_allclose(neighbourhood(250.0), neighbourhood(250.0, 250.0 * np.sqrt(2)))
    assert neighbourhood(100.0, 200.0).sum() == 13


def test_benjamini_hochberg_matches_scipy() -> None:
    p = np.random.default_rng(5).uniform(0, 0.2, 200)
    adjusted, reject = benjamini_hochberg(p, 0.05)
    assert_allclose(adjusted, stats.false_discovery_control(p, method="bh"), rtol=1e-12)
    assert (reject == (adjusted <= 0.05)).all()


def test_benjamini_hochberg_hand_worked() -> None:
    # Sorted p: 0.01, 0.02, 0.03, 0.5 -> scaled by 4/rank: 0.04, 0.04, 0.04, 0.5.
    adjusted, reject = benjamini_hochberg([0.03, 0.5, 0.01, 0.02], 0.05)
    assert_allclose(adjusted, [0.04, 0.5, 0.04, 0.04])
    assert reject.tolist() == [True, False, True, True]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"distance_band": -1.0}, "distance band must be a distance above 0"),
        ({"mask": np.ones(3, dtype=bool)}, "mask must have 16 cells"),
        ({"false_discovery_rate": 1.5}, "false discovery rate must be between 0 and 1"),
    ],
)
def test_bad_parameters_are_named(kwargs: dict[str, object], message: str) -> None:
    grid = Grid(x0=0.0, y0=0.0, cell_size=200.0, columns=4, rows=4)
    with pytest.raises(ValueError, match=message):
        gi_star(grid, np.ones(grid.n_cells), **kwargs)  # type: ignore[arg-type]


def test_wrong_number_of_values_is_refused() -> None:
    grid = Grid(x0=0.0, y0=0.0, cell_size=200.0, columns=4, rows=4)
    with pytest.raises(ValueError, match="Expected 16 cell values, got 3"):
        gi_star(grid, [1.0, 2.0, 3.0])
