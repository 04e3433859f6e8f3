"""Benchmark and record: rolling-origin back-tests of the forecasting methods on the real
police.uk files, and the time of a single forecast.

Run from the repository root (needs ../shared/data):

    .venv/bin/python benchmarks/forecast.py time              # Merseyside timings
    .venv/bin/python benchmarks/forecast.py single            # one forecast only
    .venv/bin/python benchmarks/forecast.py record merseyside # back-test, results to CSV
    .venv/bin/python benchmarks/forecast.py record staffordshire
    .venv/bin/python benchmarks/forecast.py record cheshire
    .venv/bin/python benchmarks/forecast.py record city-of-london
    ... record merseyside cchi                                # harm-weighted all-crime
    ... record merseyside --methods=poisson-ensemble --merge  # add a method to a recording
    ... tables merseyside [cchi]                              # the recording as Markdown
    BENCH_OUT=/tmp/forecast-results ...                       # where CSVs go

The tables in docs/benchmarks.md are pasted from ``tables``, never edited by hand: it refuses a
recording with two rows for one method (a method recorded in two runs, by two versions of the
code, both kept), which is how docs/benchmarks.md once listed every linear-blend row twice,
with two robbery figures that disagreed (issue 12).

Everything runs on the files (beatbook.analysis.policeuk_files), no database: the study area
is the cells overlapping the force's 2011 LSOAs (ONS boundaries and force lookup in
../shared/data/geography), cells of 250 m, seed 0.

``time`` reports, for the whole Merseyside back-test (2019-01 to 2021-09, 33 months, 32 with
data; all-crime, burglary, robbery and violence; every method), the seconds per method and the
total, against the named baseline of the same run: the mean-of-12-months method's own time.
It also times one forecast for 2021-04 (all-crime, the learned linear-blend and poisson-gbm,
from reading nothing but the count matrix) against mean-12 on the same matrix, and prints the
ratios.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

import pandas as pd

from beatbook.analysis.backtest import forecast_scores, run_backtest, summarise
from beatbook.analysis.backtest_settings import BacktestSettings
from beatbook.analysis.forecast.matrix import ALL_CRIME, series_by_category
from beatbook.analysis.forecast.methods import METHODS
from beatbook.analysis.harm import load_harm_weights
from beatbook.analysis.policeuk_files import read_street_crimes, street_file_months
from beatbook.analysis.study_area import area_grid, cells_in_area, read_force_lsoa_boundaries
from beatbook.common.months import month_range

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
    "city-of-london": ("City of London", "city-of-london-2018-2021.zip", "2019-01", "2021-09"),
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
    # Within one category harm is a constant multiple of the count, so rankings and PEI* are the
    # same: harm-weighting only changes all-crime.
    categories = CATEGORIES if harm is None else [ALL_CRIME]
    series = series_by_category(crimes, categories=categories, harm_weights=weights, **kwargs)
    counted = (
        series if harm is None else series_by_category(crimes, categories=[ALL_CRIME], **kwargs)
    )
    return {"series": series, "auxiliary": counted[ALL_CRIME], "cells": cells, "crimes": crimes}


def recorded(first: str, last: str, methods: list[str], harm: str | None) -> BacktestSettings:
    """The settings of the recordings in docs/benchmarks.md: each forecast learns from every
    month held before it, as the recordings did (the site keeps to 36 months), seed 0."""
    return BacktestSettings.between(
        first,
        last,
        methods=tuple(methods),
        categories=tuple(CATEGORIES if harm is None else [ALL_CRIME]),
        cell_size=CELL_SIZE,
        harm=harm,
        history_months=None,
    )


def record(force: str, harm: str | None, methods: list[str], merge: bool) -> None:
    """Back-test ``methods``; with ``merge``, add them to the results recorded before (every
    forecast is fitted on its own, so methods can be recorded in separate runs)."""
    _, _, first, last = FORCES[force]
    data = load(force, harm)
    started = time.perf_counter()
    results = run_backtest(
        series=data["series"],
        settings=recorded(first, last, methods, harm),
        auxiliary=data["auxiliary"],
        progress=lambda c, m, meth: print(c, m, meth, flush=True) if meth == "last-month" else None,
    )
    seconds = time.perf_counter() - started
    OUT.mkdir(parents=True, exist_ok=True)
    tag = f"{force}-{harm or 'count'}"
    if merge:
        earlier = pd.read_csv(OUT / f"{tag}-results.csv", dtype={"month": str})
        results = pd.concat([earlier[~earlier["method"].isin(methods)], results])
    summary = summarise(results)
    results.to_csv(OUT / f"{tag}-results.csv", index=False)
    summary.to_csv(OUT / f"{tag}-summary.csv", index=False)
    print(f"{tag}: {len(data['cells']):,} cells, back-test {seconds:.0f} s")  # type: ignore[arg-type]


def _cell(value: float, style: str) -> str:
    return "–" if pd.isna(value) else format(value, style)


def tables(force: str, harm: str | None) -> str:
    """The recorded summary as the two Markdown tables of docs/benchmarks.md: 1% and 5% of the
    area with intervals and comparisons, and PEI* at every coverage."""
    summary = pd.read_csv(OUT / f"{force}-{harm or 'count'}-summary.csv")
    key = ["measure", "category", "coverage", "method"]
    twice = summary[summary.duplicated(key, keep=False)]
    if not twice.empty:
        raise SystemExit(f"The recording holds some methods twice:\n{twice[key].to_string()}")
    lines = [
        "| Category | Area | Method | Months | PEI* (95% CI) | PAI | Hit rate | "
        "Δ PEI* vs best baseline (95% CI) | p | p (Holm) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in summary[summary["coverage"].isin([0.01, 0.05])].itertuples():
        versus = (
            "best baseline"
            if row.method == row.best_baseline
            else (
                f"{row.difference:+.3f} ({row.difference_low:+.3f} to {row.difference_high:+.3f})"
            )
        )
        lines.append(
            f"| {row.category} | {row.coverage:.0%} | {row.method} | {row.origins} | "
            f"{row.pei_star:.3f} ({row.ci_low:.3f}–{row.ci_high:.3f}) | {row.pai:.1f} | "
            f"{row.hit_rate:.3f} | {versus} | {_cell(row.p_value, '.2g')} | "
            f"{_cell(row.p_holm, '.2g')} |"
        )
    wide = summary.pivot_table(
        index=["category", "method"], columns="coverage", values="pei_star", sort=False
    )
    lines += [
        "",
        "| Category | Method | " + " | ".join(f"{c * 100:g}%" for c in wide.columns) + " |",
    ]
    lines.append("|---|---|" + "---|" * len(wide.columns))
    for (category, method), values in wide.iterrows():
        cells = " | ".join(f"{v:.3f}" for v in values)
        lines.append(f"| {category} | {method} | {cells} |")
    comparisons = int(summary["comparisons"].max())
    lines.append(f"\nEach group compares {comparisons} methods with its best baseline.")
    return "\n".join(lines)


def single_forecasts(data: dict[str, object]) -> None:
    """One forecast for 2021-04 from the count matrix, the learned methods against mean-12."""
    one = data["series"][ALL_CRIME]  # type: ignore[index]
    aux = data["auxiliary"]
    seconds = {}
    for method in ("mean-12", "linear-blend", "poisson-gbm"):
        best = float("inf")
        for _ in range(3):
            started = time.perf_counter()
            forecast_scores(series=one, method=method, month="2021-04", auxiliary=aux)
            best = min(best, time.perf_counter() - started)
        seconds[method] = best
        print(f"one forecast, all-crime 2021-04, {method}: {best:.2f} s (best of 3)")
    for method in ("linear-blend", "poisson-gbm"):
        print(f"  ratio {method} / mean-12: {seconds[method] / seconds['mean-12']:.0f}x")


def timings(whole: bool) -> None:
    started = time.perf_counter()
    data = load("merseyside")
    print(
        f"{platform.node()}, {os.cpu_count()} cores, {len(data['cells']):,} cells of "  # type: ignore[arg-type]
        f"{CELL_SIZE:g} m; files read and counted in {time.perf_counter() - started:.1f} s"
    )
    single_forecasts(data)
    if not whole:
        return
    started = time.perf_counter()
    results = run_backtest(
        series=data["series"],
        settings=recorded("2019-01", "2021-09", list(METHODS), None),
        auxiliary=data["auxiliary"],
    )
    total = time.perf_counter() - started
    report_times(results, total)


def report_times(results: pd.DataFrame, total: float) -> None:
    forecasts = results.drop_duplicates(["category", "method", "month"])
    per_method = forecasts.groupby("method")["seconds"].sum()
    print(f"whole Merseyside back-test, all methods, 4 categories: {total:.0f} s")
    for method, seconds in per_method.items():
        ratio = seconds / per_method["mean-12"]
        print(f"  {method:12s} {seconds:8.1f} s  ({ratio:,.0f}x the mean-12 baseline)")


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "time"
    if command == "record":
        options = [a for a in sys.argv[3:] if a.startswith("--")]
        harm = next((a for a in sys.argv[3:] if not a.startswith("--")), None)
        chosen = next((o[10:].split(",") for o in options if o.startswith("--methods=")), None)
        record(sys.argv[2], harm, chosen or list(METHODS), "--merge" in options)
    elif command == "tables":
        print(tables(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None))
    elif command == "times-from":
        # Per-method times of a recorded run: benchmarks/forecast.py times-from x-results.csv
        frame = pd.read_csv(sys.argv[2])
        report_times(frame, float("nan"))
    else:
        timings(whole=command == "time")
