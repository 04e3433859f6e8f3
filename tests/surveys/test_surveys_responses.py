"""Storing answers: checked whole before anything is written, invitations used once, waves
fixed on opening."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import RestrictedError

from beatbook.surveys.models import Answer, Invitation, Question, Response
from beatbook.surveys.response_services import (
    ANALYSE_FROM,
    AnswerError,
    AnswerSet,
    response_record,
    responses_record,
)
from beatbook.surveys.survey_services import SurveyError, question_from_bank_add, wave_close

from .survey_world import survey_world_make

pytestmark = pytest.mark.django_db
DAY = dt.date(2023, 8, 2)


def _good(world, **extra) -> AnswerSet:  # type: ignore[no-untyped-def]
    return AnswerSet(
        answers={
            "safe-after-dark": "fairly-safe",
            "priorities": ["asb", "drugs"],
            "anything-else": "More patrols on the high street, please.",
        },
        neighbourhood=world.longton,
        age_band="35-44",
        sex="female",
        **extra,
    )


def test_an_answer_set_is_stored_with_its_ranks_and_words() -> None:
    world = survey_world_make()
    response = response_record(wave=world.wave, answer_set=_good(world), submitted_on=DAY)
    rows = Answer.objects.filter(response=response).order_by("question__position", "rank")
    stored = [
        (row.question.code, row.option.code if row.option else row.text, row.rank) for row in rows
    ]
    assert stored == [
        ("safe-after-dark", "fairly-safe", None),
        ("priorities", "asb", 1),
        ("priorities", "drugs", 2),
        ("anything-else", "More patrols on the high street, please.", None),
    ]
    assert response.channel == "open"
    assert response.neighbourhood == world.longton


def test_every_problem_is_named_and_nothing_is_stored() -> None:
    world = survey_world_make()
    bad = AnswerSet(
        answers={
            "safe-after-dark": ["very-safe", "very-unsafe"],
            "priorities": ["asb", "drugs", "burglary", "speeding"],
            "overall-confidence": "maybe",
            "shoe-size": "9",
        },
        neighbourhood=world.crewe,
        age_band="12-15",
        contact_email="someone@example.org",
    )
    with pytest.raises(AnswerError) as refused:
        response_record(wave=world.wave, answer_set=bad, submitted_on=DAY)
    problems = " | ".join(refused.value.problems)
    assert "shoe-size: the wave does not ask this" in problems
    assert "safe-after-dark: only one answer may be chosen" in problems
    assert "priorities: at most 3 priorities may be ranked" in problems
    assert "overall-confidence: maybe is not one of its answers" in problems
    assert "Crewe is outside the survey's area" in problems
    assert "age band '12-15'" in problems
    assert "consent" in problems
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_an_invitation_answers_once() -> None:
    world = survey_world_make()
    invitation = Invitation.objects.create(wave=world.wave, token_hash="a" * 64, batch="Letters")
    response_record(
        wave=world.wave, answer_set=_good(world), submitted_on=DAY, invitation=invitation
    )
    invitation.refresh_from_db()
    assert invitation.used_on == DAY
    with pytest.raises(AnswerError, match="already been used"):
        response_record(
            wave=world.wave, answer_set=_good(world), submitted_on=DAY, invitation=invitation
        )
    assert Response.objects.count() == 1


def test_a_closed_wave_takes_no_answers_online() -> None:
    world = survey_world_make()
    wave_close(wave=world.wave)
    world.wave.refresh_from_db()
    with pytest.raises(AnswerError, match="not taking answers"):
        response_record(wave=world.wave, answer_set=_good(world), submitted_on=DAY)


def test_a_batch_is_stored_whole_or_not_at_all() -> None:
    world = survey_world_make()
    sets = [_good(world, external_id="R1", label="row 2"), _good(world, external_id="R2")]
    assert (
        responses_record(wave=world.wave, channel="imported", answer_sets=sets, submitted_on=DAY)
        == 2
    )
    again = [_good(world, external_id="R3"), _good(world, external_id="R1", label="row 3")]
    with pytest.raises(AnswerError, match="respondent ids already answered in August 2023: R1"):
        responses_record(wave=world.wave, channel="imported", answer_sets=again, submitted_on=DAY)
    assert set(Response.objects.values_list("external_id", flat=True)) == {"R1", "R2"}
    assert Answer.objects.count() == 2 * 4


def test_opening_a_wave_locks_its_questions_but_new_ones_may_be_added() -> None:
    world = survey_world_make()
    asked = Question.objects.get(survey=world.survey, code="safe-after-dark")
    assert asked.locked
    added = question_from_bank_add(survey=world.survey, key="good-job")
    assert not added.locked
    assert not world.wave.questions.filter(pk=added.pk).exists()
    with pytest.raises(SurveyError, match="already asks"):
        question_from_bank_add(survey=world.survey, key="good-job")


def test_a_survey_with_answers_can_be_deleted_but_an_answered_question_alone_cannot() -> None:
    world = survey_world_make()
    response_record(wave=world.wave, answer_set=_good(world), submitted_on=DAY)
    asked = Question.objects.get(survey=world.survey, code="safe-after-dark")
    with pytest.raises(RestrictedError):
        asked.delete()
    assert Answer.objects.filter(question=asked).exists()
    world.survey.delete()
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite plans from its indexes: nothing to analyse"
)
def test_a_big_batch_leaves_postgresql_statistics_for_its_tables() -> None:
    """Without them, the first reading of a new fieldwork file's answers was planned as if the
    tables held a handful of rows, and took 50 s (tests/surveys/test_surveys_real_data.py)."""
    world = survey_world_make()
    sets = [_good(world, external_id=f"R{number}") for number in range(ANALYSE_FROM)]
    responses_record(wave=world.wave, channel="imported", answer_sets=sets, submitted_on=DAY)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN (%s, %s)",
            [Response._meta.db_table, Answer._meta.db_table],
        )
        counted = dict(cursor.fetchall())
    assert counted[Response._meta.db_table] == ANALYSE_FROM
    assert counted[Answer._meta.db_table] == 4 * ANALYSE_FROM
