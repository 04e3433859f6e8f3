"""What the benchmarks that run a real server share: paths, a free port, a scratch PostgreSQL
database, a data-loading subprocess and ``beatbook serve`` started and waited for.

The benchmarks are run as scripts (``python benchmarks/api.py``), so this module is imported
from the script's own folder.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BEATBOOK_SHARED_DATA", REPO.parent / "shared" / "data"))
BEATBOOK = Path(sys.executable).with_name("beatbook")
SERVER_START_SECONDS = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def postgres_database(server_url: str, name: str) -> str:
    """A new, empty database ``name`` on ``server_url`` (dropped first if it is there)."""
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")
    return f"{server_url}/{name}"


def load_in_subprocess(script: str, args: list[str], env: dict[str, str]) -> float:
    """Run a loading ``script`` (Python source) that prints ``{"seconds": ...}`` last."""
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"loading the data failed:\n{done.stderr[-4000:]}")
    return float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])


def beatbook_serve(
    env: dict[str, str], port: int, workers: int, *extra: str
) -> subprocess.Popen[str]:
    """``beatbook serve`` on ``port``, returned once it says it is running."""
    return beatbook_start("serve", env, port, workers, *extra)


def beatbook_start(
    command_name: str, env: dict[str, str], port: int, workers: int, *extra: str
) -> subprocess.Popen[str]:
    """``beatbook serve`` or ``beatbook demo`` on ``port``, returned once it says it is running
    (both say so only when the server is listening)."""
    command = [str(BEATBOOK), command_name, "--port", str(port), "--workers", str(workers), *extra]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if "is running at" in line:
            # Keep reading its output so that a chatty server never blocks on a full pipe.
            threading.Thread(target=process.stdout.read, daemon=True).start()
            return process
        if not line and process.poll() is not None:
            break
    process.terminate()
    raise SystemExit(f"beatbook {command_name} did not start")


def latency_table(rows: list[dict[str, object]]) -> str:
    """Phases' summaries (code, database, phase, requests, p50/p99/max ms, errors) as Markdown."""
    lines = [
        "| code | database | phase | requests | p50 ms | p99 ms | max ms | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['code']} | {row['database']} | {row['phase']} | {row['requests']} "
            f"| {row['p50_ms']} | {row['p99_ms']} | {row['max_ms']} | {row['errors']} |"
        )
    return "\n".join(lines)


def page_times(client: Any, path: str, runs: int) -> list[float]:
    """Milliseconds for each of ``runs`` GETs of ``path`` by a Django test client (each must
    answer 200)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return times


def percentile_of(values: list[float], q: float) -> float:
    """The ``q``th percentile (1-99) of ``values``; the value itself when there is one."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]
