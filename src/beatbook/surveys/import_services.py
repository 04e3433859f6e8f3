"""Answers a fieldwork company hands over as a CSV, loaded into a wave with a column mapping.

The file has a respondent id, optionally the neighbourhood (code or name), age band and sex, and
one column per question: a cell holds one answer code, or several separated by ";" (a ranking
most important first); a blank cell is a question not answered; a free-text question's cell is
the words themselves. Every row is checked before anything is stored, and the file is stored
whole or not at all (``response_services.responses_record``). The file is recorded as a
``records.SourceFile``; the same file (by SHA-256) loaded into the same wave again is refused as
already loaded, so its answers are never counted twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from beatbook.places.models import Neighbourhood
from beatbook.records.models import SourceFile, SourceKind, SourceStatus
from beatbook.surveys.codes import AGE_BANDS, SEXES
from beatbook.surveys.models import Channel, Question, QuestionKind, Response, Wave, WaveStatus
from beatbook.surveys.response_services import (
    AnswerError,
    AnswerSet,
    answer_set_problems,
    responses_record,
)
from beatbook.surveys.selectors import survey_neighbourhoods, wave_questions

# What a column may hold besides a question's answers; "" is a column left out.
RESPONDENT_ID = "respondent_id"
NEIGHBOURHOOD = "neighbourhood"
AGE_BAND = "age_band"
SEX = "sex"
IGNORE = ""
RESPONDENT_COLUMNS: dict[str, str] = {
    RESPONDENT_ID: "Respondent id",
    NEIGHBOURHOOD: "Neighbourhood (code or name)",
    AGE_BAND: "Age band",
    SEX: "Sex",
}
# Headers read as a respondent's own columns without being mapped by hand.
HEADER_GUESSES = {
    "respondent_id": RESPONDENT_ID,
    "respondent": RESPONDENT_ID,
    "id": RESPONDENT_ID,
    "neighbourhood": NEIGHBOURHOOD,
    "area": NEIGHBOURHOOD,
    "age_band": AGE_BAND,
    "age": AGE_BAND,
    "sex": SEX,
}
SEPARATOR = ";"


class SurveyImportError(ValueError):
    """A file that cannot be loaded: ``problems`` names each reason in plain English."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class ImportTable:
    columns: list[str]
    rows: list[list[str]]
    sha256: str


@dataclass(frozen=True)
class ImportCheck:
    answer_sets: list[AnswerSet]
    problems: list[str]


@dataclass(frozen=True)
class ImportOutcome:
    source_file: SourceFile
    stored: int
    already_loaded: bool


def _text(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")  # a CSV saved by Excel on Windows
    except UnicodeDecodeError:
        raise SurveyImportError(["The file is not text: save it as a CSV (UTF-8)"]) from None


def import_table_read(*, content: bytes) -> ImportTable:
    """The file's header and rows (blank rows dropped); ``SurveyImportError`` if it has none."""
    reader = csv.reader(io.StringIO(_text(content), newline=""))
    try:
        header = [column.strip() for column in next(reader)]
        rows = [row for row in reader if any(cell.strip() for cell in row)]
    except (StopIteration, csv.Error) as error:
        detail = f": {error}" if isinstance(error, csv.Error) else ""
        raise SurveyImportError([f"The file is not a CSV with a header row{detail}"]) from None
    blank = [number for number, column in enumerate(header, start=1) if not column]
    if blank or len(set(header)) != len(header):
        raise SurveyImportError(["Every column needs a heading of its own in the first row"])
    if not rows:
        raise SurveyImportError(["The file has a header row but no answers"])
    return ImportTable(columns=header, rows=rows, sha256=hashlib.sha256(content).hexdigest())


def import_mapping_guess(*, wave: Wave, columns: Sequence[str]) -> dict[str, str]:
    """Each column's likely meaning: a question whose code is its heading, a respondent's own
    column by its usual heading, or left out."""
    codes = {question.code for question in wave_questions(wave=wave)}
    guesses: dict[str, str] = {}
    for column in columns:
        key = column.strip().lower()
        guesses[column] = key if key in codes else HEADER_GUESSES.get(key, IGNORE)
    return guesses


def import_mapping_problems(*, wave: Wave, mapping: Mapping[str, str]) -> list[str]:
    """What is wrong with a mapping of columns to what they hold; empty when it can be used."""
    codes = {question.code for question in wave_questions(wave=wave)}
    problems = [
        f"{column}: {target!r} is not a question {wave.name} asks"
        for column, target in mapping.items()
        if target not in codes and target not in RESPONDENT_COLUMNS and target != IGNORE
    ]
    by_target: dict[str, list[str]] = defaultdict(list)
    for column, target in mapping.items():
        if target != IGNORE:
            by_target[target].append(column)
    problems += [
        f"{' and '.join(columns)} cannot both hold {RESPONDENT_COLUMNS.get(target, target)}"
        for target, columns in by_target.items()
        if len(columns) > 1
    ]
    if RESPONDENT_ID not in by_target:
        problems.append("Choose the column that holds the respondent id")
    if not codes.intersection(by_target):
        problems.append("Choose at least one column that holds a question's answers")
    return problems


def _lookup(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    return {key.lower(): code for code, label in pairs for key in (code, label)}


AGE_BAND_LOOKUP = _lookup(AGE_BANDS)
SEX_LOOKUP = _lookup(SEXES)


def _neighbourhoods(wave: Wave, values: set[str]) -> dict[str, Neighbourhood]:
    """Neighbourhoods by lower-cased code and name: the survey's force's first (so a name that
    other forces use too is read as this force's), then any other force's named in the file, so
    that one outside the area is named as such, not as unknown."""
    force_id = wave.survey.force_id
    named = Neighbourhood.objects.filter(Q(code__in=values) | Q(name__in=values))
    found: dict[str, Neighbourhood] = {}
    for row in [
        *named.exclude(force_id=force_id),
        *Neighbourhood.objects.filter(force_id=force_id),
    ]:
        found[row.code.lower()] = row
        found[row.name.lower()] = row
    return found


def _value(question: Question, cell: str) -> list[str] | str:
    if question.kind == QuestionKind.TEXT:
        return cell.strip()
    return [code.strip().lower() for code in cell.split(SEPARATOR) if code.strip()]


@dataclass(frozen=True)
class _Layout:
    """Where each thing is in a row: column positions by what they hold."""

    questions: list[tuple[int, Question]]
    special: dict[str, int]

    def cell(self, row: Sequence[str], target: str) -> str:
        place = self.special.get(target)
        return row[place].strip() if place is not None and place < len(row) else ""


def _layout(wave: Wave, table: ImportTable, mapping: Mapping[str, str]) -> _Layout:
    by_code = {question.code: question for question in wave_questions(wave=wave)}
    place = {column: number for number, column in enumerate(table.columns)}
    questions = [
        (place[column], by_code[target])
        for column, target in mapping.items()
        if target in by_code and column in place
    ]
    special = {
        target: place[column]
        for column, target in mapping.items()
        if target in RESPONDENT_COLUMNS and column in place
    }
    return _Layout(questions=questions, special=special)


def _answer_set(
    layout: _Layout, row: Sequence[str], label: str, places: Mapping[str, Neighbourhood]
) -> tuple[AnswerSet, list[str]]:
    problems: list[str] = []
    where = layout.cell(row, NEIGHBOURHOOD)
    neighbourhood = places.get(where.lower()) if where else None
    if where and neighbourhood is None:
        problems.append(f"{where!r} is not a neighbourhood we hold")
    age = layout.cell(row, AGE_BAND)
    sex = layout.cell(row, SEX)
    answers = {
        question.code: _value(question, row[place] if place < len(row) else "")
        for place, question in layout.questions
    }
    answer_set = AnswerSet(
        answers={code: value for code, value in answers.items() if value},
        neighbourhood=neighbourhood,
        age_band=AGE_BAND_LOOKUP.get(age.lower(), age),
        sex=SEX_LOOKUP.get(sex.lower(), sex),
        external_id=layout.cell(row, RESPONDENT_ID),
        label=label,
    )
    return answer_set, problems


def _listed(numbers: Sequence[int]) -> str:
    """2, 5 and 9."""
    words = [str(number) for number in numbers]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _id_problems(wave: Wave, ids: Sequence[str]) -> list[str]:
    rows: dict[str, list[int]] = defaultdict(list)
    for number, respondent in enumerate(ids, start=2):
        rows[respondent].append(number)
    problems = [f"row {numbers[0]}: no respondent id" for key, numbers in rows.items() if not key]
    problems += [
        f"respondent id {key!r} is on rows {_listed(numbers)}"
        for key, numbers in rows.items()
        if key and len(numbers) > 1
    ]
    held = Response.objects.filter(wave=wave).exclude(external_id="")
    taken = sorted(set(held.values_list("external_id", flat=True)) & set(rows))
    problems += [f"respondent id {key!r} has already answered {wave.name}" for key in taken]
    return problems


def import_check(*, wave: Wave, table: ImportTable, mapping: Mapping[str, str]) -> ImportCheck:
    """Reads every row into an answer set and lists every problem (empty: it can be stored)."""
    if wave.status == WaveStatus.DRAFT:
        return ImportCheck(answer_sets=[], problems=[f"{wave.name} has not opened yet"])
    mapping_problems = import_mapping_problems(wave=wave, mapping=mapping)
    if mapping_problems:
        return ImportCheck(answer_sets=[], problems=mapping_problems)
    layout = _layout(wave, table, mapping)
    questions = wave_questions(wave=wave)
    area = set(survey_neighbourhoods(survey=wave.survey).values_list("pk", flat=True))
    wheres = {layout.cell(row, NEIGHBOURHOOD) for row in table.rows} - {""}
    places = _neighbourhoods(wave, wheres)
    answer_sets: list[AnswerSet] = []
    problems: list[str] = []
    for number, row in enumerate(table.rows, start=2):
        respondent = layout.cell(row, RESPONDENT_ID)
        label = f"row {number}" + (f" ({respondent})" if respondent else "")
        answer_set, found = _answer_set(layout, row, label, places)
        found += answer_set_problems(questions=questions, area=area, answer_set=answer_set)
        problems += [f"{label}: {problem}" for problem in found]
        answer_sets.append(answer_set)
    problems += _id_problems(wave, [answer_set.external_id for answer_set in answer_sets])
    return ImportCheck(answer_sets=answer_sets, problems=problems)


def import_already_loaded(*, wave: Wave, sha256: str) -> bool:
    """Whether this very file (by SHA-256) has been loaded into ``wave`` before."""
    return Response.objects.filter(
        wave=wave, source_file__kind=SourceKind.SURVEY_ANSWERS, source_file__sha256=sha256
    ).exists()


def _record(wave: Wave, name: str, table: ImportTable, status: str, stored: int) -> SourceFile:
    now = timezone.now()
    return SourceFile.objects.create(
        kind=SourceKind.SURVEY_ANSWERS,
        path=name[:500],
        sha256=table.sha256,
        force_id=wave.survey.force_id,
        status=status,
        rows_read=len(table.rows),
        rows_loaded=stored,
        message=f"{wave.survey.title}, {wave.name}",
        started_at=now,
        finished_at=now,
    )


@transaction.atomic
def survey_import(
    *,
    wave: Wave,
    content: bytes,
    name: str,
    mapping: Mapping[str, str],
    submitted_on: dt.date | None = None,
) -> ImportOutcome:
    """Loads the file into ``wave``: every row, or none (``SurveyImportError`` lists every problem).

    The answers are dated ``submitted_on`` (by default the day they are loaded: a fieldwork
    file rarely says when each resident answered, and a day is all an answer keeps).
    """
    table = import_table_read(content=content)
    wave = Wave.objects.select_for_update().select_related("survey").get(pk=wave.pk)
    if import_already_loaded(wave=wave, sha256=table.sha256):
        return ImportOutcome(
            source_file=_record(wave, name, table, SourceStatus.UNCHANGED, 0),
            stored=0,
            already_loaded=True,
        )
    check = import_check(wave=wave, table=table, mapping=mapping)
    if check.problems:
        raise SurveyImportError(check.problems)
    source = _record(wave, name, table, SourceStatus.LOADED, len(check.answer_sets))
    try:
        stored = responses_record(
            wave=wave,
            channel=Channel.IMPORTED,
            answer_sets=check.answer_sets,
            submitted_on=submitted_on or timezone.localdate(),
            source_file=source,
            sample=wave.sample,
        )
    except AnswerError as error:
        raise SurveyImportError(error.problems) from None
    return ImportOutcome(source_file=source, stored=stored, already_loaded=False)
