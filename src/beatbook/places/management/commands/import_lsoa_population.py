from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from beatbook.core.checks import COMMAND_CHECKS
from beatbook.places.management.commands._base import run
from beatbook.places.services import lsoa_population_import


class Command(BaseCommand):
    help = (
        "Load LSOA populations: the 2011 census table (with MSOAs, local authorities and "
        "hectares), the 2021 TS001 table, or the 2021 LSOA list (names only). The format is "
        "told by the header."
    )
    requires_system_checks = COMMAND_CHECKS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--census", type=int, choices=[2011, 2021], help="Fail unless the file is this census."
        )
        parser.add_argument(
            "--names-only", action="store_true", help="Take only LSOA names from the file."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run(
            self,
            lambda: lsoa_population_import(
                path=options["file"], census=options["census"], names_only=options["names_only"]
            ),
        )
