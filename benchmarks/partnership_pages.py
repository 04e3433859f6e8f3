"""The community safety partnership's pages (issue 16), against the neighbourhood page.

Loads the bundled Staffordshire 2025 data through the demo loader into a SQLite database in
BEATBOOK_DATA_DIR (skipped when already loaded), makes the demo's Stoke-on-Trent Safer City
Partnership and its published plan as ``beatbook demo`` does, then times the pages with Django's
test client in fresh processes, one after the other (this file again, with ``--pages``). Each
first does what ``beatbook serve`` does once before forking its workers (``BeatbookServer.load``:
every view module, the templates, ``gc.freeze``), so it stands for a new worker; its first
request for a page pays for whatever that page imports, reads or builds once per process.

  the first worker   the process's first request (the home page), then the first request for
                     each page, then p50/p99 of ``BENCH_RUNS`` requests a page;
  the second worker  the first request for each page again, in a process started after the
                     first had made all it makes (does anything left in the database or on
                     disc make a second worker's first request cheaper?);
  without preload    the first request for each page in a process that skipped the preload
                     (``--pages-cold``), as a one-off command or a test run meets them.

The public pages are requested signed out: the partnership's page (which computes the plan's
headline measures on every request), the plan and its PDF. The staff pages as the demo's
partnership officer (a partner at the city council, a member of the partnership): the
partnership overview, the plan, its progress, the next meeting's agenda (built live: the hotspots
changed since the last meeting and the plan's progress), the assessment of Stoke-on-Trent for
2025 and the partnership's list of assessments.

The baseline is Longton's neighbourhood page (signed out), in the same run. The goal: p99 under
500 ms for the HTML pages; under 5 s for the assessment page (it computes a year's tables) and
the plan's PDF (it is typeset).

    BEATBOOK_DATA_DIR=/tmp/bench-partnerships .venv/bin/python benchmarks/partnership_pages.py
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beatbook.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from beatbook.accounts.models import User  # noqa: E402
from beatbook.demo.loader import demo_data_load  # noqa: E402
from beatbook.demo.people import demo_organisations_ensure  # noqa: E402
from beatbook.demo.sample_partnership import PARTNER_USERNAME, demo_partnership_ensure  # noqa: E402
from beatbook.demo.sample_partnership_plan import demo_partnership_plan_ensure  # noqa: E402
from beatbook.partnerships.models import Meeting  # noqa: E402
from beatbook.places.models import Neighbourhood  # noqa: E402
from beatbook.site.server import BeatbookServer  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "50"))
GOAL_MS = 500.0
SLOW_GOAL_MS = 5000.0
BASELINE = "baseline: neighbourhood page"
# Pages whose goal is SLOW_GOAL_MS: they compute a year's tables or typeset a PDF.
SLOW = ("staff: assessment, Stoke-on-Trent 2025", "public: plan PDF")


def timed(client: Client, path: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return times


def p(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def pages_made() -> dict[str, tuple[bool, str]]:
    """Each page's name: (whether it is a staff page, its address)."""
    partnership = demo_partnership_ensure().partnership
    plan = demo_partnership_plan_ensure(partnership)
    slug = partnership.slug
    upcoming = (
        Meeting.objects.filter(group__partnership=partnership, starts_at__gte=timezone.now())
        .order_by("starts_at")
        .first()
    )
    assert upcoming is not None
    longton = Neighbourhood.objects.filter(name__startswith="Longton").order_by("name").first()
    assert longton is not None
    return {
        "public: partnership page": (
            False,
            reverse("partnerships:public_partnership", args=[slug]),
        ),
        "public: plan": (False, reverse("partnerships:public_plan", args=[slug])),
        "public: plan PDF": (False, reverse("partnerships:public_plan_pdf", args=[slug])),
        "staff: partnership overview": (
            True,
            reverse("partnerships:partnership_detail", args=[slug]),
        ),
        "staff: plan": (True, reverse("partnerships:plan_detail", args=[slug, plan.pk])),
        "staff: plan progress": (
            True,
            reverse("partnerships:plan_progress", args=[slug, plan.pk]),
        ),
        f"staff: next meeting's agenda ({upcoming.group.name})": (
            True,
            reverse("partnerships:meeting_detail", args=[slug, upcoming.pk]),
        ),
        "staff: assessment, Stoke-on-Trent 2025": (
            True,
            reverse("partnerships:assessment_any") + "?area=Stoke-on-Trent&year=2025",
        ),
        "staff: the partnership's assessments": (
            True,
            reverse("partnerships:assessment_list", args=[slug]),
        ),
        BASELINE: (False, f"/neighbourhoods/{longton.force_id}/{longton.code}/"),
    }


def worker(pages: dict[str, tuple[bool, str]], runs: int, *, preload: bool) -> dict[str, object]:
    """In a fresh process: the server's preload (unless ``preload`` is false), the first request
    for each page, then ``runs`` more of each."""
    start = time.perf_counter()
    if preload:
        # What ``beatbook serve`` does once before it forks its workers (every view module, the
        # SQL compiler, the templates and their tag libraries, then ``gc.freeze``). ``load`` uses
        # nothing of its instance, so gunicorn's set-up (no part of this benchmark) is skipped.
        BeatbookServer.__new__(BeatbookServer).load()
    preload_ms = (time.perf_counter() - start) * 1000
    public = Client()
    member = Client()
    member.force_login(User.objects.get(username=PARTNER_USERNAME))
    home = timed(public, "/", 1)[0]
    first = {
        name: timed(member if staff else public, path, 1)[0]
        for name, (staff, path) in pages.items()
    }
    warm = {
        name: timed(member if staff else public, path, runs)
        for name, (staff, path) in pages.items()
    }
    return {"preload": preload_ms, "home": home, "first": first, "warm": warm}


def worker_run(
    pages: dict[str, tuple[bool, str]], runs: int, *, preload: bool = True
) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, __file__, "--pages" if preload else "--pages-cold", str(runs)],
        input=json.dumps(pages),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"the worker process failed:\n{done.stderr}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(one: dict[str, object], two: dict[str, object], cold: dict[str, object]) -> None:
    first = one["first"]
    again = two["first"]
    unloaded = cold["first"]
    warm = one["warm"]
    assert isinstance(first, dict)
    assert isinstance(again, dict)
    assert isinstance(unloaded, dict)
    assert isinstance(warm, dict)
    print(
        f"the server's preload: first worker {one['preload']:.0f} ms, second worker "
        f"{two['preload']:.0f} ms (before any request; not counted below)"
    )
    print(
        f"the process's first request (home page): first worker {one['home']:.1f} ms, "
        f"second worker {two['home']:.1f} ms, a process without the preload {cold['home']:.1f} ms"
    )
    base = warm[BASELINE]
    for name, values in warm.items():
        line = (
            f"{name}: first {first[name]:.1f} ms (second worker {again[name]:.1f} ms, "
            f"without the preload {unloaded[name]:.1f} ms), "
            f"p50 {p(values, 50):.1f} ms, p99 {p(values, 99):.1f} ms"
        )
        if name != BASELINE:
            goal = SLOW_GOAL_MS if name in SLOW else GOAL_MS
            verdict = "meets" if p(values, 99) < goal else "MISSES"
            line += (
                f"; ratio to the baseline p50 {p(values, 50) / p(base, 50):.2f}x; "
                f"goal p99 < {goal:,.0f} ms: {verdict}"
            )
        print(line)


def main() -> None:
    if sys.argv[1:2] in (["--pages"], ["--pages-cold"]):
        pages = json.loads(sys.stdin.read())
        result = worker(pages, int(sys.argv[2]), preload=sys.argv[1] == "--pages")
        print(json.dumps(result))
        return
    call_command("migrate", verbosity=0)
    demo_data_load()
    demo_organisations_ensure()
    pages = pages_made()
    print(
        f"{platform.node()}: {os.cpu_count()} cores, SQLite, {RUNS} warm runs a page, "
        f"Python {platform.python_version()}"
    )
    for name, (staff, path) in pages.items():
        print(f"  {name}: {path}{' (signed in)' if staff else ''}")
    one = worker_run(pages, RUNS)
    two = worker_run(pages, 0)
    cold = worker_run(pages, 0, preload=False)
    report(one, two, cold)


if __name__ == "__main__":
    main()
