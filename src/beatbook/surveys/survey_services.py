"""Making a survey and running its waves: the services every other part (the builder pages, the
import, the demo) goes through.

A wave fixes the questions it asks when it opens: from then on those questions are locked
(``Question.locked``) so that this wave's answers can be compared with the next wave's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from beatbook.accounts.models import User
from beatbook.places.models import Force, Neighbourhood
from beatbook.surveys.item_bank import BANK_BY_KEY
from beatbook.surveys.models import (
    Option,
    Question,
    Survey,
    Wave,
    WaveQuestion,
    WaveStatus,
)


class SurveyError(ValueError):
    """A change to a survey that cannot be made; the message says why in plain English."""


def _free_slug(title: str) -> str:
    base = slugify(title)[:70] or "survey"
    slug, number = base, 2
    while Survey.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def survey_create(
    *,
    force: Force,
    title: str,
    purpose: str,
    privacy_notice: str,
    neighbourhoods: Iterable[Neighbourhood] = (),
    created_by: User | None = None,
    slug: str = "",
    sample: bool = False,
) -> Survey:
    chosen = list(neighbourhoods)
    outside = [n.name for n in chosen if n.force_id != force.pk]
    if outside:
        raise SurveyError(f"{', '.join(outside)} is not in {force.name}")
    if slug and Survey.objects.filter(slug=slug).exists():
        raise SurveyError(f"The address {slug!r} is taken by another survey")
    survey = Survey.objects.create(
        force=force,
        title=title.strip(),
        slug=slug or _free_slug(title),
        purpose=purpose.strip(),
        privacy_notice=privacy_notice.strip(),
        created_by=created_by,
        sample=sample,
    )
    survey.neighbourhoods.set(chosen)
    return survey


def _next_position(survey: Survey) -> int:
    top = survey.questions.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


@transaction.atomic
def question_from_bank_add(*, survey: Survey, key: str, required: bool = False) -> Question:
    """Adds the item bank's question ``key`` with its standard wording and answers."""
    item = BANK_BY_KEY.get(key)
    if item is None:
        raise SurveyError(f"{key!r} is not a question in the item bank")
    if survey.questions.filter(code=key).exists():
        raise SurveyError(f"The survey already asks {key!r}")
    question = Question.objects.create(
        survey=survey,
        position=_next_position(survey),
        code=item.key,
        text=item.text,
        hint=item.hint,
        kind=item.kind,
        bank_key=item.key,
        rank_limit=item.rank_limit,
        headline=item.headline,
        required=required,
    )
    Option.objects.bulk_create(
        Option(question=question, position=place, code=code, label=label, positive=positive)
        for place, (code, label, positive) in enumerate(item.options)
    )
    return question


@transaction.atomic
def wave_create(
    *, survey: Survey, name: str, opens_on: dt.date, closes_on: dt.date, open_link: bool = True
) -> Wave:
    if closes_on < opens_on:
        raise SurveyError("A wave must close on or after the day it opens")
    slug = slugify(name)[:70] or "wave"
    if survey.waves.filter(slug=slug).exists():
        raise SurveyError(f"The survey already has a wave called {name!r}")
    return Wave.objects.create(
        survey=survey,
        name=name.strip(),
        slug=slug,
        opens_on=opens_on,
        closes_on=closes_on,
        open_link=open_link,
        sample=survey.sample,
    )


@transaction.atomic
def wave_open(*, wave: Wave) -> Wave:
    """Opens a draft wave for answers, fixing the questions it asks (and locking them)."""
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    if wave.status != WaveStatus.DRAFT:
        raise SurveyError(f"{wave.name} has already opened")
    if wave.survey.waves.filter(status=WaveStatus.OPEN).exists():
        raise SurveyError("Another wave of this survey is open: close it first")
    questions = list(wave.survey.questions.filter(retired=False).order_by("position", "id"))
    if not questions:
        raise SurveyError("A wave needs at least one question")
    empty = [q.code for q in questions if q.has_options and not q.options.exists()]
    if empty:
        raise SurveyError(f"These questions have no answers to choose from: {', '.join(empty)}")
    WaveQuestion.objects.bulk_create(
        WaveQuestion(wave=wave, question=question, position=place)
        for place, question in enumerate(questions)
    )
    wave.status = WaveStatus.OPEN
    wave.save(update_fields=["status", "updated_at"])
    return wave


@transaction.atomic
def wave_close(*, wave: Wave) -> Wave:
    wave = Wave.objects.select_for_update().get(pk=wave.pk)
    if wave.status != WaveStatus.OPEN:
        raise SurveyError(f"{wave.name} is not open")
    wave.status = WaveStatus.CLOSED
    wave.save(update_fields=["status", "updated_at"])
    return wave
