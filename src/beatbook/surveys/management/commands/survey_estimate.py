"""``beatbook survey-estimate``: weighted shares of survey answers with 95% intervals, from a
responses CSV and a population margins CSV, for the whole area and optionally by area.

    beatbook survey-estimate --responses R.csv --margins M.csv [--by area] [--json]

R.csv: ``respondent_id``, ``area``, ``age_band``, ``sex``, then one column per question (codes
separated by ";" where several were chosen; blank when not answered). M.csv: ``area``,
``age_band``, ``sex``, ``population``. No database is used. A bad file is refused, saying why
on stderr, before anything is printed.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from beatbook.analysis.survey_estimates import ESTIMATE_COLUMNS, survey_estimate
from beatbook.core.checks import COMMAND_CHECKS


class Command(BaseCommand):
    help = "Weighted survey estimates with intervals from a responses CSV and population margins."
    requires_system_checks = COMMAND_CHECKS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--responses",
            type=Path,
            required=True,
            help="CSV: respondent_id, area, age_band, sex, then one column per question.",
        )
        parser.add_argument(
            "--margins", type=Path, required=True, help="CSV: area, age_band, sex, population."
        )
        parser.add_argument(
            "--by",
            choices=["area"],
            help="Also give each area's estimates (the whole area's always come).",
        )
        parser.add_argument("--json", action="store_true", help="Print JSON, not a table.")

    def handle(self, *args: Any, **options: Any) -> None:
        responses = _read(options["responses"], "responses")
        margins = _read(options["margins"], "margins")
        try:
            estimates, notes = survey_estimate(
                responses,
                margins,
                by_area=options["by"] == "area",
                suppress_below=settings.SURVEY_SUPPRESS_BELOW,
                flag_below=settings.SURVEY_FLAG_BELOW,
            )
        except ValueError as error:
            raise CommandError(str(error)) from None
        if options["json"]:
            self.stdout.write(json.dumps({"estimates": _records(estimates), "notes": notes}))
        else:
            self._print(estimates, notes)

    def _print(self, estimates: pd.DataFrame, notes: list[str]) -> None:
        wide = None if self.stdout.isatty() else 160
        console = Console(file=self.stdout, highlight=False, width=wide)  # type: ignore[arg-type]
        table = Table(title="Weighted estimates with 95% intervals")
        for name in ("Question", "Answer", "Area", "Estimate", "95% interval", "n", "Effective n"):
            table.add_column(
                name, justify="left" if name in {"Question", "Answer", "Area"} else "right"
            )
        for row in estimates.itertuples(index=False):
            if row.suppressed:
                share, interval = "suppressed", "-"
            else:
                share = f"{row.estimate:.1%}"
                interval = f"{row.ci_low:.1%} to {row.ci_high:.1%}"
            flag = " (small)" if row.small else ""
            table.add_row(
                str(row.question),
                str(row.answer),
                str(row.area),
                share,
                interval,
                f"{row.n:,}",
                f"{row.effective_n:,.0f}{flag}",
            )
        console.print(table)
        console.print(
            f"Suppressed: fewer than {settings.SURVEY_SUPPRESS_BELOW} answered. Small: an "
            f"effective sample below {settings.SURVEY_FLAG_BELOW}."
        )
        for note in notes:
            console.print(f"Note: {note}")


def _read(path: Path, what: str) -> pd.DataFrame:
    """A CSV as text cells (blank cells as ""), or ``CommandError`` saying why it cannot be."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise CommandError(f"The {what} file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise CommandError(f"The {what} file {path} cannot be read as CSV: {error}") from None


def _records(estimates: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as JSON-ready dicts: NaN (suppressed) as null, numpy numbers as Python ones."""
    records = []
    for row in estimates[list(ESTIMATE_COLUMNS)].itertuples(index=False):
        record: dict[str, object] = {}
        for name, value in zip(ESTIMATE_COLUMNS, row, strict=True):
            if isinstance(value, float) and math.isnan(value):
                record[name] = None
            elif hasattr(value, "item"):
                record[name] = value.item()
            else:
                record[name] = value
        records.append(record)
    return records
