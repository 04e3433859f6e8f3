"""``beatbook survey-import``: a fieldwork company's answers file loaded into a survey's wave.

    beatbook survey-import --survey perceptions --wave august-2023 --file answers.csv \\
        --map Q1=safe-after-dark --map RespID=respondent_id

Columns headed with a question's code, or ``respondent_id``, ``neighbourhood``, ``age_band``,
``sex``, are read without ``--map``; ``--map column=ignore`` leaves a column out. Every row is
checked first and the file is stored whole or not at all; the same file loaded again is left
as it is (nothing is counted twice).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from beatbook.core.checks import COMMAND_CHECKS
from beatbook.surveys.import_services import (
    IGNORE,
    SurveyImportError,
    import_mapping_guess,
    import_table_read,
    survey_import,
)
from beatbook.surveys.models import Survey, Wave

PROBLEMS_PRINTED = 50


def _wave(survey_slug: str, wave_slug: str) -> Wave:
    survey = Survey.objects.filter(slug=survey_slug).first()
    if survey is None:
        raise CommandError(f"There is no survey with the address {survey_slug!r}.")
    wave = survey.waves.filter(slug=wave_slug).first()
    if wave is None:
        known = ", ".join(survey.waves.values_list("slug", flat=True)) or "none"
        raise CommandError(f"{survey.title} has no wave {wave_slug!r} (its waves: {known}).")
    return wave


def _mapping(wave: Wave, columns: list[str], pairs: list[str]) -> dict[str, str]:
    mapping = import_mapping_guess(wave=wave, columns=columns)
    for pair in pairs:
        column, equals, target = pair.partition("=")
        if not equals or column.strip() not in mapping:
            raise CommandError(
                f"--map {pair!r}: give it as column=question_code, with a column of the file "
                f"({', '.join(columns)})."
            )
        target = target.strip()
        mapping[column.strip()] = IGNORE if target == "ignore" else target
    return mapping


class Command(BaseCommand):
    help = "Load a fieldwork company's CSV of answers into a survey's wave."
    requires_system_checks = COMMAND_CHECKS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--survey", required=True, help="The survey's address (its slug).")
        parser.add_argument("--wave", required=True, help="The wave's slug, e.g. august-2023.")
        parser.add_argument("--file", type=Path, required=True, help="The answers CSV.")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=CODE",
            help="What a column holds: a question's code, respondent_id, neighbourhood, "
            "age_band, sex or ignore. May be given many times.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"There is no file {path}.")
        wave = _wave(options["survey"], options["wave"])
        content = path.read_bytes()
        try:
            table = import_table_read(content=content)
            mapping = _mapping(wave, table.columns, options["map"])
            outcome = survey_import(wave=wave, content=content, name=path.name, mapping=mapping)
        except SurveyImportError as error:
            shown = error.problems[:PROBLEMS_PRINTED]
            more = len(error.problems) - len(shown)
            lines = [f"{path.name} was not loaded; nothing was stored:", *shown]
            if more:
                lines.append(f"... and {more} more")
            raise CommandError("\n".join(lines)) from None
        if outcome.already_loaded:
            self.stdout.write(f"{path.name} is already loaded into {wave.name}: nothing changed.")
        else:
            self.stdout.write(f"Loaded {outcome.stored} answers from {path.name} into {wave}.")
