"""Survey weights raked to population margins (``analysis.survey_weights``, issue 17)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from beatbook.analysis.survey_weights import (
    MarginsError,
    ResponsesError,
    kish_effective_n,
    rake_weights,
)


def _margins(rows: list[tuple[str, str, str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["area", "age_band", "sex", "population"])


def _respondents(rows: list[tuple[str, object, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["area", "age_band", "sex"])
    frame.insert(0, "respondent_id", [f"r{i}" for i in range(len(rows))])
    return frame


TWO_BY_TWO = _margins(
    [
        ("North", "16-24", "female", 100),
        ("North", "16-24", "male", 200),
        ("North", "65+", "female", 400),
        ("North", "65+", "male", 300),
    ]
)


def test_raking_hits_each_areas_age_and_sex_margins_and_its_population() -> None:
    people = _respondents(
        [("North", "16-24", "female")]
        + [("North", "65+", "female")] * 4
        + [("North", "65+", "male")] * 3
        + [("North", "16-24", "male")] * 2
    )
    result = rake_weights(people, TWO_BY_TWO)
    weighted = people.assign(w=result.weights)
    assert weighted.groupby("age_band")["w"].sum().to_dict() == pytest.approx(
        {"16-24": 300, "65+": 700}
    )
    assert weighted.groupby("sex")["w"].sum().to_dict() == pytest.approx(
        {"female": 500, "male": 500}
    )
    assert result.weights.index.equals(people.index)
    assert result.notes == []


def test_each_area_sums_to_its_population_so_all_weights_areas_by_people() -> None:
    margins = _margins([("A", "16-24", "female", 100), ("B", "16-24", "female", 300)])
    people = _respondents([("A", "16-24", "female")] * 3 + [("B", "16-24", "female")] * 3)
    weights = rake_weights(people, margins).weights
    assert weights.tolist() == pytest.approx([100 / 3] * 3 + [100.0] * 3)


def test_people_giving_no_age_or_sex_take_their_areas_mean_weight() -> None:
    margins = _margins([("A", "16-24", "female", 30), ("A", "16-24", "male", 70)])
    people = _respondents(
        [("A", "16-24", "female"), ("A", "16-24", "male"), ("A", "16-24", "male")]
        + [("A", "16-24", ""), ("A", np.nan, "male")]
    )
    result = rake_weights(people, margins)
    # Raked: female 0.9, males 1.05 each (mean 1); the two others 1; scaled to 100 of 5.0.
    assert result.weights.tolist() == pytest.approx([18.0, 21.0, 21.0, 20.0, 20.0])
    assert result.notes == [
        "2 respondents gave no age band or no sex (such as 'prefer not to say'): each takes "
        "the average weight of the others in their area."
    ]


def test_a_band_no_one_answered_in_is_spread_over_the_others_with_a_note() -> None:
    margins = _margins(
        [
            ("North", "16-24", "female", 100),
            ("North", "16-24", "male", 100),
            ("North", "45-54", "female", 300),
            ("North", "45-54", "male", 100),
            ("North", "65+", "female", 200),
            ("North", "65+", "male", 200),
        ]
    )
    people = _respondents(
        [("North", "45-54", "female"), ("North", "45-54", "male")]
        + [("North", "65+", "female")] * 2
        + [("North", "65+", "male")]
    )
    result = rake_weights(people, margins)
    weighted = people.assign(w=result.weights)
    # 16-24's 200 people go to 45-54 and 65+ in proportion (400:400): 500 each.
    assert weighted.groupby("age_band")["w"].sum().to_dict() == pytest.approx(
        {"45-54": 500, "65+": 500}
    )
    assert weighted.groupby("sex")["w"].sum().to_dict() == pytest.approx(
        {"female": 600, "male": 400}
    )
    assert result.notes == [
        "Area North: no one aged 16-24 answered; its 200 people are counted across the other "
        "age bands there."
    ]


def test_an_area_with_fewer_than_two_known_respondents_is_weighted_equally() -> None:
    margins = _margins([("A", "16-24", "female", 50), ("A", "65+", "male", 250)])
    people = _respondents([("A", "65+", "male"), ("A", "", ""), ("A", "", "")])
    result = rake_weights(people, margins)
    assert result.weights.tolist() == pytest.approx([100.0, 100.0, 100.0])
    assert (
        "Area A: only 1 respondent(s) gave an age band and sex, too few to weight by; its 3 "
        "respondent(s) are weighted equally." in result.notes
    )


def test_areas_of_the_margins_no_one_answered_in_are_noted() -> None:
    margins = _margins([("A", "16-24", "female", 50), ("B", "16-24", "female", 50)])
    notes = rake_weights(_respondents([("A", "16-24", "female")] * 2), margins).notes
    assert notes == [
        "No one answered in these areas of the margins, so the 'all' figures leave them out: B."
    ]


def test_cells_the_margins_miss_or_give_no_people_are_named() -> None:
    margins = _margins([("A", "16-24", "female", 50), ("A", "16-24", "male", 0)])
    people = _respondents(
        [("A", "16-24", "female"), ("A", "16-24", "male"), ("A", "65+", "female")]
        + [("Z", "16-24", "female")]
    )
    with pytest.raises(MarginsError) as raised:
        rake_weights(people, margins)
    message = str(raised.value)
    assert "these areas of the responses have no margins: Z" in message
    assert "A / 16-24 / male (1 respondents)" in message
    assert "A / 65+ / female (1 respondents)" in message
    assert "A / 16-24 / female" not in message


@pytest.mark.parametrize(
    ("margins", "wording"),
    [
        (TWO_BY_TWO.drop(columns="population"), "no population column"),
        (TWO_BY_TWO.assign(population=[1, -5, 1, 1]), r"not numbers of 0 or more \(file lines 3\)"),
        (TWO_BY_TWO.assign(population=["1", "many", "1", "1"]), "not numbers of 0 or more"),
        (pd.concat([TWO_BY_TWO, TWO_BY_TWO.iloc[[0]]]), "given more than once: North / 16-24"),
        (TWO_BY_TWO.assign(sex=["female", "", "female", "male"]), "blank area, age band or sex"),
    ],
)
def test_malformed_margins_are_refused(margins: pd.DataFrame, wording: str) -> None:
    people = _respondents([("North", "65+", "female")] * 2)
    with pytest.raises(MarginsError, match=wording):
        rake_weights(people, margins)


def test_malformed_respondents_are_refused() -> None:
    people = _respondents([("North", "65+", "female")] * 2)
    with pytest.raises(ResponsesError, match="more than once: r0"):
        rake_weights(people.assign(respondent_id="r0"), TWO_BY_TWO)
    with pytest.raises(ResponsesError, match="no area: r1"):
        rake_weights(people.assign(area=["North", ""]), TWO_BY_TWO)
    with pytest.raises(ResponsesError, match="no sex column"):
        rake_weights(people.drop(columns="sex"), TWO_BY_TWO)


def test_kish_effective_n() -> None:
    assert kish_effective_n(pd.Series([1.0, 1.0, 1.0, 1.0])) == pytest.approx(4.0)
    assert kish_effective_n(np.array([1.0, 1.0, 2.0, 4.0])) == pytest.approx(64 / 22)
    assert kish_effective_n(np.array([])) == 0.0


def test_200_areas_of_100_respondents_each_sum_to_their_population() -> None:
    rng = np.random.default_rng(3)
    ages, sexes = ["16-24", "25-44", "45-64", "65+"], ["female", "male"]
    areas = [f"N{i}" for i in range(200)]
    margins = _margins(
        [
            (area, age, sex, int(rng.integers(100, 900)))
            for area in areas
            for age in ages
            for sex in sexes
        ]
    )
    people = _respondents(
        list(
            zip(
                rng.choice(areas, 20_000),
                rng.choice(ages, 20_000),
                rng.choice(sexes, 20_000),
                strict=True,
            )
        )
    )
    weights = rake_weights(people, margins).weights
    totals = people.assign(w=weights).groupby("area")["w"].sum()
    assert totals.to_numpy() == pytest.approx(
        margins.groupby("area")["population"].sum().to_numpy()
    )
