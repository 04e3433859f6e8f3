"""The neighbourhood page's server time with a whole force-year of crime loaded.

Loads the bundled Staffordshire 2025 data (102,517 crimes, with LSOAs, postcodes and
neighbourhoods by ward) through the demo loader into a SQLite database in BEATBOOK_DATA_DIR
(skipped when already loaded), then times the page with Django's test client: the first
(uncached) request, then p50/p99 of warm requests, against a baseline in the same run (the
plain find-your-neighbourhood page with no search).

    BEATBOOK_DATA_DIR=/tmp/bench-residents .venv/bin/python benchmarks/neighbourhood_page.py
"""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beatbook.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from beatbook.demo.loader import demo_data_load  # noqa: E402
from beatbook.demo.sample_teams import demo_teams_refresh  # noqa: E402
from beatbook.places.models import Neighbourhood  # noqa: E402

RUNS = 200


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


def main() -> None:
    call_command("migrate", verbosity=0)
    demo_data_load()
    demo_teams_refresh(force_id="staffordshire")
    hood = Neighbourhood.objects.filter(name__startswith="Longton").order_by("name").first()
    assert hood is not None
    page = f"/neighbourhoods/{hood.force_id}/{hood.code}/"
    client = Client()
    first = timed(client, page, 1)[0]
    warm = timed(client, page, RUNS)
    base = timed(client, "/neighbourhoods/", RUNS)
    print(f"neighbourhood page {hood.name}: first (uncached) {first:.1f} ms")
    for name, values in (("neighbourhood page", warm), ("baseline find page", base)):
        print(f"{name}: p50 {p(values, 50):.1f} ms, p99 {p(values, 99):.1f} ms")
    print(f"ratio p50 {p(warm, 50) / p(base, 50):.2f}x, p99 {p(warm, 99) / p(base, 99):.2f}x")


if __name__ == "__main__":
    main()
