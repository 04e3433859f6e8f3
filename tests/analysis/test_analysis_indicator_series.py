"""The plan indicators' arithmetic, worked by hand: annual rates, months not published, the
straight line from baseline to target, and which side of it is on track."""

from __future__ import annotations

import pytest

from beatbook.analysis.indicator_series import (
    IndicatorError,
    expected_level,
    indicator_label,
    on_track,
    period_value,
    quarters,
    year,
)


def test_a_quarters_rate_per_1000_is_at_an_annual_rate() -> None:
    q1 = quarters(2025)[0]
    counts = {"2025-01": 10, "2025-02": 5, "2025-03": 5}

    found = period_value(
        q1, counts, months_held=set(q1.months), population=2000, measure="per_1000"
    )

    assert found.count == 20
    assert found.figure == pytest.approx(10.0)  # 20 crimes per 2,000 residents
    assert found.value == pytest.approx(40.0)  # four such quarters make a year


def test_a_held_month_without_crimes_counts_as_none_but_a_missing_one_is_unknown() -> None:
    q1 = quarters(2025)[0]

    held = period_value(
        q1, {"2025-01": 3}, months_held=set(q1.months), population=None, measure="count"
    )
    missing = period_value(
        q1, {"2025-01": 3}, months_held={"2025-01", "2025-03"}, population=None, measure="count"
    )

    assert held.value == 12
    assert missing.value is None
    assert missing.missing == ("2025-02",)
    assert missing.not_yet == ()
    assert missing.reason == "Not enough data: February 2025 is not published."


def test_a_rate_without_a_population_says_so() -> None:
    found = period_value(
        year(2025), {}, months_held=set(year(2025).months), population=None, measure="per_1000"
    )

    assert found.value is None
    assert "No population" in found.reason


def test_the_line_runs_from_the_baseline_year_end_to_the_last_year_end() -> None:
    """Baseline 100 at the end of 2025, target 70 at the end of 2028: 36 months, so 2.5 less
    each quarter; the end of 2026 is a third of the way (90), the end of 2028 the target."""
    line = {
        q.key: expected_level(baseline=100, target=70, baseline_year=2025, last_year=2028, period=q)
        for n in (2025, 2026, 2028, 2029)
        for q in quarters(n)
    }

    assert line["2025-Q4"] == 100  # before the line starts: the baseline
    assert line["2026-Q1"] == pytest.approx(97.5)
    assert line["2026-Q4"] == pytest.approx(90)
    assert line["2028-Q4"] == pytest.approx(70)
    assert line["2029-Q2"] == pytest.approx(70)  # after the plan: the target


def test_on_track_is_at_or_better_than_the_line() -> None:
    assert on_track(90, 90, direction="down")
    assert not on_track(90.1, 90, direction="down")
    assert on_track(90.1, 90, direction="up")
    assert not on_track(89.9, 90, direction="up")


def test_labels_and_bad_keys() -> None:
    assert (
        indicator_label("anti-social-behaviour/count") == "Anti-social behaviour, number recorded"
    )
    assert indicator_label("all-crime/per_1000") == "All crime per 1,000 residents"
    with pytest.raises(IndicatorError):
        indicator_label("violent-crime")
