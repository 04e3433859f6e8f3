from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from beatbook.core.checks import COMMAND_CHECKS
from beatbook.places.management.commands._base import run
from beatbook.places.services import neighbourhoods_import


class Command(BaseCommand):
    help = (
        "Load police.uk neighbourhood boundaries for one force: KML files (one per "
        "neighbourhood, named by its id), GeoJSON FeatureCollections, or folders and zips of "
        "them. In a folder or zip, a sub-folder named after a force id (city-of-london/) holds "
        "that force's files and is the only one read for that force; for any other force, "
        "files in folders named after other forces are skipped (so police.uk's Metropolitan "
        "zip gives KMLs/ to --force metropolitan and city-of-london/ to --force city-of-london). "
        "Names come from the KML, else from a CSV beside the files with id and name columns, "
        "else the id. Neighbourhoods are updated in place by id; others are kept."
    )
    requires_system_checks = COMMAND_CHECKS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path)
        parser.add_argument("--force", required=True, help="police.uk force id, e.g. metropolitan.")
        parser.add_argument("--id-property", help="GeoJSON property holding the neighbourhood id.")
        parser.add_argument(
            "--name-property", help="GeoJSON property holding the neighbourhood name."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run(
            self,
            lambda: neighbourhoods_import(
                paths=options["paths"],
                force_id=options["force"],
                id_property=options["id_property"],
                name_property=options["name_property"],
            ),
        )
