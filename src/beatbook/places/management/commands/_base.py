"""What the places commands share: run a service, turn bad input into a one-line error."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError

from beatbook.places.services import ImportResult, PlacesImportError


def run(command: BaseCommand, service: Callable[[], ImportResult]) -> None:
    try:
        result = service()
    except PlacesImportError as error:
        raise CommandError(str(error)) from error
    crimes = result.extra.get("crimes")
    tail = f"; {crimes} crimes re-assigned" if crimes else ""
    command.stdout.write(f"{result.message}{tail} in {result.seconds:.1f} s")
