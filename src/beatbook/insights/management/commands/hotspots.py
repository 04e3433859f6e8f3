"""``beatbook hotspots``: a force's hotspots on British National Grid cells, in the terminal
and optionally written to GeoJSON or CSV."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from beatbook.analysis.harm import HARM_INDEXES, POLICE_UK_CATEGORIES, check_index
from beatbook.analysis.hotspots import HotspotOptions, to_csv, to_geojson
from beatbook.core.checks import COMMAND_CHECKS
from beatbook.insights.harm_in_force import harm_weights
from beatbook.insights.hotspot_maps import ForceHotspots, HotspotRequest, force_hotspots


class Command(BaseCommand):
    help = "Map a force's crime hotspots by kernel density or Getis-Ord Gi*."
    requires_system_checks = COMMAND_CHECKS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", required=True, help="Force id, e.g. staffordshire.")
        parser.add_argument(
            "--from", dest="month_from", required=True, help="First month, YYYY-MM."
        )
        parser.add_argument("--to", dest="month_to", required=True, help="Last month, YYYY-MM.")
        parser.add_argument(
            "--category",
            action="append",
            default=[],
            choices=POLICE_UK_CATEGORIES,
            metavar="SLUG",
            help="A police.uk category (repeat for several); all categories when left out.",
        )
        parser.add_argument(
            "--harm",
            choices=["cchi", "css"],
            help="Weight crimes by harm: cchi (Cambridge Crime Harm Index) or css (ONS Crime "
            "Severity Score). Counted when left out.",
        )
        parser.add_argument("--cell-size", type=float, default=250.0, help="Metres, 150 to 500.")
        parser.add_argument("--method", choices=["kde", "gistar"], default="kde")
        parser.add_argument(
            "--bandwidth", type=float, help="Kernel density bandwidth in metres (2 cells)."
        )
        parser.add_argument(
            "--distance-band",
            type=float,
            help="Gi* neighbours within this many metres (queen neighbours when left out).",
        )
        parser.add_argument("--top", type=int, default=20, help="Places to list (20).")
        parser.add_argument("--output", type=Path, help="Write the cells to x.geojson or x.csv.")

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path | None = options["output"]
        if output is not None and output.suffix.lower() not in {".geojson", ".csv"}:
            raise CommandError(f"The output file must end .geojson or .csv, not {output.name}.")
        try:
            hotspot_options = HotspotOptions(
                method=options["method"],
                cell_size=options["cell_size"],
                bandwidth=options["bandwidth"],
                distance_band=options["distance_band"],
                top=options["top"],
            )
            hotspots = force_hotspots(
                request=HotspotRequest(
                    force_id=options["force"],
                    month_from=options["month_from"],
                    month_to=options["month_to"],
                    categories=tuple(options["category"]),
                    harm=options["harm"],
                    options=hotspot_options,
                )
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        wide = None if self.stdout.isatty() else 160
        console = Console(file=self.stdout, highlight=False, width=wide)  # type: ignore[arg-type]
        _print_summary(console, hotspots)
        if output is not None:
            _write(output, hotspots)
            console.print(f"Wrote {output}")


def _print_summary(console: Console, hotspots: ForceHotspots) -> None:
    result = hotspots.result
    request = hotspots.request
    console.print(
        f"[bold]{hotspots.force.name}[/bold], {request.month_from} to {request.month_to}: "
        f"{result.options.describe()}"
    )
    if request.harm is not None:
        _print_weights(console, check_index(request.harm), hotspots.harm_version or "")
    console.print(
        f"{result.crimes_used:,} crimes mapped; {result.crimes_without_location:,} without a "
        f"location and {result.crimes_outside_area:,} outside the study area left out. "
        f"Study area: {hotspots.area_source}."
    )
    if result.options.method == "gistar":
        console.print(
            f"{int(result.hot.sum()):,} cells are significant hotspots after the false "
            f"discovery rate correction."
        )
    console.print(_places_table(hotspots))


def _print_weights(console: Console, index: str, version: str) -> None:
    chosen = HARM_INDEXES[check_index(index)]
    table = Table(title=f"Harm weights: {chosen.name} ({chosen.unit}), version {version}")
    table.add_column("Category")
    table.add_column("Weight", justify="right")
    for row in sorted(harm_weights().categories, key=lambda r: -r.weight(chosen.key)):
        table.add_row(row.label, f"{row.weight(chosen.key):g}")
    console.print(table)
    console.print(f"Source: {chosen.source}\nMethod: {chosen.method}")


def _places_table(hotspots: ForceHotspots) -> Table:
    result = hotspots.result
    table = Table(title="Top places")
    for name in ("#", "Street", "LSOA", "Neighbourhood", "Crimes"):
        table.add_column(name, justify="right" if name in {"#", "Crimes"} else "left")
    if result.weighted:
        table.add_column("Harm", justify="right")
    table.add_column(result.score_label, justify="right")
    for row in result.top_places.itertuples():
        cells = [
            str(row.rank),
            row.street_name or "-",
            f"{row.lsoa_name or ''} {row.lsoa_code}".strip() or "-",
            row.neighbourhood_name or "-",
            f"{row.crimes:,}",
        ]
        if result.weighted:
            cells.append(f"{row.harm:,.1f}")
        cells.append("-" if not math.isfinite(row.score) else f"{row.score:,.2f}")
        table.add_row(*cells)
    return table


def _write(output: Path, hotspots: ForceHotspots) -> None:
    try:
        if output.suffix.lower() == ".csv":
            output.write_text(to_csv(hotspots.result), encoding="utf-8")
        else:
            output.write_bytes(to_geojson(hotspots.result, metadata=hotspots.metadata()))
    except OSError as error:
        raise CommandError(f"Cannot write {output}: {error.strerror}.") from error
