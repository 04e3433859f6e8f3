"""Benchmark: importing a fieldwork company's answers file of 20,000 respondents answering 30
questions (issue 17), through the service both the staff page and ``beatbook survey-import``
call.

Run from the repository root (SQLite in a scratch folder; set ``DATABASE_URL`` to a scratch
PostgreSQL database to time that instead):

    .venv/bin/python benchmarks/survey_import.py

It makes a survey of four neighbourhoods asking every item-bank question plus its own up to 30
(single choices, multiple choices, the ranked priorities, a free-text question), opens a wave,
writes a CSV with random answers (a third of the cells blank), and times reading the file,
checking every row (the import's check step) and storing it (``survey_import``: the check again,
then the answers, all or nothing).

The baseline, in the same run: the same file stored by the same service as it was before it
wrote answers through ``core.bulk_write`` (``Response`` and ``Answer`` model instances written
with Django's ``bulk_create``, 2,000 answers a batch), into a fresh wave of the same survey. The
baseline goes first, into the first wave; the service second, into a second wave, so it writes
into tables already holding the baseline's rows (if anything, that favours the baseline). Both
store times include reading and checking the file again; the answer-writing step alone is timed
too.
"""

from __future__ import annotations

import csv
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ROWS = int(os.environ.get("BENCH_ROWS", "20000"))
QUESTIONS = 30


def _setup() -> None:
    os.environ.setdefault("BEATBOOK_DATA_DIR", tempfile.mkdtemp(prefix="bench-survey-import-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beatbook.settings")
    sys.path.insert(0, str(REPO / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _survey() -> tuple[object, object]:
    import datetime as dt

    from beatbook.places.models import Force, Neighbourhood
    from beatbook.surveys.item_bank import BANK
    from beatbook.surveys.question_services import OptionSpec, QuestionDetails, question_create
    from beatbook.surveys.survey_services import (
        question_from_bank_add,
        survey_create,
        wave_create,
        wave_open,
    )

    force, _ = Force.objects.get_or_create(id="bench", defaults={"name": "Bench Police"})
    places = [
        Neighbourhood.objects.create(force=force, code=f"B{n}", name=f"Bench {n}") for n in range(4)
    ]
    survey = survey_create(
        force=force, title="Bench", purpose="p", privacy_notice="n", neighbourhoods=places
    )
    for item in BANK:
        question_from_bank_add(survey=survey, key=item.key)
    scale = [OptionSpec(f"s{n}", f"Point {n}", n < 2) for n in range(5)]
    number = 0
    while survey.questions.count() < QUESTIONS - 1:
        kind = "multiple" if number % 4 == 0 else "single"
        details = QuestionDetails(
            text=f"Own {number}?", kind=kind, code=f"own-{number}", options=scale
        )
        question_create(survey=survey, details=details)
        number += 1
    question_create(survey=survey, details=QuestionDetails(text="Anything else?", kind="text"))
    day = dt.date(2024, 1, 1)
    wave = wave_create(survey=survey, name="Bench wave", opens_on=day, closes_on=day)
    return survey, wave_open(wave=wave)


def _fresh_wave(survey: object, before: object) -> object:
    """A second wave of the survey, asking the same questions: the first is closed first."""
    import datetime as dt

    from beatbook.surveys.survey_services import wave_close, wave_create, wave_open

    wave_close(wave=before)  # type: ignore[arg-type]
    day = dt.date(2025, 1, 1)
    wave = wave_create(survey=survey, name="Bench wave 2", opens_on=day, closes_on=day)  # type: ignore[arg-type]
    return wave_open(wave=wave)


def _answers_orm(responses: object, questions: object, answer_sets: object) -> None:
    """The answers as the service wrote them before ``core.bulk_write``: model instances
    through Django's ``bulk_create``, 2,000 a batch."""
    from beatbook.surveys.models import Answer
    from beatbook.surveys.response_services import _answers

    rows = [
        row
        for response, answer_set in zip(responses, answer_sets, strict=True)  # type: ignore[call-overload]
        for row in _answers(response, questions, answer_set)  # type: ignore[arg-type]
    ]
    Answer.objects.bulk_create(rows, batch_size=2000)


def _store(wave: object, content: bytes, *, orm: bool) -> tuple[float, float, int]:
    """``survey_import`` of the file into ``wave``: the seconds it took, the seconds of those
    spent writing the answers, and the respondents stored. ``orm``: the answers written as
    before ``core.bulk_write``."""
    from beatbook.surveys import response_services
    from beatbook.surveys.import_services import import_mapping_guess, import_table_read
    from beatbook.surveys.import_services import survey_import as survey_import_

    columns = import_table_read(content=content).columns
    mapping = import_mapping_guess(wave=wave, columns=columns)  # type: ignore[arg-type]
    current = response_services._answers_insert
    writer = _answers_orm if orm else current
    spent = [0.0]

    def timed_writer(*args: object) -> None:
        clock = time.perf_counter()
        writer(*args)  # type: ignore[operator]
        spent[0] += time.perf_counter() - clock

    response_services._answers_insert = timed_writer  # type: ignore[assignment]
    try:
        clock = time.perf_counter()
        outcome = survey_import_(wave=wave, content=content, name="bench.csv", mapping=mapping)  # type: ignore[arg-type]
        seconds = time.perf_counter() - clock
    finally:
        response_services._answers_insert = current
    return seconds, spent[0], outcome.stored


def _cell(question: object, rng: random.Random) -> str:
    if rng.random() < 1 / 3:
        return ""
    kind = question.kind  # type: ignore[attr-defined]
    codes = [option.code for option in question.options.all()]  # type: ignore[attr-defined]
    if kind == "text":
        return "More patrols near the school, please."
    if kind == "multiple":
        return ";".join(rng.sample(codes, rng.randint(1, 3)))
    if kind == "rank":
        return ";".join(rng.sample(codes, question.rank_limit))  # type: ignore[attr-defined]
    return rng.choice(codes)


def _file(wave: object) -> bytes:
    from beatbook.surveys.selectors import wave_questions

    questions = wave_questions(wave=wave)  # type: ignore[arg-type]
    rng = random.Random(17)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        ["respondent_id", "neighbourhood", "age_band", "sex", *(q.code for q in questions)]
    )
    bands = ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+", ""]
    for row in range(ROWS):
        place = f"B{rng.randrange(4)}"
        demographics = [rng.choice(bands), rng.choice(["female", "male", ""])]
        writer.writerow([f"R{row:06d}", place, *demographics, *(_cell(q, rng) for q in questions)])
    return out.getvalue().encode()


def main() -> None:
    _setup()
    from django.db import connection

    from beatbook.surveys.import_services import (
        import_check,
        import_mapping_guess,
        import_table_read,
    )
    from beatbook.surveys.models import Answer

    survey, wave = _survey()
    content = _file(wave)
    load = os.getloadavg()[0]
    clock = time.perf_counter()
    table = import_table_read(content=content)
    read = time.perf_counter() - clock
    mapping = import_mapping_guess(wave=wave, columns=table.columns)  # type: ignore[arg-type]
    clock = time.perf_counter()
    check = import_check(wave=wave, table=table, mapping=mapping)  # type: ignore[arg-type]
    checked = time.perf_counter() - clock
    assert not check.problems, check.problems[:5]
    base, base_write, base_stored = _store(wave, content, orm=True)
    base_answers = Answer.objects.filter(response__wave=wave).count()  # type: ignore[misc]
    fresh = _fresh_wave(survey, wave)
    stored, write, count = _store(fresh, content, orm=False)
    answers = Answer.objects.filter(response__wave=fresh).count()  # type: ignore[misc]
    assert (count, answers) == (base_stored, base_answers), ((count, answers), base_answers)
    print(f"database: {connection.vendor}, {os.cpu_count()} cores, load {load:.2f} at the start")
    size = f"{len(content) / 1e6:.1f} MB"
    print(f"file: {ROWS:,} respondents x {len(table.columns) - 4} questions, {size}")
    print(f"read the file: {read:.2f} s")
    print(f"check every row (the check step): {checked:.2f} s")
    print(
        f"store (read and check again, then write): {stored:.2f} s, of which writing the "
        f"answers {write:.2f} s"
    )
    print(
        f"baseline, the answers as model instances through bulk_create: {base:.2f} s, of which "
        f"writing the answers {base_write:.2f} s"
    )
    print(
        f"ratio, baseline to the service: store {base / stored:.2f}x, "
        f"writing the answers {base_write / write:.2f}x"
    )
    print(f"stored {count:,} respondents, {answers:,} answers (each way)")
    print(f"load at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
