"""Weighted shares, wave changes, ranked priorities and headlines
(``analysis.survey_estimates``, issue 17), against hand-worked numbers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from beatbook.analysis.survey_estimates import (
    ESTIMATE_COLUMNS,
    ResponsesError,
    estimate_shares,
    headline_text,
    priorities_rank,
    survey_estimate,
    waves_compare,
)
from beatbook.analysis.survey_weights import MarginsError

RESPONDENTS = pd.DataFrame(
    {
        "respondent_id": ["r1", "r2", "r3", "r4", "r5"],
        "area": ["East", "East", "East", "East", "West"],
        "age_band": ["16-24"] * 5,
        "sex": ["female"] * 5,
    }
)
WEIGHTS = pd.Series([1.0, 1.0, 2.0, 4.0, 3.0])
# r3 chose two answers (multiple choice); r4 did not answer "q"; r5 is alone in West.
ANSWERS = pd.DataFrame(
    [("r1", "q", "A"), ("r2", "q", "B"), ("r3", "q", "A"), ("r3", "q", "B"), ("r5", "q", "B")],
    columns=["respondent_id", "question", "answer"],
)


def _row(frame: pd.DataFrame, answer: str, area: str) -> pd.Series:
    rows = frame[(frame["answer"] == answer) & (frame["area"] == area)]
    assert len(rows) == 1
    return rows.iloc[0]


def test_shares_by_area_against_hand_worked_numbers() -> None:
    shares = estimate_shares(
        ANSWERS, RESPONDENTS, WEIGHTS, by_area=True, suppress_below=1, flag_below=3
    )
    assert tuple(shares.columns) == ESTIMATE_COLUMNS
    assert list(zip(shares["answer"], shares["area"], strict=True)) == [
        ("A", "all"),
        ("A", "East"),
        ("A", "West"),
        ("B", "all"),
        ("B", "East"),
        ("B", "West"),
    ]
    east = _row(shares, "A", "East")
    # East: r1, r2, r3 answered (weights 1, 1, 2); A chosen by r1 and r3: 3/4.
    assert east["n"] == 3
    assert east["estimate"] == pytest.approx(0.75)
    assert east["effective_n"] == pytest.approx(16 / 6)
    # Wilson on p = 0.75, n = 8/3, z = 1.96: centre 0.60243, half-width 0.36394.
    assert east["ci_low"] == pytest.approx(0.238502, abs=1e-6)
    assert east["ci_high"] == pytest.approx(0.966370, abs=1e-6)
    assert east["small"]
    assert not east["suppressed"]
    everyone = _row(shares, "B", "all")
    # All: weights 1, 1, 2, 3 answered (7); B by r2, r3, r5: 6/7; effective n 49/15.
    assert everyone["n"] == 4
    assert everyone["estimate"] == pytest.approx(6 / 7)
    assert everyone["effective_n"] == pytest.approx(49 / 15)
    assert not everyone["small"]
    west_a = _row(shares, "A", "West")
    assert west_a["estimate"] == 0
    assert west_a["n"] == 1
    assert 0 == west_a["ci_low"] < west_a["ci_high"]


def test_only_the_whole_area_without_by_area() -> None:
    shares = estimate_shares(
        ANSWERS, RESPONDENTS, WEIGHTS, by_area=False, suppress_below=1, flag_below=1
    )
    assert shares["area"].tolist() == ["all", "all"]
    assert shares["estimate"].tolist() == pytest.approx([3 / 7, 6 / 7])


def test_small_samples_are_suppressed_and_flagged() -> None:
    shares = estimate_shares(
        ANSWERS, RESPONDENTS, WEIGHTS, by_area=True, suppress_below=3, flag_below=100
    )
    west = _row(shares, "B", "West")
    assert west["suppressed"]
    assert west["small"]
    assert west["n"] == 1
    assert all(math.isnan(west[column]) for column in ("estimate", "ci_low", "ci_high"))
    east = _row(shares, "B", "East")
    assert not east["suppressed"]
    assert east["small"]
    assert east["estimate"] == pytest.approx(0.75)


def test_answer_codes_no_one_chose_get_a_share_of_nought_in_their_order() -> None:
    shares = estimate_shares(
        ANSWERS,
        RESPONDENTS,
        WEIGHTS,
        by_area=False,
        suppress_below=1,
        flag_below=1,
        codes={"q": ["C", "B", "A"]},
    )
    assert shares["answer"].tolist() == ["C", "B", "A"]
    assert shares["estimate"].tolist() == pytest.approx([0.0, 6 / 7, 3 / 7])


def test_answers_from_unknown_respondents_are_refused() -> None:
    stray = pd.concat([ANSWERS, pd.DataFrame([("r9", "q", "A")], columns=ANSWERS.columns)])
    with pytest.raises(ResponsesError, match="not respondents: r9"):
        estimate_shares(stray, RESPONDENTS, WEIGHTS, by_area=False, suppress_below=1, flag_below=1)


def _estimates(rows: list[tuple[str, str, float, float, bool]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["answer", "area", "estimate", "effective_n", "suppressed"])
    frame.insert(0, "question", "q")
    frame["ci_low"] = frame["estimate"] - 0.01
    frame["ci_high"] = frame["estimate"] + 0.01
    frame["n"] = frame["effective_n"].astype(int)
    frame["small"] = False
    return frame


def test_waves_compare_is_a_two_sample_z_test_on_effective_sizes() -> None:
    before = _estimates(
        [("A", "all", 0.5, 100, False), ("B", "all", 0.2, 400, False), ("C", "all", 0.2, 9, True)]
    )
    after = _estimates(
        [("A", "all", 0.6, 200, False), ("B", "all", 0.3, 400, False), ("C", "all", 0.9, 9, False)]
    )
    compared = waves_compare(before, after)
    a = compared.iloc[0]
    # se = sqrt(0.25/100 + 0.24/200) = 0.0608276; z = 1.64399; p = 0.10017.
    assert a["difference"] == pytest.approx(0.1)
    assert a["ci_low"] == pytest.approx(0.1 - 1.959964 * 0.0608276, abs=1e-6)
    assert a["ci_high"] == pytest.approx(0.1 + 1.959964 * 0.0608276, abs=1e-6)
    assert a["p_value"] == pytest.approx(0.10017, abs=1e-5)
    assert not a["changed"]
    b = compared.iloc[1]
    # se = sqrt(0.16/400 + 0.21/400) = 0.0304138; z = 3.28798; p = 0.00101.
    assert b["p_value"] == pytest.approx(0.001009, abs=1e-6)
    assert b["changed"]
    c = compared.iloc[2]
    assert math.isnan(c["difference"])
    assert math.isnan(c["p_value"])
    assert not c["changed"]


def test_priorities_are_ranked_and_told_apart_only_when_clearly_so() -> None:
    estimates = _estimates(
        [
            ("Speeding", "all", 0.30, 400, False),
            ("Drugs", "all", 0.50, 400, False),
            ("Litter", "all", 0.27, 400, False),
            ("Drugs", "North", 0.9, 10, False),
        ]
    )
    ranked = priorities_rank(estimates, question="q")
    assert [row.answer for row in ranked] == ["Drugs", "Speeding", "Litter"]
    assert [row.rank for row in ranked] == [1, 2, 3]
    # Drugs - Speeding = 0.20; worst-case se = sqrt(.25/400) + sqrt(.21/400) = 0.047913.
    assert ranked[0].apart_from_next is True
    assert ranked[0].difference_low == pytest.approx(0.20 - 1.959964 * 0.047913, abs=1e-5)
    # Speeding - Litter = 0.03 < 1.96 x (0.022913 + 0.022197).
    assert ranked[1].apart_from_next is False
    assert ranked[2].apart_from_next is None
    assert priorities_rank(estimates, question="q", area="South") == []


@pytest.mark.parametrize(
    ("estimate", "low", "high", "expected"),
    [
        (0.70, 0.6649, 0.7401, "About 7 in 10 (66% to 75%) feel safe walking alone after dark"),
        (0.70, 0.66, 0.74, "About 7 in 10 (66% to 74%) feel safe walking alone after dark"),
        (0.51, 0.47, 0.55, "About half (47% to 55%) feel safe walking alone after dark"),
        (0.74, 0.72, 0.76, "74% (72% to 76%) feel safe walking alone after dark"),
        (0.12, 0.05, 0.22, "About 1 in 10 (5% to 22%) feel safe walking alone after dark"),
        (0.06, 0.02, 0.12, "Fewer than 1 in 10 (2% to 12%) feel safe walking alone after dark"),
        (0.0, 0.0, 0.03, "Fewer than 1 in 10 (0% to 3%) feel safe walking alone after dark"),
        (0.96, 0.93, 0.98, "Nearly all (93% to 98%) feel safe walking alone after dark"),
        (1.0, 0.97, 1.0, "Nearly all (97% to 100%) feel safe walking alone after dark"),
        (0.949, 0.92, 0.97, "95% (92% to 97%) feel safe walking alone after dark"),
        (0.90, 0.85, 0.94, "About 9 in 10 (85% to 94%) feel safe walking alone after dark"),
        (
            float("nan"),
            float("nan"),
            float("nan"),
            "Too few people answered to say how many feel safe walking alone after dark",
        ),
    ],
)
def test_headline_wording(estimate: float, low: float, high: float, expected: str) -> None:
    phrase = "feel safe walking alone after dark"
    assert headline_text(estimate=estimate, ci_low=low, ci_high=high, phrase=phrase) == expected


def test_a_printed_headline_interval_always_holds_the_printed_share() -> None:
    rng = np.random.default_rng(5)
    for estimate in rng.uniform(0.1, 0.95, 2000):
        low = estimate - rng.uniform(0, 0.1)
        high = estimate + rng.uniform(0, 0.1)
        text = headline_text(estimate=estimate, ci_low=low, ci_high=high, phrase="agree")
        share, interval = text.split(" (")
        printed_low, printed_high = (int(end.rstrip("%")) for end in interval[:-7].split(" to "))
        if share.endswith("%"):
            printed = int(share.rstrip("%"))
        else:
            printed = 50 if share == "About half" else int(share.split()[1]) * 10
        assert printed_low <= printed <= printed_high, text


WIDE = pd.DataFrame(
    {
        "respondent_id": ["1", "2", "3", "4"],
        "area": ["North", "North", "South", "South"],
        "age_band": ["16-24", "65+", "16-24", ""],
        "sex": ["female", "male", "male", "female"],
        "safe_after_dark": ["agree", "disagree", "agree", ""],
        "priorities": ["drugs;speeding", "speeding", "", "drugs"],
    }
)
MARGINS = pd.DataFrame(
    [
        (area, age, sex, 100)
        for area in ("North", "South")
        for age in ("16-24", "65+")
        for sex in ("female", "male")
    ],
    columns=["area", "age_band", "sex", "population"],
)


def test_survey_estimate_runs_the_whole_path_on_wide_answers() -> None:
    shares, notes = survey_estimate(WIDE, MARGINS, by_area=True, suppress_below=1, flag_below=1)
    assert shares["question"].unique().tolist() == ["safe_after_dark", "priorities"]
    priorities = shares[(shares["question"] == "priorities") & (shares["area"] == "North")]
    assert priorities.set_index("answer")["n"].to_dict() == {"drugs": 2, "speeding": 2}
    assert priorities.set_index("answer")["estimate"]["speeding"] == pytest.approx(1.0)
    safe = shares[(shares["question"] == "safe_after_dark") & (shares["area"] == "South")]
    assert safe["n"].tolist() == [1, 1]  # agree and disagree; respondent 4 left it blank
    assert any("gave no age band or no sex" in note for note in notes)


@pytest.mark.parametrize(
    ("wide", "error", "wording"),
    [
        (WIDE.drop(columns="sex"), ResponsesError, "no sex column"),
        (WIDE[["respondent_id", "area", "age_band", "sex"]], ResponsesError, "no question columns"),
        (WIDE.assign(respondent_id=["1", "1", "2", "3"]), ResponsesError, "more than once: 1"),
        (
            WIDE.assign(age_band=["16-24", "18-24", "16-24", ""]),
            ResponsesError,
            "age bands .*18-24",
        ),
        (WIDE.assign(sex=["female", "m", "male", "x"]), ResponsesError, "sexes .*: m, x"),
        (WIDE.assign(area=["North", "North", "South", "East"]), MarginsError, "no margins: East"),
    ],
)
def test_survey_estimate_refuses_bad_responses(
    wide: pd.DataFrame, error: type[ValueError], wording: str
) -> None:
    with pytest.raises(error, match=wording):
        survey_estimate(wide, MARGINS, by_area=False, suppress_below=1, flag_below=1)
