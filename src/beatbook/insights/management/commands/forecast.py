"""``beatbook forecast``: a month's crime per grid cell, with why the method was chosen and its
back-test scores, all from the months before that month."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console

from beatbook.analysis.backtest_settings import DEFAULT_CELL_SIZE
from beatbook.analysis.forecast.export import cells_csv, cells_geojson
from beatbook.analysis.forecast.matrix import ALL_CRIME
from beatbook.analysis.forecast.methods import DESCRIPTIONS, METHODS
from beatbook.analysis.harm import POLICE_UK_CATEGORIES
from beatbook.core.checks import COMMAND_CHECKS
from beatbook.insights.forecast_services import Forecast, forecast_make


class Command(BaseCommand):
    help = "Forecast a month's crime per grid cell from the months before it."
    requires_system_checks = COMMAND_CHECKS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", required=True, help="Force id, e.g. merseyside.")
        parser.add_argument("--month", required=True, help="The month to forecast, YYYY-MM.")
        parser.add_argument(
            "--category",
            default=ALL_CRIME,
            choices=[ALL_CRIME, *POLICE_UK_CATEGORIES],
            metavar="SLUG",
            help="A police.uk category slug, or all-crime (the default).",
        )
        parser.add_argument(
            "--method",
            choices=list(METHODS),
            help="Forecasting method; the best by back-test when left out.",
        )
        parser.add_argument(
            "--harm", choices=["cchi", "css"], help="Forecast harm (CCHI or CSS) not counts."
        )
        parser.add_argument(
            "--cell-size", type=float, default=DEFAULT_CELL_SIZE, help="Metres (250)."
        )
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--output", type=Path, help="Write every cell to x.csv or x.geojson.")

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path | None = options["output"]
        if output is not None and output.suffix.lower() not in {".csv", ".geojson"}:
            raise CommandError(f"The output file must end .csv or .geojson, not {output.name}.")
        if output is not None and not output.parent.is_dir():
            raise CommandError(f"There is no folder {output.parent} to write {output.name} in.")
        try:
            forecast = forecast_make(
                force_id=options["force"],
                month=options["month"],
                category=options["category"],
                method=options["method"],
                cell_size=options["cell_size"],
                harm=options["harm"],
                seed=options["seed"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        console = Console(file=self.stdout, width=100, highlight=False)  # type: ignore[arg-type]
        console.print(describe(forecast))
        if output is not None:
            try:
                _write(forecast, output)
            except OSError as error:
                raise CommandError(f"Could not write {output}: {error.strerror}.") from error
            console.print(f"Wrote {len(forecast.cells):,} cells to {output}.")


def describe(forecast: Forecast) -> str:
    lines = [
        f"{forecast.force.name}, {forecast.category}, {forecast.month} ({forecast.measure}): "
        f"{forecast.method} - {DESCRIPTIONS[forecast.method]}.",
        f"{len(forecast.cells):,} cells of {forecast.grid.cell_size:g} m over "
        f"{forecast.area_source}.",
        *method_lines(forecast),
    ]
    return "\n".join(lines)


def method_lines(forecast: Forecast) -> list[str]:
    """Why this method, its score on the months before, and the rule's score on months it
    had not seen: every figure from months before the forecast month only."""
    choice, row = forecast.choice, forecast.backtest
    lines = []
    if forecast.named:
        lines.append("The method was named, not chosen.")
    elif choice is not None:
        lines.append(f"Why this method: {choice.reason}")
    if row is None:
        lines.append(f"No back-test score: too little data before {forecast.month}.")
        return lines
    sample = (
        f"in-sample: the best of {row['comparisons'] + 1} methods on these same months, so it "
        "flatters the method"
        if row["in_sample"]
        else "the method named, not chosen on these months"
    )
    lines.append(
        f"Back-test at 1% of the area over the {row['origins']} months {row['month_from']} to "
        f"{row['month_to']} ({sample}): PEI* {row['pei_star']:.3f} (95% block-bootstrap "
        f"interval {row['ci_low']:.3f} to {row['ci_high']:.3f}), PAI {row['pai']:.1f}, hit "
        f"rate {row['hit_rate']:.1%}."
    )
    held = forecast.held_out
    if held is None:
        lines.append("No score on months after a choice yet: too few months back-tested.")
    elif not forecast.named:
        lines.append(
            f"Held out: choosing this way each month from the months before it only, the "
            f"methods chosen scored PEI* {held.pei_star:.3f} (95% interval {held.ci_low:.3f} "
            f"to {held.ci_high:.3f}) at 1% of the area over the {len(held.months)} months "
            f"{held.months[0]} to {held.months[-1]}."
        )
    return lines


def _write(forecast: Forecast, output: Path) -> None:
    cells = forecast.frame()
    if output.suffix.lower() == ".csv":
        output.write_text(cells_csv(cells))
        return
    output.write_bytes(
        cells_geojson(
            cells,
            {
                "force": forecast.force.pk,
                "month": forecast.month,
                "category": forecast.category,
                "measure": forecast.measure,
                "method": forecast.method,
                "crs_of_origins": "EPSG:27700",
            },
        )
    )
