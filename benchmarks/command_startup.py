"""Start-up time of a ``beatbook`` command that serves no pages, against named baselines in the
same run (ADR 14).

Times, each as a fresh process on an empty, migrated SQLite database in a scratch folder:

- ours: ``beatbook locate 52.99 -2.13`` (start-up, the model checks and Beatbook's own, the
  schema check, one lookup; it ends with "in no police force we hold", as nothing is loaded);
- baseline "django": ``python -c "import django; django.setup()"`` with Beatbook's settings,
  the least any Django command can cost;
- baseline "all checks": ``beatbook check``, which runs every system check and so imports every
  page, as every command did before ADR 14.

Prints the best and median of ``BENCH_ROUNDS`` (default 5) runs of each, the contenders taking
turns, and the ratios.

    .venv/bin/python benchmarks/command_startup.py
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
CONTENDERS = {
    "ours (beatbook locate)": [str(BIN / "beatbook"), "locate", "52.99", "-2.13"],
    "django (setup only)": [
        sys.executable,
        "-c",
        "import os, django; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
        "'beatbook.settings'); django.setup()",
    ],
    "all checks (beatbook check)": [str(BIN / "beatbook"), "check"],
}


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, capture_output=True, check=False)
    return time.perf_counter() - started


def main() -> None:
    rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
    with tempfile.TemporaryDirectory(prefix="beatbook-bench-startup-") as folder:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(
            BEATBOOK_DATA_DIR=folder, DATABASE_URL=f"sqlite:///{Path(folder) / 'db.sqlite3'}"
        )
        subprocess.run([str(BIN / "beatbook"), "migrate", "-v", "0"], env=env, check=True)
        times: dict[str, list[float]] = {name: [] for name in CONTENDERS}
        for _ in range(rounds):
            for name, command in CONTENDERS.items():
                times[name].append(timed(command, env))
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {rounds} rounds")
    for name, runs in times.items():
        print(f"  {name:30s} best {min(runs):.2f} s, median {statistics.median(runs):.2f} s")
    ours = statistics.median(times["ours (beatbook locate)"])
    for baseline in ("django (setup only)", "all checks (beatbook check)"):
        ratio = ours / statistics.median(times[baseline])
        print(f"  ours / {baseline}: {ratio:.2f}x (medians)")


if __name__ == "__main__":
    main()
