"""Rolling-origin back-tests: no peeking at the scored month, honest summaries."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from beatbook.analysis.backtest import (
    best_method,
    block_length,
    bootstrap_interval,
    forecast_scores,
    holm,
    paired_test,
    run_backtest,
    summarise,
)
from beatbook.analysis.backtest_settings import BacktestSettings
from beatbook.analysis.forecast.matrix import CellMonthCounts
from beatbook.analysis.forecast.methods import METHODS

from .forecast_world import series


def backtest(
    series: dict[str, CellMonthCounts], *, history_months: int | None = None, **settings: object
) -> pd.DataFrame:
    """``run_backtest`` of the categories in ``series``, every month held learned from unless
    ``history_months`` says otherwise."""
    chosen = BacktestSettings(
        categories=tuple(series),
        history_months=history_months,
        **settings,  # type: ignore[arg-type]
    )
    return run_backtest(series=series, settings=chosen)


def poisoned(counts: CellMonthCounts, month: str) -> CellMonthCounts:
    """The same counts with absurd numbers from ``month`` on."""
    bad = counts.counts.copy()
    start = counts.index_of(month)
    bad[start:] = np.arange(bad.shape[1])[::-1] * 1000.0
    return CellMonthCounts(grid=counts.grid, cells=counts.cells, months=counts.months, counts=bad)


@pytest.mark.parametrize("method", list(METHODS))
def test_a_forecast_never_sees_the_month_it_forecasts_or_later(method: str) -> None:
    clean = series("2020-01", "2021-12")
    dirty = poisoned(clean, "2021-06")
    a = forecast_scores(series=clean, method=method, month="2021-06", auxiliary=clean, seed=4)
    b = forecast_scores(series=dirty, method=method, month="2021-06", auxiliary=dirty, seed=4)
    assert a.tolist() == b.tolist()


def test_back_test_scores_are_the_same_whatever_the_later_months_hold() -> None:
    clean = series("2020-01", "2021-12")
    methods = ["mean-12", "poisson-gbm"]
    months = ["2021-03", "2021-04"]
    first = backtest({"burglary": clean}, methods=methods, months=months)
    later = backtest({"burglary": poisoned(clean, "2021-05")}, methods=methods, months=months)
    columns = ["method", "month", "coverage", "captured", "pei_star", "pai", "hit_rate"]
    pd.testing.assert_frame_equal(first[columns], later[columns])


def test_months_without_data_or_history_are_not_scored() -> None:
    counts = series("2020-01", "2020-12", missing=("2020-07",))
    results = backtest(
        {"all-crime": counts},
        methods=["last-month"],
        months=["2020-01", "2020-06", "2020-07", "2020-08", "2021-01"],
        coverages=[0.05],
    )
    assert results["month"].tolist() == ["2020-06", "2020-08"]
    assert set(results["measure"]) == {"count"}


@pytest.mark.parametrize("learned", ["poisson-gbm", "linear-blend"])
def test_the_learned_methods_beat_last_month_on_stable_rates(learned: str) -> None:
    counts = series("2020-01", "2021-12")
    results = backtest(
        {"all-crime": counts},
        methods=["last-month", learned],
        months=[f"2021-{m:02d}" for m in range(7, 13)],
        coverages=[0.05],
    )
    mean = results.groupby("method")["pei_star"].mean()
    assert mean[learned] > mean["last-month"]


def test_back_tests_are_reproducible() -> None:
    counts = series("2020-01", "2021-06")
    kwargs = {"methods": ["poisson-gbm"], "months": ["2021-06"]}
    first = backtest({"robbery": counts}, **kwargs, seed=7)
    again = backtest({"robbery": counts}, **kwargs, seed=7)
    pd.testing.assert_frame_equal(first.drop(columns="seconds"), again.drop(columns="seconds"))


def test_an_ensemble_shares_its_members_fits_and_scores_as_if_fitted_alone() -> None:
    counts = series("2020-01", "2021-06")
    months = ["2021-05", "2021-06"]
    alone = backtest({"all-crime": counts}, methods=["poisson-ensemble"], months=months)
    together = backtest(
        {"all-crime": counts},
        methods=["poisson-ensemble", "poisson-gbm", "poisson-glm"],
        months=months,
    )
    columns = ["month", "coverage", "captured", "pei_star"]
    shared = together[together["method"] == "poisson-ensemble"].reset_index(drop=True)
    pd.testing.assert_frame_equal(alone[columns], shared[columns])
    # Each row still states what its forecast costs on its own.
    by_method = together.drop_duplicates(["method", "month"]).set_index(["method", "month"])
    for month in months:
        members = by_method.loc[("poisson-gbm", month), "seconds"]
        members += by_method.loc[("poisson-glm", month), "seconds"]
        assert by_method.loc[("poisson-ensemble", month), "seconds"] == pytest.approx(members)


def hand_results() -> pd.DataFrame:
    """Three methods over six months at one coverage."""
    pei = {
        "mean-12": [0.50, 0.52, 0.48, 0.51, 0.49, 0.50],
        "last-month": [0.40, 0.41, 0.39, 0.42, 0.38, 0.40],
        "poisson-gbm": [0.55, 0.56, 0.50, 0.58, 0.53, 0.57],
    }
    rows = []
    for method, values in pei.items():
        for i, value in enumerate(values):
            rows.append(
                {
                    "measure": "count",
                    "category": "burglary",
                    "method": method,
                    "month": f"2021-0{i + 1}",
                    "coverage": 0.01,
                    "hit_rate": value / 10,
                    "pai": value * 10,
                    "pei_star": value,
                }
            )
    return pd.DataFrame(rows)


def test_summary_compares_every_method_with_the_best_baseline() -> None:
    summary = summarise(hand_results(), baselines=["mean-12", "last-month"], seed=1)
    row = summary.set_index("method").loc["poisson-gbm"]
    assert row["best_baseline"] == "mean-12"
    assert row["origins"] == 6
    assert row["pei_star"] == pytest.approx(np.mean([0.55, 0.56, 0.50, 0.58, 0.53, 0.57]))
    diff = np.array([0.05, 0.04, 0.02, 0.07, 0.04, 0.07])
    assert row["difference"] == pytest.approx(diff.mean())
    # Every month better: no resample of the months comes near zero difference.
    assert row["p_value"] == pytest.approx(1 / 2001)
    # Two methods compared with the best baseline, both at the smallest p: Holm doubles it.
    assert row["comparisons"] == 2
    assert row["p_holm"] == pytest.approx(2 / 2001)
    assert row["ci_low"] <= row["pei_star"] <= row["ci_high"]
    assert row["difference_low"] > 0
    baseline = summary.set_index("method").loc["mean-12"]
    assert math.isnan(baseline["p_value"])
    assert math.isnan(baseline["p_holm"])
    assert best_method(summary, category="burglary") == "poisson-gbm"
    assert best_method(summary, category="robbery") is None


def test_bootstrap_is_seeded_and_paired_test_handles_no_difference() -> None:
    values = np.array([0.1, 0.4, 0.3, 0.2, 0.5])
    assert bootstrap_interval(values, seed=3) == bootstrap_interval(values, seed=3)
    low, high = bootstrap_interval(values, seed=3)
    assert low < values.mean() < high
    assert all(math.isnan(v) for v in bootstrap_interval(np.array([])))
    assert math.isnan(paired_test(np.zeros(5)))
    assert math.isnan(paired_test(np.array([0.3])))


def test_the_interval_keeps_runs_of_months_together() -> None:
    # Six quiet months then six busy ones: months next to each other are alike, so resampling
    # blocks of months must give a wider interval than resampling months one by one would.
    values = np.array([0.2] * 6 + [0.8] * 6)
    low, high = bootstrap_interval(values, seed=5)
    rng = np.random.default_rng(5)
    independent = values[rng.integers(0, 12, size=(2000, 12))].mean(axis=1)
    assert block_length(12) == 2
    assert high - low > np.percentile(independent, 97.5) - np.percentile(independent, 2.5)
    assert low < values.mean() < high


def test_holm_adjusts_a_family_of_p_values_worked_by_hand() -> None:
    adjusted = holm([0.01, 0.04, 0.03, math.nan])
    assert adjusted[:3] == pytest.approx([0.03, 0.06, 0.06])
    assert math.isnan(adjusted[3])
    assert holm([0.6, 0.5]) == pytest.approx([1.0, 1.0])


def test_with_a_limited_history_a_months_score_ignores_what_came_long_before() -> None:
    clean = series("2020-01", "2021-12")
    bad = clean.counts.copy()
    bad[: clean.index_of("2020-06")] = 50.0
    early = CellMonthCounts(grid=clean.grid, cells=clean.cells, months=clean.months, counts=bad)
    kwargs = {"methods": ["mean-12", "linear-blend"], "months": ["2021-06"], "history_months": 12}
    first = backtest({"burglary": clean}, **kwargs)  # type: ignore[arg-type]
    again = backtest({"burglary": early}, **kwargs)  # type: ignore[arg-type]
    columns = ["method", "month", "coverage", "captured", "pei_star"]
    pd.testing.assert_frame_equal(first[columns], again[columns])
    # Without the limit, linear-blend's long-run means reach back to the changed months.
    whole = backtest({"burglary": early}, methods=["linear-blend"], months=["2021-06"])
    assert (
        whole["pei_star"].tolist() != first[first["method"] == "linear-blend"]["pei_star"].tolist()
    )
