"""Choosing a forecast's method from earlier months only, and scoring the choice honestly."""

from __future__ import annotations

import pandas as pd
import pytest

from beatbook.analysis.forecast.selection import NO_EVIDENCE_METHOD, choose_method, held_out

CANDIDATES = ("last-month", "mean-12", "linear-blend")


def results(pei: dict[tuple[str, float], list[float]], first: int = 1) -> pd.DataFrame:
    """Per-month rows from ``pei[(method, coverage)]``, one value a month from 2025-``first``."""
    rows = [
        {"method": method, "coverage": coverage, "month": f"2025-{first + i:02d}", "pei_star": v}
        for (method, coverage), values in pei.items()
        for i, v in enumerate(values)
    ]
    return pd.DataFrame(rows)


MONTHS = ["2025-01", "2025-02", "2025-03"]


def test_a_learned_method_at_least_as_good_at_1_and_5_percent_is_chosen() -> None:
    table = results(
        {
            ("last-month", 0.01): [0.5, 0.5, 0.5],
            ("last-month", 0.05): [0.5, 0.5, 0.5],
            ("mean-12", 0.01): [0.6, 0.6, 0.6],
            ("mean-12", 0.05): [0.7, 0.7, 0.7],
            ("linear-blend", 0.01): [0.7, 0.6, 0.8],
            ("linear-blend", 0.05): [0.7, 0.7, 0.7],
        }
    )
    choice = choose_method(table, months=MONTHS, candidates=CANDIDATES)
    assert choice.method == "linear-blend"
    assert choice.best_baseline == "mean-12"
    assert choice.comparisons == 2
    assert choice.means["linear-blend"][0.01] == pytest.approx(0.7)
    assert "at least as good as the best baseline at both 1% and 5%" in choice.reason
    assert "5%: 0.700 against mean-12's 0.700" in choice.reason


def test_a_learned_method_behind_the_best_baseline_at_5_percent_is_not_the_default() -> None:
    # The force: ahead at 1%, behind the 12-month mean at 5% of the area.
    table = results(
        {
            ("last-month", 0.01): [0.5, 0.5, 0.5],
            ("last-month", 0.05): [0.5, 0.5, 0.5],
            ("mean-12", 0.01): [0.6, 0.6, 0.6],
            ("mean-12", 0.05): [0.8, 0.8, 0.8],
            ("linear-blend", 0.01): [0.7, 0.7, 0.7],
            ("linear-blend", 0.05): [0.75, 0.75, 0.75],
        }
    )
    choice = choose_method(table, months=MONTHS, candidates=CANDIDATES)
    assert choice.method == "mean-12"
    assert choice.reason == (
        "linear-blend was behind the best baseline at 5% of the area (0.750 against mean-12's "
        "0.800) over the 3 months 2025-01 to 2025-03. A learned method is used only when its "
        "earlier months show it at least as good as the best baseline at both 1% and 5% of "
        "the area, so this forecast is the best baseline, mean-12."
    )


def test_the_choice_uses_only_the_months_named_and_methods_scored_on_every_one() -> None:
    table = results(
        {
            ("mean-12", 0.01): [0.6, 0.6, 0.6, 0.1],
            ("mean-12", 0.05): [0.6, 0.6, 0.6, 0.1],
            ("last-month", 0.01): [0.5, 0.5, 0.5, 0.9],
            ("last-month", 0.05): [0.5, 0.5, 0.5, 0.9],
            # Scored in two of the three months only: not comparable, so not a candidate.
            ("linear-blend", 0.01): [0.9, 0.9],
            ("linear-blend", 0.05): [0.9, 0.9],
        }
    )
    choice = choose_method(table, months=MONTHS, candidates=CANDIDATES)
    assert choice.method == "mean-12"
    assert choice.candidates == ("last-month", "mean-12")
    assert choose_method(table, months=["2025-04"], candidates=CANDIDATES).method == "last-month"


def test_with_no_month_to_judge_by_the_forecast_is_a_baseline() -> None:
    choice = choose_method(results({}), months=[], candidates=CANDIDATES)
    assert choice.method == NO_EVIDENCE_METHOD == "mean-12"
    assert "No month before could be back-tested" in choice.reason


def test_the_rule_is_scored_on_months_after_each_choice() -> None:
    # linear-blend is best in the first three months, then falls behind mean-12.
    table = results(
        {
            ("mean-12", 0.01): [0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
            ("mean-12", 0.05): [0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
            ("linear-blend", 0.01): [0.9, 0.9, 0.9, 0.1, 0.1, 0.1],
            ("linear-blend", 0.05): [0.9, 0.9, 0.9, 0.1, 0.1, 0.1],
        }
    )
    months = [f"2025-0{m}" for m in range(1, 7)]
    scored = held_out(table, months=months, evaluate=3, window=3, minimum=3, candidates=CANDIDATES)
    assert scored is not None
    assert scored.months == ("2025-04", "2025-05", "2025-06")
    # 2025-04 and 2025-05 chose linear-blend from the months before (means 0.9 and 0.63 against
    # 0.5), and it scored 0.1; by 2025-06 the last three months showed it behind: mean-12, 0.5.
    assert scored.methods == ("linear-blend", "linear-blend", "mean-12")
    assert scored.pei_star == pytest.approx((0.1 + 0.1 + 0.5) / 3)
    assert scored.ci_low <= scored.pei_star <= scored.ci_high
    # In-sample, the best method of the six months looks far better than that.
    assert choose_method(table, months=months, candidates=CANDIDATES).means["linear-blend"][
        0.01
    ] == pytest.approx(0.5)
    assert (
        held_out(table, months=months[:3], evaluate=3, window=3, minimum=3, candidates=CANDIDATES)
        is None
    )
