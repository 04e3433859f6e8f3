from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from beatbook.core.checks import COMMAND_CHECKS
from beatbook.places.management.commands._base import run
from beatbook.places.services import neighbourhoods_build


class Command(BaseCommand):
    help = (
        "Build a force's neighbourhoods from its LSOAs (set by import-lsoa-forces): one per "
        "MSOA, one per electoral ward (needs postcodes), or from a CSV mapping "
        "lsoa_code,neighbourhood_name[,neighbourhood_id]. Replaces the force's built "
        "neighbourhoods, keeping the ids of those whose names are unchanged."
    )
    requires_system_checks = COMMAND_CHECKS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", required=True, help="police.uk force id, e.g. staffordshire."
        )
        how = parser.add_mutually_exclusive_group(required=True)
        how.add_argument("--by", choices=["msoa", "ward"])
        how.add_argument("--mapping", type=Path, metavar="FILE.csv")

    def handle(self, *args: Any, **options: Any) -> None:
        run(
            self,
            lambda: neighbourhoods_build(
                force_id=options["force"], by=options["by"] or "msoa", mapping=options["mapping"]
            ),
        )
