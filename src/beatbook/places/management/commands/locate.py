from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from beatbook.core.checks import COMMAND_CHECKS
from beatbook.places.selectors import (
    Located,
    LocateError,
    locate_point,
    locate_postcode,
    parse_coordinates,
)


class Command(BaseCommand):
    help = "Name the force, neighbourhood and LSOA of a point (LAT LNG) or a postcode."
    requires_system_checks = COMMAND_CHECKS

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "place", nargs="+", help="LAT LNG (WGS84), or a postcode such as ST3 2AA."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        place: list[str] = options["place"]
        try:
            located = self._locate(place)
        except LocateError as error:
            raise CommandError(str(error)) from error
        if located is None:
            raise CommandError(
                f"{' '.join(place)} is in no police force we hold boundaries or LSOAs for"
            )
        self.stdout.write(_describe(located))

    def _locate(self, place: list[str]) -> Located | None:
        if len(place) == 2 and _is_number(place[0]) and _is_number(place[1]):
            latitude, longitude = parse_coordinates(place[0], place[1])
            return locate_point(latitude=latitude, longitude=longitude, with_lsoa=True)
        if len(place) == 1 and "," in place[0]:
            first, second = place[0].split(",", 1)
            latitude, longitude = parse_coordinates(first, second)
            return locate_point(latitude=latitude, longitude=longitude, with_lsoa=True)
        if _is_number(place[0]):
            raise LocateError(
                f"{' '.join(place)} are not coordinates (expected LAT LNG, e.g. 52.98 -2.13)"
            )
        return locate_postcode(postcode=" ".join(place), with_lsoa=True)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _describe(located: Located) -> str:
    where = f"{located.postcode} " if located.postcode else ""
    lines = [
        f"Point:         {where}({located.latitude:.6f}, {located.longitude:.6f})",
        f"Force:         {located.force.name} ({located.force.id})",
    ]
    if located.neighbourhood is not None:
        hood = located.neighbourhood
        lines.append(f"Neighbourhood: {hood.name} (id {hood.code}, #{hood.pk})")
    else:
        lines.append("Neighbourhood: none held for this force here")
    if located.lsoa is not None:
        lines.append(
            f"LSOA:          {located.lsoa.name or located.lsoa.code} ({located.lsoa.code})"
        )
    else:
        lines.append("LSOA:          none held here")
    return "\n".join(lines)
