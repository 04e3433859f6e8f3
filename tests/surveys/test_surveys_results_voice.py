"""Survey results in the loop: the strategic assessment's community voice quotes the latest
published wave of a survey covering the area that closed by the end of its year (never a later
one), and the team's dashboard shows each neighbourhood's answers for a fixed number of
queries."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from beatbook.accounts.models import Role
from beatbook.accounts.services import membership_grant
from beatbook.places.models import Lsoa
from beatbook.surveys.models import Wave
from beatbook.surveys.result_services import wave_estimates
from beatbook.surveys.survey_voice import neighbourhood_voices, survey_voice_for
from partnerships.partnership_assessment_world import build_assessment_world

from .survey_results_world import answers_add, wave_next, wave_publish
from .survey_world import SurveyWorld, survey_world_make

pytestmark = pytest.mark.django_db

ASSESS = "/staff/partnerships/assess/"
QUERY = {"area": "Stoke-on-Trent", "year": "2025"}
DASHBOARD = "/staff/workspace/"


def _stoke_survey(tmp_path: Path) -> tuple[SurveyWorld, object]:
    """The assessment world, with Longton's neighbourhood on a Stoke-on-Trent LSOA and the
    survey's first wave (March 2025) answered and published."""
    assessment = build_assessment_world(tmp_path)
    world = survey_world_make(today=dt.date(2025, 3, 1))
    world.longton.lsoas.add(Lsoa.objects.get(code="E01900001"))
    # The world names its first wave "August 2023" whenever it opens.
    Wave.objects.filter(pk=world.wave.pk).update(name="March 2025")
    world.wave.refresh_from_db()
    answers_add(world.wave, world.longton, 40, seed=1)
    answers_add(world.wave, world.meir, 30, seed=2)
    return world, assessment


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_assessment_says_no_survey_is_held_without_one(tmp_path: Path) -> None:
    assessment = build_assessment_world(tmp_path)

    page = _client(assessment.officer).get(ASSESS, QUERY).content.decode()

    assert "No resident survey covering the area published results for 2025 or before." in page


def test_the_assessment_quotes_the_published_wave_of_its_year(tmp_path: Path) -> None:
    world, assessment = _stoke_survey(tmp_path)
    client = _client(assessment.officer)  # type: ignore[attr-defined]
    unpublished = client.get(ASSESS, QUERY).content.decode()
    before = json.loads(client.get(ASSESS, {**QUERY, "format": "json"}).content)
    wave_publish(world.wave)
    estimates = wave_estimates(wave=world.wave)

    page = client.get(ASSESS, QUERY).content.decode()
    summary = json.loads(client.get(ASSESS, {**QUERY, "format": "json"}).content)
    pdf = client.get(ASSESS, {**QUERY, "format": "pdf"})

    assert "Perceptions Survey, August 2023" not in unpublished
    assert "No resident survey covering" in unpublished
    assert "Perceptions Survey, March 2025" in page
    assert "70 residents of Longton, Meir answered" in page
    assert "feel safe walking alone in this area after dark" in page
    assert "have confidence in the police in this area" in page
    assert "Speeding and dangerous driving" in page
    assert estimates.respondents == 70
    assert summary["survey_voice"][0]["respondents"] == 70
    assert summary["data_version"] != before["data_version"]
    assert "survey_voice" not in before
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_the_assessment_never_quotes_a_wave_from_after_its_year(tmp_path: Path) -> None:
    world, _ = _stoke_survey(tmp_path)
    wave_publish(world.wave)
    later = wave_next(world, "February 2026", dt.date(2026, 2, 1))
    answers_add(later, world.longton, 30, seed=3, prefix="feb")
    wave_publish(later)
    ids = [world.longton.pk]

    voices_2025 = survey_voice_for(forces=["staffordshire"], neighbourhood_ids=ids, year=2025)
    voices_2026 = survey_voice_for(forces=["staffordshire"], neighbourhood_ids=ids, year=2026)
    voices_2024 = survey_voice_for(forces=["staffordshire"], neighbourhood_ids=ids, year=2024)

    assert [v.wave for v in voices_2025] == ["March 2025"]
    assert [v.wave for v in voices_2026] == ["February 2026"]
    assert voices_2024 == []
    assert survey_voice_for(forces=["cheshire"], neighbourhood_ids=ids, year=2026) == []


def test_the_dashboard_shows_a_neighbourhoods_answers_for_a_fixed_number_of_queries() -> None:
    world = survey_world_make()
    membership_grant(
        user=world.officer,
        organisation=world.officer.memberships.first().organisation,  # type: ignore[union-attr]
        role=Role.NEIGHBOURHOOD_OFFICER,
        neighbourhoods=[world.longton, world.meir],
    )
    answers_add(world.wave, world.longton, 30, seed=1)
    wave_publish(world.wave)
    client = _client(world.officer)
    stale = client.get(DASHBOARD).content.decode()
    wave_estimates(wave=world.wave)

    with CaptureQueriesContext(connection) as few:
        page = client.get(DASHBOARD).content.decode()
    later = wave_next(world, "February 2024", dt.date(2024, 2, 1))
    answers_add(later, world.longton, 60, seed=2, prefix="feb")
    wave_publish(later)
    wave_estimates(wave=later)
    with CaptureQueriesContext(connection) as more:
        again = client.get(DASHBOARD).content.decode()

    assert "The figures are being worked out again" in stale
    assert "What residents told us: Perceptions Survey, August 2023" in page
    assert "feel safe walking alone in this area after dark" in page
    assert "February 2024" in again
    assert len(more) == len(few)


def test_a_neighbourhood_no_survey_covers_has_no_answers_shown() -> None:
    world = survey_world_make()
    answers_add(world.wave, world.longton, 30, seed=1)
    wave_publish(world.wave)

    voices = neighbourhood_voices(neighbourhoods=[world.crewe, world.longton])

    assert world.crewe.pk not in voices
    assert [v.wave.name for v in voices[world.longton.pk]] == ["August 2023"]
