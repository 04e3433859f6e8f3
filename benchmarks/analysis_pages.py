"""Benchmark: every analysis and staff page of a real ``beatbook demo``, cold and warm.

Run from the repository root:

    .venv/bin/python benchmarks/analysis_pages.py
    BENCH_OLD_SRC=/tmp/p_old/src .venv/bin/python benchmarks/analysis_pages.py

For each code (with ``BENCH_OLD_SRC``: that checkout's ``src`` first, the named baseline, then
this checkout's) it starts ``beatbook demo`` on a data folder of its own (the bundled
Staffordshire 2025 data, its gunicorn workers, ``BENCH_WORKERS`` of them, and its background
worker), signs in as the demo administrator and, ``BENCH_AFTER_START`` seconds after the demo
says it is running (the issue's "two minutes after beatbook demo starts"):

  cold         asks for each page once per gunicorn worker at the same time (a sync worker
               takes one request at a time, so each of them lands on a different worker): the
               first request for that page on every worker;
  warm         then asks for every page ``BENCH_WARM_ROUNDS`` more times, one at a time;
  after import reloads December 2025 (``beatbook ingest --reload``: a new data version), waits
               ``BENCH_AFTER_IMPORT`` seconds and asks for each page once per worker again.

It prints p50, p99 and the worst time of each phase for the analysis pages and for the staff
pages, the errors (anything but 200 or 400, or no answer within ``BENCH_TIMEOUT`` seconds), how
many answers said that the result was being prepared, the slowest pages, and with a baseline
the ratio of its p99 to this code's. The goal: p99 under 2 s everywhere.
"""

from __future__ import annotations

import http.cookiejar
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from support import BEATBOOK, REPO, free_port

OLD_SRC = os.environ.get("BENCH_OLD_SRC", "")
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
AFTER_START = float(os.environ.get("BENCH_AFTER_START", "120"))
AFTER_IMPORT = float(os.environ.get("BENCH_AFTER_IMPORT", "60"))
WARM_ROUNDS = int(os.environ.get("BENCH_WARM_ROUNDS", "5"))
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "180"))
PORT = int(os.environ.get("BENCH_PORT", "0"))  # 0: any free port
GOAL_SECONDS = 2.0
DEMO_ZIP = REPO / "src" / "beatbook" / "demo" / "data" / "policeuk" / "staffordshire-2025.zip"
RELOADED = "2025-12/2025-12-staffordshire-street.csv"
START_SECONDS = 600
PREPARING = "Being prepared"

# The demo holds Staffordshire's 2025: the hotspot form starts on its last six months.
HOTSPOTS = (
    "/analysis/hotspots/?force=staffordshire&month_from=2025-07&month_to=2025-12&category="
    "&cell_size=250"
)
ANALYSIS = [
    "/analysis/",
    "/analysis/hotspots/",
    f"{HOTSPOTS}&method=kde&harm=",
    "/analysis/hotspots/download/?force=staffordshire&month_from=2025-07&month_to=2025-12"
    "&category=&cell_size=250&method=kde&harm=&format=geojson",
    f"{HOTSPOTS}&method=gistar&harm=cchi",
    "/analysis/trends/",
    "/analysis/trends/?area=staffordshire&month_from=&month_to=",
    "/analysis/trends/?area=Meir+North&month_from=&month_to=",
    "/analysis/harm-weights/",
    "/analysis/forecast/",
    "/analysis/forecast/?force=staffordshire&category=&harm=",
    "/analysis/forecast/?force=staffordshire&category=burglary&harm=",
]
STAFF = [
    "/staff/",
    "/staff/forces/staffordshire/neighbourhoods/",
    "/staff/questions/",
    "/staff/questions/{question}/",
    "/staff/outbox/",
    "/staff/workspace/",
    "/staff/guarantee/",
    "/staff/workspace/neighbourhoods/{hood}/team/",
    "/staff/workspace/neighbourhoods/{hood}/priorities/",
    "/staff/workspace/neighbourhoods/{hood}/events/",
]


@dataclass
class Answer:
    path: str
    seconds: float
    status: int
    preparing: bool


@dataclass
class Phase:
    answers: list[Answer] = field(default_factory=list)

    def of(self, paths: list[str]) -> list[Answer]:
        return [a for a in self.answers if a.path in paths]


@dataclass
class Demo:
    process: subprocess.Popen[str]
    url: str
    password: str
    data_dir: Path
    env: dict[str, str]
    output: list[str]


def _env(src: str, data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BENCH_")}
    env.pop("DATABASE_URL", None)
    env["BEATBOOK_DATA_DIR"] = str(data_dir)
    env["WEB_CONCURRENCY"] = str(WORKERS)
    if src:
        env["PYTHONPATH"] = src
    return env


def demo_start(src: str, port: int) -> Demo:
    data_dir = Path(tempfile.mkdtemp(prefix="bench-analysis-"))
    env = _env(src, data_dir)
    command = [str(BEATBOOK), "demo", "--port", str(port), "--no-access-log"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    output: list[str] = []
    password = ""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        output.append(line)
        if "password:" in line:
            password = line.split("password:", 1)[1].strip()
        if "Press Ctrl+C to stop" in line:
            threading.Thread(target=_drain, args=(process, output), daemon=True).start()
            return Demo(process, f"http://127.0.0.1:{port}", password, data_dir, env, output)
        if not line and process.poll() is not None:
            break
    process.terminate()
    raise SystemExit("beatbook demo did not start:\n" + "".join(output[-40:]))


def _drain(process: subprocess.Popen[str], output: list[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        output.append(line)
        del output[:-200]


def demo_stop(demo: Demo) -> None:
    demo.process.terminate()
    try:
        demo.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        demo.process.kill()
        demo.process.wait()


def sign_in(url: str, password: str) -> str:
    """The session cookie of the demo administrator."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{url}/accounts/login/", timeout=TIMEOUT).read().decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found is not None, "no CSRF token on the sign-in page"
    form = {"csrfmiddlewaretoken": found.group(1), "username": "demo-admin", "password": password}
    request = urllib.request.Request(
        f"{url}/accounts/login/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Referer": f"{url}/accounts/login/"},
    )
    opener.open(request, timeout=TIMEOUT).read()
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    assert "sessionid=" in cookie, "signing in as the demo administrator failed"
    return cookie


def fetch(url: str, path: str, cookie: str) -> Answer:
    request = urllib.request.Request(url + path, headers={"Cookie": cookie})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            body, status = response.read(), response.status
    except urllib.error.HTTPError as error:
        body, status = error.read(), error.code
    except OSError:
        body, status = b"", 0
    seconds = time.perf_counter() - started
    return Answer(path, seconds, status, PREPARING.encode() in body)


def staff_paths(url: str, cookie: str) -> list[str]:
    """The staff pages, with a real question and neighbourhood of the demo in their paths."""

    def first(path: str, pattern: str) -> str:
        request = urllib.request.Request(url + path, headers={"Cookie": cookie})
        page = urllib.request.urlopen(request, timeout=TIMEOUT).read().decode()  # noqa: S310
        found = re.search(pattern, page)
        assert found is not None, f"nothing like {pattern} on {path}"
        return found.group(1)

    question = first("/staff/questions/", r'href="/staff/questions/([A-Z0-9-]+)/"')
    hood = first("/staff/workspace/", r"/staff/workspace/neighbourhoods/(\d+)/")
    return [p.format(question=question, hood=hood) for p in STAFF]


def on_every_worker(url: str, paths: list[str], cookie: str) -> Phase:
    """Each page once per gunicorn worker, those requests at the same time."""
    phase = Phase()
    for path in paths:
        threads = [
            threading.Thread(target=lambda p=path: phase.answers.append(fetch(url, p, cookie)))
            for _ in range(WORKERS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return phase


def one_at_a_time(url: str, paths: list[str], cookie: str, rounds: int) -> Phase:
    phase = Phase()
    for _ in range(rounds):
        for path in paths:
            phase.answers.append(fetch(url, path, cookie))
    return phase


def reload_a_month(demo: Demo) -> float:
    """``beatbook ingest --reload`` of December 2025 into the running demo's database."""
    folder = Path(tempfile.mkdtemp(prefix="bench-reload-"))
    with zipfile.ZipFile(DEMO_ZIP) as archive:
        archive.extract(RELOADED, folder)
    env = {**demo.env, "DATABASE_URL": f"sqlite:///{demo.data_dir / 'demo.sqlite3'}"}
    started = time.perf_counter()
    done = subprocess.run(
        [str(BEATBOOK), "ingest", "--reload", "--keep-indexes", str(folder)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"the reload failed:\n{done.stderr[-3000:]}")
    return time.perf_counter() - started


def percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(percent / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


@dataclass
class Figures:
    p50: float
    p99: float
    worst: float
    errors: int
    preparing: int
    count: int

    def line(self) -> str:
        return (
            f"p50 {self.p50:7.2f} s  p99 {self.p99:7.2f} s  max {self.worst:7.2f} s  "
            f"errors {self.errors:3d}  being prepared {self.preparing:3d}/{self.count}"
        )


def figures(answers: list[Answer]) -> Figures:
    seconds = [a.seconds for a in answers]
    return Figures(
        p50=percentile(seconds, 50),
        p99=percentile(seconds, 99),
        worst=max(seconds, default=float("nan")),
        errors=sum(1 for a in answers if a.status not in {200, 400}),
        preparing=sum(1 for a in answers if a.preparing),
        count=len(answers),
    )


def run(label: str, src: str) -> dict[tuple[str, str], Figures]:
    port = PORT or free_port()
    print(f"\n== {label}: beatbook demo on port {port}, {WORKERS} gunicorn workers", flush=True)
    demo = demo_start(src, port)
    started = time.monotonic()
    try:
        cookie = sign_in(demo.url, demo.password)
        staff = staff_paths(demo.url, cookie)
        time.sleep(max(0.0, AFTER_START - (time.monotonic() - started)))
        phases: dict[str, Phase] = {}
        phases["cold"] = on_every_worker(demo.url, ANALYSIS + staff, cookie)
        phases["warm"] = one_at_a_time(demo.url, ANALYSIS + staff, cookie, WARM_ROUNDS)
        seconds = reload_a_month(demo)
        print(f"   reloaded {RELOADED} in {seconds:.1f} s", flush=True)
        time.sleep(AFTER_IMPORT)
        phases["after import"] = on_every_worker(demo.url, ANALYSIS + staff, cookie)
    finally:
        demo_stop(demo)
    return report(label, phases, staff)


def report(
    label: str, phases: dict[str, Phase], staff: list[str]
) -> dict[tuple[str, str], Figures]:
    results = {}
    for name, phase in phases.items():
        for group, paths in (("analysis", ANALYSIS), ("staff", staff)):
            results[(name, group)] = figures(phase.of(paths))
            print(f"   {name:12s} {group:8s} {results[(name, group)].line()}", flush=True)
    slowest: Callable[[Answer], float] = lambda answer: -answer.seconds  # noqa: E731
    every = sorted((a for p in phases.values() for a in p.answers), key=slowest)
    print(f"   slowest answers ({label}):")
    for answer in every[:8]:
        note = ", being prepared" if answer.preparing else ""
        print(f"     {answer.seconds:7.2f} s  {answer.status}  {answer.path}{note}")
    return results


def main() -> None:
    print(f"{platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}")
    print(time.strftime("%Y-%m-%d %H:%M:%S %Z"))
    print(f"load average before: {os.getloadavg()}")
    baseline = run("baseline (BENCH_OLD_SRC)", OLD_SRC) if OLD_SRC else None
    current = run("this checkout", str(REPO / "src"))
    if baseline is not None:
        print("\nRatio of p99 (baseline / this checkout):")
        for key, figures_now in current.items():
            before = baseline[key]
            ratio = before.p99 / figures_now.p99 if figures_now.p99 else float("nan")
            print(
                f"   {key[0]:12s} {key[1]:8s} {before.p99:7.2f} s -> {figures_now.p99:6.2f} s "
                f"({ratio:5.1f}x)"
            )
    worst = max(f.p99 for f in current.values())
    verdict = "met" if worst < GOAL_SECONDS else "NOT met"
    print(f"\nGoal p99 < {GOAL_SECONDS:g} s on every phase: {verdict} (worst p99 {worst:.2f} s)")
    print(f"load average after: {os.getloadavg()}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
