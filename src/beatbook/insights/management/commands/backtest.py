"""``beatbook backtest``: rolling-origin back-test of the forecasting methods on a force."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd
from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from beatbook.analysis.backtest_settings import DEFAULT_CELL_SIZE, BacktestSettings
from beatbook.analysis.forecast.matrix import ALL_CRIME
from beatbook.analysis.forecast.methods import METHODS
from beatbook.core.checks import COMMAND_CHECKS
from beatbook.insights.forecast_charts import backtest_chart_file
from beatbook.insights.forecast_services import backtest_run

HEADLINE_COVERAGES = (0.01, 0.05)


def _names(text: str | None) -> list[str] | None:
    return None if not text else [part.strip() for part in text.split(",") if part.strip()]


class Command(BaseCommand):
    help = "Back-test the forecasting methods month by month and compare them."
    requires_system_checks = COMMAND_CHECKS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", required=True, help="Force id, e.g. merseyside.")
        parser.add_argument("--from", dest="month_from", required=True, help="First month scored.")
        parser.add_argument("--to", dest="month_to", required=True, help="Last month scored.")
        parser.add_argument(
            "--methods", help=f"Comma-separated; all when left out ({', '.join(METHODS)})."
        )
        parser.add_argument(
            "--categories",
            default=ALL_CRIME,
            help="Comma-separated police.uk slugs and/or all-crime (the default).",
        )
        parser.add_argument("--harm", choices=["cchi", "css"], help="Score harm, not counts.")
        parser.add_argument("--cell-size", type=float, default=DEFAULT_CELL_SIZE)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--csv", type=Path, help="Write the summary to this CSV file.")
        parser.add_argument("--chart", type=Path, help="Write the chart to this SVG file.")
        parser.add_argument(
            "--all-coverages",
            action="store_true",
            help="Print 0.5%, 1%, 2%, 5% and 10% (1% and 5% otherwise).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            _, summary = backtest_run(options["force"], settings_from(options))
        except ValueError as error:
            raise CommandError(str(error)) from error
        if summary.empty:
            raise CommandError("No month in that range could be scored (no data, or no history).")
        shown = (
            summary
            if options["all_coverages"]
            else summary[summary["coverage"].isin(HEADLINE_COVERAGES)]
        )
        console = Console(file=self.stdout, width=140, highlight=False)  # type: ignore[arg-type]
        console.print(summary_table(shown))
        if options["csv"]:
            summary.to_csv(options["csv"], index=False, float_format="%.6g")
        if options["chart"]:
            options["chart"].write_text(backtest_chart_file(summary))


def settings_from(options: dict[str, Any]) -> BacktestSettings:
    """The command's flags as back-test settings (a ValueError names a bad one)."""
    return BacktestSettings.between(
        options["month_from"],
        options["month_to"],
        methods=tuple(_names(options["methods"]) or METHODS),
        categories=tuple(_names(options["categories"]) or [ALL_CRIME]),
        cell_size=options["cell_size"],
        harm=options["harm"],
        seed=options["seed"],
    )


def _number(value: Any, style: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return format(value, style)


def summary_table(summary: pd.DataFrame) -> Table:
    comparisons = int(summary["comparisons"].max()) if "comparisons" in summary else 0
    table = Table(
        title="Back-test: mean over months scored (95% block-bootstrap interval); each group "
        f"compares {comparisons} methods with its best baseline, p Holm-adjusted for them"
    )
    for heading in (
        "Category",
        "Coverage",
        "Method",
        "Months",
        "PEI*",
        "95% CI",
        "PAI",
        "Hit rate",
        "vs best baseline",
        "p",
        "p (Holm)",
    ):
        table.add_column(heading, justify="left" if heading in {"Category", "Method"} else "right")
    for row in summary.itertuples():
        table.add_row(
            str(row.category),
            f"{row.coverage:.1%}",
            str(row.method),
            str(row.origins),
            _number(row.pei_star, ".3f"),
            f"{_number(row.ci_low, '.3f')} to {_number(row.ci_high, '.3f')}",
            _number(row.pai, ".1f"),
            _number(row.hit_rate, ".1%"),
            "best baseline" if row.method == row.best_baseline else _number(row.difference, "+.3f"),
            _number(row.p_value, ".3g"),
            _number(row.p_holm, ".3g"),
        )
    return table
