"""The production web server: gunicorn, run in-process, serving Beatbook's WSGI application.

``beatbook serve`` and ``beatbook demo`` both end here. Static files come from whitenoise
(``WHITENOISE_USE_FINDERS``), so no ``collectstatic`` step and no separate file server.
Beside gunicorn runs one background task worker (``beatbook.site.worker``), started once the
server is listening and stopped when it stops, unless ``task_worker`` is off or tasks do not
go to the database.
"""

from __future__ import annotations

import errno
import gc
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.management.base import CommandError
from django.db import connections
from django.template import engines
from gunicorn import util
from gunicorn.app.base import BaseApplication
from gunicorn.http.errors import LimitRequestLine
from gunicorn.workers.sync import SyncWorker

from beatbook.policeapi.middleware import MAX_REQUEST_LINE
from beatbook.site.worker import WorkerSupervisor, task_worker_available

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
# Listening on every address: the site is reached by this machine's name, not by these.
WILDCARD_HOSTS = {"0.0.0.0", "::", "[::]", ""}  # noqa: S104 - names, not a bind

# Deployment checks about HTTPS that say nothing useful for a server only this machine can reach.
_HTTPS_ONLY_CHECKS = {"security.W004", "security.W008", "security.W012", "security.W016"}


@dataclass(frozen=True)
class ServerOptions:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    workers: int = 2
    timeout: int = 60
    access_log: bool = True
    task_worker: bool = True

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host and not self.host.startswith("[") else self.host
        return f"http://{host}:{self.port}/"

    @property
    def bind(self) -> str:
        return self.url.removeprefix("http://").rstrip("/")

    @property
    def site_url(self) -> str:
        """The address people reach this server by: ``url`` without its final slash, with this
        machine's name in place of an every-address host (nobody can browse to 0.0.0.0)."""
        if self.host not in WILDCARD_HOSTS:
            return self.url.rstrip("/")
        name = socket.getfqdn()
        host = f"[{name}]" if ":" in name else name
        return f"http://{host}:{self.port}"


def site_url_apply(options: ServerOptions) -> str | None:
    """Make e-mails and calendar feeds link to the address this server really serves on, unless
    ``SITE_URL`` is configured (then that wins, and None is returned).

    Set in this process's settings, which gunicorn's forked web workers share, and in the
    environment, which the task worker (a child process that reads the settings afresh)
    inherits: both compose links.
    """
    if os.environ.get("SITE_URL", "").strip():
        return None
    address = options.site_url
    settings.SITE_URL = address
    os.environ["SITE_URL"] = address
    return address


def default_workers() -> int:
    """``WEB_CONCURRENCY`` if set, else two per core, and never fewer than two."""
    configured = os.environ.get("WEB_CONCURRENCY", "").strip()
    if configured:
        if not configured.isdigit() or int(configured) < 1:
            raise CommandError(
                f"WEB_CONCURRENCY must be a whole number of at least 1, not {configured!r}"
            )
        return int(configured)
    return max(2, 2 * (os.cpu_count() or 1))


def deployment_problems(
    *, host: str
) -> tuple[list[checks.CheckMessage], list[checks.CheckMessage]]:
    """System checks with the deployment ones, split into (errors, warnings).

    HTTPS warnings are left out when only this machine can reach the server (the demo).
    """
    messages = checks.run_checks(include_deployment_checks=True)
    if host in LOOPBACK_HOSTS:
        messages = [m for m in messages if m.id not in _HTTPS_ONLY_CHECKS]
    messages = [m for m in messages if not m.is_silenced()]
    messages += _listening_problems(host)
    errors = [m for m in messages if m.level >= checks.ERROR]
    warnings = [m for m in messages if checks.WARNING <= m.level < checks.ERROR]
    return errors, warnings


def _listening_problems(host: str) -> list[checks.CheckMessage]:
    if host in LOOPBACK_HOSTS:
        return []
    problems: list[checks.CheckMessage] = []
    if settings.DEBUG:
        problems.append(
            checks.Error(
                f"DEBUG is on and the server would listen on {host}: anyone who reaches it could "
                "read tracebacks with the code, settings and data of any request that fails.",
                hint="Unset DEBUG (or set DEBUG=false).",
                id="beatbook.E301",
            )
        )
    if set(settings.ALLOWED_HOSTS) <= LOOPBACK_HOSTS:
        problems.append(
            checks.Warning(
                f"Listening on {host}, but ALLOWED_HOSTS lists only this machine's own names, "
                "so requests from elsewhere will be refused (400 Bad Request).",
                hint="Set ALLOWED_HOSTS to the host names the site is reached by.",
                id="beatbook.W101",
            )
        )
    return problems


def port_free(*, host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return False
            raise CommandError(f"Cannot listen on {host}:{port}: {exc.strerror}") from None
    return True


# police.uk answers a GET line over 4,094 characters with 400, and so do we: the open API's
# middleware for lines gunicorn lets through, this answer for the ones it does not.
_LONG_LINE_BODY = (
    f"Bad Request: request line longer than {MAX_REQUEST_LINE} characters: POST the poly\n"
).encode()
LONG_LINE_ANSWER = (
    b"HTTP/1.1 400 Bad Request\r\n"
    b"Connection: close\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Access-Control-Allow-Origin: *\r\n"
    + f"Content-Length: {len(_LONG_LINE_BODY)}\r\n\r\n".encode()
    + _LONG_LINE_BODY
)


class BeatbookWorker(SyncWorker):  # type: ignore[misc]  # gunicorn has no type hints
    """gunicorn's sync worker, answering a request line over the limit with police.uk's 400
    and what to do instead, where gunicorn would answer 414 URI Too Long."""

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        if not isinstance(exc, LimitRequestLine):
            super().handle_error(req, client, addr, exc)
            return
        self.log.warning("Invalid request from ip=%s: %s", addr[0] if addr else "", exc)
        try:
            util.write_nonblock(client, LONG_LINE_ANSWER)
        except OSError:
            self.log.debug("Failed to send error message.")


class BeatbookServer(BaseApplication):  # type: ignore[misc]  # gunicorn has no type hints
    """gunicorn with its settings given here rather than read from the command line."""

    def __init__(
        self,
        *,
        options: ServerOptions,
        on_ready: Callable[[], None] | None = None,
        on_exit: Callable[[], None] | None = None,
    ) -> None:
        self.options = options
        self.on_ready = on_ready
        self.on_exit = on_exit
        super().__init__()

    def load_config(self) -> None:
        settings_for_gunicorn: dict[str, Any] = {
            "bind": [self.options.bind],
            "workers": self.options.workers,
            "worker_class": BeatbookWorker,
            "limit_request_line": MAX_REQUEST_LINE,
            "timeout": self.options.timeout,
            "graceful_timeout": 20,
            "accesslog": "-" if self.options.access_log else None,
            "errorlog": "-",
            "loglevel": "warning",
            "proc_name": "beatbook",
            "forwarded_allow_ips": "127.0.0.1,::1",
            # The application is loaded once, here, before "is running" is said, and each
            # worker is forked from it ready to answer: a worker's first request costs what any
            # other does, and a worker restarted after a crash is ready at once.
            "preload_app": True,
            "when_ready": self._when_ready,
            "post_worker_init": _worker_warm,
            "on_exit": self._on_exit,
        }
        for name, value in settings_for_gunicorn.items():
            self.cfg.set(name, value)

    def _when_ready(self, arbiter: Any) -> None:
        if self.on_ready is not None:
            self.on_ready()

    def _on_exit(self, arbiter: Any) -> None:
        if self.on_exit is not None:
            self.on_exit()

    def load(self) -> Any:
        from django.core.wsgi import get_wsgi_application
        from django.urls import get_resolver
        from django.utils.module_loading import import_string

        application = get_wsgi_application()
        # Every view module is imported now, not on a worker's first request (a second or
        # more: pandas, the charts, the API's schemas), and so are the modules Django imports
        # on first use: the SQL compiler, the message and session storage.
        get_resolver().url_patterns  # noqa: B018
        for connection in connections.all():
            connection.ops.compiler("SQLCompiler")
        import_string(settings.MESSAGE_STORAGE)
        import_string(settings.SESSION_SERIALIZER)
        # The template engines and every template tag library (humanize, the apps' own).
        for engine in engines.all():
            engine.get_template("ui/base.html")
        # Workers are forked from this process: none may inherit a database connection.
        connections.close_all()
        # Everything loaded so far (Django, the apps, numpy, pandas...) lives as long as the
        # worker: moving it out of the collector's reach stops the full collections that a
        # request making a few thousand objects would otherwise trigger over all of it, which
        # showed as tens of milliseconds on one request in a hundred.
        gc.freeze()
        return application


# Seconds after a worker starts before it starts the chart renderer: see _worker_warm.
CHARTS_WARM_AFTER = 30.0


def _worker_warm(worker: Any) -> None:
    """In each worker: start the chart renderer (vl-convert's JavaScript runtime, 0.3 s of
    work) before anyone asks for a chart, so that a page with one does not pay for it. It runs
    on threads of its own, which a fork does not copy, so it is started here, after the fork,
    never in the process that forks. Not at once: a request arriving while it starts waits for
    it (a locate call went from 20 ms to 370 ms), and the first seconds after a start are when
    API clients come back. Staff ask for charts later; one who asks sooner pays the 0.3 s."""
    from beatbook.ui.charts import charts_warm

    timer = threading.Timer(CHARTS_WARM_AFTER, charts_warm)
    timer.daemon = True
    timer.start()


def server_run(*, options: ServerOptions, on_ready: Callable[[], None] | None = None) -> None:
    """Serve until stopped (Ctrl+C or SIGTERM). Refuses to start if the port is taken."""
    if not port_free(host=options.host, port=options.port):
        raise CommandError(
            f"Port {options.port} on {options.host} is already in use. "
            "Stop whatever is using it, or choose another with --port."
        )
    # Whitenoise warns at start-up when STATIC_ROOT is missing, though finders serve the files.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    # Workers are forked from this process: none may inherit its database connections.
    connections.close_all()
    supervisor = None
    if options.task_worker and task_worker_available():
        supervisor = WorkerSupervisor()

    def when_ready() -> None:
        if supervisor is not None:
            supervisor.start()
        if on_ready is not None:
            on_ready()

    stop_worker = supervisor.stop if supervisor is not None else None
    try:
        BeatbookServer(options=options, on_ready=when_ready, on_exit=stop_worker).run()
    finally:
        if stop_worker is not None:
            stop_worker()
