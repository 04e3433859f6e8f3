from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from beatbook.analysis.trends import (
    ALL_CRIME,
    rate_change,
    repeat_locations,
    repeat_share,
    seasonal_profile,
    trend_report,
)
from beatbook.common.months import month_range


def _crimes(rows: list[tuple[str, str, float, float, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": [r[0] for r in rows],
            "category": [r[1] for r in rows],
            "easting": [r[2] for r in rows],
            "northing": [r[3] for r in rows],
            "street_name": [r[4] for r in rows],
            "location_id": pd.array([pd.NA] * len(rows), dtype="Int64"),
            "lsoa_code": ["E01014213"] * len(rows),
        }
    )


def _year_of_crimes() -> pd.DataFrame:
    rows: list[tuple[str, str, float, float, str]] = []
    for month in month_range("2024-01", "2025-06"):
        burglaries = 2 if month < "2025-01" else 6
        rows += [(month, "burglary", 391_120.0, 342_630.0, "On or near Market Street")] * burglaries
        rows.append((month, "shoplifting", 388_330.0 + int(month[5:]), 347_560.0, "On or near Bus"))
    rows.append(("2025-03", "robbery", np.nan, np.nan, ""))
    return _crimes(rows)


def test_rate_change_hand_worked() -> None:
    # 30 against 10 over equal periods: under no change, 30 of 40 ~ Binomial(40, 0.5).
    change = rate_change("burglary", 30, 10, months=6)
    assert change.rate_ratio == pytest.approx(3.0)
    assert change.p_value == pytest.approx(stats.binomtest(30, 40, 0.5).pvalue)
    assert change.p_value < 0.01
    assert change.verdict() == "Rise more than chance"
    assert change.change_percent == pytest.approx(200.0)
    assert change.ratio_low < 3.0 < change.ratio_high


def test_a_small_change_is_no_more_than_chance() -> None:
    change = rate_change("robbery", 3, 2)
    assert change.p_value == pytest.approx(1.0)
    assert change.verdict() == "No more than chance"


def test_unequal_exposure_is_allowed_for() -> None:
    # 12 crimes in 6 months against 11 in 5.5: the same rate, so a ratio of 1 (near enough).
    change = rate_change("drugs", 12, 11, months=6, months_before=5)
    assert change.rate_ratio == pytest.approx(12 / 11 * 5 / 6)


def test_rare_and_absent_categories() -> None:
    nothing = rate_change("bicycle-theft", 0, 0)
    assert nothing.p_value == 1.0
    assert math.isnan(nothing.rate_ratio)
    assert nothing.verdict() == "No crimes in either period"
    new = rate_change("possession-of-weapons", 4, 0)
    assert math.isinf(new.rate_ratio)
    assert math.isnan(new.change_percent)


def test_the_report_counts_rates_and_changes() -> None:
    report = trend_report(
        _year_of_crimes(), month_from="2025-01", month_to="2025-06", population=2000
    )
    assert report.monthly.loc["2025-03", "burglary"] == 6
    assert report.monthly.loc["2025-03", ALL_CRIME] == 8
    totals = report.totals
    assert totals.loc["burglary", "crimes"] == 36
    assert totals.loc["burglary", "per_1000"] == pytest.approx(18.0)
    assert totals.loc["burglary", "per_1000_a_year"] == pytest.approx(36.0)
    changes = {change.category: change for change in report.changes}
    assert changes["burglary"].current == 36
    assert changes["burglary"].previous == 12
    assert changes["burglary"].significant
    assert not changes["shoplifting"].significant
    assert report.compared_months == month_range("2025-01", "2025-06")


def test_a_missing_month_is_unknown_not_zero() -> None:
    crimes = _year_of_crimes()
    crimes = crimes[crimes.month != "2025-02"]
    held = sorted(set(crimes.month))
    report = trend_report(crimes, month_from="2025-01", month_to="2025-06", months_held=held)
    assert report.months_missing == ["2025-02"]
    assert np.isnan(report.monthly.loc["2025-02", "burglary"])
    assert "2025-02" not in report.compared_months
    changes = {change.category: change for change in report.changes}
    assert changes["burglary"].previous == 10  # 2024-02 is left out with it


def test_seasonality_indexes_each_calendar_month() -> None:
    rows = [(f"{year}-{m:02d}", "other-theft", 1.0, 1.0, "x") for year in (2023, 2024)
            for m in range(1, 13) for _ in range(20 if m == 7 else 10)]  # fmt: skip
    crimes = _crimes(rows)
    profile = seasonal_profile(crimes, set(crimes.month))
    assert profile.loc[7, "mean_crimes"] == 20
    assert profile.loc[7, "months"] == 2
    assert profile.loc[7, "index"] == pytest.approx(20 / (130 / 12))
    assert profile["index"].mean() == pytest.approx(1.0)


def test_repeat_locations_and_their_share() -> None:
    crimes = _year_of_crimes()
    period = crimes[crimes.month >= "2025-01"]
    table = repeat_locations(period)
    assert table.iloc[0].street_name == "On or near Market Street"
    assert table.iloc[0].crimes == 36
    assert table.iloc[0].months_with_crime == 6
    assert len(table) == 1  # each shoplifting point is used once; the robbery has no location
    assert repeat_share(period) == pytest.approx(36 / 42)


def test_no_crime_gives_an_empty_report() -> None:
    empty = _crimes([])
    held = month_range("2024-01", "2025-03")
    report = trend_report(
        empty, month_from="2025-01", month_to="2025-03", population=1000, months_held=held
    )
    assert report.monthly[ALL_CRIME].tolist() == [0, 0, 0]
    assert report.changes[0].verdict() == "No crimes in either period"
    assert report.repeat_locations.empty
    assert math.isnan(report.repeat_share)


def test_without_its_interval_a_rate_change_keeps_its_ratio_and_p_value() -> None:
    from beatbook.analysis.trends import rate_change as change

    full = change("burglary", 30, 12, months=3, months_before=6)
    quick = change("burglary", 30, 12, months=3, months_before=6, interval=False)

    assert (quick.rate_ratio, quick.p_value) == (full.rate_ratio, full.p_value)
    assert quick.rate_ratio == pytest.approx(5.0)  # 10 a month against 2 a month
    assert np.isnan(quick.ratio_low)
    assert np.isnan(quick.ratio_high)
    assert full.ratio_low < full.rate_ratio < full.ratio_high
