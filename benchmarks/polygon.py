"""Benchmark: the worst polygons a client can send, served the production way (``beatbook serve``),
against a named baseline in the same run: crimes within a mile of Hanley, Stoke-on-Trent.

Run from the repository root (needs ../shared/data; for the PostgreSQL half, a server):

    .venv/bin/python benchmarks/polygon.py
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432 BENCH_PG_DATABASE=beatbook_c_bench \\
        .venv/bin/python benchmarks/polygon.py
    BENCH_OLD_REPAIR=0 .venv/bin/python benchmarks/polygon.py   # skip the minute-long figure

For each database it builds a fresh one with Staffordshire's and Cheshire's 2025 street crime
(183,472 crimes; June 2025 holds 15,000 of them), starts ``beatbook serve`` (rate limit and
answer cache off, so every request does its work) and times, one request at a time:

  baseline        crimes within a mile of Hanley, June 2025 (GET lat/lng)
  star-140        the audit's attack: a 140-vertex star polygon, every edge crossing nearly
                  every other (GET, 2.7 KB)
  star-10000      the same with 10,000 vertices (POST, 200 KB)
  scribble-10000  10,000 random vertices joined in random order (POST, 200 KB)
  ring-10000      the largest valid polygon: 10,000 vertices round Hanley (POST, ~1 mile)
  national        a valid quadrilateral round England and Wales (GET): its box holds every
                  crime of the month, so it is read (up to 5 x API_AREA_LIMIT rows) and refused

and then /api/forces alone and while four clients send star-140 after star-140 (the audit's
four frozen workers).
It prints median and p95 milliseconds and each median's ratio to the baseline's, as Markdown
and JSON. With BENCH_OLD_REPAIR=1 (the default) it also times what the code before did with
star-140 (``shapely.make_valid``), in a child process stopped after 180 s.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import os
import platform
import random
import statistics
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from support import SHARED, beatbook_serve, free_port, load_in_subprocess, postgres_database

FILES = [SHARED / "policeuk" / "staffordshire-2025.zip", SHARED / "policeuk" / "cheshire-2025.zip"]
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "")
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "beatbook_bench_polygon")
REPEATS = int(os.environ.get("BENCH_REPEATS", "20"))
OLD_REPAIR = os.environ.get("BENCH_OLD_REPAIR", "1") == "1"
WORKERS = 4
HANLEY = (53.0244, -2.1782)
MONTH = "2025-06"

LOAD = """
import json, os, sys, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beatbook.settings")
django.setup()
from pathlib import Path
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from beatbook.opendata.services import ingest_paths
started = time.perf_counter()
summary = ingest_paths(paths=[Path(p) for p in sys.argv[1:]])
assert not summary.failed, [f.message for f in summary.failed]
print(json.dumps({"seconds": time.perf_counter() - started}))
"""


@dataclass(frozen=True)
class Result:
    database: str
    case: str
    status: int
    bytes_sent: int
    median_ms: float
    p95_ms: float
    ratio: float


def star(vertices: int) -> list[tuple[float, float]]:
    """A star polygon round Hanley: each vertex joined to the one almost opposite, so that
    every edge crosses nearly every other (repair's worst case)."""
    step = vertices // 2 - 1  # coprime with an even count: one ring through every vertex
    return [
        (
            round(HANLEY[0] + 0.01 * math.sin(2 * math.pi * i * step / vertices), 6),
            round(HANLEY[1] + 0.015 * math.cos(2 * math.pi * i * step / vertices), 6),
        )
        for i in range(vertices)
    ]


def scribble(vertices: int, seed: int = 11) -> list[tuple[float, float]]:
    """Random points round Hanley joined in random order."""
    rng = random.Random(seed)
    return [
        (
            round(HANLEY[0] + rng.uniform(-0.02, 0.02), 6),
            round(HANLEY[1] + rng.uniform(-0.03, 0.03), 6),
        )
        for _ in range(vertices)
    ]


def ring(vertices: int, radius_deg: float = 0.0145) -> list[tuple[float, float]]:
    """A circle of about a mile round Hanley."""
    scale = 1 / math.cos(math.radians(HANLEY[0]))
    return [
        (
            round(HANLEY[0] + radius_deg * math.sin(2 * math.pi * i / vertices), 7),
            round(HANLEY[1] + radius_deg * scale * math.cos(2 * math.pi * i / vertices), 7),
        )
        for i in range(vertices)
    ]


def text(vertices: list[tuple[float, float]]) -> str:
    return ":".join(f"{lat},{lng}" for lat, lng in vertices)


NATIONAL = [(49.8, -6.5), (49.8, 2.0), (55.9, 2.0), (55.9, -6.5)]
CASES: dict[str, tuple[str, str, str | None]] = {
    "baseline": ("GET", f"/api/crimes-street/all-crime?lat={HANLEY[0]}&lng={HANLEY[1]}", None),
    "star-140": ("GET", f"/api/crimes-street/all-crime?poly={text(star(140))}", None),
    "star-10000": ("POST", "/api/crimes-street/all-crime", text(star(10_000))),
    "scribble-10000": ("POST", "/api/crimes-street/all-crime", text(scribble(10_000))),
    "ring-10000": ("POST", "/api/crimes-street/all-crime", text(ring(10_000))),
    "national": ("GET", f"/api/crimes-street/all-crime?poly={text(NATIONAL)}", None),
}


def request(base: str, case: str) -> tuple[int, float]:
    method, path, body = CASES[case]
    separator = "&" if "?" in path else "?"
    url = f"{base}{path}{separator}date={MONTH}" if method == "GET" else base + path
    data = urllib.parse.urlencode({"poly": body, "date": MONTH}).encode() if body else None
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=300) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    return status, (time.perf_counter() - started) * 1000


def measure(base: str, case: str) -> tuple[int, list[float]]:
    request(base, case)  # warm every cache the case touches
    statuses, times = set(), []
    for _ in range(REPEATS):
        status, ms = request(base, case)
        statuses.add(status)
        times.append(ms)
    if len(statuses) != 1:
        raise SystemExit(f"{case}: answers changed between requests: {statuses}")
    return statuses.pop(), times


def p95(times: list[float]) -> float:
    return sorted(times)[max(0, math.ceil(0.95 * len(times)) - 1)]


def forces_under_attack(base: str) -> list[float]:
    """/api/forces timed while four clients send star-140 after star-140."""
    stop = threading.Event()

    def attack() -> None:
        while not stop.is_set():
            request(base, "star-140")

    threads = [threading.Thread(target=attack) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    try:
        times = [request_forces(base) for _ in range(REPEATS)]
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    return times


def run(database: str, database_url: str, workdir: Path) -> list[Result]:
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        BEATBOOK_DATA_DIR=str(workdir / database),
        API_RATE_LIMIT_ENABLED="false",
        API_RESPONSE_CACHE_MB="0",
        LOG_LEVEL="WARNING",
    )
    env.pop("DATABASE_URL_FILE", None)
    print(f"{database}: loading ({database_url})...", flush=True)
    seconds = load_in_subprocess(LOAD, [str(f) for f in FILES], env)
    print(f"{database}: loaded in {seconds:.0f} s", flush=True)
    port = free_port()
    server = beatbook_serve(env, port, WORKERS, "--no-access-log", "--no-worker")
    try:
        return measure_all(database, f"http://127.0.0.1:{port}")
    finally:
        server.terminate()
        server.wait(timeout=60)


def measure_all(database: str, base: str) -> list[Result]:
    results: list[Result] = []
    baseline = 0.0
    for case in CASES:
        status, times = measure(base, case)
        median = statistics.median(times)
        baseline = baseline or median
        sent = len(CASES[case][1]) + len(CASES[case][2] or "")
        results.append(Result(database, case, status, sent, median, p95(times), median / baseline))
        print(f"  {case:15} {status}  median {median:8.1f} ms  p95 {p95(times):8.1f} ms")
    alone = [request_forces(base) for _ in range(REPEATS)]
    busy = forces_under_attack(base)
    for case, times in (("forces, alone", alone), ("forces, 4 attacks in flight", busy)):
        median = statistics.median(times)
        results.append(Result(database, case, 200, 0, median, p95(times), median / baseline))
        print(f"  {case:28} median {median:8.1f} ms  p95 {p95(times):8.1f} ms")
    return results


def request_forces(base: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(base + "/api/forces", timeout=300) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def _repair(queue: multiprocessing.Queue[float]) -> None:
    import shapely

    shape = shapely.Polygon([(lng, lat) for lat, lng in star(140)])
    started = time.perf_counter()
    shapely.make_valid(shape)
    queue.put(time.perf_counter() - started)


def old_repair_seconds(limit: float = 180.0) -> float | None:
    """What the code before spent on star-140 before any query: ``make_valid``."""
    queue: multiprocessing.Queue[float] = multiprocessing.Queue()
    child = multiprocessing.Process(target=_repair, args=(queue,))
    child.start()
    child.join(limit)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    return queue.get()


def table(results: list[Result]) -> str:
    lines = [
        "| database | case | answer | sent | median ms | p95 ms | median / baseline |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.database} | {r.case} | {r.status} | {r.bytes_sent:,} B | {r.median_ms:.1f} "
            f"| {r.p95_ms:.1f} | {r.ratio:.2f}x |"
        )
    return "\n".join(lines)


def main() -> None:
    for path in FILES:
        if not path.is_file():
            raise SystemExit(f"{path} is not here: set BEATBOOK_SHARED_DATA")
    repair = old_repair_seconds() if OLD_REPAIR else None
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="beatbook-bench-polygon-") as tmp:
        workdir = Path(tmp)
        results += run("SQLite", f"sqlite:///{workdir / 'bench.sqlite3'}", workdir)
        if POSTGRES:
            results += run("PostgreSQL", postgres_database(POSTGRES, PG_DATABASE), workdir)
    print()
    print(f"{platform.node()}: {os.cpu_count()} cores, {WORKERS} workers, {REPEATS} requests each")
    if OLD_REPAIR:
        shown = f"{repair:.1f} s" if repair is not None else "over 180 s (stopped)"
        print(f"The code before: shapely.make_valid on star-140 alone: {shown}")
    print(table(results))
    print(json.dumps({"old_repair_seconds": repair, "results": [asdict(r) for r in results]}))


if __name__ == "__main__":
    main()
