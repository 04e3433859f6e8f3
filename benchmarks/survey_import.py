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


def _survey() -> object:
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
    return wave_open(wave=wave)


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
        survey_import,
    )
    from beatbook.surveys.models import Answer

    wave = _survey()
    content = _file(wave)
    clock = time.perf_counter()
    table = import_table_read(content=content)
    read = time.perf_counter() - clock
    mapping = import_mapping_guess(wave=wave, columns=table.columns)  # type: ignore[arg-type]
    clock = time.perf_counter()
    check = import_check(wave=wave, table=table, mapping=mapping)  # type: ignore[arg-type]
    checked = time.perf_counter() - clock
    assert not check.problems, check.problems[:5]
    clock = time.perf_counter()
    outcome = survey_import(wave=wave, content=content, name="bench.csv", mapping=mapping)  # type: ignore[arg-type]
    stored = time.perf_counter() - clock
    print(f"database: {connection.vendor}")
    size = f"{len(content) / 1e6:.1f} MB"
    print(f"file: {ROWS:,} respondents x {len(table.columns) - 4} questions, {size}")
    print(f"read the file: {read:.2f} s")
    print(f"check every row (the check step): {checked:.2f} s")
    print(f"store (check again, then write): {stored:.2f} s")
    print(f"stored {outcome.stored:,} respondents, {Answer.objects.count():,} answers")


if __name__ == "__main__":
    main()
