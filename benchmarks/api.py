"""Benchmark: the open API under load, served the production way (``beatbook serve``).

Run from the repository root (needs ../shared/data, ``wrk`` (Debian: ``apt-get install wrk``)
and, for the PostgreSQL half, a server):

    .venv/bin/python benchmarks/api.py
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432 .venv/bin/python benchmarks/api.py
    BENCH_SECONDS=20 BENCH_WORKERS=4 .venv/bin/python benchmarks/api.py

For each database it builds a fresh one with the demo bundle (Staffordshire 2025 with its
LSOAs, postcodes and ward neighbourhoods), all of ``merseyside-2018-2021.zip`` (627k crimes,
so the tables are not toy-sized) and the demo's sample teams, starts ``beatbook serve`` with
the rate limit off, and drives three queries with wrk at 1, 8 and 32 connections, asking for
gzip as the Python clients do, once with the answer cache off (every request runs its queries)
and once with it on (the default):

  stoke      crimes within a mile of Hanley, Stoke-on-Trent, one month
  liverpool  crimes within a mile of central Liverpool, one month
  detail     a neighbourhood's detail (Longton)

It prints requests per second and p50/p99 latency for each, as a Markdown table and as JSON.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import tempfile
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from support import SHARED, beatbook_serve, free_port, load_in_subprocess, postgres_database

MERSEYSIDE = SHARED / "policeuk" / "merseyside-2018-2021.zip"
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "")
PG_DATABASE = "beatbook_bench_api"
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1))))
CONNECTIONS = (1, 8, 32)

QUERIES = {
    "stoke": "/api/crimes-street/all-crime?lat=53.0244&lng=-2.1782&date=2025-06",
    "liverpool": "/api/crimes-street/all-crime?lat=53.4055&lng=-2.9806&date=2021-06",
    "detail": "/api/staffordshire/longton-meir-hay-south",
}

LOAD = """
import json, os, sys, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beatbook.settings")
django.setup()
from pathlib import Path
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from beatbook.demo.loader import demo_data_load
from beatbook.opendata.services import ingest_paths
from beatbook.demo.sample_teams import demo_teams_refresh
started = time.perf_counter()
demo_data_load()
summary = ingest_paths(paths=[Path(sys.argv[1])])
assert not summary.failed, [f.message for f in summary.failed]
demo_teams_refresh(force_id="staffordshire")
print(json.dumps({"seconds": time.perf_counter() - started}))
"""


@dataclass(frozen=True)
class Result:
    database: str
    cache: bool
    query: str
    connections: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def check(base: str) -> dict[str, int]:
    """Each query answers 200 with something in it (and warms every worker's caches)."""
    sizes = {}
    for name, path in QUERIES.items():
        for _ in range(WORKERS * 2):
            with urllib.request.urlopen(base + path, timeout=60) as response:
                body = json.loads(response.read())
        sizes[name] = len(body)
        if not body:
            raise SystemExit(f"{name}: {path} answered nothing: is the data loaded?")
    return sizes


_LATENCY = re.compile(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, connections: int) -> tuple[float, float, float, int]:
    done = subprocess.run(
        [
            "wrk",
            f"-t{min(connections, 2)}",
            f"-c{connections}",
            f"-d{SECONDS}s",
            "--latency",
            "-H",
            "Accept-Encoding: gzip",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = done.stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    latency = {p: float(v) * _UNIT_MS[u] for p, v, u in _LATENCY.findall(out)}
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    failed = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    error_count = int(errors.group(1)) if errors else 0
    if failed:
        error_count += sum(int(n) for n in failed.groups())
    return rate, latency["50"], latency["99"], error_count


def run(database: str, database_url: str, workdir: Path) -> list[Result]:
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        BEATBOOK_DATA_DIR=str(workdir / database),
        API_RATE_LIMIT_ENABLED="false",
        LOG_LEVEL="WARNING",
    )
    env.pop("DATABASE_URL_FILE", None)
    print(f"{database}: loading ({database_url})...", flush=True)
    seconds = load_in_subprocess(LOAD, [str(MERSEYSIDE)], env)
    print(f"{database}: loaded in {seconds:.0f} s", flush=True)
    results = []
    for cache_mb in ("0", "64"):
        results += measure(database, dict(env, API_RESPONSE_CACHE_MB=cache_mb))
    return results


def measure(database: str, env: dict[str, str]) -> list[Result]:
    cache = env["API_RESPONSE_CACHE_MB"] != "0"
    port = free_port()
    server = beatbook_serve(env, port, WORKERS, "--no-access-log")
    results = []
    try:
        base = f"http://127.0.0.1:{port}"
        print(f"{database}, cache {'on' if cache else 'off'}: items {check(base)}", flush=True)
        for name, path in QUERIES.items():
            for connections in CONNECTIONS:
                rate, p50, p99, errors = wrk(base + path, connections)
                results.append(Result(database, cache, name, connections, rate, p50, p99, errors))
                print(
                    f"  {name:10} c={connections:<3} {rate:8.1f} req/s  p50 {p50:7.1f} ms"
                    f"  p99 {p99:7.1f} ms  errors {errors}",
                    flush=True,
                )
    finally:
        server.terminate()
        server.wait(timeout=60)
    return results


def table(results: list[Result]) -> str:
    lines = [
        "| database | answer cache | query | clients | requests/s | p50 ms | p99 ms | errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.database} | {'on' if r.cache else 'off'} | {r.query} | {r.connections} "
            f"| {r.requests_per_second:,.1f} "
            f"| {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.errors} |"
        )
    return "\n".join(lines)


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    if not MERSEYSIDE.is_file():
        raise SystemExit(f"{MERSEYSIDE} is not here: set BEATBOOK_SHARED_DATA")
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="beatbook-bench-api-") as tmp:
        workdir = Path(tmp)
        results += run("SQLite", f"sqlite:///{workdir / 'bench.sqlite3'}", workdir)
        if POSTGRES:
            results += run("PostgreSQL", postgres_database(POSTGRES, PG_DATABASE), workdir)
    print()
    print(f"{platform.node()}: {os.cpu_count()} cores, {WORKERS} workers, {SECONDS} s per run")
    print(table(results))
    print(json.dumps([asdict(r) for r in results]))


if __name__ == "__main__":
    main()
