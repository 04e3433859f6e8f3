"""The public operation page with 50 activities, against the neighbourhood page (issue 14).

Loads the bundled Staffordshire 2025 data and the demo's sample teams and operations through
the demo loader into a SQLite database in BEATBOOK_DATA_DIR (skipped when already loaded), adds
an operation of 50 public activities in Longton (a week of action of ten a day, half of them
already held so the "what we did" part has figures, and a restricted enforcement every day),
then times, with Django's test client in one process:

  first   the first request for each page after the process started (nothing cached);
  warm    p50 and p99 of ``BENCH_RUNS`` requests for each, one at a time.

The baseline is Longton's neighbourhood page, in the same run. The goal: p99 under 200 ms.

    BEATBOOK_DATA_DIR=/tmp/bench-operations .venv/bin/python benchmarks/operation_page.py
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beatbook.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from beatbook.demo.bundle import CREWE_WEST_LSOAS  # noqa: E402
from beatbook.demo.loader import demo_data_load  # noqa: E402
from beatbook.demo.sample_operations import demo_operations_refresh  # noqa: E402
from beatbook.demo.sample_teams import demo_teams_refresh  # noqa: E402
from beatbook.operations import services  # noqa: E402
from beatbook.operations.models import (  # noqa: E402
    ActivityResult,
    ActivityType,
    AreaChoice,
    Measure,
    Operation,
    OperationKind,
)
from beatbook.places.models import Neighbourhood  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "200"))
GOAL_MS = 200.0
LONDON = ZoneInfo("Europe/London")
NAME = "Benchmark week of action (50 activities)"
TYPES = [
    ActivityType.MOBILE_POLICE_STATION,
    ActivityType.SPECIALIST_ADVICE,
    ActivityType.LITTER_PICK,
    ActivityType.HIGH_VISIBILITY_PATROL,
    ActivityType.SCHOOL_VISIT,
]


def timed(client: Client, path: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return times


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def _fifty(longton: Neighbourhood, days_ago: int = 2) -> Operation:
    """Ten activities a day for five days from ``days_ago`` days ago, with results: under way
    by default (half held), over when ``days_ago`` is more than four."""
    name = f"{NAME}, from {days_ago} days ago"
    Operation.objects.filter(name=name).delete()
    operation = Operation.objects.filter(sample=True, name__startswith="Longton community").first()
    assert operation is not None, "the demo's sample operations are missing"
    first = timezone.localdate() - timedelta(days=days_ago)
    week = services.operation_create(
        by=operation.lead,
        details=services.OperationDetails(
            name=name,
            kind=OperationKind.objects.get(slug="week-of-action"),
            lead=operation.lead,
            lead_organisation=operation.lead_organisation,
            first_day=first,
            last_day=first + timedelta(days=4),
            public=True,
            area_choice=AreaChoice.NEIGHBOURHOODS,
            neighbourhoods=[longton],
        ),
    )
    venue = operation.activities.exclude(online=True).first()
    assert venue is not None
    for n in range(50):
        day = first + timedelta(days=n // 10)
        start = datetime.combine(day, datetime.min.time(), tzinfo=LONDON) + timedelta(
            hours=8 + n % 10
        )
        activity = services.activity_create(
            operation=week,
            details=services.ActivityDetails(
                type=TYPES[n % len(TYPES)],
                title=f"Activity {n + 1}",
                description="Talk to the team about what worries you in Longton.",
                start=start,
                end=start + timedelta(minutes=50),
                venue_name=venue.venue_name,
                venue_address=venue.venue_address,
                latitude=venue.latitude,
                longitude=venue.longitude,
                public=True,
                organisations=[week.lead_organisation],
            ),
        )
        ActivityResult.objects.create(
            activity=activity,
            organisation=week.lead_organisation,
            measure=Measure.PEOPLE_ENGAGED,
            count=10 + n,
        )
    return week


def main() -> None:
    call_command("migrate", verbosity=0)
    demo_data_load()
    demo_teams_refresh(force_id="staffordshire")
    demo_operations_refresh(force_id="staffordshire", crewe_lsoas=CREWE_WEST_LSOAS)
    longton = Neighbourhood.objects.filter(name__startswith="Longton").order_by("name").first()
    assert longton is not None
    operation = _fifty(longton)
    ended = _fifty(longton, days_ago=10)
    pages = {
        "operation page (50 activities)": f"/operations/{operation.pk}/",
        "operation page, over (50 activities, what we did)": f"/operations/{ended.pk}/",
        "baseline: neighbourhood page": f"/neighbourhoods/{longton.force_id}/{longton.code}/",
    }
    print(f"{platform.node()}: {os.cpu_count()} cores, SQLite, {RUNS} warm runs a page")
    client = Client()
    # The process's own first request pays for Django's start (URLs, templates, imports):
    # the home page takes it, so each page's "first" below is its own cold cost.
    print(f"the process's first request (home page): {timed(client, '/', 1)[0]:.1f} ms")
    first = {name: timed(client, path, 1)[0] for name, path in pages.items()}
    warm = {name: timed(client, path, RUNS) for name, path in pages.items()}
    for name in pages:
        values = warm[name]
        print(
            f"{name}: first {first[name]:.1f} ms, p50 {p(values, 50):.1f} ms, "
            f"p99 {p(values, 99):.1f} ms"
        )
    base = warm["baseline: neighbourhood page"]
    for name in list(pages)[:2]:
        ours = warm[name]
        verdict = "meets" if p(ours, 99) < GOAL_MS else "MISSES"
        print(
            f"{name}: ratio to the baseline p50 {p(ours, 50) / p(base, 50):.2f}x, "
            f"p99 {p(ours, 99) / p(base, 99):.2f}x; goal p99 < {GOAL_MS:.0f} ms: {verdict}"
        )


if __name__ == "__main__":
    main()
