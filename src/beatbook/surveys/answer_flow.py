"""Where a resident is in answering a survey, and what they have said so far (issue 17, item 2).

Progress lives in the resident's Django session (database sessions: the ``django_session``
table), one entry per survey, until the answers are sent or the session ends. It holds codes
only: option codes by question code, an age band, a sex, the neighbourhood's id and the LSOA's
code. A postcode is placed on the page it is typed on and then forgotten; an invitation is held
by its id, never its token. Contact details are held only once their owner has agreed to be
contacted.

The steps come in a fixed order: the demographic questions the survey asks (postcode, age band,
sex), then each question of the wave, then contact details; then the Check page. A step may be
opened once every step before it has been answered or skipped, so nobody reaches the Check page
having missed one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.urls import reverse

from beatbook.places.models import Neighbourhood
from beatbook.places.postcode import normalise_postcode
from beatbook.places.selectors import LocateError, locate_postcode
from beatbook.surveys.codes import AGE_BANDS, SEXES
from beatbook.surveys.models import Invitation, Question, QuestionKind, Survey, Wave, WaveStatus
from beatbook.surveys.response_services import AnswerSet
from beatbook.surveys.selectors import open_wave, survey_neighbourhoods

PROGRESS_KEY = "survey_answering"  # {survey id: Progress as a dict}
INVITATION_KEY = "survey_invitation"  # {survey id: invitation id}, until the resident starts
SENT_KEY = "survey_sent"  # survey ids answered in this session: their confirmation page shows

POSTCODE, AGE, SEX, CONTACT = "postcode", "age", "sex", "contact"
ABOUT = "about"
QUESTION = "question"
# What a resident who gives no age band or sex is stored as (``codes.PREFER_NOT_TO_SAY``).
PREFER_NOT = "prefer-not-to-say"
# Roughly how long a page takes a resident, for the start page's "about N minutes".
SECONDS_A_PAGE = 20


@dataclass(frozen=True)
class Step:
    """One page of the flow: a demographic page (``kind`` ABOUT, ``key`` postcode, age, sex or
    contact) or a question's page (``kind`` QUESTION, ``key`` its code)."""

    kind: str
    key: str
    question: Question | None = None

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.key}"

    @property
    def required(self) -> bool:
        return self.question is not None and self.question.required

    def url(self, survey: Survey, *, change: bool = False) -> str:
        if self.kind == QUESTION:
            path = reverse("survey_question", kwargs={"slug": survey.slug, "code": self.key})
        else:
            path = reverse("survey_about_you", kwargs={"slug": survey.slug, "step": self.key})
        return path + ("?change=yes" if change else "")


@dataclass
class Progress:
    """What one resident has said so far. ``done`` lists the steps answered or skipped."""

    wave_id: int
    invitation_id: int | None = None
    answers: dict[str, list[str] | str] = field(default_factory=dict)
    done: list[str] = field(default_factory=list)
    neighbourhood_id: int | None = None
    lsoa_code: str = ""
    age_band: str = ""
    sex: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_consent: bool = False

    def mark_done(self, step: Step) -> None:
        if step.id not in self.done:
            self.done.append(step.id)


def flow_steps(*, survey: Survey, questions: Sequence[Question]) -> list[Step]:
    """Every page a resident answers, in order."""
    asked = ((POSTCODE, survey.ask_postcode), (AGE, survey.ask_age_band), (SEX, survey.ask_sex))
    about = [key for key, wanted in asked if wanted]
    return [
        *(Step(ABOUT, key) for key in about),
        *(Step(QUESTION, question.code, question) for question in questions),
        Step(ABOUT, CONTACT),
    ]


def minutes_to_answer(steps: Sequence[Step]) -> int:
    return max(2, math.ceil(len(steps) * SECONDS_A_PAGE / 60))


def step_find(steps: Sequence[Step], *, kind: str, key: str) -> Step | None:
    return next((step for step in steps if step.kind == kind and step.key == key), None)


def first_open_step(steps: Sequence[Step], progress: Progress) -> Step | None:
    """The first step not yet answered or skipped; None when all are (the Check page next)."""
    return next((step for step in steps if step.id not in progress.done), None)


def step_reachable(steps: Sequence[Step], progress: Progress, step: Step) -> bool:
    """Answered already, or every step before it has been."""
    waiting = first_open_step(steps, progress)
    return waiting is None or step.id in progress.done or steps.index(step) <= steps.index(waiting)


def step_after(steps: Sequence[Step], progress: Progress) -> Step | None:
    """Where to go once a step is saved: the first one still open, or None (the Check page)."""
    return first_open_step(steps, progress)


def step_before(steps: Sequence[Step], step: Step) -> Step | None:
    place = steps.index(step)
    return steps[place - 1] if place > 0 else None


# --- The session ---------------------------------------------------------------------------


def progress_get(session: SessionBase, survey: Survey) -> Progress | None:
    held = session.get(PROGRESS_KEY, {}).get(str(survey.pk))
    if not held:
        return None
    try:
        return Progress(**held)
    except TypeError:  # kept by an older release in another shape: start afresh
        return None


def progress_save(session: SessionBase, survey: Survey, progress: Progress) -> None:
    every = dict(session.get(PROGRESS_KEY, {}))
    every[str(survey.pk)] = asdict(progress)
    session[PROGRESS_KEY] = every


def progress_clear(session: SessionBase, survey: Survey) -> None:
    """Forget the resident's answers to ``survey`` (sent, or the wave closed)."""
    every = dict(session.get(PROGRESS_KEY, {}))
    if every.pop(str(survey.pk), None) is not None:
        session[PROGRESS_KEY] = every


def progress_start(session: SessionBase, survey: Survey, wave: Wave) -> Progress:
    """A fresh start, tied to the invitation the resident came with, if any."""
    progress = Progress(wave_id=wave.pk, invitation_id=invitation_held(session, survey, wave))
    invitations = dict(session.get(INVITATION_KEY, {}))
    if invitations.pop(str(survey.pk), None) is not None:
        session[INVITATION_KEY] = invitations
    progress_save(session, survey, progress)
    return progress


def invitation_hold(session: SessionBase, invitation: Invitation) -> None:
    """Remember which invitation the resident came with, by id, until they start."""
    survey_id = str(invitation.wave.survey_id)
    held = progress_get(session, invitation.wave.survey)
    if held is not None and held.invitation_id != invitation.pk:
        progress_clear(session, invitation.wave.survey)
    session[INVITATION_KEY] = {**session.get(INVITATION_KEY, {}), survey_id: invitation.pk}


def invitation_held(session: SessionBase, survey: Survey, wave: Wave) -> int | None:
    """The unused invitation to ``wave`` the resident came with (or started with), if any."""
    progress = progress_get(session, survey)
    held = session.get(INVITATION_KEY, {}).get(str(survey.pk))
    if held is None and progress is not None:
        held = progress.invitation_id
    if held is None:
        return None
    usable = Invitation.objects.filter(pk=held, wave=wave, used_on=None).exists()
    return held if usable else None


def sent_mark(session: SessionBase, survey: Survey) -> None:
    session[SENT_KEY] = sorted({*session.get(SENT_KEY, []), survey.pk})


def sent_in_session(session: SessionBase, survey: Survey) -> bool:
    return survey.pk in session.get(SENT_KEY, [])


def wave_still_open(survey: Survey, progress: Progress) -> Wave | None:
    """The wave the resident started, if it is still the survey's open wave."""
    wave = open_wave(survey=survey)
    if wave is None or wave.pk != progress.wave_id or wave.status != WaveStatus.OPEN:
        return None
    return wave


# --- Saving a step -------------------------------------------------------------------------


def step_skip(progress: Progress, step: Step) -> None:
    """The resident chose not to answer: whatever they said before on this page is dropped."""
    if step.kind == QUESTION:
        progress.answers.pop(step.key, None)
    elif step.key == POSTCODE:
        progress.neighbourhood_id, progress.lsoa_code = None, ""
    elif step.key == AGE:
        progress.age_band = ""
    elif step.key == SEX:
        progress.sex = ""
    elif step.key == CONTACT:
        progress.contact_name, progress.contact_email, progress.contact_consent = "", "", False
    progress.mark_done(step)


def step_record(progress: Progress, step: Step, value: Any) -> None:
    """Save a page's answer (its form's ``value()``); an empty answer is a skip."""
    if not value:
        step_skip(progress, step)
        return
    if step.kind == QUESTION:
        progress.answers[step.key] = value
    elif step.key == POSTCODE:
        place: Place = value
        progress.neighbourhood_id, progress.lsoa_code = place.neighbourhood.pk, place.lsoa_code
    elif step.key == AGE:
        progress.age_band = "" if value == PREFER_NOT else value
    elif step.key == SEX:
        progress.sex = "" if value == PREFER_NOT else value
    elif step.key == CONTACT:
        progress.contact_name = value["name"]
        progress.contact_email = value["email"]
        progress.contact_consent = value["consent"]
    progress.mark_done(step)


def step_initial(step: Step, progress: Progress) -> Any:
    """What a page shows as already chosen. Never a postcode: it was not kept."""
    if step.kind == QUESTION:
        return progress.answers.get(step.key)
    said = step.id in progress.done
    if step.key == AGE:
        return progress.age_band or (PREFER_NOT if said else None)
    if step.key == SEX:
        return progress.sex or (PREFER_NOT if said else None)
    if step.key == CONTACT:
        return {
            "name": progress.contact_name,
            "email": progress.contact_email,
            "consent": progress.contact_consent,
        }
    return None


# --- Postcodes -----------------------------------------------------------------------------


class PostcodeError(ValueError):
    """A postcode that cannot place an answer: the message is for the resident."""


@dataclass(frozen=True)
class Place:
    neighbourhood: Neighbourhood
    lsoa_code: str


def postcode_place(*, survey: Survey, postcode: str) -> Place:
    """The neighbourhood (one the survey covers) and LSOA a postcode is in; the postcode itself
    goes no further than this call."""
    if normalise_postcode(postcode) is None:
        raise PostcodeError("Enter a full postcode, like ST3 2AA")
    area = list(survey_neighbourhoods(survey=survey))
    try:
        located = locate_postcode(postcode=postcode, with_lsoa=True)
    except LocateError:
        raise PostcodeError(
            "We cannot find that postcode. Check it, or skip this question"
        ) from None
    neighbourhood = located.neighbourhood if located is not None else None
    if neighbourhood is None or neighbourhood.pk not in {hood.pk for hood in area}:
        names = names_joined(hood.name for hood in area)
        raise PostcodeError(
            f"That postcode is outside the area this survey covers ({names}). "
            "Check it, or skip this question"
        )
    lsoa = located.lsoa.code if located is not None and located.lsoa is not None else ""
    return Place(neighbourhood=neighbourhood, lsoa_code=lsoa)


def names_joined(names: Iterable[str]) -> str:
    """ "Longton and Meir"; a long list cut to its first three ("A, B, C and 9 more")."""
    listed = list(names)
    if len(listed) > 3:
        return f"{', '.join(listed[:3])} and {len(listed) - 3} more"
    if len(listed) > 1:
        return f"{', '.join(listed[:-1])} and {listed[-1]}"
    return "".join(listed)


# --- Sending and checking ------------------------------------------------------------------


def answer_set_from(progress: Progress) -> AnswerSet:
    neighbourhood = (
        Neighbourhood.objects.filter(pk=progress.neighbourhood_id).first()
        if progress.neighbourhood_id
        else None
    )
    consent = progress.contact_consent
    return AnswerSet(
        answers=dict(progress.answers),
        neighbourhood=neighbourhood,
        lsoa_code=progress.lsoa_code if neighbourhood is not None else "",
        age_band=progress.age_band,
        sex=progress.sex,
        contact_name=progress.contact_name if consent else "",
        contact_email=progress.contact_email if consent else "",
        contact_consent=consent,
    )


@dataclass(frozen=True)
class CheckRow:
    """One line of the Check page: what was asked, what was said, where to change it."""

    label: str
    lines: list[str]
    change_url: str
    change_name: str


NOT_ANSWERED = "Not answered"


def _question_lines(question: Question, value: list[str] | str | None) -> list[str]:
    if not value:
        return [NOT_ANSWERED]
    if question.kind == QuestionKind.TEXT:
        return [str(value)]
    labels = {option.code: option.label for option in question.options.all()}
    codes = [value] if isinstance(value, str) else list(value)
    if question.kind == QuestionKind.RANK:
        return [f"{place}. {labels.get(code, code)}" for place, code in enumerate(codes, 1)]
    return [labels.get(code, code) for code in codes]


def _about_row(step: Step, progress: Progress) -> tuple[str, list[str], str]:
    if step.key == POSTCODE:
        hood = None
        if progress.neighbourhood_id is not None:
            hood = Neighbourhood.objects.filter(pk=progress.neighbourhood_id).first()
        lines = [f"In {hood.name}"] if hood is not None else [NOT_ANSWERED]
        return "Where you live", lines, "where you live"
    if step.key == AGE:
        label = dict(AGE_BANDS).get(progress.age_band, "Prefer not to say")
        return "Your age", [label if step.id in progress.done else NOT_ANSWERED], "your age"
    if step.key == SEX:
        label = dict(SEXES).get(progress.sex, "Prefer not to say")
        return "Your sex", [label if step.id in progress.done else NOT_ANSWERED], "your sex"
    if progress.contact_consent:
        lines = [line for line in (progress.contact_name, progress.contact_email) if line]
        return "Contact you", ["Yes", *lines], "whether we may contact you"
    return "Contact you", ["No"], "whether we may contact you"


def check_rows(*, survey: Survey, steps: Sequence[Step], progress: Progress) -> list[CheckRow]:
    rows = []
    for number, step in enumerate(steps, start=1):
        if step.question is not None:
            label = step.question.text
            lines = _question_lines(step.question, progress.answers.get(step.key))
            name = f"your answer to question {number}"
        else:
            label, lines, name = _about_row(step, progress)
        rows.append(CheckRow(label, lines, step.url(survey, change=True), name))
    return rows


def problems_for_residents(
    problems: Sequence[str], *, survey: Survey, steps: Sequence[Step]
) -> list[tuple[str, str]]:
    """The service's problems ("safe-after-dark: an answer is needed") in the resident's terms
    ("Question 4: an answer is needed"), each with the page to put it right on."""
    numbers = {step.key: number for number, step in enumerate(steps, 1) if step.kind == QUESTION}
    shown = []
    for problem in problems:
        code, _, rest = problem.partition(": ")
        if code in numbers and rest:
            step = steps[numbers[code] - 1]
            shown.append((step.url(survey, change=True), f"Question {numbers[code]}: {rest}"))
        else:
            shown.append(("#send", problem[:1].upper() + problem[1:]))
    return shown
