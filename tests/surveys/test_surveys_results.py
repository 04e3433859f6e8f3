"""A wave's estimates: the same as the analysis gives when called directly, kept until the
wave's own answers or its survey's margins change, and never moved by another wave or survey."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
import pytest

from beatbook.analysis.survey_estimates import estimate_shares
from beatbook.analysis.survey_weights import rake_weights
from beatbook.surveys.models import Margin, Response, WaveResult
from beatbook.surveys.result_services import POSITIVE, wave_estimates, wave_versions
from beatbook.surveys.survey_services import survey_create

from .survey_results_world import answers_add, margins_add, wave_next, wave_publish
from .survey_world import survey_world_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _thresholds(settings: Any) -> None:
    """The small world's neighbourhoods answer in tens: thresholds to match, not the defaults."""
    settings.SURVEY_SUPPRESS_BELOW = 10
    settings.SURVEY_FLAG_BELOW = 30


def _direct(wave_pk: int, *, weighted: bool) -> pd.DataFrame:
    """The analysis called directly on the wave's answers, read naively row by row."""
    responses = list(Response.objects.filter(wave_id=wave_pk).select_related("neighbourhood"))
    respondents = pd.DataFrame(
        [(r.pk, r.neighbourhood.code, r.age_band, r.sex) for r in responses],
        columns=["respondent_id", "area", "age_band", "sex"],
    )
    rows = []
    for response in responses:
        for answer in response.answers.select_related("question", "option"):
            if answer.option is None:
                continue
            rows.append((response.pk, answer.question.code, answer.option.code))
            if answer.option.positive:
                rows.append((response.pk, answer.question.code, POSITIVE))
    answers = pd.DataFrame(rows, columns=["respondent_id", "question", "answer"])
    if weighted:
        margins = pd.DataFrame(
            [
                (m.neighbourhood.code, m.age_band, m.sex, m.population)
                for m in Margin.objects.select_related("neighbourhood")
            ],
            columns=["area", "age_band", "sex", "population"],
        )
        weights = rake_weights(respondents, margins).weights
    else:
        weights = pd.Series(1.0, index=respondents.index)
    return estimate_shares(
        answers.drop_duplicates(),
        respondents,
        weights,
        by_area=True,
        suppress_below=10,
        flag_below=30,
    )


def _compare(kept: pd.DataFrame, direct: pd.DataFrame) -> None:
    keys = ["question", "answer", "area"]
    merged = kept.merge(direct, on=keys, suffixes=("_kept", "_direct"))
    assert len(merged) == len(direct)
    for column in ("estimate", "ci_low", "ci_high", "effective_n"):
        pd.testing.assert_series_equal(
            merged[f"{column}_kept"], merged[f"{column}_direct"], check_names=False, rtol=1e-9
        )
    assert (merged["n_kept"] == merged["n_direct"]).all()
    assert (merged["suppressed_kept"] == merged["suppressed_direct"]).all()


@pytest.mark.parametrize("weighted", [False, True])
def test_the_estimates_are_the_analysis_called_directly(weighted: bool) -> None:
    world = survey_world_make()
    answers_add(world.wave, world.longton, 60, seed=1)
    answers_add(world.wave, world.meir, 40, seed=2, safe=0.4)
    if weighted:
        margins_add(world.survey, [world.longton, world.meir])

    estimates = wave_estimates(wave=world.wave)

    assert estimates.weighted is weighted
    assert estimates.respondents == 100
    _compare(estimates.frame, _direct(world.wave.pk, weighted=weighted))
    headline = estimates.headline(question="safe-after-dark", area=world.meir.code)
    assert headline is not None
    assert headline["n"] == 40
    if not weighted:
        assert estimates.notes == ["No population figures are loaded for this survey."]


def test_a_neighbourhood_with_few_answers_is_suppressed_and_small_ones_flagged() -> None:
    world = survey_world_make()
    answers_add(world.wave, world.longton, 20, seed=1)
    answers_add(world.wave, world.meir, 4, seed=2)

    estimates = wave_estimates(wave=world.wave)

    meir = estimates.rows(question="safe-after-dark", area=world.meir.code)
    longton = estimates.rows(question="safe-after-dark", area=world.longton.code)
    assert meir["suppressed"].all()
    assert meir["estimate"].isna().all()
    assert (meir["n"] == 4).all()
    assert not longton["suppressed"].any()
    assert longton["small"].all()


def test_margins_that_do_not_cover_the_answers_give_unweighted_figures_saying_why() -> None:
    world = survey_world_make()
    answers_add(world.wave, world.longton, 20, seed=1)
    answers_add(world.wave, world.meir, 20, seed=2)
    margins_add(world.survey, [world.longton])  # none for Meir

    estimates = wave_estimates(wave=world.wave)

    assert not estimates.weighted
    assert "could not be used" in estimates.notes[0]
    assert "SOT-MEIR" in estimates.notes[0]


def test_the_kept_figures_are_used_until_the_waves_own_answers_change() -> None:
    world = survey_world_make()
    answers_add(world.wave, world.longton, 30, seed=1)
    first = wave_estimates(wave=world.wave)
    kept = WaveResult.objects.get(wave=world.wave)
    # Figures marked in the kept row are what comes back while the version holds.
    body = kept.estimates
    body["respondents"] = 12345
    WaveResult.objects.filter(pk=kept.pk).update(estimates=body)
    assert wave_estimates(wave=world.wave).respondents == 12345

    answers_add(world.wave, world.longton, 5, seed=9, prefix="late")

    again = wave_estimates(wave=world.wave)
    assert again.version != first.version
    assert again.respondents == 35


def test_a_later_wave_and_another_surveys_margins_change_nothing_earlier() -> None:
    world = survey_world_make()
    answers_add(world.wave, world.longton, 30, seed=1)
    answers_add(world.wave, world.meir, 30, seed=2)
    august = wave_publish(world.wave)
    before = wave_estimates(wave=august)
    kept = WaveResult.objects.get(wave=august)

    later = wave_next(world, "February 2024", dt.date(2024, 2, 1))
    answers_add(later, world.longton, 50, seed=3, safe=0.2, prefix="feb")
    other = survey_create(
        force=world.staffordshire,
        title="Another survey",
        purpose="x",
        privacy_notice="y",
        neighbourhoods=[world.longton, world.meir],
    )
    margins_add(other, [world.longton, world.meir])
    wave_estimates(wave=later)

    after = wave_estimates(wave=august)
    assert wave_versions(waves=[august])[august.pk] == before.version == after.version
    assert WaveResult.objects.get(wave=august).computed_at == kept.computed_at
    pd.testing.assert_frame_equal(before.frame, after.frame)


def test_the_surveys_own_margins_make_the_figures_again() -> None:
    world = survey_world_make()
    answers_add(world.wave, world.longton, 30, seed=1)
    unweighted = wave_estimates(wave=world.wave)

    margins_add(world.survey, [world.longton, world.meir])

    weighted = wave_estimates(wave=world.wave)
    assert weighted.version != unweighted.version
    assert weighted.weighted
    assert not unweighted.weighted


def test_a_wave_with_no_answers_has_no_figures() -> None:
    world = survey_world_make()

    estimates = wave_estimates(wave=world.wave)

    assert estimates.frame.empty
    assert estimates.respondents == 0
