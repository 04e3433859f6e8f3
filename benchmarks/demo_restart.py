"""Benchmark: how long ``beatbook demo`` takes to start again once its data is loaded.

Issue 2 asks that a second run "starts in a few seconds and loads nothing twice". The test
(``tests/demo/test_demo_command.py``) checks that nothing is loaded twice; this script measures
the few seconds, because a timed test fails on a slow or busy machine whatever the code does.

It loads the demo once into a scratch data folder, then, taking turns for ``BENCH_ROUNDS``
rounds (default 5), starts each contender as a fresh process with one worker and times it from
launch until it has answered the home page:

- ours: ``beatbook demo`` again on the loaded data (migrate, the "already loaded" check, the
  sample content's freshness checks, the system checks, then the server);
- baseline "serve": ``beatbook serve`` on the same database file, the least any start of the
  site can cost (the demo is ``serve`` plus its data).

Prints the first load's time, the best and median of each contender and the ratio of medians.

    .venv/bin/python benchmarks/demo_restart.py
"""

from __future__ import annotations

import os
import platform
import statistics
import tempfile
import time
import urllib.request
from pathlib import Path

from support import beatbook_start, free_port


def started(command_name: str, env: dict[str, str]) -> float:
    """Seconds from launching ``beatbook <command_name>`` until it has answered ``/``; then
    stop it."""
    port = free_port()
    began = time.perf_counter()
    process = beatbook_start(command_name, env, port, 1, "--no-access-log")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as response:
            response.read()
        return time.perf_counter() - began
    finally:
        process.terminate()
        process.wait(timeout=60)


def main() -> None:
    rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
    with tempfile.TemporaryDirectory(prefix="beatbook-bench-demo-") as folder:
        base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SITE_URL")}
        demo_env = {**base, "BEATBOOK_DATA_DIR": folder}
        serve_env = {**demo_env, "DATABASE_URL": f"sqlite:///{Path(folder) / 'demo.sqlite3'}"}
        first = started("demo", demo_env)
        times: dict[str, list[float]] = {"demo": [], "serve": []}
        for _ in range(rounds):
            times["demo"].append(started("demo", demo_env))
            times["serve"].append(started("serve", serve_env))
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {rounds} rounds")
    print(f"  first run (loads the demo data)     {first:.1f} s")
    for kind, runs in times.items():
        label = f"beatbook {kind}, started and answered /"
        print(f"  {label:36s} best {min(runs):.2f} s, median {statistics.median(runs):.2f} s")
    ratio = statistics.median(times["demo"]) / statistics.median(times["serve"])
    print(f"  demo again / serve: {ratio:.2f}x (medians)")


if __name__ == "__main__":
    main()
