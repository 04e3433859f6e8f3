"""`beatbook serve` runs a task worker beside gunicorn: a question asked through the running
server gets its e-mail sent, and stopping the server stops the worker."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from beatbook.site.worker import PeriodicJob, Sweeper, WorkerSupervisor

BEATBOOK = Path(sys.executable).with_name("beatbook")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Running:
    url: str
    process: subprocess.Popen[str]
    outbox: Path
    database: Path
    output: list[str]


def wait_for(predicate: object, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


def read_until(process: subprocess.Popen[str], text: str, output: list[str]) -> None:
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        output.append(line)
        if text in line:
            return
    raise AssertionError(f"{text!r} never printed:\n{''.join(output)}")


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    port = free_port()
    outbox = tmp_path / "outbox"
    database = tmp_path / "serve.sqlite3"
    env = {
        **os.environ,
        "BEATBOOK_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{database}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(outbox),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    env.pop("DATABASE_URL_FILE", None)
    # Migrate and add a neighbourhood first (serve makes the schema, but the page needs a place).
    setup = (
        "from beatbook.places.models import Force, Neighbourhood;"
        "force, _ = Force.objects.get_or_create(pk='staffordshire', defaults={'name': 'S'});"
        "Neighbourhood.objects.create(force=force, code='longton', name='Longton')"
    )
    subprocess.run([str(BEATBOOK), "migrate", "-v", "0"], env=env, check=True)
    subprocess.run([str(BEATBOOK), "shell", "-c", setup], env=env, check=True)
    process = subprocess.Popen(
        [str(BEATBOOK), "serve", "--port", str(port), "--workers", "1", "--no-access-log"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output: list[str] = []
    try:
        read_until(process, "Beatbook is running at", output)
        yield Running(f"http://127.0.0.1:{port}", process, outbox, database, output)
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=40)


def worker_pids(database: Path) -> list[int]:
    """Processes running `beatbook worker` for this test's database (by environment)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if b"worker" in command and str(database).encode() in environ:
            pids.append(int(entry.name))
    return pids


def post_question(url: str) -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    ask = f"{url}/neighbourhoods/staffordshire/longton/ask/"
    form = opener.open(ask).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token is not None
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "kind": "question",
            "subject": "Street lights out",
            "body": "The lights on Anchor Road have been out for a week.",
            "email": "pat@example.org",
        }
    ).encode()
    request = urllib.request.Request(ask, data=data, headers={"Referer": ask})
    with opener.open(request) as response:
        page = response.read().decode()
    reference = re.search(r"Q-[2-9A-Y]{4}-[2-9A-Y]{4}", page)
    assert reference is not None, page
    return reference.group(0)


def sent_emails(outbox: Path) -> list[str]:
    """The messages the file-based backend has finished writing: it creates each file before
    writing to it, and ends every message with a line of 79 dashes."""
    if not outbox.is_dir():
        return []
    texts = [path.read_text() for path in outbox.iterdir()]
    return [text for text in texts if text.rstrip().endswith("-" * 79)]


def test_serve_sends_a_questions_email_through_its_worker_and_stops_it(
    running: Running,
) -> None:
    wait_for(lambda: len(worker_pids(running.database)) == 1)
    [worker] = worker_pids(running.database)

    reference = post_question(running.url)

    wait_for(lambda: sent_emails(running.outbox) != [])
    [sent] = sent_emails(running.outbox)
    assert "To: pat@example.org" in sent
    assert reference in sent

    running.process.send_signal(signal.SIGTERM)
    running.process.wait(timeout=40)
    wait_for(lambda: not Path(f"/proc/{worker}").exists(), seconds=25)


def test_serve_restarts_a_worker_that_dies(running: Running) -> None:
    wait_for(lambda: len(worker_pids(running.database)) == 1)
    [first] = worker_pids(running.database)

    os.kill(first, signal.SIGKILL)

    wait_for(lambda: [p for p in worker_pids(running.database) if p != first] != [])
    post_question(running.url)
    wait_for(lambda: sent_emails(running.outbox) != [])


def test_a_worker_whose_server_died_stops_itself(tmp_path: Path) -> None:
    # The worker's parent is a shell that exits at once, as a killed server would.
    env = {
        **os.environ,
        "BEATBOOK_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'orphan.sqlite3'}",
    }
    subprocess.run([str(BEATBOOK), "migrate", "-v", "0"], env=env, check=True)
    launcher = subprocess.Popen(
        [
            "/bin/sh",
            "-c",
            f"{BEATBOOK} worker --parent-pid $$ & echo $!; sleep 3",
        ],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert launcher.stdout is not None
    worker = int(launcher.stdout.readline())
    launcher.wait(timeout=20)
    wait_for(lambda: not Path(f"/proc/{worker}").exists() or _zombie(worker), seconds=30)


def _zombie(pid: int) -> bool:
    try:
        return " Z " in Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True


IGNORES_SIGTERM = (
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)"
)


def test_the_supervisor_kills_a_worker_that_ignores_sigterm() -> None:
    supervisor = WorkerSupervisor(command=[sys.executable, "-c", IGNORES_SIGTERM])
    supervisor.start()
    assert supervisor.process is not None
    time.sleep(0.5)
    started = time.monotonic()
    supervisor.stop(timeout=1)
    assert supervisor.process.returncode == -signal.SIGKILL
    assert time.monotonic() - started < 10


CALLS: list[str] = []


def record_call() -> None:
    CALLS.append("ran")


def fail() -> None:
    raise RuntimeError("this job is broken")


@pytest.mark.django_db(transaction=True)
def test_the_sweeper_runs_each_job_when_due_and_survives_a_failing_one() -> None:
    CALLS.clear()
    jobs = [
        PeriodicJob("broken", 10, f"{__name__}.fail"),
        PeriodicJob("records", 10, f"{__name__}.record_call"),
    ]
    sweeper = Sweeper(jobs=jobs, parent_pid=None)

    sweeper.run_due(100.0)
    sweeper.run_due(105.0)
    assert CALLS == ["ran"]
    sweeper.run_due(110.0)
    assert CALLS == ["ran", "ran"]


@pytest.mark.django_db
def test_worker_refuses_to_run_when_tasks_run_in_process(settings: object) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="nothing for a worker to do"):
        call_command("worker")


@pytest.mark.django_db
def test_send_emails_sends_what_is_due(capsys: pytest.CaptureFixture[str]) -> None:
    from django.core import mail
    from django.utils import timezone

    from beatbook.enquiries.models import OutgoingEmail

    OutgoingEmail.objects.create(
        to="a@example.org", subject="Hi", body="Hello", next_attempt_at=timezone.now()
    )
    call_command("send_emails")
    assert "Sent 1 e-mail(s)" in capsys.readouterr().out
    assert len(mail.outbox) == 1
