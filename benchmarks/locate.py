"""Benchmark: ``locate-neighbourhood`` cold, with every LSOA of England and Wales loaded.

Run from the repository root (needs ../shared/data and, for the PostgreSQL half, a server):

    git worktree add /tmp/locate_old <commit before the change>
    BENCH_OLD_SRC=/tmp/locate_old/src .venv/bin/python benchmarks/locate.py
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432 BENCH_OLD_SRC=... \\
        .venv/bin/python benchmarks/locate.py

For each code (the named baseline ``old``, the code at ``BENCH_OLD_SRC`` run through PYTHONPATH,
then ``new``, this checkout) and each database, it builds a fresh database of the demo bundle's
places (Staffordshire's LSOAs, postcodes and 184 ward neighbourhoods) with that code, then:

  after import  starts ``beatbook serve`` (``BENCH_WORKERS`` workers), sends each worker a few
                requests, runs ``beatbook import-lsoa-boundaries`` on the national file
                (34,753 LSOAs) beside it, and then sends one request per worker at once: the
                first requests after an import;
  cold          ``BENCH_ROUNDS`` times: a fresh ``beatbook serve`` on the national data, one
                request per worker at once as soon as it says it is running (each worker busy
                with one, so each answers its own first request), then ``BENCH_WARM``
                requests one after another (warm).

Requests are ``/api/locate-neighbourhood?q=LAT,LNG`` at points inside Staffordshire's
neighbourhoods. It prints every latency, p50/p99/max per phase as a Markdown table, the
new/old ratios and the verdict against the goal (p99 under 100 ms from the first request),
then the same as JSON.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from support import (
    BEATBOOK,
    SHARED,
    beatbook_serve,
    free_port,
    latency_table,
    load_in_subprocess,
    postgres_database,
)

NATIONAL = SHARED / "geography" / "lsoa-2011-boundaries-ew-generalised.geojson.gz"
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "")
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "beatbook_bench_locate")
OLD_SRC = os.environ.get("BENCH_OLD_SRC", "")
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WARM = int(os.environ.get("BENCH_WARM", "50"))
GOAL_P99_MS = 100.0
TIMEOUT_SECONDS = 120

# Longton, Hanley, Stafford, Burton upon Trent, Leek, Tamworth, Uttoxeter, Cannock.
POINTS = [
    (52.9870, -2.1300),
    (53.0244, -2.1782),
    (52.8066, -2.1171),
    (52.8019, -1.6371),
    (53.1050, -2.0220),
    (52.6338, -1.6950),
    (52.8984, -1.8649),
    (52.6906, -2.0320),
]

LOAD = """
import json, os, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beatbook.settings")
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from beatbook.demo.bundle import FORCE_ID, demo_bundle_files
from beatbook.places import services as places
files = demo_bundle_files()
started = time.perf_counter()
places.lsoa_boundaries_import(path=files.boundaries)
places.lsoa_population_import(path=files.population_2011, census=2011)
places.lsoa_population_import(path=files.population_2021, census=2021)
places.lsoa_forces_import(path=files.forces)
places.postcodes_import(path=files.postcodes)
places.neighbourhoods_build(force_id=FORCE_ID, by="ward")
print(json.dumps({"seconds": time.perf_counter() - started}))
"""


@dataclass
class Phase:
    code: str
    database: str
    name: str
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0

    def summary(self) -> dict[str, object]:
        values = sorted(self.latencies_ms)
        return {
            "code": self.code,
            "database": self.database,
            "phase": self.name,
            "requests": len(values),
            "p50_ms": round(statistics.median(values), 1) if values else None,
            "p99_ms": round(percentile(values, 99), 1) if values else None,
            "max_ms": round(values[-1], 1) if values else None,
            "errors": self.errors,
            "latencies_ms": [round(value, 1) for value in self.latencies_ms],
        }


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def request(base: str, point: tuple[float, float], phase: Phase) -> None:
    url = f"{base}/api/locate-neighbourhood?q={point[0]},{point[1]}"
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
            body = json.loads(answer.read())
        ok = body.get("force") == "staffordshire"
    except (urllib.error.URLError, TimeoutError, ValueError):
        ok = False
    phase.latencies_ms.append((time.perf_counter() - started) * 1000)
    phase.errors += 0 if ok else 1


def at_once(base: str, phase: Phase, offset: int) -> None:
    """One request per worker, all at once: a worker busy with one leaves the next to another."""
    threads = [
        threading.Thread(target=request, args=(base, POINTS[(offset + i) % len(POINTS)], phase))
        for i in range(WORKERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def stop(server: subprocess.Popen[str]) -> None:
    server.terminate()
    server.wait(timeout=60)


def after_import(code: str, database: str, env: dict[str, str]) -> tuple[Phase, float]:
    phase = Phase(code, database, "first after an import")
    port = free_port()
    server = beatbook_serve(env, port, WORKERS, "--no-access-log", "--no-worker")
    base = f"http://127.0.0.1:{port}"
    try:
        warmup = Phase(code, database, "warm-up")
        for _ in range(3):
            at_once(base, warmup, 0)
        started = time.perf_counter()
        subprocess.run(  # noqa: S603
            [str(BEATBOOK), "import-lsoa-boundaries", str(NATIONAL)],
            env=env,
            check=True,
            capture_output=True,
        )
        seconds = time.perf_counter() - started
        at_once(base, phase, 1)
    finally:
        stop(server)
    return phase, seconds


def cold_rounds(code: str, database: str, env: dict[str, str]) -> tuple[Phase, Phase]:
    cold = Phase(code, database, "first on each worker")
    warm = Phase(code, database, "warm")
    for number in range(ROUNDS):
        port = free_port()
        server = beatbook_serve(env, port, WORKERS, "--no-access-log", "--no-worker")
        base = f"http://127.0.0.1:{port}"
        try:
            at_once(base, cold, number)
            for i in range(WARM):
                request(base, POINTS[i % len(POINTS)], warm)
        finally:
            stop(server)
    return cold, warm


def run(code: str, src: str, database: str, database_url: str, workdir: Path) -> list[Phase]:
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        BEATBOOK_DATA_DIR=str(workdir / f"{database}-{code}"),
        API_RATE_LIMIT_ENABLED="false",
        API_RESPONSE_CACHE_MB="0",
        LOG_LEVEL="WARNING",
    )
    env.pop("DATABASE_URL_FILE", None)
    if src:
        env["PYTHONPATH"] = src
    print(f"{code}, {database}: loading the demo's places...", flush=True)
    print(f"  loaded in {load_in_subprocess(LOAD, [], env):.0f} s", flush=True)
    imported, seconds = after_import(code, database, env)
    print(f"  import-lsoa-boundaries (national) took {seconds:.1f} s", flush=True)
    cold, warm = cold_rounds(code, database, env)
    for phase in (imported, cold, warm):
        row = phase.summary()
        print(
            f"  {row['phase']:24} p50 {row['p50_ms']} ms  p99 {row['p99_ms']} ms  "
            f"max {row['max_ms']} ms  errors {row['errors']}",
            flush=True,
        )
    return [imported, cold, warm]


def verdicts(phases: list[Phase]) -> list[str]:
    by_key = {(p.code, p.database, p.name): p.summary() for p in phases}
    lines = []
    for (code, database, name), row in by_key.items():
        old = by_key.get(("old", database, name))
        ratio = ""
        if code == "new" and old is not None:
            ratio = f"; new/old p99 {float(str(row['p99_ms'])) / float(str(old['p99_ms'])):.4f}x"
        met = float(str(row["p99_ms"])) < GOAL_P99_MS and row["errors"] == 0
        lines.append(
            f"{code} code, {database}, {name}: p99 {row['p99_ms']} ms{ratio}; "
            f"goal (p99 < {GOAL_P99_MS:.0f} ms, no errors) {'MET' if met else 'NOT MET'}"
        )
    return lines


def main() -> None:
    if not NATIONAL.is_file():
        raise SystemExit(f"{NATIONAL} is not here: set BEATBOOK_SHARED_DATA")
    codes = [("old", OLD_SRC), ("new", "")] if OLD_SRC else [("new", "")]
    phases: list[Phase] = []
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="beatbook-bench-locate-") as tmp:
        workdir = Path(tmp)
        for code, src in codes:
            url = f"sqlite:///{workdir / f'{code}.sqlite3'}"
            phases += run(code, src, "SQLite", url, workdir)
            if POSTGRES:
                url = postgres_database(POSTGRES, f"{PG_DATABASE}_{code}")
                phases += run(code, src, "PostgreSQL", url, workdir)
    print()
    print(
        f"{platform.node()}: {os.cpu_count()} cores, load average {load:.1f} at the start and "
        f"{os.getloadavg()[0]:.1f} at the end; {WORKERS} gunicorn workers; {ROUNDS} fresh "
        f"servers; {WARM} warm requests each"
    )
    print(latency_table([phase.summary() for phase in phases]))
    for line in verdicts(phases):
        print(line)
    print(json.dumps([p.summary() for p in phases]))


if __name__ == "__main__":
    main()
