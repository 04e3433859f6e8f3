from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import CommandError

from beatbook.site.server import ServerOptions, default_workers, deployment_problems

BEATBOOK = Path(sys.executable).with_name("beatbook")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_line(process: subprocess.Popen[str], text: str, seconds: float = 30) -> list[str]:
    lines: list[str] = []
    deadline = time.monotonic() + seconds
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        lines.append(line)
        if text in line:
            return lines
    raise AssertionError(f"{text!r} never printed; output was:\n{''.join(lines)}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    port = free_port()
    env = {
        **os.environ,
        "BEATBOOK_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
    }
    env.pop("DATABASE_URL_FILE", None)
    process = subprocess.Popen(
        [str(BEATBOOK), "serve", "--port", str(port), "--workers", "2", "--no-access-log"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines = wait_for_line(process, "Beatbook is running at")
        yield f"http://127.0.0.1:{port}/", lines
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_beatbook_serve_serves_the_pages_and_the_stylesheet(server: tuple[str, list[str]]) -> None:
    url, lines = server

    with urllib.request.urlopen(url) as home:
        page = home.read().decode()
    with urllib.request.urlopen(f"{url}static/govuk/govuk-frontend.min.css") as css:
        stylesheet = css.read()
        css_type = css.headers["Content-Type"]

    assert f"Beatbook is running at {url}\n" in lines
    assert "Starting Beatbook with 2 workers...\n" in lines
    assert "Open Government Licence v3.0" in page
    assert css_type.startswith("text/css")
    assert b".govuk-template" in stylesheet


def test_it_refuses_a_port_that_is_in_use() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        with pytest.raises(CommandError, match=f"Port {port} on 127.0.0.1 is already in use"):
            call_command("serve", "--port", str(port), "--workers", "1")


def test_it_refuses_to_start_when_a_system_check_fails(capsys: pytest.CaptureFixture[str]) -> None:
    def broken(app_configs: object = None, **kwargs: object) -> list[checks.CheckMessage]:
        return [checks.Error("Something is badly set up.", id="test.E001")]

    checks.register(broken, deploy=True)
    try:
        with pytest.raises(CommandError, match="Not starting: 1 configuration error"):
            call_command("serve", "--port", str(free_port()))
    finally:
        checks.registry.registry.deployment_checks.discard(broken)

    assert "Something is badly set up." in capsys.readouterr().err


@pytest.mark.parametrize("port", ["0", "70000"])
def test_it_refuses_an_impossible_port(port: str) -> None:
    with pytest.raises(CommandError, match="--port must be between 1 and 65535"):
        call_command("serve", "--port", port)


def test_workers_default_to_web_concurrency_or_two_per_core(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert default_workers() == 3

    monkeypatch.delenv("WEB_CONCURRENCY")
    assert default_workers() == max(2, 2 * (os.cpu_count() or 1))

    monkeypatch.setenv("WEB_CONCURRENCY", "lots")
    with pytest.raises(CommandError, match="WEB_CONCURRENCY must be a whole number"):
        default_workers()


def test_an_ipv6_address_is_bracketed_in_the_url() -> None:
    assert ServerOptions(host="::1", port=8001).url == "http://[::1]:8001/"
    assert ServerOptions(host="::1", port=8001).bind == "[::1]:8001"


def test_it_warns_when_listening_to_others_with_only_local_allowed_hosts(settings) -> None:
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    errors, warnings = deployment_problems(host="0.0.0.0")
    _, local_warnings = deployment_problems(host="127.0.0.1")

    assert errors == []
    assert "beatbook.W101" in {w.id for w in warnings}
    assert "beatbook.W101" not in {w.id for w in local_warnings}


def raw_request(url: str, line: str) -> bytes:
    """Send one request line as written, over a plain socket, and read the whole answer."""
    port = int(url.rstrip("/").rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(f"{line}\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer


def test_a_get_line_over_4094_characters_is_400_saying_to_post(
    server: tuple[str, list[str]],
) -> None:
    url, _ = server
    poly = ":".join(["52.98,-2.14", "52.98,-2.12", "52.995,-2.12"] * 300)
    api_line = f"GET /api/crimes-street/all-crime?poly={poly} HTTP/1.1"
    page_line = "GET /?pad=" + "x" * (4095 - len("GET /?pad= HTTP/1.1")) + " HTTP/1.1"
    longest_line = page_line.replace("xx HTTP", "x HTTP")
    assert len(api_line) > 8190  # beyond gunicorn's own largest setting, too
    assert (len(page_line), len(longest_line)) == (4095, 4094)

    for line in (api_line, page_line):
        answer = raw_request(url, line)
        head, _, body = answer.partition(b"\r\n\r\n")

        assert head.startswith(b"HTTP/1.1 400 Bad Request\r\n"), head
        assert b"Content-Type: text/plain; charset=utf-8" in head
        assert body == b"Bad Request: request line longer than 4094 characters: POST the poly\n"

    assert raw_request(url, longest_line).startswith(b"HTTP/1.1 200 OK\r\n")


def test_beatbook_serve_refuses_to_start_with_debug_on(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "BEATBOOK_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "DEBUG": "true",
    }
    env.pop("DATABASE_URL_FILE", None)
    process = subprocess.Popen(
        [str(BEATBOOK), "serve", "--port", str(free_port()), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output, _ = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.terminate()
        output, _ = process.communicate(timeout=30)
        raise AssertionError(f"beatbook serve started with DEBUG on:\n{output}") from None

    assert process.returncode != 0
    assert "Not starting: DEBUG is on" in output
    assert "Unset DEBUG (or set DEBUG=false)" in output
    assert "is running at" not in output


def test_debug_is_an_error_for_any_server_listening_beyond_this_machine(settings) -> None:
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = ["beatbook.example.org"]
    errors, _ = deployment_problems(host="0.0.0.0")
    local_errors, _ = deployment_problems(host="127.0.0.1")

    assert "beatbook.E301" in {e.id for e in errors}
    assert "beatbook.E301" not in {e.id for e in local_errors}


def test_the_demo_refuses_debug_beyond_this_machine(
    settings, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.DEBUG = True
    settings.ALLOWED_HOSTS = ["beatbook.example.org"]
    with pytest.raises(CommandError, match="Not starting"):
        call_command("demo", "--host", "0.0.0.0", "--port", str(free_port()))

    assert "DEBUG is on and the server would listen on 0.0.0.0" in capsys.readouterr().err
