"""``beatbook demo-teams``: refresh the sample teams, priorities and events of the demo."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from beatbook.core.checks import COMMAND_CHECKS
from beatbook.demo.sample_teams import demo_teams_refresh
from beatbook.places.models import Force


class Command(BaseCommand):
    help = "Replace the sample neighbourhood teams, priorities and events, dated from today."
    requires_system_checks = COMMAND_CHECKS

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--force", default="staffordshire", help="police.uk force id.")

    def handle(self, *args: Any, **options: Any) -> None:
        force_id = options["force"]
        if not Force.objects.filter(pk=force_id).exists():
            raise CommandError(
                f"No force {force_id!r}: use a police.uk force id, e.g. staffordshire"
            )
        summary = demo_teams_refresh(force_id=force_id)
        self.stdout.write(str(summary))
