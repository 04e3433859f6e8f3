"""A small survey world shared by the survey tests: Staffordshire with two neighbourhoods
(Longton, Meir) and an outside one (Crewe, in Cheshire); a survey of Longton and Meir asking
four item-bank questions (safe after dark, confidence, seen or heard, and the ranked
priorities) plus a free-text question; its first wave, open; the people who run it (an
analyst), who may only read it (a neighbourhood officer), and one from another force.

Import it as ``from .survey_world import ...`` and call ``survey_world_make()``
inside a test that may use the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from beatbook.accounts.models import OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.places.models import Force, Neighbourhood
from beatbook.surveys.models import Option, Question, QuestionKind, Survey, Wave
from beatbook.surveys.survey_services import (
    question_from_bank_add,
    survey_create,
    wave_create,
    wave_open,
)

PASSWORD = "correct horse battery staple"
BANK_KEYS = ("safe-after-dark", "overall-confidence", "seen-or-heard", "priorities")


@dataclass
class SurveyWorld:
    staffordshire: Force
    cheshire: Force
    longton: Neighbourhood
    meir: Neighbourhood
    crewe: Neighbourhood
    survey: Survey
    wave: Wave
    analyst: User
    officer: User
    outsider: User


def _person(username: str, force: Force, role: str) -> User:
    user = user_create(username=username, password=PASSWORD, first_name=username, is_staff=True)
    organisation = organisation_create(
        name=f"{force.name} ({username})", kind=OrganisationKind.POLICE_FORCE, force=force
    )
    membership_grant(user=user, organisation=organisation, role=role)
    return user


def _text_question(survey: Survey) -> Question:
    return Question.objects.create(
        survey=survey,
        position=99,
        code="anything-else",
        text="Is there anything else you would like to tell us?",
        kind=QuestionKind.TEXT,
    )


def survey_world_make(*, today: dt.date | None = None) -> SurveyWorld:
    today = today or dt.date(2023, 8, 1)
    staffordshire, _ = Force.objects.get_or_create(
        id="staffordshire", defaults={"name": "Staffordshire Police"}
    )
    cheshire, _ = Force.objects.get_or_create(
        id="cheshire", defaults={"name": "Cheshire Constabulary"}
    )
    longton = Neighbourhood.objects.create(force=staffordshire, code="SOT-LONGTON", name="Longton")
    meir = Neighbourhood.objects.create(force=staffordshire, code="SOT-MEIR", name="Meir")
    crewe = Neighbourhood.objects.create(force=cheshire, code="CE-CREWE", name="Crewe")
    survey = survey_create(
        force=staffordshire,
        title="Perceptions Survey",
        purpose="We want to know how safe you feel and what we should tackle first.",
        privacy_notice="We keep your answers for two years. We do not keep your postcode.",
        neighbourhoods=[longton, meir],
        slug="perceptions",
    )
    for key in BANK_KEYS:
        question_from_bank_add(survey=survey, key=key)
    _text_question(survey)
    wave = wave_create(
        survey=survey, name="August 2023", opens_on=today, closes_on=today + dt.timedelta(days=30)
    )
    wave = wave_open(wave=wave)
    return SurveyWorld(
        staffordshire=staffordshire,
        cheshire=cheshire,
        longton=longton,
        meir=meir,
        crewe=crewe,
        survey=survey,
        wave=wave,
        analyst=_person("survey-analyst", staffordshire, Role.ANALYST),
        officer=_person("survey-officer", staffordshire, Role.NEIGHBOURHOOD_OFFICER),
        outsider=_person("survey-outsider", cheshire, Role.ANALYST),
    )


def option(question_code: str, code: str, survey: Survey) -> Option:
    return Option.objects.get(question__survey=survey, question__code=question_code, code=code)
