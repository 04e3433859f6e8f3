"""Storing residents' answers: the one way an answer set enters the database, whether a resident
sent it online, a fieldwork company's file held it, or the demo made it.

Every answer set is checked against the questions its wave asks before anything is written;
a batch (an imported file) is stored whole or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import pyarrow as pa
from django.db import transaction

from beatbook.core.bulk_write import insert_columns, tables_analyse
from beatbook.places.models import Neighbourhood
from beatbook.records.models import SourceFile
from beatbook.surveys.codes import AGE_BAND_CODES, SEX_CODES
from beatbook.surveys.models import (
    Answer,
    Channel,
    Invitation,
    Question,
    QuestionKind,
    Response,
    Wave,
    WaveStatus,
)
from beatbook.surveys.selectors import survey_neighbourhoods, wave_questions

# A batch this big (a fieldwork file, not one resident) is followed by fresh planner statistics.
ANALYSE_FROM = 1000


class AnswerError(ValueError):
    """An answer set that cannot be stored: ``problems`` says each reason in plain English."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class AnswerSet:
    """One respondent's answers, by question code: option codes (a ranking most important
    first) for questions with options, the words themselves for a free-text question."""

    answers: Mapping[str, Sequence[str] | str]
    neighbourhood: Neighbourhood | None = None
    lsoa_code: str = ""
    age_band: str = ""
    sex: str = ""
    external_id: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_consent: bool = False
    label: str = field(default="", compare=False)


def _codes(value: Sequence[str] | str) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    return [code for code in value if code]


def _question_problems(question: Question, value: Sequence[str] | str) -> list[str]:
    if question.kind == QuestionKind.TEXT:
        return [] if isinstance(value, str) else [f"{question.code}: expected words, not codes"]
    codes = _codes(value)
    known = {option.code for option in question.options.all()}
    unknown = [code for code in codes if code not in known]
    if unknown:
        allowed = ", ".join(sorted(known))
        return [f"{question.code}: {', '.join(unknown)} is not one of its answers ({allowed})"]
    if len(set(codes)) != len(codes):
        return [f"{question.code}: the same answer is given twice"]
    if question.kind in (QuestionKind.SINGLE, QuestionKind.SCALE) and len(codes) > 1:
        return [f"{question.code}: only one answer may be chosen"]
    if question.kind == QuestionKind.RANK and len(codes) > question.rank_limit:
        return [f"{question.code}: at most {question.rank_limit} priorities may be ranked"]
    return []


def answer_set_problems(
    *, questions: Sequence[Question], area: set[int], answer_set: AnswerSet
) -> list[str]:
    """Everything wrong with ``answer_set`` for a wave asking ``questions`` in the
    neighbourhoods whose ids are ``area``; empty when it can be stored."""
    by_code = {question.code: question for question in questions}
    problems = [
        f"{code}: the wave does not ask this" for code in answer_set.answers if code not in by_code
    ]
    for code, value in answer_set.answers.items():
        if code in by_code:
            problems += _question_problems(by_code[code], value)
    for question in questions:
        if question.required and not _codes(answer_set.answers.get(question.code, "")):
            problems.append(f"{question.code}: an answer is needed")
    if answer_set.age_band and answer_set.age_band not in AGE_BAND_CODES:
        known = ", ".join(sorted(AGE_BAND_CODES))
        problems.append(f"age band {answer_set.age_band!r} is not one of {known}")
    if answer_set.sex and answer_set.sex not in SEX_CODES:
        problems.append(f"sex {answer_set.sex!r} is not one of {', '.join(sorted(SEX_CODES))}")
    if answer_set.neighbourhood is not None and answer_set.neighbourhood.pk not in area:
        problems.append(f"{answer_set.neighbourhood.name} is outside the survey's area")
    if (answer_set.contact_name or answer_set.contact_email) and not answer_set.contact_consent:
        problems.append("contact details are kept only with the respondent's consent")
    return problems


def _response(wave: Wave, channel: str, answer_set: AnswerSet, submitted_on: dt.date) -> Response:
    return Response(
        wave=wave,
        channel=channel,
        external_id=answer_set.external_id,
        submitted_on=submitted_on,
        neighbourhood=answer_set.neighbourhood,
        lsoa_code=answer_set.lsoa_code,
        age_band=answer_set.age_band,
        sex=answer_set.sex,
        contact_name=answer_set.contact_name if answer_set.contact_consent else "",
        contact_email=answer_set.contact_email if answer_set.contact_consent else "",
        contact_consent=answer_set.contact_consent,
    )


def _answers(
    response: Response, questions: Sequence[Question], answer_set: AnswerSet
) -> list[Answer]:
    rows: list[Answer] = []
    for question in questions:
        value = answer_set.answers.get(question.code)
        if value is None:
            continue
        if question.kind == QuestionKind.TEXT:
            if isinstance(value, str) and value.strip():
                rows.append(Answer(response=response, question=question, text=value.strip()))
            continue
        options = {option.code: option for option in question.options.all()}
        ranked = question.kind == QuestionKind.RANK
        for place, code in enumerate(_codes(value), start=1):
            rows.append(
                Answer(
                    response=response,
                    question=question,
                    option=options[code],
                    rank=place if ranked else None,
                )
            )
    return rows


def _answer_rows(
    response_id: int, questions: Sequence[Question], answer_set: AnswerSet
) -> Iterator[tuple[int, int, int | None, int | None, str]]:
    """(response, question, option, rank, text) for each answer, from a checked answer set."""
    for question in questions:
        value = answer_set.answers.get(question.code)
        if value is None:
            continue
        if question.kind == QuestionKind.TEXT:
            if isinstance(value, str) and value.strip():
                yield response_id, question.pk, None, None, value.strip()
            continue
        options = {option.code: option.pk for option in question.options.all()}
        ranked = question.kind == QuestionKind.RANK
        for place, code in enumerate(_codes(value), start=1):
            yield response_id, question.pk, options[code], place if ranked else None, ""


def _answers_insert(
    responses: Sequence[Response], questions: Sequence[Question], answer_sets: Sequence[AnswerSet]
) -> None:
    rows = [
        row
        for response, answer_set in zip(responses, answer_sets, strict=True)
        for row in _answer_rows(response.pk, questions, answer_set)
    ]
    if not rows:
        return
    response_ids, question_ids, option_ids, ranks, texts = zip(*rows, strict=True)
    insert_columns(
        table=Answer._meta.db_table,
        columns={
            "response_id": pa.array(response_ids, pa.int64()),
            "question_id": pa.array(question_ids, pa.int64()),
            "option_id": pa.array(option_ids, pa.int64()),
            "rank": pa.array(ranks, pa.int64()),
            "text": pa.array(texts, pa.string()),
        },
    )


def _check_all(wave: Wave, answer_sets: Sequence[AnswerSet]) -> list[Question]:
    if wave.status == WaveStatus.DRAFT:
        raise AnswerError([f"{wave.name} has not opened: its questions are not fixed yet"])
    questions = wave_questions(wave=wave)
    area = set(survey_neighbourhoods(survey=wave.survey).values_list("pk", flat=True))
    problems: list[str] = []
    for number, answer_set in enumerate(answer_sets, start=1):
        label = answer_set.label or (f"answer set {number}" if len(answer_sets) > 1 else "")
        found = answer_set_problems(questions=questions, area=area, answer_set=answer_set)
        problems += [f"{label}: {problem}" if label else problem for problem in found]
    if problems:
        raise AnswerError(problems)
    return questions


def _taken_external_ids(wave: Wave, answer_sets: Sequence[AnswerSet]) -> list[str]:
    ids = [answer_set.external_id for answer_set in answer_sets if answer_set.external_id]
    # The wave's ids, not an IN list: a file may hold more ids than SQLite takes parameters.
    held = set(Response.objects.filter(wave=wave).values_list("external_id", flat=True))
    held &= set(ids)
    counts = Counter(ids)
    repeated = {code for code, times in counts.items() if times > 1}
    return sorted(held | repeated)


@transaction.atomic
def responses_record(
    *,
    wave: Wave,
    channel: str,
    answer_sets: Sequence[AnswerSet],
    submitted_on: dt.date,
    source_file: SourceFile | None = None,
    sample: bool = False,
) -> int:
    """Stores every answer set, or none of them (``AnswerError`` lists all the problems).

    A respondent id already held for the wave is refused, so the same file loaded twice is not
    counted twice (``survey_import`` refuses a file already loaded before it gets here).
    Answers go in through ``core.bulk_write`` (COPY on PostgreSQL), as other imports do: a
    fieldwork file of 20,000 residents holds half a million answers.
    """
    wave = Wave.objects.select_related("survey").get(pk=wave.pk)
    questions = _check_all(wave, answer_sets)
    taken = _taken_external_ids(wave, answer_sets)
    if taken:
        shown = ", ".join(taken[:10]) + (" and more" if len(taken) > 10 else "")
        raise AnswerError([f"respondent ids already answered in {wave.name}: {shown}"])
    responses = [_response(wave, channel, answer_set, submitted_on) for answer_set in answer_sets]
    for response in responses:
        response.source_file = source_file
        response.sample = sample
    Response.objects.bulk_create(responses, batch_size=500)
    _answers_insert(responses, questions, answer_sets)
    if len(responses) >= ANALYSE_FROM:
        tables_analyse(models_written=[Response, Answer])
    return len(responses)


@transaction.atomic
def response_record(
    *,
    wave: Wave,
    answer_set: AnswerSet,
    submitted_on: dt.date,
    invitation: Invitation | None = None,
) -> Response:
    """Stores one resident's answers sent online. An invitation is used once: a second use is
    refused, even when two arrive at the same moment (the row is locked)."""
    wave = Wave.objects.select_related("survey").get(pk=wave.pk)
    if wave.status != WaveStatus.OPEN:
        raise AnswerError([f"{wave.survey.title} ({wave.name}) is not taking answers"])
    if invitation is None and not wave.open_link:
        raise AnswerError(["this survey is answered by invitation only"])
    if invitation is not None:
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.wave_id != wave.pk:
            raise AnswerError(["this invitation is for another survey"])
        if invitation.used_on is not None:
            raise AnswerError(["this invitation has already been used to answer"])
    questions = _check_all(wave, [answer_set])
    channel = Channel.INVITATION if invitation is not None else Channel.OPEN_LINK
    response = _response(wave, channel, answer_set, submitted_on)
    response.invitation = invitation
    response.save()
    Answer.objects.bulk_create(_answers(response, questions, answer_set))
    if invitation is not None:
        invitation.used_on = submitted_on
        invitation.save(update_fields=["used_on"])
    return response
