"""``beatbook demo``: the site with real Staffordshire data, on a SQLite file of its own.

``cli.main`` has already pointed ``DATABASE_URL`` at ``<data dir>/demo.sqlite3`` and kept
e-mail in the outbox (see ``beatbook.demo.setup``). This command migrates, loads the bundled
data once, makes the demo organisations and administrator, prints how to sign in and where to
read the demo's e-mails, and serves like ``beatbook serve``.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections
from django.urls import reverse
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn

from beatbook.core.bucket_store import bucket_file_beside
from beatbook.demo.bundle import CREWE_WEST_LSOAS, FORCE_ID
from beatbook.demo.loader import DemoLoadError, demo_data_load
from beatbook.demo.people import DemoAdmin, demo_admin_ensure, demo_organisations_ensure
from beatbook.demo.sample_operations import demo_operations_fresh, demo_operations_refresh
from beatbook.demo.sample_partnership import demo_partnership_ensure
from beatbook.demo.sample_partnership_plan import (
    demo_partnership_assessment_ensure,
    demo_partnership_fresh,
    demo_partnership_plan_ensure,
)
from beatbook.demo.sample_questions import demo_questions_fresh, demo_questions_refresh
from beatbook.demo.sample_surveys import demo_surveys_fresh, demo_surveys_refresh
from beatbook.demo.sample_tasking import demo_tasking_fresh, demo_tasking_refresh
from beatbook.demo.sample_tasking_work import (
    demo_tasking_plans_fresh,
    demo_tasking_plans_refresh,
    demo_tasking_requests_fresh,
    demo_tasking_requests_refresh,
)
from beatbook.demo.sample_teams import demo_teams_fresh, demo_teams_refresh
from beatbook.demo.setup import demo_database_path, demo_password_path
from beatbook.demo.tasks import demo_tasking_plans_task
from beatbook.enquiries.checks import MAIL_NOT_SET_UP
from beatbook.site.management.commands.serve import Command as ServeCommand
from beatbook.site.management.commands.serve import server_options
from beatbook.site.server import server_run
from beatbook.site.worker import task_worker_available


class RichProgress:
    """The loader's progress as a rich display: one line per step, with a bar where it can."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None

    def step_started(self, description: str, total: int | None = None) -> None:
        self.task = self.progress.add_task(description, total=total)

    def step_advanced(self, completed: int, total: int | None = None) -> None:
        if self.task is not None:
            self.progress.update(self.task, completed=completed, total=total)

    def step_finished(self, summary: str) -> None:
        if self.task is not None:
            task = self.progress.tasks[self.task]
            total = task.total if task.total is not None else 1
            self.progress.update(self.task, total=total, completed=total)
            self.progress.console.print(f"  [green]✓[/green] {task.description}: {summary}")


class Command(ServeCommand):
    help = "Run Beatbook with real demo data (Staffordshire, 2025) on a SQLite file of its own."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo database and start again."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        server = server_options(options)
        # The demo keeps its e-mail in the outbox on purpose: no warning that it is not set up.
        settings.SILENCED_SYSTEM_CHECKS = [*settings.SILENCED_SYSTEM_CHECKS, MAIL_NOT_SET_UP]
        self.check_before_serving(host=server.host)
        # Before anything that composes a link (the sample questions, the worker's e-mails).
        self.apply_site_url(server)
        if options["reset"]:
            self.reset()
        call_command("migrate", interactive=False, verbosity=0)
        self.load()
        # Sample teams, priorities and events are dated from the day they are made: remake them
        # on the first start of each day so that the events stay upcoming.
        if not demo_teams_fresh(force_id=FORCE_ID):
            self.stdout.write(str(demo_teams_refresh(force_id=FORCE_ID)))
        if not demo_operations_fresh(force_id=FORCE_ID):
            operations = demo_operations_refresh(force_id=FORCE_ID, crewe_lsoas=CREWE_WEST_LSOAS)
            self.stdout.write(str(operations))
        # The tasking team's rota runs for the coming fortnight from the day it is made; its
        # requests are made with it, and its plans for yesterday's and tomorrow's late shifts.
        if not demo_tasking_fresh(force_id=FORCE_ID) or not demo_tasking_requests_fresh(
            force_id=FORCE_ID
        ):
            self.stdout.write(str(demo_tasking_refresh(force_id=FORCE_ID)))
            made = demo_tasking_requests_refresh(force_id=FORCE_ID)
            self.stdout.write(f"Made {made} sample requests to the tasking team.")
        if not demo_tasking_plans_fresh(force_id=FORCE_ID):
            self.tasking_plans_make()
        if not demo_questions_fresh(force_id=FORCE_ID):
            made = demo_questions_refresh(force_id=FORCE_ID)
            self.stdout.write(f"Made {made} sample residents' questions.")
        # The perceptions survey's waves are dated from today, and one of its waves links to a
        # sample priority: remade after the priorities, on the first start of each day.
        if not demo_surveys_fresh(force_id=FORCE_ID):
            self.stdout.write(str(demo_surveys_refresh(force_id=FORCE_ID)))
        demo_organisations_ensure()
        self.partnership_make()
        admin = demo_admin_ensure(password_file=demo_password_path())
        self.stdout.write(f"Starting Beatbook with {server.workers} workers...")
        server_run(options=server, on_ready=lambda: self.announce_demo(server.url, admin))

    def partnership_make(self) -> None:
        """The Stoke-on-Trent Safer City Partnership: its meetings and actions are dated from
        today and its plan's measures computed from the data, so both are made on the first
        start of each day and again when the data changes."""
        if demo_partnership_fresh():
            return
        partnership = demo_partnership_ensure()
        assessment = demo_partnership_assessment_ensure(partnership.partnership)
        plan = demo_partnership_plan_ensure(partnership.partnership, assessment=assessment)
        self.stdout.write(
            f"Made the {partnership.partnership.name}: {partnership.meetings} meetings, "
            f"{partnership.actions} actions from meetings, and its plan {plan.title!r}."
        )

    def tasking_plans_make(self) -> None:
        """The sample patrol plans, in the background worker when there is one: the first plan
        on a new database makes the month's forecast, which takes half a minute or more."""
        today = timezone.localdate()
        if task_worker_available():
            demo_tasking_plans_task.enqueue(force_id=FORCE_ID, today=today.isoformat())
            self.stdout.write(
                "The tasking team's patrol plans for yesterday's and tomorrow's late shifts are "
                "being made in the background (a couple of minutes)."
            )
        else:
            self.stdout.write(str(demo_tasking_plans_refresh(force_id=FORCE_ID, today=today)))

    def reset(self) -> None:
        connections.close_all()
        database = demo_database_path()
        # The rate limiter's buckets live in a SQLite file of their own beside it (ADR 15).
        for base in (database, bucket_file_beside(database)):
            for path in (base, Path(f"{base}-wal"), Path(f"{base}-shm")):
                path.unlink(missing_ok=True)
        self.stdout.write(f"Deleted the demo database {database}.")

    def load(self) -> None:
        # Draw on the command's own output stream (so tests and redirects get the summary too).
        console = Console(file=getattr(self.stdout, "_out", sys.stdout), highlight=False)
        columns = (
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
        )
        try:
            with Progress(*columns, console=console, transient=True) as progress:
                result = demo_data_load(progress=RichProgress(progress))
        except DemoLoadError as error:
            raise CommandError(str(error)) from error
        if result.loaded:
            console.print(f"Loaded the demo data in {result.seconds:.0f} s.")
        else:
            console.print("The demo data is already loaded.")

    def announce_demo(self, url: str, admin: DemoAdmin) -> None:
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Beatbook demo is running at {url}"))
        self.stdout.write(f"Sign in at {url}accounts/login/ as {admin.username}")
        if admin.password:
            self.stdout.write(f"  password: {admin.password}")
            self.stdout.write(f"  (kept in {admin.password_file})")
        else:
            self.stdout.write(
                f"  The password was changed since it was saved in {admin.password_file}."
            )
        outbox = f"{url.rstrip('/')}{reverse('enquiries:outbox')}"
        self.stdout.write(f"The demo sends no e-mail: read what it would send at {outbox}")
        self.stdout.write("Press Ctrl+C to stop.")
