"""The strategic assessment's pure formula (``analysis.strategic_assessment``) and its priority
score (``analysis.assessment_priorities``) on small made-up tables, checked by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from beatbook.analysis.assessment_priorities import (
    WEIGHTS,
    CategoryEvidence,
    concerns_count,
    priorities_rank,
    trend_term,
)
from beatbook.analysis.harm import load_harm_weights
from beatbook.analysis.strategic_assessment import (
    AssessmentInputs,
    Comparison,
    assessment_summary,
    strategic_assessment,
)

HARM = load_harm_weights()


def _crimes(counts: dict[tuple[str, str], int]) -> pd.DataFrame:
    """``counts``: (month, category) -> crimes, each at its own made-up place in Stoke."""
    rows = []
    for (month, category), n in sorted(counts.items()):
        for i in range(n):
            rows.append(
                {
                    "month": month,
                    "category": category,
                    "easting": 388_000.0 + (i % 3) * 300,
                    "northing": 345_000.0,
                    "latitude": 53.0,
                    "longitude": -2.17,
                    "location_id": 1000 + i % 3,
                    "street_name": f"On or near Street {i % 3}",
                    "lsoa_code": "E01000001",
                    "lsoa_name": "Testtown 001A",
                    "neighbourhood_id": pd.NA,
                    "neighbourhood_name": "",
                }
            )
    frame = pd.DataFrame(rows)
    frame["location_id"] = frame["location_id"].astype("Int64")
    frame["neighbourhood_id"] = frame["neighbourhood_id"].astype("Int64")
    return frame


def _months(year: int) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(1, 13)]


def _inputs(crimes: pd.DataFrame, held: list[str], **extra: object) -> AssessmentInputs:
    return AssessmentInputs(
        area_label="Testtown",
        year=2020,
        crimes=crimes,
        months_held=held,
        population=2000,
        harm=HARM,
        **extra,  # type: ignore[arg-type]
    )


def test_change_compares_only_the_months_both_years_hold() -> None:
    counts = {(m, "burglary"): 4 for m in _months(2020)}
    counts |= {(m, "burglary"): 2 for m in _months(2019)}
    held = [m for m in _months(2019) + _months(2020) if m != "2019-07"]

    result = strategic_assessment(_inputs(_crimes(counts), held))

    burglary = next(row for row in result.categories if row.category == "burglary")
    assert (burglary.count, burglary.previous) == (48, 22)
    assert (burglary.compared_count, burglary.compared_previous) == (44, 22)
    assert burglary.change == 22
    assert burglary.p_value == pytest.approx(stats.binomtest(44, 66, 0.5).pvalue)
    assert result.previous_months_missing == ["2019-07"]
    assert len(result.compared_months) == 11
    assert burglary.rate_per_1000 == pytest.approx(48 / 2000 * 1000)
    assert burglary.harm_cchi == pytest.approx(48 * HARM.table("cchi")["burglary"])
    assert burglary.verdict == "Rise more than chance"


def test_a_previous_year_not_held_shows_no_change_rather_than_a_rise_from_nothing() -> None:
    counts = {(m, "drugs"): 3 for m in _months(2020)}

    result = strategic_assessment(_inputs(_crimes(counts), _months(2020)))

    assert not result.previous_held
    assert result.previous_months_missing == []
    for row in result.categories:
        assert (row.previous, row.change, row.p_value) == (None, None, None)
    summary = assessment_summary(result)
    assert summary["previous_year"] == {
        "year": 2019,
        "held": False,
        "months_held": [],
        "months_missing": [],
    }
    assert summary["categories"]["drugs"]["previous_count"] is None


def test_a_month_missing_in_the_year_is_listed_and_never_counted_as_none() -> None:
    counts = {(m, "robbery"): 1 for m in _months(2020)}
    held = [m for m in _months(2020) if m != "2020-03"]

    result = strategic_assessment(_inputs(_crimes(counts), held))

    assert result.months_missing == ["2020-03"]
    assert result.all_crime.count == 11  # the March rows are not read: the month is not held
    march = result.monthly[result.monthly["month"] == "2020-03"]
    assert math.isnan(float(march["crimes"].iloc[0]))


def test_rates_are_ranked_against_the_other_areas_and_the_force() -> None:
    counts = {(m, "shoplifting"): 1 for m in _months(2020)}
    others = [
        Comparison("Higher", {"shoplifting": 100}, 1000),
        Comparison("Lower", {"shoplifting": 1}, 1000),
    ]
    force = Comparison("Test Police", {"shoplifting": 113}, 4000)

    result = strategic_assessment(
        _inputs(_crimes(counts), _months(2020), other_areas=others, force=force)
    )

    row = result.all_crime
    assert row.rank_among_areas == 2
    assert row.force_rate_per_1000 == pytest.approx(113 / 4000 * 1000)
    assert [r.label for r in result.area_rates] == ["Higher", "Testtown", "Lower"]


def test_stops_and_outcomes_are_counted_and_their_absence_is_said() -> None:
    counts = {("2020-01", "drugs"): 2}
    stops = pd.DataFrame(
        {
            "month": ["2020-01"] * 3,
            "object_of_search": ["Controlled drugs", "Controlled drugs", ""],
            "outcome": ["Arrest", "A no further action disposal", "Arrest"],
        }
    )
    outcomes = pd.DataFrame({"category": ["drugs", "drugs"], "outcome": ["Charged", "Charged"]})

    result = strategic_assessment(
        _inputs(_crimes(counts), _months(2020), stops=stops, outcomes=outcomes)
    )
    bare = strategic_assessment(_inputs(_crimes(counts), _months(2020)))

    assert result.stops_total == 3
    assert result.stops_by_object is not None
    assert result.stops_by_object.to_dict("records")[0] == {
        "object_of_search": "Controlled drugs",
        "count": 2,
        "share": pytest.approx(2 / 3),
    }
    assert result.stops_by_outcome is not None
    assert list(result.stops_by_outcome["outcome"]) == ["Arrest", "A no further action disposal"]
    assert result.outcomes is not None
    assert result.outcomes.to_dict("records") == [
        {"category": "drugs", "outcome": "Charged", "count": 2}
    ]
    assert (bare.stops_total, bare.outcomes) == (None, None)


def test_hotspots_rank_250_metre_squares_by_harm() -> None:
    counts = {("2020-01", "robbery"): 1, ("2020-02", "shoplifting"): 6}

    result = strategic_assessment(_inputs(_crimes(counts), _months(2020)))

    top = result.hotspots.iloc[0]
    assert (int(top["x"]), int(top["y"])) == (388_000, 345_000)
    assert top["harm_cchi"] == pytest.approx(
        HARM.table("cchi")["robbery"] + 2 * HARM.table("cchi")["shoplifting"]
    )
    assert int(result.cells["crimes"].sum()) == 7


def test_concerns_are_matched_to_categories_by_whole_words() -> None:
    voice = concerns_count(
        [
            ("concern", "Drug dealing on the corner and youths causing a nuisance"),
            ("question", "When is the next surgery?"),
            ("question", "Was my neighbour burgled? A burglary last night"),
        ]
    )

    assert (voice.questions, voice.concerns, voice.matched) == (2, 1, 2)
    assert voice.by_category == {"anti-social-behaviour": 1, "burglary": 1, "drugs": 1}
    assert voice.share("drugs") == pytest.approx(0.5)


def test_the_priority_score_is_the_published_weighted_sum() -> None:
    evidence = [
        CategoryEvidence("violent-crime", "Violence", 100, 0.8, 0.4, 1.5, 0.001, 0.5, 1),
        CategoryEvidence("anti-social-behaviour", "ASB", 120, 0.0, 0.5, 1.0, 0.9, 0.5, 1),
        CategoryEvidence("robbery", "Robbery", 0, 0.2, 0.1, None, None, 0.0, 0),
    ]

    ranked = priorities_rank(evidence)

    assert [p.category for p in ranked] == ["violent-crime", "anti-social-behaviour"]
    violence = ranked[0]
    expected = 100 * (
        WEIGHTS["harm"] * 0.8
        + WEIGHTS["volume"] * 0.4
        + WEIGHTS["trend"] * 1
        + WEIGHTS["concern"] * 0.5
    )
    assert violence.score == pytest.approx(expected, abs=0.01)
    assert violence.recommended
    assert any("more than chance" in line for line in violence.evidence)
    assert sum(WEIGHTS.values()) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("ratio", "p_value", "term"),
    [(1.5, 0.01, 1.0), (1.25, 0.01, 0.5), (0.75, 0.01, -0.5), (3.0, 0.2, 0.0), (None, None, 0.0)],
)
def test_the_trend_term_counts_only_change_that_is_more_than_chance(
    ratio: float | None, p_value: float | None, term: float
) -> None:
    assert trend_term(ratio, p_value) == pytest.approx(term)


def test_the_same_inputs_give_the_same_summary() -> None:
    rng = np.random.default_rng(1)
    counts = {
        (m, c): int(rng.poisson(5))
        for m in _months(2019) + _months(2020)
        for c in ("burglary", "violent-crime", "anti-social-behaviour")
    }
    crimes = _crimes(counts)
    held = _months(2019) + _months(2020)

    first = assessment_summary(strategic_assessment(_inputs(crimes, held)))
    again = assessment_summary(strategic_assessment(_inputs(crimes.sample(frac=1.0), held)))

    assert first == again
