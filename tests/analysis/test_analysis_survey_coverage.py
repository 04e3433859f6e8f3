"""Are the survey intervals honest? Issue 17 asks that 95% intervals cover the true share 93-97%
of the time across repeated samples from a known population with response biased by age and sex.

The population: three areas, seven age bands by two sexes, about 100,000 people, each saying
"yes" or "no", with the chance of "yes" varying by age, sex and area. Each of 1,000 samples
draws respondents by cell with a response rate that rises with age (0.6% at 16-24 to 2.4% at
75+) and is higher for women (x1.4) than men (x0.8): about 1,700 respondents, most of them
older women. Each sample is raked to the true margins (``rake_weights``) and estimated
(``estimate_shares``); the test counts how often the intervals cover the true share of the
population, for the whole area and for one area. The response rates are a product of an age
part and a sex part, the pattern that raking to age and sex margins corrects. Fixed seeds: the
figures are the same on every run (docs/benchmarks.md records them).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from beatbook.analysis.survey_estimates import estimate_shares
from beatbook.analysis.survey_weights import rake_weights

AGES = np.array(["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"])
SEXES = np.array(["female", "male"])
AREAS = np.array(["Central", "North", "South"])
SAMPLES = 1000
BATCH = 100  # samples estimated together: each sample's areas are areas of their own


def _population() -> tuple[np.ndarray, np.ndarray]:
    """People and "yes" sayers by area x age band x sex."""
    rng = np.random.default_rng(20231)
    people = rng.integers(1500, 4000, size=(3, 7, 2))
    logit = (
        0.3
        + np.linspace(-0.5, 0.7, 7)[None, :, None]
        + np.array([0.0, -0.4])[None, None, :]
        + np.array([0.0, 0.3, -0.3])[:, None, None]
    )
    return people, rng.binomial(people, 1 / (1 + np.exp(-logit)))


def _batch(
    rng: np.random.Generator, people: np.ndarray, yes: np.ndarray, first: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """BATCH samples as respondents, answers and margins, areas labelled "sample:area"."""
    rates = np.linspace(0.006, 0.024, 7)[None, :, None] * np.array([1.4, 0.8])[None, None, :]
    drawn = rng.binomial(people[None], rates[None], size=(BATCH, *people.shape))
    said_yes = rng.hypergeometric(
        np.broadcast_to(yes, drawn.shape), np.broadcast_to(people - yes, drawn.shape), drawn
    )
    sample, area, age, sex = (axis.ravel() for axis in np.indices(drawn.shape))
    labels = np.char.add(np.char.add((sample + first).astype(str), ":"), AREAS[area])
    counts = drawn.ravel()
    first_of_cell = np.repeat(np.cumsum(counts) - counts, counts)
    place_in_cell = np.arange(counts.sum()) - first_of_cell
    respondents = pd.DataFrame(
        {
            "respondent_id": np.arange(counts.sum()),
            "area": np.repeat(labels, counts),
            "age_band": np.repeat(AGES[age], counts),
            "sex": np.repeat(SEXES[sex], counts),
        }
    )
    answers = pd.DataFrame(
        {
            "respondent_id": respondents["respondent_id"],
            # Each sample is a question of its own, so its "all" row is that sample's estimate.
            "question": np.repeat(sample + first, counts),
            "answer": np.where(place_in_cell < np.repeat(said_yes.ravel(), counts), "yes", "no"),
        }
    )
    margins = pd.DataFrame(
        {
            "area": labels,
            "age_band": AGES[age],
            "sex": SEXES[sex],
            "population": np.broadcast_to(people, drawn.shape).ravel(),
        }
    )
    return respondents, answers, margins


def _coverage() -> tuple[float, float, float]:
    people, yes = _population()
    true_all = yes.sum() / people.sum()
    true_central = yes[0].sum() / people[0].sum()
    rng = np.random.default_rng(7)
    covered_all, covered_central, sizes = [], [], []
    for first in range(0, SAMPLES, BATCH):
        respondents, answers, margins = _batch(rng, people, yes, first)
        weights = rake_weights(respondents, margins)
        shares = estimate_shares(
            answers, respondents, weights.weights, by_area=True, suppress_below=0, flag_below=0
        )
        shares = shares[shares["answer"] == "yes"]
        whole = shares[shares["area"] == "all"]
        central = shares[shares["area"].str.endswith(":Central")]
        covered_all.extend((whole["ci_low"] <= true_all) & (true_all <= whole["ci_high"]))
        covered_central.extend(
            (central["ci_low"] <= true_central) & (true_central <= central["ci_high"])
        )
        sizes.extend(whole["n"])
    assert len(covered_all) == len(covered_central) == SAMPLES
    return float(np.mean(covered_all)), float(np.mean(covered_central)), float(np.mean(sizes))


def test_95_percent_intervals_cover_the_true_share_93_to_97_percent_of_the_time() -> None:
    whole, central, size = _coverage()
    # Measured: 94.1% for the whole area (1,724 respondents on average), 96.6% for Central.
    assert 1500 < size < 2000
    assert 0.93 <= whole <= 0.97, whole
    assert 0.93 <= central <= 0.97, central
