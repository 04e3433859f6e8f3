"""``beatbook evaluate``: did recorded crime in an area change after a start month, against what
comparable areas of the same force predict? Needs only the force's police.uk street files."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from beatbook.analysis.evaluation import MONTHS_AFTER, TOO_EARLY
from beatbook.common.months import month_name
from beatbook.core.checks import COMMAND_CHECKS
from beatbook.operations.evaluations import AreaEvaluation, evaluation_for_area


class Command(BaseCommand):
    help = (
        "Before-and-after evaluation of an area: its recorded crime from the start month "
        "against what matched LSOAs of the same force predict, with placebo inference."
    )
    requires_system_checks = COMMAND_CHECKS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", required=True, help="Force id, e.g. merseyside.")
        parser.add_argument(
            "--lsoas", required=True, help="The area's LSOA codes, comma-separated."
        )
        parser.add_argument("--start", required=True, help="First month of the operation, YYYY-MM.")
        parser.add_argument(
            "--months",
            type=int,
            default=MONTHS_AFTER,
            help=f"Months from the start to evaluate (default {MONTHS_AFTER}).",
        )
        parser.add_argument(
            "--category", help="One police.uk category slug, e.g. burglary (all crime if left out)."
        )
        parser.add_argument(
            "--json", action="store_true", help="Print one JSON object instead of a summary."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = evaluation_for_area(
                force_id=options["force"],
                lsoa_codes=options["lsoas"].split(","),
                start=options["start"],
                months_after=options["months"],
                category=options["category"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps(result.evaluation.as_json()))
        else:
            self.stdout.write(summary(result))


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:+.1%}"


def summary(result: AreaEvaluation) -> str:
    """A few lines of plain English: what was compared, the verdict, the figures, the method."""
    evaluation = result.evaluation
    lsoas = len(result.lsoa_codes)
    what = (result.category or "all crime").replace("-", " ")
    lines = [
        f"{result.force_name}, {lsoas} LSOA{'s' if lsoas != 1 else ''}, {what}, "
        f"{result.months_after} month{'s' if result.months_after != 1 else ''} from "
        f"{month_name(result.start)}.",
    ]
    if evaluation.verdict == TOO_EARLY or evaluation.estimate is None:
        lines.append(f"Too early to tell. {evaluation.method}")
        return "\n".join(lines)
    lines += [
        f"Verdict: {evaluation.verdict}.",
        f"Estimate {_percent(evaluation.estimate)} against comparable areas "
        f"(95% interval {_percent(evaluation.ci_low)} to {_percent(evaluation.ci_high)}, "
        f"p = {evaluation.p_value:.3f}).",
        f"Compared with {evaluation.months_before} months before the start and "
        f"{len(evaluation.comparison)} matched LSOAs.",
        evaluation.method,
    ]
    return "\n".join(lines)
