from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from beatbook.core.checks import COMMAND_CHECKS
from beatbook.places.management.commands._base import run
from beatbook.places.services import lsoa_forces_import


class Command(BaseCommand):
    help = (
        "Set each LSOA's police force from the LSOA (2011) to police force lookup CSV. Force "
        "names are matched to police.uk forces; an unknown name fails the file."
    )
    requires_system_checks = COMMAND_CHECKS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        run(self, lambda: lsoa_forces_import(path=options["file"]))
