"""Count matrices and forecasting methods on small synthetic and hand-made data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from beatbook.analysis.forecast.baselines import (
    LastMonth,
    MeanOfLast,
    NotFittedError,
    ProspectiveHotspot,
    RetrospectiveKDE,
    prospective_kernel,
)
from beatbook.analysis.forecast.features import feature_names
from beatbook.analysis.forecast.learned import (
    LinearBlend,
    NonNegativeLeastSquares,
    PoissonBoosting,
    PoissonGLM,
)
from beatbook.analysis.forecast.matrix import CellMonthCounts, count_matrix, series_by_category
from beatbook.analysis.forecast.methods import (
    BASELINES,
    DEFAULT_METHOD,
    FAST_METHODS,
    METHODS,
    check_methods,
)
from beatbook.analysis.grid import Grid
from beatbook.analysis.study_area import area_grid, cells_in_area, cells_with_crime
from beatbook.common.months import add_months, check_month, month_range

from .forecast_world import GRID, points, rates, series

SMALL = Grid(x0=0.0, y0=0.0, cell_size=100.0, columns=3, rows=2)


def frame(rows: list[tuple[str, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["month", "easting", "northing"]).assign(category="burglary")


def test_months_are_counted_consecutively() -> None:
    assert month_range("2019-11", "2020-02") == ["2019-11", "2019-12", "2020-01", "2020-02"]
    assert add_months("2019-12", 1) == "2020-01"
    with pytest.raises(ValueError, match="YYYY-MM"):
        check_month("2019-13")
    with pytest.raises(ValueError, match="after the last"):
        month_range("2020-02", "2020-01")


def test_count_matrix_counts_per_cell_and_month() -> None:
    points = frame(
        [
            ("2020-01", 50, 50),
            ("2020-01", 60, 70),
            ("2020-01", 250, 150),
            ("2020-02", 150, 50),
        ]
    )
    counts = count_matrix(points, grid=SMALL, cells=range(6), months=["2020-01", "2020-02"])
    assert counts.counts.tolist() == [[2, 0, 0, 0, 0, 1], [0, 1, 0, 0, 0, 0]]
    assert counts.dropped == 0


def test_a_month_without_data_is_missing_not_zero() -> None:
    points = frame([("2019-06", 50, 50), ("2019-08", 50, 50)])
    counts = count_matrix(
        points,
        grid=SMALL,
        cells=range(6),
        months=month_range("2019-06", "2019-08"),
        observed_months=["2019-06", "2019-08"],
    )
    assert np.isnan(counts.counts[1]).all()
    assert counts.observed.tolist() == [True, False, True]
    # A quiet month the force did publish is zeros, not missing.
    quiet = count_matrix(
        points,
        grid=SMALL,
        cells=range(6),
        months=month_range("2019-06", "2019-08"),
        observed_months=["2019-06", "2019-07", "2019-08"],
    )
    assert quiet.counts[1].tolist() == [0.0] * 6


def test_points_without_coordinates_or_outside_the_study_area_are_dropped_and_counted() -> None:
    points = frame(
        [
            ("2020-01", 50, 50),
            ("2020-01", np.nan, np.nan),
            ("2020-01", 90_000, 90_000),
            ("2020-01", 250, 150),  # inside the grid, outside the study cells
        ]
    )
    counts = count_matrix(points, grid=SMALL, cells=[0, 1], months=["2020-01"])
    assert counts.counts.tolist() == [[1.0, 0.0]]
    assert counts.dropped == 3


def test_weights_are_summed_and_an_empty_area_is_all_zeros() -> None:
    points = frame([("2020-01", 50, 50), ("2020-01", 60, 60)])
    weighted = count_matrix(
        points, grid=SMALL, cells=range(6), months=["2020-01"], weights=np.array([2.5, 247.3])
    )
    assert weighted.counts[0, 0] == pytest.approx(249.8)
    empty = count_matrix(
        frame([])[["month", "easting", "northing"]],
        grid=SMALL,
        cells=range(6),
        months=["2020-01"],
        observed_months=["2020-01"],
    )
    assert empty.counts.tolist() == [[0.0] * 6]


def test_count_matrix_refuses_gaps_and_cells_off_the_grid() -> None:
    with pytest.raises(ValueError, match="consecutive"):
        count_matrix(frame([]), grid=SMALL, cells=range(6), months=["2020-01", "2020-03"])
    with pytest.raises(ValueError, match="outside the grid"):
        count_matrix(frame([]), grid=SMALL, cells=[0, 6], months=["2020-01"])


def test_series_by_category_keeps_a_rare_categorys_quiet_months_as_zeros() -> None:
    data = points(["2020-01", "2020-02"])
    data.loc[data["month"] == "2020-02", "category"] = "violent-crime"
    by_category = series_by_category(
        data,
        grid=GRID,
        cells=np.arange(GRID.n_cells),
        months=["2020-01", "2020-02"],
        observed_months=["2020-01", "2020-02"],
        categories=["all-crime", "burglary"],
        harm_weights={"burglary": 247.3, "violent-crime": 230.9},
    )
    assert by_category["burglary"].observed.tolist() == [True, True]
    assert by_category["burglary"].counts[1].sum() == 0
    expected = (data["category"].map({"burglary": 247.3, "violent-crime": 230.9})).sum()
    assert np.nansum(by_category["all-crime"].counts) == pytest.approx(expected)


def test_before_copies_only_earlier_months() -> None:
    counts = series("2020-01", "2020-06")
    earlier = counts.before("2020-04")
    assert earlier.months == ("2020-01", "2020-02", "2020-03")
    earlier.counts[:] = -1
    assert (counts.counts >= 0).all()


def test_between_copies_only_the_months_named() -> None:
    counts = series("2020-01", "2020-06")
    middle = counts.between("2020-02", "2020-04")
    assert middle.months == ("2020-02", "2020-03", "2020-04")
    assert middle.counts.tolist() == counts.counts[1:4].tolist()
    middle.counts[:] = -1
    assert (counts.counts >= 0).all()
    with pytest.raises(ValueError, match="2020-13"):
        counts.between("2020-01", "2020-13")


def test_last_month_and_means_skip_a_missing_month() -> None:
    counts = series("2019-01", "2019-08", missing=("2019-07",))
    history = counts.before("2019-08")
    last = LastMonth().fit(history).predict("2019-08")
    assert last.tolist() == counts.month_counts("2019-06").tolist()
    mean3 = MeanOfLast(3).fit(history).predict("2019-08")
    expected = (counts.month_counts("2019-05") + counts.month_counts("2019-06")) / 2
    assert mean3 == pytest.approx(expected)


def test_retrospective_kde_equals_a_direct_sum_of_gaussians() -> None:
    counts = series("2020-01", "2020-12")
    history = counts.before("2020-12")
    method = RetrospectiveKDE(months=12, bandwidth=150.0)
    surface = method.fit(history).predict("2020-12")
    sigma = 1.5
    radius = int(3.0 * sigma + 0.5)
    offsets = np.arange(-radius, radius + 1)
    axis = np.exp(-(offsets**2) / (2 * sigma**2))
    axis /= axis.sum()
    mean = np.nanmean(history.counts[-12:], axis=0).reshape(GRID.rows, GRID.columns)
    direct = np.zeros_like(mean)
    for r in range(GRID.rows):
        for c in range(GRID.columns):
            for dr in offsets:
                for dc in offsets:
                    rr, cc = r + dr, c + dc
                    if 0 <= rr < GRID.rows and 0 <= cc < GRID.columns:
                        direct[r, c] += mean[rr, cc] * axis[dr + radius] * axis[dc + radius]
    assert surface == pytest.approx(direct.reshape(-1))


def test_prospective_weights_worked_by_hand() -> None:
    kernel = prospective_kernel(100.0, 150.0)
    assert kernel.shape == (3, 3)
    assert kernel[1, 1] == 1.0
    assert kernel[0, 1] == pytest.approx(0.5)
    assert kernel[0, 0] == pytest.approx(1 / (1 + np.sqrt(2)))
    # One crime in cell 0 last month and one in cell 2 two months ago (100 m cells, 150 m).
    counts = count_matrix(
        frame([("2020-02", 150, 50), ("2020-03", 50, 50)]),
        grid=SMALL,
        cells=range(6),
        months=["2020-01", "2020-02", "2020-03"],
        observed_months=["2020-01", "2020-02", "2020-03"],
    )
    risk = ProspectiveHotspot(months=3, bandwidth=150.0).fit(counts).predict("2020-04")
    # Cell 0: itself last month (1) + cell 1 two months ago at distance 1 (1/2 x 1/2).
    assert risk[0] == pytest.approx(1.0 + 0.25)
    # Cell 2: two cells from cell 0 (beyond 150 m), next to cell 1: 1/2 x 1/2.
    assert risk[2] == pytest.approx(0.25)
    # Cell 4 (row 1, column 1): diagonal to cell 0, above cell 1.
    assert risk[4] == pytest.approx(1 / (1 + np.sqrt(2)) + 0.5 * 0.5)


@pytest.mark.parametrize("name", list(METHODS))
def test_every_method_refuses_to_forecast_a_month_it_has_seen(name: str) -> None:
    counts = series("2020-01", "2020-12")
    with pytest.raises(NotFittedError):
        METHODS[name](0).predict("2021-01")
    model = METHODS[name](0).fit(counts)
    with pytest.raises(ValueError, match="may only use earlier months"):
        model.predict("2020-12")
    forecast = model.predict("2021-01")
    assert forecast.shape == (GRID.n_cells,)
    assert np.isfinite(forecast).all()


@pytest.mark.parametrize("method", [PoissonBoosting, PoissonGLM, LinearBlend])
def test_learned_methods_recover_the_true_rates_and_are_reproducible(method: type) -> None:
    counts = series("2020-01", "2021-12", missing=("2021-03",))
    first = method(seed=3).fit(counts.before("2021-12")).predict("2021-12")
    again = method(seed=3).fit(counts.before("2021-12")).predict("2021-12")
    assert first.tolist() == again.tolist()
    assert stats.spearmanr(first, rates()).statistic > 0.8


def test_learned_method_uses_all_crime_counts_when_given() -> None:
    counts = series("2020-01", "2021-06")
    model = PoissonBoosting(seed=0).fit(counts.before("2021-06"), counts.before("2021-06"))
    assert model.predict("2021-06").shape == (GRID.n_cells,)
    with pytest.raises(ValueError, match="same months"):
        PoissonBoosting().fit(counts.before("2021-06"), counts.before("2021-05"))


def test_a_too_short_history_falls_back_on_the_recent_mean() -> None:
    counts = series("2020-01", "2020-03")
    forecast = PoissonBoosting().fit(counts.before("2020-03")).predict("2020-03")
    assert forecast == pytest.approx(np.nanmean(counts.counts[:2], axis=0))


def test_non_negative_least_squares_recovers_weights_worked_by_hand() -> None:
    # y = 1 + 2 x1 + 0.5 x3 exactly.
    features = np.array(
        [[1.0, 0.0, 2.0], [0.0, 1.0, 4.0], [3.0, 1.0, 0.0], [1.0, 2.0, 2.0], [2.0, 0.0, 1.0]]
    )
    target = 1.0 + 2.0 * features[:, 0] + 0.5 * features[:, 2]
    model = NonNegativeLeastSquares().fit(features, target, np.ones(5))
    assert model.coef_ == pytest.approx([2.0, 0.0, 0.5], abs=1e-6)
    assert model.intercept_ == pytest.approx(1.0, abs=1e-6)
    assert model.predict(np.array([[1.0, 5.0, 1.0]])) == pytest.approx([3.5], abs=1e-6)
    # y = x1 - x2: the best fit would weigh x2 negatively, which is refused.
    falling = features[:, 0] - features[:, 1]
    refused = NonNegativeLeastSquares().fit(features, falling, np.ones(5))
    assert (refused.coef_ >= 0).all()
    assert refused.intercept_ >= 0
    # Sample weights count a row as if it were repeated.
    noisy = target + np.array([0.0, 0.0, 0.0, 1.0, 0.0])
    weighted = NonNegativeLeastSquares().fit(features, noisy, np.array([1.0, 1.0, 1.0, 3.0, 1.0]))
    repeated = NonNegativeLeastSquares().fit(
        np.vstack([features, features[[3, 3]]]), np.concatenate([noisy, noisy[[3, 3]]]), np.ones(7)
    )
    assert weighted.coef_ == pytest.approx(repeated.coef_, abs=1e-6)
    assert weighted.intercept_ == pytest.approx(repeated.intercept_, abs=1e-6)
    # The same answer as scipy's nnls on the rows themselves, with a column of ones.
    from scipy.optimize import nnls

    rows, _ = nnls(np.column_stack([features, np.ones(5)]), falling)
    assert [*refused.coef_, refused.intercept_] == pytest.approx(rows, abs=1e-6)


def test_linear_blend_weighs_the_windows_that_predict_and_learns_from_the_second_month() -> None:
    counts = series("2020-01", "2021-12")
    model = LinearBlend().fit(counts.before("2021-12"))
    names = [n for n in feature_names(False, extended=True) if n != "month_of_year"]
    weights = dict(zip(names, model.model.coef_, strict=True))
    assert all(w >= 0 for w in weights.values())
    # Steady Poisson rates: the long means carry more weight than last month's count.
    assert weights["mean_12"] + weights["mean_24"] + weights["mean_all"] > weights["lag_1"]
    # From two months of history it already trains on the second one rather than falling back.
    short = LinearBlend().fit(counts.before("2020-03"))
    assert short.model is not None
    assert stats.spearmanr(short.predict("2020-03"), rates()).statistic > 0.5


def test_linear_blend_with_no_crime_falls_back_on_the_recent_mean() -> None:
    empty = CellMonthCounts(
        grid=GRID,
        cells=np.arange(GRID.n_cells),
        months=tuple(month_range("2020-01", "2020-06")),
        counts=np.zeros((6, GRID.n_cells)),
    )
    model = LinearBlend().fit(empty)
    assert model.model is None
    assert model.predict("2020-07") == pytest.approx(np.zeros(GRID.n_cells))


@pytest.mark.parametrize("method", [PoissonBoosting, PoissonGLM, LinearBlend])
def test_learned_methods_with_no_crime_to_learn_from_fall_back_on_the_recent_mean(
    method: type,
) -> None:
    counts = series("2020-01", "2020-12")
    quiet = CellMonthCounts(
        grid=counts.grid, cells=counts.cells, months=counts.months, counts=counts.counts * 0.0
    )
    # The all-crime counts have crime, so every row has features, but the category has none.
    model = method().fit(quiet, counts)
    assert model.model is None
    assert model.predict("2021-01") == pytest.approx(np.zeros(GRID.n_cells))


def test_the_default_method_is_fast_and_learned() -> None:
    assert DEFAULT_METHOD in FAST_METHODS
    assert DEFAULT_METHOD not in BASELINES
    assert set(BASELINES) < set(FAST_METHODS) <= set(METHODS)


def test_unknown_methods_are_named() -> None:
    with pytest.raises(ValueError, match="Unknown forecasting method crystal-ball"):
        check_methods(["mean-12", "crystal-ball"])


def test_study_area_is_the_cells_overlapping_the_boundaries() -> None:
    import shapely

    square = shapely.box(120.0, 120.0, 280.0, 180.0)
    grid = area_grid([square], 100.0)
    assert (grid.x0, grid.y0, grid.columns, grid.rows) == (100.0, 100.0, 2, 1)
    assert cells_in_area(SMALL, [square]).tolist() == [4, 5]
    assert cells_with_crime(SMALL, [50, np.nan, 250], [50, 50, 150]).tolist() == [0, 5]
    assert isinstance(series("2020-01", "2020-02"), CellMonthCounts)
