"""Answers, margins and later waves for the results tests, on top of ``survey_world_make``:
seeded, so that every run stores the same answers."""

from __future__ import annotations

import datetime as dt
import random

from beatbook.places.models import Neighbourhood
from beatbook.surveys.codes import AGE_BAND_CODES, SEX_CODES
from beatbook.surveys.models import Channel, Margin, Survey, Wave, WaveStatus
from beatbook.surveys.response_services import AnswerSet, responses_record
from beatbook.surveys.survey_services import wave_close, wave_create, wave_open

from .survey_world import SurveyWorld

AGES = sorted(AGE_BAND_CODES)
SEXES = sorted(SEX_CODES)
PRIORITY_CODES = ("asb", "drugs", "burglary", "speeding", "violence")
TEXT = "Please patrol the park on Friday nights."


def answers_add(
    wave: Wave,
    neighbourhood: Neighbourhood | None,
    count: int,
    *,
    safe: float = 0.7,
    seed: int = 1,
    prefix: str = "r",
    text_every: int = 5,
) -> int:
    """``count`` answer sets in ``neighbourhood``: feeling safe with chance ``safe``, speeding
    the most ranked priority, a free-text answer every ``text_every``."""
    rng = random.Random(seed)
    sets = []
    for number in range(count):
        ranked = ["speeding", *rng.sample(PRIORITY_CODES[:3], k=rng.randint(0, 2))]
        answers: dict[str, str | list[str]] = {
            "safe-after-dark": "fairly-safe" if rng.random() < safe else "a-bit-unsafe",
            "overall-confidence": rng.choice(["tend-to-agree", "neither", "strongly-agree"]),
            "seen-or-heard": rng.choice(["yes", "no"]),
            "priorities": ranked,
        }
        if number % text_every == 0:
            answers["anything-else"] = TEXT
        sets.append(
            AnswerSet(
                answers=answers,
                neighbourhood=neighbourhood,
                age_band=rng.choice(AGES),
                sex=rng.choice(SEXES),
                external_id=f"{prefix}{seed}-{number}",
            )
        )
    return responses_record(
        wave=wave, channel=Channel.IMPORTED, answer_sets=sets, submitted_on=wave.opens_on
    )


def margins_add(survey: Survey, neighbourhoods: list[Neighbourhood], *, base: int = 100) -> None:
    Margin.objects.bulk_create(
        Margin(
            survey=survey,
            neighbourhood=n,
            age_band=age,
            sex=sex,
            population=base + 10 * place + (50 if age == "75+" else 0),
        )
        for n in neighbourhoods
        for place, age in enumerate(AGES)
        for sex in SEXES
    )


def wave_publish(wave: Wave) -> Wave:
    """Closes the wave if open, and publishes its results."""
    if wave.status == WaveStatus.OPEN:
        wave = wave_close(wave=wave)
    Wave.objects.filter(pk=wave.pk).update(results_published=True)
    wave.refresh_from_db()
    return wave


def wave_next(world: SurveyWorld, name: str, opens_on: dt.date) -> Wave:
    """A later wave of the world's survey, open (the one before it is closed first)."""
    for wave in world.survey.waves.filter(status=WaveStatus.OPEN):
        wave_close(wave=wave)
    wave = wave_create(
        survey=world.survey,
        name=name,
        opens_on=opens_on,
        closes_on=opens_on + dt.timedelta(days=30),
    )
    return wave_open(wave=wave)
