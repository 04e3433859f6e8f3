"""``beatbook demo`` as a user runs it: the first run loads and serves, the second loads nothing.

How quickly the second run starts is measured by ``benchmarks/demo_restart.py``, not here: a
timed test fails on a slow or busy machine, whatever the code does."""

from __future__ import annotations

import http.cookiejar
import os
import re
import socket
import sqlite3
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

BEATBOOK = Path(sys.executable).with_name("beatbook")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_demo(data_dir: Path, *extra: str) -> tuple[str, str]:
    """Start the demo, wait until it serves, fetch /, stop it: (output, page)."""
    port = free_port()
    env = {
        **os.environ,
        "BEATBOOK_DATA_DIR": str(data_dir),
        "DATABASE_URL": "postgres://nobody@nowhere/none",
        # Ignored: the demo keeps its e-mail in the outbox (and serve would refuse this one).
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    process = subprocess.Popen(
        [str(BEATBOOK), "demo", "--port", str(port), "--workers", "1", "--no-access-log", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    output = []
    try:
        for line in process.stdout:
            output.append(line)
            if line.startswith("Press Ctrl+C"):
                break
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
            page = response.read().decode()
    finally:
        process.terminate()
        process.wait(timeout=30)
    return "".join(output), page


def loaded_rows(database: Path) -> list[tuple[int, int]]:
    """(rows, highest id) of the files loaded and of the crimes: a load again would change both."""
    with sqlite3.connect(database) as connection:
        return [
            connection.execute(f"SELECT count(*), coalesce(max(id), 0) FROM {table}").fetchone()
            for table in ("opendata_sourcefile", "opendata_crime")
        ]


def test_the_demo_loads_once_prints_how_to_sign_in_and_loads_nothing_the_second_time(
    tmp_path: Path,
) -> None:
    first, page = run_demo(tmp_path)

    assert "Street-level crime, 2025: 102,517 crimes" in first
    assert "Beatbook demo is running at http://127.0.0.1:" in first
    assert re.search(
        r"The demo sends no e-mail: read what it would send at "
        r"http://127\.0\.0\.1:\d+/staff/outbox/",
        first,
    )
    assert "W201" not in first  # no warning that e-mail is not set up: the demo means it
    assert "E201" not in first
    password = re.search(r"password: (\S+)", first)
    assert password is not None
    assert "102,517" in page
    assert (tmp_path / "demo.sqlite3").is_file()
    assert re.search(r"\d+ neighbourhood teams: .* upcoming events \(sample content\)", first)

    loaded = loaded_rows(tmp_path / "demo.sqlite3")
    second, _ = run_demo(tmp_path)

    assert "The demo data is already loaded." in second
    assert "neighbourhood teams" not in second  # made today already
    assert f"password: {password.group(1)}" in second
    assert loaded_rows(tmp_path / "demo.sqlite3") == loaded

    buckets = tmp_path / "demo-ratelimit.sqlite3"
    buckets.write_text("buckets of the old demo")
    reset, _ = run_demo(tmp_path, "--reset")

    assert "Deleted the demo database" in reset
    # The rate limiter's own file went with it (made again, empty, only if a request needs it).
    assert not buckets.exists() or buckets.read_bytes() != b"buckets of the old demo"
    assert "102,517 crimes" in reset
    assert f"password: {password.group(1)}" in reset


def test_the_demos_e_mails_link_to_the_port_it_serves_on(tmp_path: Path) -> None:
    """A resident asks Longton's team a question on a demo started with --port: the e-mail it
    keeps in the outbox links to that port, not to 127.0.0.1:8000."""
    port = free_port()
    env = {**os.environ, "BEATBOOK_DATA_DIR": str(tmp_path)}
    env.pop("SITE_URL", None)
    process = subprocess.Popen(
        [str(BEATBOOK), "demo", "--port", str(port), "--workers", "1", "--no-access-log"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    try:
        for line in process.stdout:
            if line.startswith("Press Ctrl+C"):
                break
        reference = ask_a_question(f"http://127.0.0.1:{port}", tmp_path / "demo.sqlite3")
    finally:
        process.terminate()
        process.wait(timeout=30)
    with sqlite3.connect(tmp_path / "demo.sqlite3") as database:
        [(body,)] = database.execute(
            "SELECT body FROM enquiries_outgoingemail WHERE "
            "question_id = (SELECT id FROM enquiries_question WHERE reference = ?) "
            "AND \"to\" = 'resident@example.org'",
            [reference],
        ).fetchall()
    assert f"http://127.0.0.1:{port}/questions/{reference}/" in body
    assert "127.0.0.1:8000" not in body


def ask_a_question(site: str, database: Path) -> str:
    """Send the ask form of Longton's page as a browser would; the new question's reference."""
    with sqlite3.connect(database) as connection:
        [(force, code)] = connection.execute(
            "SELECT force_id, code FROM places_neighbourhood WHERE name LIKE 'Longton%'"
        ).fetchall()
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    ask = f"{site}/neighbourhoods/{force}/{code}/ask/"
    with opener.open(ask) as page:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())
    assert token is not None
    form = {
        "csrfmiddlewaretoken": token.group(1),
        "kind": "question",
        "subject": "Parking outside the school",
        "body": "Who checks the parking outside the school at home time?",
        "email": "resident@example.org",
    }
    request = urllib.request.Request(
        ask, data=urllib.parse.urlencode(form).encode(), headers={"Referer": ask}
    )
    with opener.open(request) as sent:
        found = re.search(r"/questions/([A-Z0-9-]+)/sent/", sent.url)
    assert found is not None, sent.url
    return found.group(1)
