"""The background task worker, and the supervisor that runs it beside the web server.

``beatbook worker`` runs django-tasks' database worker (``django_tasks_db``) over every queue,
plus a sweeper thread that runs the periodic jobs in ``PERIODIC_JOBS`` (the one registry of
them). ``beatbook serve`` and ``beatbook demo`` start one as a child process through
``WorkerSupervisor``: restarted if it dies, stopped cleanly (SIGTERM, then a wait for the task
in hand) when the server stops. Run more ``beatbook worker`` processes anywhere for more
throughput: the database hands each task to exactly one of them, and the periodic jobs claim
their rows the same way, so running them in several places is safe.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string

logger = logging.getLogger("beatbook.worker")

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
# How long a stopping worker may take to finish the task in hand before it is killed.
STOP_TIMEOUT = 20.0
# Restarts of a worker that keeps dying back off from one second to a minute.
_FIRST_RESTART_DELAY = 1.0
_LONGEST_RESTART_DELAY = 60.0
# A worker that ran this long before dying counts as healthy: its next restart is immediate.
_HEALTHY_RUN = 60.0


@dataclass
class PeriodicJob:
    """A callable (by dotted path, taking no arguments) to run every ``every`` seconds."""

    name: str
    every: float
    path: str
    next_run: float = field(default=0.0)
    # A long job (minutes) runs on a sweeper thread of its own, so that it never holds up the
    # quick ones (the e-mail retries every 30 s).
    long: bool = False


def periodic_jobs() -> list[PeriodicJob]:
    """Every periodic job the worker runs: the one place to add another."""
    return [
        PeriodicJob(
            "send e-mails that are due", 30, "beatbook.enquiries.outbox.outgoing_emails_send_due"
        ),
        PeriodicJob(
            "forget rate-limit buckets that have drained empty",
            3600,
            "beatbook.core.ratelimit.rate_buckets_prune",
        ),
        # Cheap when nothing has changed; after an import it runs back-tests for minutes,
        # on its own thread (ADR 12).
        PeriodicJob(
            "re-run back-tests made stale by an import",
            60,
            "beatbook.insights.backtest_refresh.backtests_refresh_due",
            long=True,
        ),
        # The analysis pages' usual results, made once for every web process after each
        # import; cheap when nothing has changed, a minute or two per force when it has.
        PeriodicJob(
            "make the analysis pages' usual results for new data",
            30,
            "beatbook.insights.results_refresh.analysis_results_refresh_due",
            long=True,
        ),
    ]


def task_worker_available() -> bool:
    """Whether tasks go to the database (and so need a worker), rather than run in-process."""
    return bool(settings.TASKS["default"]["BACKEND"] == DATABASE_BACKEND)


class Sweeper(threading.Thread):
    """Runs the periodic jobs when due; stops the worker if the server that started it dies."""

    def __init__(
        self, *, jobs: list[PeriodicJob], parent_pid: int | None, name: str = "beatbook-sweeper"
    ) -> None:
        super().__init__(name=name, daemon=True)
        self.jobs = jobs
        self.parent_pid = parent_pid
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            if self.parent_pid is not None and os.getppid() != self.parent_pid:
                logger.warning("The server that started this worker has gone: stopping")
                os.kill(os.getpid(), signal.SIGTERM)
                return
            self.run_due(time.monotonic())
            self.stopping.wait(1.0)

    def run_due(self, now: float) -> None:
        for job in self.jobs:
            if now < job.next_run:
                continue
            job.next_run = now + job.every
            close_old_connections()
            try:
                result = import_string(job.path)()
            except Exception:  # one failing job must not stop the others or the worker
                logger.exception("Periodic job %r failed", job.name)
            else:
                logger.debug("Periodic job %r: %s", job.name, result)
            finally:
                close_old_connections()


def worker_run(*, interval: float = 1.0, parent_pid: int | None = None) -> None:
    """Run tasks from every queue and the periodic jobs until SIGTERM or SIGINT."""
    from django_tasks_db.management.commands.db_worker import Worker

    worker = Worker(
        queue_names=["*"],
        interval=interval,
        batch=False,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"beatbook-{os.getpid()}-{get_random_string(8)}",
        excluded_queue_names=[],
    )
    sweepers = sweepers_for(periodic_jobs(), parent_pid=parent_pid)
    worker.configure_signals()
    for sweeper in sweepers:
        sweeper.start()
    try:
        worker.run()
    finally:
        for sweeper in sweepers:
            sweeper.stopping.set()
        for sweeper in sweepers:
            sweeper.join(timeout=STOP_TIMEOUT)


def sweepers_for(jobs: list[PeriodicJob], *, parent_pid: int | None) -> list[Sweeper]:
    """One sweeper for the quick jobs, and one more for each long job."""
    quick = [job for job in jobs if not job.long]
    sweepers = [Sweeper(jobs=quick, parent_pid=parent_pid)]
    for number, job in enumerate((job for job in jobs if job.long), start=1):
        sweepers.append(
            Sweeper(jobs=[job], parent_pid=parent_pid, name=f"beatbook-sweeper-long-{number}")
        )
    return sweepers


class WorkerSupervisor:
    """Keeps one ``beatbook worker`` child process running until ``stop``."""

    def __init__(self, *, command: list[str] | None = None) -> None:
        self.command = command or [
            sys.executable,
            "-m",
            "beatbook.cli",
            "worker",
            "--parent-pid",
            str(os.getpid()),
        ]
        self.process: subprocess.Popen[bytes] | None = None
        # gunicorn forks its web workers from the process that holds this supervisor, and they
        # unwind through the same ``finally`` blocks when they exit: only the owner may stop it.
        self.owner_pid = os.getpid()
        self.stopping = threading.Event()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._watch, name="beatbook-worker-supervisor")
        self.thread.daemon = True

    def start(self) -> None:
        if self.thread.is_alive() or os.getpid() != self.owner_pid:
            return
        self._spawn()
        self.thread.start()

    def _spawn(self) -> None:
        with self.lock:
            if self.stopping.is_set():
                return
            # A session of its own: Ctrl+C at the terminal reaches the server, which then stops
            # the worker in order, rather than both at once.
            self.process = subprocess.Popen(self.command, start_new_session=True)  # noqa: S603
        logger.info("Started the task worker (process %s)", self.process.pid)

    def _watch(self) -> None:
        delay = _FIRST_RESTART_DELAY
        while not self.stopping.is_set():
            process = self.process
            if process is None:
                return
            started = time.monotonic()
            code = process.wait()
            if self.stopping.is_set():
                return
            if time.monotonic() - started > _HEALTHY_RUN:
                delay = _FIRST_RESTART_DELAY
            logger.error(
                "The task worker stopped (exit code %s); restarting in %.0f s", code, delay
            )
            if self.stopping.wait(delay):
                return
            delay = min(delay * 2, _LONGEST_RESTART_DELAY)
            self._spawn()

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """Ask the worker to finish its task and stop; kill it if it takes too long."""
        if os.getpid() != self.owner_pid:
            return
        with self.lock:
            self.stopping.set()
            process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            logger.error("The task worker did not stop within %.0f s: killing it", timeout)
            process.kill()
            process.wait()
