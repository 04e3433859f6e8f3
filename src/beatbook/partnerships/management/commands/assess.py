"""``beatbook assess``: the strategic assessment of a partnership or a local authority for a year,
as an HTML or PDF report and a ``summary.json`` anyone can check against the raw files.

    beatbook assess --area "Stoke-on-Trent" --year 2025 --output report.html --json summary.json

Without ``--output`` or ``--json`` the headline figures are printed. Nothing is written unless
the assessment can be made: an unknown area or a year with no data is refused, saying why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from beatbook.core.checks import COMMAND_CHECKS
from beatbook.partnerships.assessment_data import (
    AssessmentData,
    AssessmentError,
    assessment_area,
    assessment_make,
)
from beatbook.partnerships.assessment_pdf import AssessmentPdfError, assessment_pdf
from beatbook.partnerships.assessment_report import assessment_html, assessment_json

OUTPUT_KINDS = {".html": "html", ".htm": "html", ".pdf": "pdf"}


class Command(BaseCommand):
    help = "The strategic assessment of a partnership or local authority for a year."
    requires_system_checks = COMMAND_CHECKS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--area",
            required=True,
            help='A partnership, or a local authority as LSOA names carry it ("Stoke-on-Trent").',
        )
        parser.add_argument("--year", type=int, required=True, help="The year assessed, e.g. 2025.")
        parser.add_argument(
            "--output", type=Path, help="Write the report here: a .html or .pdf file."
        )
        parser.add_argument("--json", type=Path, help="Write summary.json here.")

    def handle(self, *args: Any, **options: Any) -> None:
        output: Path | None = options["output"]
        if output is not None and output.suffix.lower() not in OUTPUT_KINDS:
            raise CommandError(
                f"--output must end in .html or .pdf, not {output.suffix or 'nothing'}."
            )
        try:
            area = assessment_area(text=options["area"])
            data = assessment_make(area=area, year=options["year"])
        except AssessmentError as error:
            raise CommandError(str(error)) from None
        # Everything is made before anything is written, so a failure writes nothing.
        files = self._files(data, output, options["json"])
        for path, content in files:
            path.write_bytes(content)
            self.stdout.write(f"Wrote {path}")
        if not files:
            self._print(data)

    def _files(
        self, data: AssessmentData, output: Path | None, summary: Path | None
    ) -> list[tuple[Path, bytes]]:
        files: list[tuple[Path, bytes]] = []
        if output is not None:
            if OUTPUT_KINDS[output.suffix.lower()] == "pdf":
                try:
                    files.append((output, assessment_pdf(data)))
                except AssessmentPdfError as error:
                    raise CommandError(str(error)) from None
            else:
                files.append((output, assessment_html(data).encode()))
        if summary is not None:
            files.append((summary, assessment_json(data).encode()))
        return files

    def _print(self, data: AssessmentData) -> None:
        result = data.result
        self.stdout.write(f"Strategic assessment {result.year}: {result.area_label}")
        if result.months_missing:
            self.stdout.write(f"Months not held: {', '.join(result.months_missing)}")
        if not result.previous_held:
            self.stdout.write(f"{result.previous_year} is not held: no change is measured.")
        for row in result.categories:
            previous = "not held" if row.previous is None else f"{row.previous:,}"
            p_value = "-" if row.p_value is None else f"{row.p_value:.3g}"
            self.stdout.write(
                f"  {row.label}: {row.count:,} (previous year {previous}; p = {p_value})"
            )
        self.stdout.write("Recommended priorities:")
        for priority in result.priorities:
            if priority.recommended:
                self.stdout.write(f"  {priority.rank}. {priority.label} ({priority.score:.1f})")
