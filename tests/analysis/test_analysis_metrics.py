"""Hit rate, PAI and PEI* against examples worked by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from beatbook.analysis.metrics import (
    best_capture,
    cells_for_coverage,
    expected_capture,
    score,
    scores,
)

# Six cells. Three tie on a score of 3; their actual crimes are 0, 3 and 1.
SCORES = np.array([5.0, 3.0, 3.0, 3.0, 1.0, 0.0])
ACTUAL = np.array([2.0, 0.0, 3.0, 1.0, 0.0, 4.0])


def test_ties_at_the_threshold_share_the_remaining_places() -> None:
    # Top 2: the cell scoring 5 (2 crimes) plus one of three tied cells, each a 1-in-3
    # chance: 2 + (0 + 3 + 1) / 3.
    assert expected_capture(SCORES, ACTUAL, 2) == pytest.approx(2 + 4 / 3)
    # Top 4 takes all three tied cells: 2 + 0 + 3 + 1.
    assert expected_capture(SCORES, ACTUAL, 4) == pytest.approx(6.0)
    assert expected_capture(SCORES, ACTUAL, 1) == pytest.approx(2.0)
    assert expected_capture(SCORES, ACTUAL, 0) == 0.0


def test_capture_does_not_depend_on_the_order_of_tied_cells() -> None:
    order = np.array([3, 1, 2, 0, 5, 4])
    assert expected_capture(SCORES[order], ACTUAL[order], 2) == pytest.approx(2 + 4 / 3)


def test_a_flat_forecast_captures_its_share_of_the_area() -> None:
    assert expected_capture(np.zeros(6), ACTUAL, 3) == pytest.approx(10 * 3 / 6)


def test_best_capture_is_the_largest_cells() -> None:
    assert best_capture(ACTUAL, 2) == 7.0  # 4 + 3
    assert best_capture(ACTUAL, 0) == 0.0


def test_hit_rate_pai_and_pei_star_worked_by_hand() -> None:
    result = score(SCORES, ACTUAL, coverage=2 / 6)
    assert result.cells == 2
    assert result.captured == pytest.approx(10 / 3)
    assert result.total == 10.0
    assert result.best == 7.0
    assert result.hit_rate == pytest.approx(1 / 3)  # (10/3) / 10
    assert result.pai == pytest.approx(1.0)  # (1/3) / (2/6)
    assert result.pei_star == pytest.approx((10 / 3) / 7)


def test_a_perfect_forecast_scores_pei_star_one() -> None:
    result = score(ACTUAL, ACTUAL, coverage=0.5)
    assert result.pei_star == pytest.approx(1.0)
    assert result.pai == pytest.approx((9 / 10) / (3 / 6))


def test_harm_weighted_actuals_use_the_same_formulas() -> None:
    harm = ACTUAL * np.array([1.0, 1.0, 10.0, 1.0, 1.0, 0.5])  # 2, 0, 30, 1, 0, 2
    result = score(SCORES, harm, coverage=2 / 6)
    assert result.captured == pytest.approx(2 + 31 / 3)
    assert result.best == pytest.approx(32.0)
    assert result.hit_rate == pytest.approx((2 + 31 / 3) / 35)


def test_no_crime_at_all_gives_no_score_rather_than_a_number() -> None:
    result = score(SCORES, np.zeros(6), coverage=0.5)
    assert math.isnan(result.hit_rate)
    assert math.isnan(result.pai)
    assert math.isnan(result.pei_star)


def test_coverage_rounds_to_whole_cells_and_flags_at_least_one() -> None:
    assert cells_for_coverage(29_624, 0.01) == 296
    assert cells_for_coverage(29_624, 0.005) == 148
    assert cells_for_coverage(50, 0.005) == 1
    assert [s.coverage for s in scores(SCORES, ACTUAL, (0.5, 1.0))] == [0.5, 1.0]


@pytest.mark.parametrize("coverage", [0.0, -0.1, 1.5])
def test_coverage_outside_the_area_is_refused(coverage: float) -> None:
    with pytest.raises(ValueError, match="Coverage must be a share"):
        score(SCORES, ACTUAL, coverage)


def test_mismatched_or_bad_arrays_are_refused() -> None:
    with pytest.raises(ValueError, match="same length"):
        score(SCORES, ACTUAL[:5], 0.5)
    with pytest.raises(ValueError, match="finite"):
        score(np.array([np.nan, 1.0]), np.array([1.0, 1.0]), 0.5)
    with pytest.raises(ValueError, match="not negative"):
        score(np.array([1.0, 1.0]), np.array([-1.0, 1.0]), 0.5)
    with pytest.raises(ValueError, match="Cannot flag"):
        expected_capture(SCORES, ACTUAL, 7)
