"""Wall time of one whole ``beatbook forecast`` command on the demo database, and of reading a
force's data for it, each against a named baseline in the same run.

Loads the bundled Staffordshire 2025 data (102,517 crimes, 708 LSOAs) through the demo loader
into a SQLite database in BEATBOOK_DATA_DIR (skipped when already loaded), then times

- the command ``beatbook forecast --force staffordshire --month 2026-01 --category burglary``
  as a fresh process, (a) with no back-test stored (it runs a quick one of the fast methods
  first), (b) with one stored, against the baseline (c): the same command with
  ``--method mean-12`` (start-up, reading the data and the cheapest method);
- reading the force's 36 months of counts in process: ``force_data_load`` with the study area
  kept from an earlier run, and with none kept, against the baseline of reading the way it was
  read before (``crime_points``, every column with its joins, and the study area worked out
  from the LSOA boundaries every time).

    BEATBOOK_DATA_DIR=/tmp/bench-forecast OMP_NUM_THREADS=1 \
        .venv/bin/python benchmarks/forecast_command.py
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beatbook.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from beatbook.analysis.forecast.matrix import series_by_category  # noqa: E402
from beatbook.analysis.study_area import area_grid, cells_in_area, to_bng  # noqa: E402
from beatbook.common.months import month_range  # noqa: E402
from beatbook.demo.loader import demo_data_load  # noqa: E402
from beatbook.insights.area_trends import months_held  # noqa: E402
from beatbook.insights.forecast_data import force_data_load  # noqa: E402
from beatbook.insights.models import Backtest  # noqa: E402
from beatbook.insights.selectors import crime_points  # noqa: E402
from beatbook.places.geometry import from_geojson  # noqa: E402
from beatbook.places.models import Lsoa  # noqa: E402

FORCE = "staffordshire"
COMMAND = ["forecast", "--force", FORCE, "--month", "2026-01", "--category", "burglary"]
FIRST, LAST = "2023-01", "2025-12"
RUNS = 3
BEATBOOK = Path(sys.executable).with_name("beatbook")


def command_seconds(*extra: str) -> float:
    started = time.perf_counter()
    subprocess.run(  # noqa: S603
        [str(BEATBOOK), *COMMAND, *extra], check=True, capture_output=True, env=os.environ.copy()
    )
    return time.perf_counter() - started


def forget_backtests() -> None:
    Backtest.objects.filter(force_id=FORCE).delete()


def forget_areas() -> None:
    shutil.rmtree(Path(settings.DATA_DIR) / "forecasts" / "areas", ignore_errors=True)


def best_of(runs: int, job: Callable[[], float], before: Callable[[], None] | None = None) -> str:
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        times.append(job())
    return f"median {statistics.median(times):.2f} s (best {min(times):.2f} s)"


def timed(job: Callable[[], object]) -> float:
    started = time.perf_counter()
    job()
    return time.perf_counter() - started


def read_as_before() -> object:
    """The read this change replaced: every column with its joins, boundaries every time."""
    observed = [m for m in months_held(force_ids=[FORCE]) if FIRST <= m <= LAST]
    crimes = crime_points(force_ids=[FORCE], month_from=FIRST, month_to=LAST)
    boundaries = [
        from_geojson(b)
        for b in Lsoa.objects.filter(force_id=FORCE)
        .exclude(boundary=None)
        .values_list("boundary", flat=True)
    ]
    polygons = to_bng(boundaries)
    grid = area_grid(polygons, 250.0)
    cells = cells_in_area(grid, polygons)
    return series_by_category(
        crimes,
        grid=grid,
        cells=cells,
        months=month_range(FIRST, LAST),
        observed_months=observed,
        categories=["all-crime", "burglary"],
    )


def read_now() -> object:
    return force_data_load(
        force_id=FORCE, month_from=FIRST, month_to=LAST, categories=["burglary"], cell_size=250.0
    )


def main() -> None:
    call_command("migrate", verbosity=0)
    demo_data_load()
    print(f"cpus {os.cpu_count()}, load {os.getloadavg()[0]:.1f}, python {sys.version.split()[0]}")
    print("whole command, a fresh process each time:")
    print("  (a) no back-test stored:", best_of(RUNS, command_seconds, forget_backtests))
    print("  (b) back-test stored:   ", best_of(RUNS, command_seconds))
    print(
        "  (c) baseline, --method mean-12:",
        best_of(RUNS, lambda: command_seconds("--method", "mean-12")),
    )
    print("reading 36 months of counts in process:")
    read_now()  # warm the imports and the kept study area
    print("  kept study area:     ", best_of(RUNS, lambda: timed(read_now)))
    print("  no kept study area:  ", best_of(RUNS, lambda: timed(read_now), forget_areas))
    print("  baseline, as before: ", best_of(RUNS, lambda: timed(read_as_before)))


if __name__ == "__main__":
    main()
