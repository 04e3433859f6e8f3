from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from beatbook.analysis.grid import Grid
from beatbook.analysis.kde import kernel_density, kernel_density_direct, kernel_value


def _points(seed: int, n: int = 800) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    xs = np.concatenate([rng.normal(391_000, 300, n // 2), rng.uniform(389_000, 394_000, n // 2)])
    ys = np.concatenate([rng.normal(342_500, 300, n // 2), rng.uniform(340_000, 345_000, n // 2)])
    return xs, ys


@pytest.mark.parametrize("kernel", ["quartic", "gaussian"])
def test_cell_centred_points_match_the_direct_sum_exactly(kernel: str) -> None:
    xs, ys = _points(1)
    grid = Grid.covering(xs, ys, 150.0, margin=3)
    cx, cy = grid.centres()
    index = grid.cell_index(xs, ys)
    weights = np.random.default_rng(2).uniform(1, 10, xs.size)
    fast = kernel_density(
        grid,
        cx[index],
        cy[index],
        bandwidth=400.0,
        kernel=kernel,
        weights=weights,
        binning="simple",
    )
    direct = kernel_density_direct(
        grid, cx[index], cy[index], bandwidth=400.0, kernel=kernel, weights=weights
    )
    assert_allclose(fast, direct, rtol=1e-9, atol=1e-9 * direct.max())


@pytest.mark.parametrize("kernel", ["quartic", "gaussian"])
@pytest.mark.parametrize(
    ("cell_size", "bandwidth"), [(150.0, 400.0), (250.0, 500.0), (500.0, 500.0)]
)
def test_points_anywhere_are_within_one_percent_of_the_direct_sum(
    kernel: str, cell_size: float, bandwidth: float
) -> None:
    xs, ys = _points(4)
    grid = Grid.covering(xs, ys, cell_size, margin=3)
    fast = kernel_density(grid, xs, ys, bandwidth=bandwidth, kernel=kernel)
    direct = kernel_density_direct(grid, xs, ys, bandwidth=bandwidth, kernel=kernel)
    assert np.abs(fast - direct).max() < 0.01 * direct.max()


def test_a_finer_lattice_is_closer_to_the_direct_sum() -> None:
    xs, ys = _points(9)
    grid = Grid.covering(xs, ys, 250.0, margin=3)
    direct = kernel_density_direct(grid, xs, ys, bandwidth=500.0)
    errors = [
        np.abs(kernel_density(grid, xs, ys, bandwidth=500.0, oversample=k) - direct).max()
        for k in (1, 3, 7)
    ]
    assert errors[0] > errors[1] > errors[2]
    with pytest.raises(ValueError, match="must be an odd whole number, not 2"):
        kernel_density(grid, xs, ys, bandwidth=500.0, oversample=2)


def test_one_point_hand_worked() -> None:
    # One crime at the centre of cell (1, 1) of a 3 x 3 grid of 100 m cells, quartic, h = 150 m.
    grid = Grid(x0=0.0, y0=0.0, cell_size=100.0, columns=3, rows=3)
    density = kernel_density(grid, [150.0], [150.0], bandwidth=150.0).reshape(3, 3)
    peak = 3 / (math.pi * 150.0**2) * 1e6
    side = 3 / (math.pi * 150.0**2) * (1 - (100 / 150) ** 2) ** 2 * 1e6
    assert density[1, 1] == pytest.approx(peak)
    assert density[0, 1] == pytest.approx(side)
    # The corner is 141 m away: inside the 150 m reach, so it gets a little.
    assert density[0, 0] == pytest.approx(
        3 / (math.pi * 150.0**2) * (1 - 20_000 / 22_500) ** 2 * 1e6
    )


def test_the_density_integrates_to_the_number_of_crimes() -> None:
    xs, ys = _points(6, 400)
    grid = Grid.covering(xs, ys, 100.0, margin=10)
    density = kernel_density(grid, xs, ys, bandwidth=500.0, kernel="gaussian")
    assert density.sum() * grid.cell_area_km2 == pytest.approx(xs.size, rel=0.01)


def test_harm_weights_scale_the_density() -> None:
    xs, ys = _points(8, 100)
    grid = Grid.covering(xs, ys, 200.0, margin=2)
    counted = kernel_density(grid, xs, ys, bandwidth=600.0)
    weighted = kernel_density(grid, xs, ys, bandwidth=600.0, weights=np.full(xs.size, 247.3))
    assert_allclose(weighted, counted * 247.3, rtol=1e-9, atol=1e-9)


def test_crimes_without_coordinates_or_far_away_add_nothing() -> None:
    grid = Grid(x0=390_000.0, y0=340_000.0, cell_size=250.0, columns=8, rows=8)
    xs = np.array([391_000.0, np.nan, 530_000.0])
    ys = np.array([341_000.0, 341_000.0, 180_000.0])
    both = kernel_density(grid, xs, ys, bandwidth=500.0)
    alone = kernel_density(grid, xs[:1], ys[:1], bandwidth=500.0)
    assert_allclose(both, alone)


def test_a_crime_just_outside_the_grid_still_warms_its_edge() -> None:
    grid = Grid(x0=0.0, y0=0.0, cell_size=100.0, columns=4, rows=4)
    density = kernel_density(grid, [-50.0], [50.0], bandwidth=300.0)
    assert density[0] > 0
    assert density[0] == pytest.approx(
        float(kernel_value(np.array([100.0]), 300.0, "quartic")[0]) * 1e6
    )


def test_no_crime_gives_zero_density() -> None:
    grid = Grid(x0=0.0, y0=0.0, cell_size=100.0, columns=4, rows=4)
    assert not kernel_density(grid, [], [], bandwidth=300.0).any()
    assert not kernel_density_direct(grid, [], [], bandwidth=300.0).any()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"bandwidth": 0.0}, "bandwidth must be a distance in metres above 0"),
        ({"bandwidth": 300.0, "kernel": "epanechnikov"}, "kernel must be 'quartic' or 'gaussian'"),
    ],
)
def test_bad_parameters_are_named(kwargs: dict[str, object], message: str) -> None:
    grid = Grid(x0=0.0, y0=0.0, cell_size=100.0, columns=4, rows=4)
    with pytest.raises(ValueError, match=message):
        kernel_density(grid, [10.0], [10.0], **kwargs)  # type: ignore[arg-type]
