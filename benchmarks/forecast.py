"""Benchmark and record: rolling-origin back-tests of the forecasting methods on the real
police.uk files, and the time of a single forecast.

Run from the repository root (needs ../shared/data):

    .venv/bin/python benchmarks/forecast.py time              # Merseyside timings only
    .venv/bin/python benchmarks/forecast.py record merseyside # back-test, results to CSV
    .venv/bin/python benchmarks/forecast.py record staffordshire
    .venv/bin/python benchmarks/forecast.py record cheshire
    BENCH_OUT=/tmp/forecast-results ...                       # where CSVs go

Everything runs on the files (beatbook.analysis.policeuk_files), no database: the study area
is the cells overlapping the force's 2011 LSOAs (ONS boundaries and force lookup in
../shared/data/geography), cells of 250 m, seed 0.

``time`` reports, for the whole Merseyside back-test (2019-01 to 2021-09, 33 months, 32 with
data; all-crime, burglary, robbery and violence; every method), the seconds per method and the
total, against the named baseline of the same run: the mean-of-12-months method's own time.
It also times one forecast for 2021-04 (all-crime, the learned method, from reading nothing
but the count matrix) against mean-12 on the same matrix, and prints the ratios.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

from beatbook.analysis.backtest import forecast_scores, run_backtest, summarise
from beatbook.analysis.forecast.area import area_grid, cells_in_area, read_force_lsoa_boundaries
from beatbook.analysis.forecast.matrix import ALL_CRIME, series_by_category
from beatbook.analysis.forecast.methods import METHODS
from beatbook.analysis.forecast.months import month_range
from beatbook.analysis.harm import load_harm_weights
from beatbook.analysis.policeuk_files import read_street_crimes, street_file_months

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BEATBOOK_SHARED_DATA", REPO.parent / "shared" / "data"))
OUT = Path(os.environ.get("BENCH_OUT", "/tmp/forecast-results"))
CELL_SIZE = 250.0
CATEGORIES = [ALL_CRIME, "burglary", "robbery", "violent-crime"]

FORCES = {
    # name in the ONS lookup, zip, first and last month scored
    "merseyside": ("Merseyside", "merseyside-2018-2021.zip", "2019-01", "2021-09"),
    "staffordshire": ("Staffordshire", "staffordshire-2025.zip", "2025-04", "2025-12"),
    "cheshire": ("Cheshire", "cheshire-2025.zip", "2025-04", "2025-12"),
}


def load(force: str, harm: str | None = None) -> dict[str, object]:
    lookup_name, zip_name, _, _ = FORCES[force]
    paths = [SHARED / "policeuk" / zip_name]
    geography = SHARED / "geography"
    polygons = read_force_lsoa_boundaries(
        geography / "lsoa-2011-boundaries-ew-generalised.geojson.gz",
        geography / "lsoa-2011-police-force-lookup.csv",
        lookup_name,
    )
    grid = area_grid(polygons, CELL_SIZE)
    cells = cells_in_area(grid, polygons)
    crimes = read_street_crimes(paths)
    observed = street_file_months(paths)
    weights = None if harm is None else load_harm_weights().table(harm)  # type: ignore[arg-type]
    kwargs = {
        "grid": grid,
        "cells": cells,
        "months": month_range(observed[0], observed[-1]),
        "observed_months": observed,
    }
    series = series_by_category(crimes, categories=CATEGORIES, harm_weights=weights, **kwargs)
    counted = (
        series if harm is None else series_by_category(crimes, categories=[ALL_CRIME], **kwargs)
    )
    return {"series": series, "auxiliary": counted[ALL_CRIME], "cells": cells, "crimes": crimes}


def record(force: str, harm: str | None) -> None:
    _, _, first, last = FORCES[force]
    data = load(force, harm)
    started = time.perf_counter()
    results = run_backtest(
        series=data["series"],
        methods=list(METHODS),
        months=month_range(first, last),  # type: ignore[arg-type]
        auxiliary=data["auxiliary"],
        measure="count" if harm is None else f"harm-{harm}",  # type: ignore[arg-type]
        progress=lambda c, m, meth: print(c, m, meth, flush=True) if meth == "last-month" else None,
    )
    seconds = time.perf_counter() - started
    summary = summarise(results)
    OUT.mkdir(parents=True, exist_ok=True)
    tag = f"{force}-{harm or 'count'}"
    results.to_csv(OUT / f"{tag}-results.csv", index=False)
    summary.to_csv(OUT / f"{tag}-summary.csv", index=False)
    print(f"{tag}: {len(data['cells']):,} cells, back-test {seconds:.0f} s")  # type: ignore[arg-type]


def timings() -> None:
    data = load("merseyside")
    series, aux = data["series"], data["auxiliary"]
    started = time.perf_counter()
    results = run_backtest(
        series=series,
        methods=list(METHODS),  # type: ignore[arg-type]
        months=month_range("2019-01", "2021-09"),
        auxiliary=aux,
    )  # type: ignore[arg-type]
    total = time.perf_counter() - started
    per_method = (
        results.drop_duplicates(["category", "method", "month"]).groupby("method")["seconds"].sum()
    )
    print(
        f"{platform.node()} {os.cpu_count()} cores, {len(data['cells']):,} cells of {CELL_SIZE:g} m"
    )
    print(f"whole Merseyside back-test, all methods: {total:.1f} s")
    for method, seconds in per_method.items():
        print(f"  {method:12s} {seconds:8.1f} s  ({seconds / per_method['mean-12']:.0f}x mean-12)")
    one = series[ALL_CRIME]  # type: ignore[index]
    for method in ("mean-12", "poisson-gbm"):
        started = time.perf_counter()
        forecast_scores(series=one, method=method, month="2021-04")
        print(f"one forecast, all-crime 2021-04, {method}: {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "time"
    if command == "record":
        record(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    else:
        timings()
