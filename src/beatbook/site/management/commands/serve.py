"""``beatbook serve``: the production web server for whatever database DATABASE_URL names."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from beatbook.site.server import (
    DEFAULT_HOST,
    DEFAULT_PORT,
    ServerOptions,
    default_workers,
    deployment_problems,
    server_run,
    site_url_apply,
)


def add_server_arguments(parser: ArgumentParser) -> None:
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"Address to listen on (default {DEFAULT_HOST})."
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"Port to listen on (default {DEFAULT_PORT}).",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="Worker processes (default: WEB_CONCURRENCY, or 2 per core, at least 2).",
    )
    parser.add_argument("--no-access-log", action="store_true", help="Do not log each request.")
    parser.add_argument(
        "--no-worker",
        action="store_true",
        help="Do not run a background task worker beside the server (run `beatbook worker` "
        "elsewhere instead: e-mails wait in the database until one runs).",
    )


def server_options(options: dict[str, Any]) -> ServerOptions:
    port = options["port"]
    if not 1 <= port <= 65535:
        raise CommandError(f"--port must be between 1 and 65535, not {port}")
    workers = options["workers"] if options["workers"] is not None else default_workers()
    if workers < 1:
        raise CommandError(f"--workers must be at least 1, not {workers}")
    return ServerOptions(
        host=options["host"],
        port=port,
        workers=workers,
        access_log=not options["no_access_log"],
        task_worker=not options["no_worker"],
    )


def refuse_debug() -> None:
    """The production server never runs with DEBUG, whatever it listens on.

    With DEBUG on, any request that fails is answered with a traceback: code, settings and the
    data in play, for whoever sent it. (``beatbook demo`` may keep DEBUG while it listens only
    on this machine: its one user can read the same files anyway. It is refused there too on
    any other address: see ``deployment_problems``.)
    """
    if settings.DEBUG:
        raise CommandError(
            "Not starting: DEBUG is on, and a failing request would be answered with a traceback "
            "showing code, settings and data. Unset DEBUG (or set DEBUG=false) to serve; "
            "for a trial on this machine, use `beatbook demo`."
        )


class Command(BaseCommand):
    help = (
        "Run Beatbook's production web server (gunicorn, several worker processes) and a "
        "background task worker beside it."
    )
    # Checks run below, with the deployment ones, before anything is served.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        add_server_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_debug()
        server = server_options(options)
        self.check_before_serving(host=server.host)
        self.apply_site_url(server)
        self.stdout.write(f"Starting Beatbook with {server.workers} workers...")
        server_run(options=server, on_ready=lambda: self.announce(server))

    def check_before_serving(self, *, host: str) -> None:
        errors, warnings = deployment_problems(host=host)
        for message in warnings:
            self.stderr.write(self.style.WARNING(str(message)))
        if errors:
            for message in errors:
                self.stderr.write(self.style.ERROR(str(message)))
            raise CommandError(f"Not starting: {len(errors)} configuration error(s) above.")

    def apply_site_url(self, server: ServerOptions) -> None:
        address = site_url_apply(server)
        if address is not None:
            self.stdout.write(
                f"Links in e-mails and calendar feeds go to {address} "
                "(set SITE_URL to the site's public address to change that)."
            )

    def announce(self, server: ServerOptions) -> None:
        self.stdout.write(self.style.SUCCESS(f"Beatbook is running at {server.url}"))
        self.stdout.write("Press Ctrl+C to stop.")
