"""``beatbook ingest PATH...``: load police.uk street, outcomes and stop-and-search files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from beatbook.core.checks import COMMAND_CHECKS
from beatbook.core.processes import standalone_process
from beatbook.opendata.services import IngestInputError, IngestProgress, IngestSummary, ingest_paths


class Command(BaseCommand):
    help = (
        "Load police.uk bulk files: CSVs, folders of them, or archive zips "
        "(YYYY-MM/YYYY-MM-<force>-street.csv, -outcomes.csv, -stop-and-search.csv)."
    )
    requires_system_checks = COMMAND_CHECKS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH")
        parser.add_argument(
            "--skip-invalid-rows",
            action="store_true",
            help=(
                "Load a file's valid rows and report the rejected ones "
                "(by default any invalid row fails the file)."
            ),
        )
        parser.add_argument(
            "--reload",
            action="store_true",
            help="Load files again even when already loaded unchanged.",
        )
        parser.add_argument(
            "--allow-empty-replace",
            action="store_true",
            help=(
                "Let a file with no rows to load (a header alone, or every row rejected) "
                "replace the rows already loaded for its force and month, leaving that month "
                "empty. By default such a file fails and nothing is changed."
            ),
        )
        parser.add_argument(
            "--keep-indexes",
            action="store_true",
            help=(
                "SQLite only: never drop indexes for a large load, so that each file commits "
                "on its own (by default a SQLite load at least as big as the data held runs as "
                "one transaction and rebuilds the indexes at the end; readers are served the "
                "last committed data either way). PostgreSQL always keeps them (ADR 15)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # A log or a pipe gets a table wide enough for file names rather than rich's 80 columns.
        wide = None if self.stdout.isatty() else 200
        console = Console(file=self.stdout, highlight=False, width=wide)  # type: ignore[arg-type]
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[rows]:,} rows"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("Loading", total=None, rows=0)

            def on_progress(event: IngestProgress) -> None:
                progress.update(
                    task,
                    total=event.bytes_total,
                    completed=event.bytes_done,
                    rows=event.rows_loaded,
                    description=f"Loading {event.files_done}/{event.files_total}",
                )

            try:
                summary = ingest_paths(
                    paths=options["paths"],
                    skip_invalid_rows=options["skip_invalid_rows"],
                    reload=options["reload"],
                    allow_empty_replace=options["allow_empty_replace"],
                    bulk=False if options["keep_indexes"] else None,
                    on_progress=on_progress,
                    arrow_writer=standalone_process(),
                )
            except IngestInputError as exc:
                raise CommandError(str(exc)) from None
        _print_summary(console, summary)
        _print_notes(console, summary)
        if summary.failed:
            console.print(f"\n{len(summary.failed)} file(s) failed; nothing was loaded from them:")
            for result in summary.failed:
                console.print(result.message, markup=False)
            raise SystemExit(1)


def _print_summary(console: Console, summary: IngestSummary) -> None:
    table = Table(title="police.uk ingest", show_footer=True)
    table.add_column("File", footer=_count(len(summary.files), "file"))
    table.add_column("Kind")
    table.add_column("Force")
    table.add_column("Month")
    table.add_column("Status")
    table.add_column("Rows loaded", justify="right", footer=f"{summary.rows_loaded:,}")
    table.add_column("Replaced", justify="right", footer=f"{summary.rows_replaced:,}")
    table.add_column("Rejected", justify="right", footer=f"{summary.rows_rejected:,}")
    table.add_column("Duplicate", justify="right", footer=f"{summary.rows_duplicate:,}")
    table.add_column("No location", justify="right", footer=f"{summary.rows_without_location:,}")
    table.add_column("Outcomes changed", justify="right", footer=f"{summary.outcomes_changed:,}")
    table.add_column("Seconds", justify="right", footer=f"{summary.seconds:.1f}")
    for result in summary.files:
        table.add_row(
            Path(result.file.split(":")[-1]).name,
            result.kind,
            result.force,
            result.month,
            result.status,
            f"{result.rows_loaded:,}",
            f"{result.rows_replaced:,}",
            f"{result.rows_rejected:,}",
            f"{result.rows_duplicate:,}",
            f"{result.rows_without_location:,}",
            "" if result.outcomes_changed is None else f"{result.outcomes_changed:,}",
            f"{result.seconds:.2f}",
        )
    console.print(table)
    for reason, count in sorted(summary.rejection_counts.items(), key=lambda item: -item[1]):
        console.print(f"Rejected {count:,} row(s): {reason}", markup=False)
    console.print(_outcome_line(summary), markup=False)


def _print_notes(console: Console, summary: IngestSummary) -> None:
    """What the table cannot say: a month loaded empty, and what duplicate rows are."""
    for result in summary.files:
        if result.status == "loaded" and not result.rows_loaded:
            console.print(
                f"{Path(result.file.split(':')[-1]).name}: {result.message}", markup=False
            )
    if summary.rows_duplicate:
        console.print(
            f"{_count(summary.rows_duplicate, 'row')} loaded as given although each is an exact "
            "copy of another row of its file (Duplicate): police.uk publishes such rows, for "
            "example two reports at one snap point in one month.",
            markup=False,
        )


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def _outcome_line(summary: IngestSummary) -> str:
    unchanged = sum(1 for result in summary.files if result.status == "unchanged")
    parts = []
    if summary.rows_loaded or not unchanged:
        parts.append(
            f"Loaded {_count(summary.rows_loaded, 'row')} in {summary.seconds:.1f} s "
            f"({summary.rows_per_second:,.0f} rows/s)."
        )
    if unchanged:
        parts.append(
            f"{_count(unchanged, 'file')} already loaded unchanged: skipped (--reload loads again)."
        )
    return " ".join(parts)
