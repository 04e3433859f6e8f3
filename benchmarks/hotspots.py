"""Benchmark: the kernel density and Getis-Ord Gi* steps of the hotspot map, against
straightforward reference implementations on the same grid.

Run from the repository root (needs ../shared/data; no database):

    .venv/bin/python benchmarks/hotspots.py
    BENCH_REPEATS=5 .venv/bin/python benchmarks/hotspots.py

For each force's year of crimes (Staffordshire 2025 and Merseyside 2019, read straight from the
police.uk zips with pandas and projected with pyproj) and each cell size, it times:

  kde       ours: linear binning + FFT convolution (``analysis.kde.kernel_density``), quartic
            kernel, 500 m bandwidth; reference: the kernel summed over every point within reach
            of every cell centre (``kernel_density_direct``: a scipy cKDTree pair search and a
            numpy sum, no binning)
  gi*       ours: ``analysis.getis_ord.gi_star`` (queen neighbours, image correlation); the
            reference: ``esda.G_Local(star=True, transform="B", permutations=0)`` with a
            ``libpysal.weights.lat2W`` queen weights object (building the weights is timed
            apart from the statistic)

It prints the times, the speed-up and the largest difference between the two answers, as a
Markdown table and as JSON. Ours is the best of BENCH_REPEATS runs; the references run once.
"""

from __future__ import annotations

import io
import json
import os
import platform
import sys
import time
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pyproj import Transformer

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from beatbook.analysis.getis_ord import gi_star  # noqa: E402
from beatbook.analysis.grid import Grid  # noqa: E402
from beatbook.analysis.kde import kernel_density, kernel_density_direct  # noqa: E402

DATA = Path(os.environ.get("BEATBOOK_SHARED_DATA", REPO.parent / "shared" / "data")) / "policeuk"
REPEATS = int(os.environ.get("BENCH_REPEATS", "3"))
BANDWIDTH = 500.0
CASES = (
    ("Staffordshire 2025", "staffordshire-2025.zip", "2025-01", "2025-12"),
    ("Merseyside 2019", "merseyside-2018-2021.zip", "2019-01", "2019-12"),
)
CELL_SIZES = (250.0, 150.0)


def read_points(zip_name: str, first: str, last: str) -> tuple[np.ndarray, np.ndarray]:
    """Eastings and northings of every located crime in the months, from the zip."""
    frames = []
    with zipfile.ZipFile(DATA / zip_name) as archive:
        for name in sorted(archive.namelist()):
            month = Path(name).name[:7]
            if name.endswith("-street.csv") and first <= month <= last:
                with archive.open(name) as handle:
                    frames.append(
                        pd.read_csv(io.BytesIO(handle.read()), usecols=["Longitude", "Latitude"])
                    )
    points = pd.concat(frames, ignore_index=True).dropna()
    to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    xs, ys = to_bng.transform(points["Longitude"].to_numpy(), points["Latitude"].to_numpy())
    return np.asarray(xs), np.asarray(ys)


def study_grid(xs: np.ndarray, ys: np.ndarray, cell_size: float) -> Grid:
    """The box round the middle 98% of crimes plus 5 km, as the hotspot map uses without a
    boundary: the few crimes recorded a county away do not stretch it."""
    low_x, high_x = np.percentile(xs, [1, 99])
    low_y, high_y = np.percentile(ys, [1, 99])
    return Grid.from_bounds((low_x - 5000, low_y - 5000, high_x + 5000, high_y + 5000), cell_size)


def best_of(function: Callable[[], Any], repeats: int) -> tuple[float, Any]:
    best = float("inf")
    result = None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def bench_case(label: str, xs: np.ndarray, ys: np.ndarray, cell_size: float) -> dict[str, Any]:
    grid = study_grid(xs, ys, cell_size)
    inside = grid.cell_index(xs, ys) >= 0
    px, py = xs[inside], ys[inside]
    kde_ours, fast = best_of(lambda: kernel_density(grid, px, py, bandwidth=BANDWIDTH), REPEATS)
    kde_ref, direct = best_of(lambda: kernel_density_direct(grid, px, py, bandwidth=BANDWIDTH), 1)
    counts = grid.counts(px, py)
    gi_ours, ours = best_of(lambda: gi_star(grid, counts), REPEATS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import esda
        from libpysal import weights

        weights_time, w = best_of(lambda: weights.lat2W(grid.rows, grid.columns, rook=False), 1)
        esda_time, reference = best_of(
            lambda: esda.G_Local(counts, w, transform="B", star=True, permutations=0), 1
        )
    return {
        "data": label,
        "cell_size_m": cell_size,
        "cells": grid.n_cells,
        "crimes": int(inside.sum()),
        "kde_ours_s": kde_ours,
        "kde_direct_s": kde_ref,
        "kde_speedup": kde_ref / kde_ours,
        "kde_max_diff_of_peak": float(np.abs(fast - direct).max() / direct.max()),
        "gi_ours_s": gi_ours,
        "gi_esda_weights_s": weights_time,
        "gi_esda_statistic_s": esda_time,
        "gi_speedup_statistic": esda_time / gi_ours,
        "gi_speedup_with_weights": (esda_time + weights_time) / gi_ours,
        "gi_max_abs_z_diff": float(np.abs(ours.z - np.asarray(reference.Zs)).max()),
    }


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| data | cell | cells | crimes | KDE ours | KDE direct sum | ratio | max diff (of peak) "
        "| Gi* ours | esda G_Local (+ lat2W weights) | ratio (statistic / with weights) "
        "| max z diff |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['data']} | {r['cell_size_m']:.0f} m | {r['cells']:,} | {r['crimes']:,} "
            f"| {r['kde_ours_s'] * 1000:.1f} ms | {r['kde_direct_s'] * 1000:.0f} ms "
            f"| {r['kde_speedup']:.0f}x | {r['kde_max_diff_of_peak']:.2%} "
            f"| {r['gi_ours_s'] * 1000:.1f} ms "
            f"| {r['gi_esda_statistic_s'] * 1000:.0f} ms (+ {r['gi_esda_weights_s']:.1f} s) "
            f"| {r['gi_speedup_statistic']:.0f}x / {r['gi_speedup_with_weights']:.0f}x "
            f"| {r['gi_max_abs_z_diff']:.1e} |"
        )
    return "\n".join(lines)


def main() -> None:
    rows = []
    for label, zip_name, first, last in CASES:
        if not (DATA / zip_name).exists():
            print(f"skipping {label}: no {DATA / zip_name}", file=sys.stderr)
            continue
        xs, ys = read_points(zip_name, first, last)
        for cell_size in CELL_SIZES:
            rows.append(bench_case(label, xs, ys, cell_size))
            print(f"done: {label}, {cell_size:g} m", file=sys.stderr)
    print(f"Python {platform.python_version()}, {os.cpu_count()} cores, repeats {REPEATS}")
    print(markdown(rows))
    print(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
