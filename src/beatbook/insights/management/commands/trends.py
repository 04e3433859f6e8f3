"""``beatbook trends``: counts, rates, change on last year, seasonality and repeat locations for
a neighbourhood, LSOA, local authority or force."""

from __future__ import annotations

import math
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from beatbook.analysis.trends import ALL_CRIME
from beatbook.core.checks import COMMAND_CHECKS
from beatbook.insights.area_trends import AreaTrends, area_trends
from beatbook.insights.areas import area_resolve

MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class Command(BaseCommand):
    help = "Crime trends for an area: a neighbourhood, an LSOA, a local authority or a force."
    requires_system_checks = COMMAND_CHECKS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--area",
            required=True,
            help="A neighbourhood name or id, an LSOA code, a local authority name or a force "
            "id; prefix with neighbourhood:, lsoa:, la: or force: when a name is shared.",
        )
        parser.add_argument("--from", dest="month_from", help="First month, YYYY-MM.")
        parser.add_argument(
            "--to", dest="month_to", help="Last month, YYYY-MM (the latest held when left out)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            area = area_resolve(text=options["area"])
            trends = area_trends(
                area=area, month_from=options["month_from"], month_to=options["month_to"]
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        wide = None if self.stdout.isatty() else 160
        console = Console(file=self.stdout, highlight=False, width=wide)  # type: ignore[arg-type]
        _print(console, trends)


def _print(console: Console, trends: AreaTrends) -> None:
    report = trends.report
    people = f"{report.population:,} residents" if report.population else "population unknown"
    console.print(
        f"[bold]{trends.area.description}[/bold], {trends.month_from} to {trends.month_to} "
        f"({people})"
    )
    if report.months_missing:
        console.print(f"Months not published: {', '.join(report.months_missing)}")
    if report.compared_months:
        console.print(_changes_table(trends))
    else:
        console.print("No change against last year: the same months a year before are not loaded.")
        console.print(_totals_table(trends))
    console.print(_monthly_table(trends))
    console.print(_seasonality_table(trends))
    console.print(_repeats_table(trends))


def _number(value: float, places: int = 1) -> str:
    return "-" if not math.isfinite(value) else f"{value:,.{places}f}"


def _changes_table(trends: AreaTrends) -> Table:
    report = trends.report
    table = Table(
        title=f"Against the same {len(report.compared_months)} months a year before "
        "(exact conditional Poisson test, 5% level)"
    )
    for name in ("Category", "Crimes", "Per 1,000", "Year before", "Change", "p", "Verdict"):
        table.add_column(name, justify="left" if name in {"Category", "Verdict"} else "right")
    totals = report.totals
    for change in report.changes:
        per_1000 = (
            float(totals.loc[change.category, "per_1000"])
            if change.category in totals.index
            else math.nan
        )
        table.add_row(
            "All crime" if change.category == ALL_CRIME else change.category,
            f"{change.current:,}",
            _number(per_1000),
            f"{change.previous:,}",
            _number(change.change_percent, 0)
            + ("%" if math.isfinite(change.change_percent) else ""),
            f"{change.p_value:.3f}",
            change.verdict(),
        )
    return table


def _totals_table(trends: AreaTrends) -> Table:
    table = Table(title="Crimes by category")
    for name in ("Category", "Crimes", "Per 1,000", "Per 1,000 a year"):
        table.add_column(name, justify="left" if name == "Category" else "right")
    for category, row in trends.report.totals.iterrows():
        table.add_row(
            "All crime" if category == ALL_CRIME else str(category),
            f"{int(row['crimes']):,}",
            _number(float(row["per_1000"])),
            _number(float(row["per_1000_a_year"])),
        )
    return table


def _monthly_table(trends: AreaTrends) -> Table:
    monthly = trends.report.monthly
    table = Table(title="Crimes by month")
    table.add_column("Month")
    table.add_column("All crime", justify="right")
    leading = [c for c in trends.report.totals.index if c != ALL_CRIME][:5]
    for category in leading:
        table.add_column(category, justify="right")
    for month, row in monthly.iterrows():
        table.add_row(str(month), *(_number(float(row[c]), 0) for c in [ALL_CRIME, *leading]))
    return table


def _seasonality_table(trends: AreaTrends) -> Table:
    profile = trends.report.seasonality
    table = Table(title="Seasonality: average crimes per calendar month (1.00 = an average month)")
    for name in ("Month", "Average crimes", "Index", "Years"):
        table.add_column(name, justify="left" if name == "Month" else "right")
    for calendar_month, row in profile.iterrows():
        table.add_row(
            MONTH_NAMES[int(str(calendar_month)) - 1],
            _number(float(row["mean_crimes"])),
            _number(float(row["index"]), 2),
            str(int(row["months"])),
        )
    return table


def _repeats_table(trends: AreaTrends) -> Table:
    report = trends.report
    share = _number(report.repeat_share * 100, 0)
    table = Table(
        title=f"Repeat locations: {share}% of located crimes were at a place with another. "
        "police.uk publishes anonymised points shared by nearby addresses, so these are "
        "places, not addresses."
    )
    for name in ("Place", "Crimes", "Months", "Most common", "LSOA"):
        table.add_column(name, justify="right" if name in {"Crimes", "Months"} else "left")
    for row in report.repeat_locations.itertuples():
        table.add_row(
            row.street_name or "-",
            str(row.crimes),
            str(row.months_with_crime),
            row.top_category,
            row.lsoa_code or "-",
        )
    return table
