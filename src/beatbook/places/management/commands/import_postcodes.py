from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from beatbook.core.checks import COMMAND_CHECKS
from beatbook.places.management.commands._base import run
from beatbook.places.services import postcodes_import


class Command(BaseCommand):
    help = (
        "Load OS Code-Point Open (codepo_gb.zip as OS ships it) and its area names. The "
        "postcodes of each area loaded are replaced."
    )
    requires_system_checks = COMMAND_CHECKS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--areas", help="Comma-separated postcode areas to load, e.g. st,ws (default: all)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        areas = options["areas"].split(",") if options["areas"] else None
        run(self, lambda: postcodes_import(path=options["file"], areas=areas))
