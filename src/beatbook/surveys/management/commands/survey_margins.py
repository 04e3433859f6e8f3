"""``beatbook survey-margins``: load a survey's population margins from a census-style CSV.

    beatbook survey-margins --survey perceptions --file margins.csv --source "ONS Census 2021"

The file has the columns ``area`` (a neighbourhood's code or name), ``age_band``, ``sex`` and
``population``, one row per neighbourhood, age band and sex. It replaces the survey's margins
whole, or changes nothing and lists every problem with its rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from beatbook.core.checks import COMMAND_CHECKS
from beatbook.surveys.margin_services import MarginError, margin_overview, margins_load
from beatbook.surveys.models import Survey


class Command(BaseCommand):
    help = "Load a survey's population margins (area, age_band, sex, population) from a CSV."
    requires_system_checks = COMMAND_CHECKS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--survey", required=True, help="The survey's address (its slug).")
        parser.add_argument("--file", type=Path, required=True, help="The census-style CSV.")
        parser.add_argument(
            "--source", default="", help="Where the figures come from (default: the file's name)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        survey = Survey.objects.filter(slug=options["survey"]).first()
        if survey is None:
            raise CommandError(f"No survey has the address {options['survey']!r}.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        source = options["source"].strip() or f"File {path.name}"
        try:
            loaded = margins_load(survey=survey, content=path.read_bytes(), source=source)
        except MarginError as error:
            listed = "\n".join(f"  {problem}" for problem in error.problems)
            raise CommandError(f"Nothing was loaded, because:\n{listed}") from None
        overview = margin_overview(survey=survey)
        self.stdout.write(
            f"Loaded {loaded:,} margins for {survey.title}: a population of "
            f"{overview.total:,} in {len(overview.rows)} neighbourhoods ({source})."
        )
