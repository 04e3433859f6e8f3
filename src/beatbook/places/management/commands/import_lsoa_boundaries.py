from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from beatbook.core.checks import COMMAND_CHECKS
from beatbook.places.management.commands._base import run
from beatbook.places.services import lsoa_boundaries_import


class Command(BaseCommand):
    help = (
        "Load LSOA boundaries from an ONS GeoJSON FeatureCollection (plain or .gz) with "
        "LSOA11CD/LSOA11NM or LSOA21CD/LSOA21NM properties. Re-running updates by code."
    )
    requires_system_checks = COMMAND_CHECKS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        run(self, lambda: lsoa_boundaries_import(path=options["file"]))
