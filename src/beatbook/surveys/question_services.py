"""A survey's own questions: adding, changing, reordering, retiring and deleting them.

A question asked in a wave that has opened is locked (``Question.locked``): its wording, kind,
answer codes, labels and positive flags stay as they were, so that its answers can be compared
from wave to wave (the positive flags make the published headline, so they are fixed too). A
locked question may still be moved or retired; a changed question is a new question. A question
is deleted only if no wave has ever asked it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from beatbook.surveys.models import Option, Question, QuestionKind, Survey
from beatbook.surveys.survey_services import SurveyError

CODE_LENGTH = 40
LABEL_LENGTH = 200
# The mark at the end of an answer's line that counts it towards the headline share.
POSITIVE_MARK = "*"
# The respondent's own columns in an imported file (``import_services``): never a question's code.
RESERVED_CODES = frozenset({"respondent_id", "neighbourhood", "age_band", "sex", "ignore"})
LOCKED = (
    "{code} has been asked in a wave that has opened, so its wording and answers cannot change: "
    "waves would no longer be comparable. Add a new question instead, and retire this one."
)


@dataclass(frozen=True)
class OptionSpec:
    code: str
    label: str
    positive: bool = False


@dataclass(frozen=True)
class QuestionDetails:
    text: str
    kind: str
    code: str = ""
    hint: str = ""
    headline: str = ""
    rank_limit: int = 3
    required: bool = False
    options: Sequence[OptionSpec] = field(default_factory=tuple)


def _option_line(line: str) -> OptionSpec:
    positive = line.endswith(POSITIVE_MARK)
    line = line.removesuffix(POSITIVE_MARK).strip()
    if "|" in line:
        code, label = (part.strip() for part in line.split("|", 1))
        if not code or slugify(code) != code:
            raise SurveyError(
                f"{code!r} is not a code: use lower-case letters, numbers and hyphens"
            )
    else:
        code, label = slugify(line)[:CODE_LENGTH], line
    if not label or not code:
        raise SurveyError(f"{line!r} needs a label")
    if len(code) > CODE_LENGTH or len(label) > LABEL_LENGTH:
        raise SurveyError(f"{line!r} is too long: codes up to 40 characters, labels up to 200")
    return OptionSpec(code=code, label=label, positive=positive)


def options_parse(text: str) -> list[OptionSpec]:
    """Answers typed one a line: ``code | label`` or just the label (its code is made from it),
    ending in ``*`` when the answer counts towards the headline. ``SurveyError`` on the first
    line that cannot be read, and on a code given twice."""
    specs = [_option_line(line.strip()) for line in text.splitlines() if line.strip()]
    codes = [spec.code for spec in specs]
    repeated = sorted({code for code in codes if codes.count(code) > 1})
    if repeated:
        raise SurveyError(f"Each answer needs its own code: {', '.join(repeated)} is used twice")
    return specs


def options_text(question: Question) -> str:
    """A question's answers written the way ``options_parse`` reads them."""
    return "\n".join(
        f"{option.code} | {option.label}{' *' if option.positive else ''}"
        for option in question.options.all()
    )


def _checked(details: QuestionDetails) -> QuestionDetails:
    if details.kind not in QuestionKind.values:
        raise SurveyError(f"{details.kind!r} is not a kind of question")
    if not details.text.strip():
        raise SurveyError("Enter the question")
    code = details.code.strip() or slugify(details.text)[:CODE_LENGTH].strip("-")
    if not code or slugify(code) != code or len(code) > CODE_LENGTH:
        raise SurveyError("The code must be lower-case letters, numbers and hyphens (up to 40)")
    if code in RESERVED_CODES:
        raise SurveyError(
            f"{code!r} names a respondent's own column in imported files: choose another code"
        )
    options = () if details.kind == QuestionKind.TEXT else tuple(details.options)
    if details.kind != QuestionKind.TEXT and len(options) < 2:
        raise SurveyError("A question with answers to choose from needs at least two answers")
    if details.kind == QuestionKind.RANK and not 1 <= details.rank_limit <= len(options):
        raise SurveyError(f"Residents can rank between 1 and {len(options)} priorities")
    return QuestionDetails(
        text=details.text.strip(),
        kind=details.kind,
        code=code,
        hint=details.hint.strip(),
        headline=details.headline.strip(),
        rank_limit=details.rank_limit,
        required=details.required,
        options=options,
    )


def _options_write(question: Question, options: Sequence[OptionSpec]) -> None:
    question.options.all().delete()
    Option.objects.bulk_create(
        Option(
            question=question,
            position=place,
            code=spec.code,
            label=spec.label,
            positive=spec.positive,
        )
        for place, spec in enumerate(options)
    )


def _next_position(survey: Survey) -> int:
    positions = list(survey.questions.values_list("position", flat=True))
    return max(positions, default=-1) + 1


@transaction.atomic
def question_create(*, survey: Survey, details: QuestionDetails) -> Question:
    """A question of the survey's own, asked from the next wave that opens."""
    checked = _checked(details)
    if survey.questions.filter(code=checked.code).exists():
        raise SurveyError(f"The survey already has a question with the code {checked.code!r}")
    question = Question.objects.create(
        survey=survey,
        position=_next_position(survey),
        code=checked.code,
        text=checked.text,
        hint=checked.hint,
        kind=checked.kind,
        rank_limit=checked.rank_limit,
        headline=checked.headline,
        required=checked.required,
    )
    _options_write(question, checked.options)
    return question


@transaction.atomic
def question_update(*, question: Question, details: QuestionDetails) -> Question:
    """Changes a question no opened wave has asked; a locked one is refused, unchanged."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.locked:
        raise SurveyError(LOCKED.format(code=question.code))
    checked = _checked(details)
    clash = question.survey.questions.filter(code=checked.code).exclude(pk=question.pk)
    if clash.exists():
        raise SurveyError(f"The survey already has a question with the code {checked.code!r}")
    for name in ("code", "text", "hint", "kind", "rank_limit", "headline", "required"):
        setattr(question, name, getattr(checked, name))
    question.save()
    _options_write(question, checked.options)
    return question


@transaction.atomic
def question_move(*, question: Question, direction: str) -> Question:
    """Moves a question one place up or down among the survey's questions (numbering them all
    afresh, so that positions given by hand or left equal cannot stick). Waves already opened
    keep their own order."""
    if direction not in {"up", "down"}:
        raise SurveyError("A question moves up or down")
    ordered = list(question.survey.questions.select_for_update().order_by("position", "id"))
    place = next(number for number, row in enumerate(ordered) if row.pk == question.pk)
    other = place - 1 if direction == "up" else place + 1
    if not 0 <= other < len(ordered):
        raise SurveyError(f"{question.code} is already {'first' if other < 0 else 'last'}")
    ordered[place], ordered[other] = ordered[other], ordered[place]
    for position, row in enumerate(ordered):
        row.position = position
    Question.objects.bulk_update(ordered, ["position"])
    return next(row for row in ordered if row.pk == question.pk)


@transaction.atomic
def question_retire(*, question: Question, retired: bool) -> Question:
    """Retires a question (no wave opened from now asks it) or brings it back."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    question.retired = retired
    question.save(update_fields=["retired", "updated_at"])
    return question


def question_asked(question: Question) -> bool:
    return question.waves.exists() or question.answers.exists()


@transaction.atomic
def question_delete(*, question: Question) -> None:
    """Deletes a question no wave has asked; one that has been asked is kept (retire it)."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question_asked(question):
        raise SurveyError(
            f"{question.code} has been asked in a wave, so it is kept with its answers: "
            "retire it instead, and later waves will not ask it."
        )
    question.delete()
