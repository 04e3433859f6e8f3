"""``beatbook worker``: run background tasks (e-mails...) and the periodic jobs until stopped.

``beatbook serve`` and ``beatbook demo`` start one of these themselves; run more, on any
machine that reaches the database, for more throughput (``beatbook serve --no-worker`` to run
none beside the web server).
"""

from __future__ import annotations

import logging
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from beatbook.core.checks import COMMAND_CHECKS
from beatbook.site.worker import DATABASE_BACKEND, task_worker_available, worker_run


class Command(BaseCommand):
    help = "Run background tasks (such as sending e-mails) and the periodic jobs until stopped."
    requires_system_checks = COMMAND_CHECKS

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait between looks for new tasks when there are none (default 1).",
        )
        parser.add_argument(
            "--parent-pid",
            type=int,
            default=None,
            help="Stop when this process (the server that started the worker) has gone.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not task_worker_available():
            raise CommandError(
                f"TASKS_BACKEND is not {DATABASE_BACKEND}: tasks run where they are queued, "
                "so there is nothing for a worker to do."
            )
        if options["interval"] <= 0:
            raise CommandError(f"--interval must be more than 0, not {options['interval']}")
        if options["verbosity"] < 2:
            # A line per task is noise at the demo's console; failures still show as warnings.
            for name in ("django_tasks", "django_tasks_db"):
                logging.getLogger(name).setLevel(logging.WARNING)
        worker_run(interval=options["interval"], parent_pid=options["parent_pid"])
