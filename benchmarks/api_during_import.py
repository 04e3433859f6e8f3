"""Benchmark: the open API while ``beatbook ingest --reload`` replaces Merseyside 2018-2021.

Run from the repository root (needs ../shared/data and, for the PostgreSQL half, a server):

    .venv/bin/python benchmarks/api_during_import.py
    BENCH_POSTGRES_URL=postgres://postgres@127.0.0.1:5432 \
        .venv/bin/python benchmarks/api_during_import.py
    BENCH_OLD_SRC=/tmp/old/src ...   (also run the same phases on another checkout's code)

For each database it builds a fresh one (the demo bundle's places: Staffordshire's LSOAs,
postcodes and ward neighbourhoods; then all of ``merseyside-2018-2021.zip``, 627,122 crimes;
with ``BENCH_SCENARIO=with-staffordshire`` the demo's 102,517 crimes of 2025 as well), starts
``beatbook serve`` (gunicorn, ``BENCH_WORKERS`` workers, the rate limit ON at its defaults,
clients told apart by X-Forwarded-For) and fires a mix of API requests from ``BENCH_CLIENTS``
clients, each at ``BENCH_RATE`` requests a second:

  baseline  for ``BENCH_SECONDS`` with nothing else running (the named baseline);
  import    for as long as ``beatbook ingest --reload merseyside-2018-2021.zip`` runs beside it.

With Merseyside's crimes the only ones held, the reload brings as many rows as the database
holds, which is what made the old code choose bulk mode (indexes dropped in one transaction);
with Staffordshire's too, the old code reloaded file by file.

The mix: crimes within a mile of a point (Merseyside, any month, and Stoke), crimes inside a
small polygon, crimes and outcomes at a location, a crime's outcomes, crimes with no location,
forces, a force, Staffordshire's neighbourhoods, a neighbourhood, locate-neighbourhood and the
last update: points jittered and months drawn at random, so the answer cache rarely helps.

It prints p50/p99/max latency and errors (anything but 200, or no answer within 60 s) for each
phase, the ratio of the import phase's p99 to the baseline's, the import's own time and, on
SQLite, how big the write-ahead log was left. With
``BENCH_OLD_SRC`` the same phases run first on that code (PYTHONPATH), then the database is
migrated and they run on this checkout's code: that gives the import's time before and after.
"""

from __future__ import annotations

import json
import math
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from support import BEATBOOK, SHARED, beatbook_serve, free_port, latency_table, postgres_database

MERSEYSIDE = SHARED / "policeuk" / "merseyside-2018-2021.zip"
POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "")
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "beatbook_bench_api_import")
OLD_SRC = os.environ.get("BENCH_OLD_SRC", "")
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
RATE = float(os.environ.get("BENCH_RATE", "5"))
PORT = int(os.environ.get("BENCH_PORT", "0"))
# "merseyside": the demo's places and Merseyside's crimes, so that the reload brings as many rows
# as are held (what decided bulk mode); "with-staffordshire": the demo's 2025 crimes as well.
SCENARIO = os.environ.get("BENCH_SCENARIO", "merseyside")
TIMEOUT = 60.0
GOAL_P99_MS = 500.0

LOAD = """
import json, os, sys, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beatbook.settings")
django.setup()
from pathlib import Path
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from beatbook.demo.bundle import FORCE_ID, demo_bundle_files
from beatbook.demo.loader import demo_data_load
from beatbook.opendata.services import ingest_paths
from beatbook.places import services as places
started = time.perf_counter()
if sys.argv[2] == "with-staffordshire":
    demo_data_load()
else:
    # The demo's places without its crimes: Merseyside's then are all the crimes held.
    files = demo_bundle_files()
    places.lsoa_boundaries_import(path=files.boundaries)
    places.lsoa_population_import(path=files.population_2011, census=2011)
    places.lsoa_population_import(path=files.population_2021, census=2021)
    places.lsoa_forces_import(path=files.forces)
    places.postcodes_import(path=files.postcodes)
    places.neighbourhoods_build(force_id=FORCE_ID, by="ward")
summary = ingest_paths(paths=[Path(sys.argv[1])])
assert not summary.failed, [f.message for f in summary.failed]
print(json.dumps({"seconds": time.perf_counter() - started}))
"""

MERSEYSIDE_MONTHS = [
    f"{year}-{month:02d}"
    for year in range(2018, 2022)
    for month in range(1, 13)
    if (year, month) <= (2021, 9) and (year, month) != (2019, 7)
]
STOKE_MONTHS = [f"2025-{month:02d}" for month in range(1, 13)]
LIVERPOOL = (53.4055, -2.9806)
STOKE = (53.0244, -2.1782)


@dataclass
class Targets:
    """Real ids to ask about, found once the data is loaded."""

    location_ids: list[int]
    persistent_ids: list[str]
    neighbourhoods: list[str]


@dataclass
class Phase:
    code: str
    database: str
    name: str
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict[str, object]:
        ordered = sorted(self.latencies_ms)
        return {
            "code": self.code,
            "database": self.database,
            "phase": self.name,
            "seconds": round(self.seconds, 1),
            "requests": len(ordered),
            "p50_ms": round(_percentile(ordered, 50), 1),
            "p99_ms": round(_percentile(ordered, 99), 1),
            "max_ms": round(ordered[-1], 1) if ordered else 0.0,
            "errors": sum(self.errors.values()),
            "error_kinds": dict(self.errors),
        }


def _percentile(ordered: list[float], percent: float) -> float:
    if not ordered:
        return 0.0
    rank = max(0, math.ceil(percent / 100 * len(ordered)) - 1)
    return ordered[rank]


def _jitter(centre: tuple[float, float], rng: random.Random, spread: float) -> tuple[float, float]:
    return (
        round(centre[0] + rng.uniform(-spread, spread), 4),
        round(centre[1] + rng.uniform(-spread, spread), 4),
    )


def _square(centre: tuple[float, float], half: float) -> str:
    lat, lng = centre
    corners = [(lat - half, lng - half), (lat - half, lng + half), (lat + half, lng + half)]
    corners.append((lat + half, lng - half))
    return ":".join(f"{a:.4f},{b:.4f}" for a, b in corners)


def request_path(rng: random.Random, targets: Targets) -> str:  # noqa: C901, PLR0911 - a menu
    """One request of the mix, drawn at random (weights in tenths of the whole)."""
    roll = rng.random()
    month = rng.choice(MERSEYSIDE_MONTHS)
    if roll < 0.20:
        lat, lng = _jitter(LIVERPOOL, rng, 0.04)
        return f"/api/crimes-street/all-crime?{urlencode({'lat': lat, 'lng': lng, 'date': month})}"
    if roll < 0.30:
        lat, lng = _jitter(STOKE, rng, 0.03)
        query = {"lat": lat, "lng": lng, "date": rng.choice(STOKE_MONTHS)}
        return f"/api/crimes-street/all-crime?{urlencode(query)}"
    if roll < 0.40:
        poly = _square(_jitter(LIVERPOOL, rng, 0.04), 0.005)
        return f"/api/crimes-street/all-crime?{urlencode({'poly': poly, 'date': month})}"
    if roll < 0.50:
        location = rng.choice(targets.location_ids)
        return f"/api/crimes-at-location?{urlencode({'location_id': location, 'date': month})}"
    if roll < 0.55:
        location = rng.choice(targets.location_ids)
        return f"/api/outcomes-at-location?{urlencode({'location_id': location, 'date': month})}"
    if roll < 0.60:
        return f"/api/outcomes-for-crime/{rng.choice(targets.persistent_ids)}"
    if roll < 0.65:
        query = {"category": "all-crime", "force": "merseyside", "date": month}
        return f"/api/crimes-no-location?{urlencode(query)}"
    if roll < 0.70:
        return "/api/forces"
    if roll < 0.75:
        return f"/api/forces/{rng.choice(['merseyside', 'staffordshire'])}"
    if roll < 0.80:
        return "/api/staffordshire/neighbourhoods"
    if roll < 0.85:
        return f"/api/staffordshire/{rng.choice(targets.neighbourhoods)}"
    if roll < 0.95:
        lat, lng = _jitter(STOKE, rng, 0.05)
        return f"/api/locate-neighbourhood?q={lat},{lng}"
    return "/api/crime-last-updated"


def port_to_serve_on() -> int:
    return PORT or free_port()


def _get(url: str, client: int) -> tuple[int, bytes]:
    request = urllib.request.Request(  # noqa: S310 - a local server of our own
        url, headers={"X-Forwarded-For": f"198.51.100.{client}", "Accept-Encoding": "identity"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            return int(response.status), response.read()
    except urllib.error.HTTPError as error:
        return int(error.code), b""


def find_targets(base: str) -> Targets:
    locations: list[int] = []
    persistent: list[str] = []
    rng = random.Random(7)
    for month in MERSEYSIDE_MONTHS[::6]:
        lat, lng = _jitter(LIVERPOOL, rng, 0.02)
        url = f"{base}/api/crimes-street/all-crime?lat={lat}&lng={lng}&date={month}"
        status, body = _get(url, 250)
        if status != 200:
            raise SystemExit(f"{url} answered {status}: is the data loaded?")
        for crime in json.loads(body)[:40]:
            locations.append(int(crime["location"]["street"]["id"]))
            if crime.get("persistent_id"):
                persistent.append(str(crime["persistent_id"]))
    status, body = _get(f"{base}/api/staffordshire/neighbourhoods", 250)
    neighbourhoods = [str(item["id"]) for item in json.loads(body)]
    if not locations or not persistent or not neighbourhoods:
        raise SystemExit("found no crimes, Crime IDs or neighbourhoods to ask about")
    return Targets(locations, persistent, neighbourhoods)


def _client(
    number: int,
    base: str,
    targets: Targets,
    phase: Phase,
    stop: threading.Event,
    lock: threading.Lock,
) -> None:
    rng = random.Random(number)
    interval = 1.0 / RATE
    next_start = time.monotonic() + rng.uniform(0, interval)
    while not stop.is_set():
        pause = next_start - time.monotonic()
        if pause > 0 and stop.wait(pause):
            return
        next_start += interval
        path = request_path(rng, targets)
        started = time.perf_counter()
        try:
            status, _ = _get(base + path, number)
            kind = "" if status == 200 else f"HTTP {status}"
        except (OSError, TimeoutError) as error:
            kind = type(error).__name__
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            phase.latencies_ms.append(elapsed)
            if kind:
                phase.errors[kind] = phase.errors.get(kind, 0) + 1


def fire(base: str, targets: Targets, phase: Phase, until: threading.Event) -> None:
    """Every client fires until ``until`` is set."""
    lock = threading.Lock()
    threads = [
        threading.Thread(target=_client, args=(number, base, targets, phase, until, lock))
        for number in range(1, CLIENTS + 1)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.seconds = time.monotonic() - started


def baseline(base: str, targets: Targets, phase: Phase) -> None:
    stop = threading.Event()
    timer = threading.Timer(SECONDS, stop.set)
    timer.start()
    fire(base, targets, phase, stop)


def during_import(base: str, targets: Targets, phase: Phase, env: dict[str, str]) -> float:
    """Fire while the reload runs; the reload's own wall time."""
    stop = threading.Event()
    outcome: dict[str, object] = {}

    def reload() -> None:
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603
            [str(BEATBOOK), "ingest", "--reload", str(MERSEYSIDE)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        outcome["seconds"] = time.perf_counter() - started
        outcome["done"] = done
        stop.set()

    # The clients start a moment before the import, so the first files meet a busy server.
    runner = threading.Timer(1.0, reload)
    runner.start()
    fire(base, targets, phase, stop)
    runner.join()
    done = outcome["done"]
    assert isinstance(done, subprocess.CompletedProcess)
    if done.returncode:
        raise SystemExit(f"the reload failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return float(str(outcome["seconds"]))


def code_env(env: dict[str, str], src: str) -> dict[str, str]:
    if not src:
        return env
    return dict(env, PYTHONPATH=src)


def build(env: dict[str, str]) -> float:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", LOAD, str(MERSEYSIDE), SCENARIO],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"loading the data failed:\n{done.stderr[-4000:]}")
    return float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"])


def migrate(env: dict[str, str]) -> None:
    subprocess.run([str(BEATBOOK), "migrate", "-v0"], env=env, check=True)  # noqa: S603


def measure(code: str, database: str, env: dict[str, str]) -> tuple[list[Phase], float]:
    port = port_to_serve_on()
    server = beatbook_serve(env, port, WORKERS, "--no-access-log", "--no-worker")
    try:
        base = f"http://127.0.0.1:{port}"
        targets = find_targets(base)
        quiet = Phase(code, database, "baseline (no import)", 0.0)
        baseline(base, targets, quiet)
        busy = Phase(code, database, "during ingest --reload", 0.0)
        seconds = during_import(base, targets, busy, env)
        # While the server still has the file open, so the log is not checkpointed away.
        wal = _wal_megabytes(env["DATABASE_URL"])
    finally:
        server.terminate()
        server.wait(timeout=60)
    for phase in (quiet, busy):
        report(phase.summary())
    print(f"  {code}, {database}: the reload took {seconds:.1f} s{wal}", flush=True)
    return [quiet, busy], seconds


def _wal_megabytes(database_url: str) -> str:
    if not database_url.startswith("sqlite:///"):
        return ""
    wal = Path(database_url.removeprefix("sqlite:///") + "-wal")
    size = wal.stat().st_size / 1e6 if wal.exists() else 0.0
    return f"; write-ahead log left at {size:.0f} MB"


def report(row: dict[str, object]) -> None:
    print(
        f"  {row['code']:>4} {row['database']:10} {row['phase']:24} {row['requests']:>5} req  "
        f"p50 {row['p50_ms']:>8} ms  p99 {row['p99_ms']:>8} ms  max {row['max_ms']:>8} ms  "
        f"errors {row['errors']} {row['error_kinds'] or ''}",
        flush=True,
    )


def run(database: str, database_url: str, workdir: Path) -> tuple[list[Phase], dict[str, float]]:
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        BEATBOOK_DATA_DIR=str(workdir / database),
        API_RATE_LIMIT_ENABLED="true",
        API_TRUST_X_FORWARDED_FOR="true",
        LOG_LEVEL="WARNING",
    )
    env.pop("DATABASE_URL_FILE", None)
    phases: list[Phase] = []
    imports: dict[str, float] = {}
    codes = [("old", OLD_SRC), ("new", "")] if OLD_SRC else [("new", "")]
    print(f"{database}: loading ({database_url})...", flush=True)
    print(f"{database}: loaded in {build(code_env(env, codes[0][1])):.0f} s", flush=True)
    for code, src in codes:
        if code == "new" and OLD_SRC:
            migrate(env)
        found, seconds = measure(code, database, code_env(env, src))
        phases += found
        imports[code] = seconds
    return phases, imports


def verdicts(phases: list[Phase]) -> list[str]:
    lines = []
    for quiet, busy in zip(phases[::2], phases[1::2], strict=True):
        q, b = quiet.summary(), busy.summary()
        ratio = float(str(b["p99_ms"])) / max(float(str(q["p99_ms"])), 0.1)
        met = float(str(b["p99_ms"])) < GOAL_P99_MS and b["errors"] == 0
        lines.append(
            f"{b['code']} code, {b['database']}: p99 during the import {b['p99_ms']} ms "
            f"= {ratio:.2f}x the baseline's {q['p99_ms']} ms; errors {b['errors']}; "
            f"goal (p99 < {GOAL_P99_MS:.0f} ms, 0 errors) {'MET' if met else 'NOT MET'}"
        )
    return lines


def main() -> None:
    if not MERSEYSIDE.is_file():
        raise SystemExit(f"{MERSEYSIDE} is not here: set BEATBOOK_SHARED_DATA")
    phases: list[Phase] = []
    imports: dict[str, dict[str, float]] = {}
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="beatbook-bench-import-") as tmp:
        workdir = Path(tmp)
        found, imports["SQLite"] = run("SQLite", f"sqlite:///{workdir / 'bench.sqlite3'}", workdir)
        phases += found
        if POSTGRES:
            found, imports["PostgreSQL"] = run(
                "PostgreSQL", postgres_database(POSTGRES, PG_DATABASE), workdir
            )
            phases += found
    print()
    print(
        f"{platform.node()}: {os.cpu_count()} cores, load average {load:.1f} at the start and "
        f"{os.getloadavg()[0]:.1f} at the end; {WORKERS} gunicorn workers; {CLIENTS} clients "
        f"at {RATE:g} requests/s each; baseline {SECONDS:g} s; scenario {SCENARIO}"
    )
    print(latency_table([phase.summary() for phase in phases]))
    for line in verdicts(phases):
        print(line)
    for database, seconds in imports.items():
        times = ", ".join(f"{code} code {value:.1f} s" for code, value in seconds.items())
        ratio = f" (new/old {seconds['new'] / seconds['old']:.2f}x)" if "old" in seconds else ""
        print(f"{database}: ingest --reload of Merseyside 2018-2021: {times}{ratio}")
    print(json.dumps({"phases": [p.summary() for p in phases], "imports": imports}))


if __name__ == "__main__":
    main()
