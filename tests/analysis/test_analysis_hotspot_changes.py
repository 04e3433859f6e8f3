"""New and growing hotspots between two periods of different lengths (pure: no database)."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from beatbook.analysis.hotspot_changes import hotspot_changes


def test_a_rise_more_than_chance_is_growing_and_the_rate_is_per_month() -> None:
    # 30 in 3 months against 4 in 2: 10 a month against 2.
    found = hotspot_changes({"A": 30}, {"A": 4}, months_recent=3, months_before=2, top=5)

    assert len(found) == 1
    change = found[0]
    assert change.growing
    assert change.p_value == pytest.approx(stats.binomtest(30, 34, 3 / 5).pvalue)
    assert change.rate_ratio == pytest.approx((30 / 3) / (4 / 2), rel=1e-9)


def test_the_same_count_over_more_months_is_not_growing() -> None:
    # 12 in 3 months against 8 in 2: the same rate of 4 a month.
    found = hotspot_changes({"A": 12}, {"A": 8}, months_recent=3, months_before=2, top=0)

    assert found == []


def test_new_means_in_the_top_list_now_but_not_before() -> None:
    recent = {"A": 9, "B": 8, "C": 7}
    before = {"A": 9, "B": 1, "C": 8, "D": 9}

    found = {
        c.unit: c for c in hotspot_changes(recent, before, months_recent=1, months_before=1, top=2)
    }

    # The top two now are A and B; before, A and D (ties broken by name). Only B is new.
    assert set(found) == {"B"}
    assert found["B"].new
    assert found["B"].rank == 2


def test_a_place_with_no_crime_before_has_no_finite_ratio() -> None:
    found = hotspot_changes({"A": 20}, {}, months_recent=1, months_before=1, top=1)

    assert found[0].new
    assert found[0].growing
    assert not math.isfinite(found[0].rate_ratio)
    assert found[0].reasons == "new in the top list; growing, more than chance"


def test_a_period_without_months_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one month"):
        hotspot_changes({"A": 1}, {"A": 1}, months_recent=0, months_before=1)
