"""Benchmark: the strategic assessment of Stoke-on-Trent for 2025 (issue 16), HTML and PDF, on
SQLite, against plain pandas making the same tables from the raw CSVs in the zip.

Run from the repository root (needs ../shared/data):

    .venv/bin/python benchmarks/assessment.py

A scratch data folder gets what a user loads (the 2011 and 2021 LSOA population tables, the
LSOA-to-force lookup, Staffordshire's and Cheshire's 2025 street files) through ``beatbook``;
then ``beatbook assess --area Stoke-on-Trent --year 2025`` is run ``BENCH_ROUNDS`` times for the
HTML report with summary.json and for the PDF, each a whole command as a user runs it (start-up
included). The baseline reads the same zips and LSOA table with pandas and builds the counts by
category, rates per 1,000 for every local authority of the force, harm by both indexes, the
monthly table, the 250 m squares and the repeat locations. The goal: at most 30 s on two cores.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from beatbook.analysis.harm import load_harm_weights
from beatbook.common.policeuk import CRIME_TYPES

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BEATBOOK_SHARED_DATA", REPO.parent / "shared" / "data"))
BEATBOOK = [sys.executable, "-m", "beatbook.cli"]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
GOAL_SECONDS = 30.0
AREA, YEAR = "Stoke-on-Trent", 2025
ZIPS = ("staffordshire-2025.zip", "cheshire-2025.zip")


def _run(args: list[str], env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [*BEATBOOK, *args], env=env, cwd=cwd, capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"beatbook {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds


def _load(env: dict[str, str], cwd: Path) -> float:
    geography = SHARED / "geography"
    started = time.perf_counter()
    _run(["import-lsoa-population", str(geography / "lsoa-2011-population.csv")], env, cwd)
    _run(["import-lsoa-population", str(geography / "lsoa-2021-population.csv")], env, cwd)
    _run(["import-lsoa-forces", str(geography / "lsoa-2011-police-force-lookup.csv")], env, cwd)
    _run(["ingest", *(str(SHARED / "policeuk" / name) for name in ZIPS)], env, cwd)
    return time.perf_counter() - started


def _baseline() -> float:
    """The same tables with plain pandas, straight from the files."""
    started = time.perf_counter()
    frames = []
    for name in ZIPS:
        with zipfile.ZipFile(SHARED / "policeuk" / name) as archive:
            for member in sorted(archive.namelist()):
                if member.endswith("-street.csv"):
                    frames.append(pd.read_csv(archive.open(member)))
    crimes = pd.concat(frames, ignore_index=True)
    crimes["slug"] = crimes["Crime type"].map(CRIME_TYPES)
    crimes["authority"] = crimes["LSOA name"].str.extract(r"^(.+) \d{3}[A-Z]$")[0]
    people = pd.read_csv(SHARED / "geography" / "lsoa-2021-population.csv", dtype=str)
    people = people.dropna(subset=["LSOA21CD", "Population"])
    people["authority"] = people.iloc[:, 0].str.extract(r"^(.+) \d{3}[A-Z]$")[0]
    population = people.assign(n=people["Population"].astype(int)).groupby("authority")["n"].sum()
    weights = load_harm_weights()
    area = crimes[crimes["authority"] == AREA].copy()
    by_category = area["slug"].value_counts()
    _ = {
        "rates": by_category / population[AREA] * 1000,
        "cchi": by_category * by_category.index.map(weights.table("cchi")),
        "css": by_category * by_category.index.map(weights.table("css")),
        "authorities": crimes.groupby("authority").size() / population * 1000,
        "monthly": area.groupby("Month").size(),
    }
    located = area.dropna(subset=["Longitude", "Latitude"])
    from pyproj import Transformer

    to_grid = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    x, y = to_grid.transform(located["Longitude"].to_numpy(), located["Latitude"].to_numpy())
    cells = pd.DataFrame({"x": np.floor(x / 250), "y": np.floor(y / 250), "slug": located["slug"]})
    cells["harm"] = cells["slug"].map(weights.table("cchi"))
    _ = cells.groupby(["x", "y"])["harm"].sum().nlargest(10)
    _ = located.groupby(["Longitude", "Latitude", "Location"]).size().nlargest(10)
    return time.perf_counter() - started


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="beatbook-bench-assess-") as scratch:
        folder = Path(scratch)
        env = {**os.environ, "BEATBOOK_DATA_DIR": str(folder / "data"), "DATABASE_URL": ""}
        env["PYTHONPATH"] = str(REPO / "src")
        loading = _load(env, folder)
        html, pdf, reports = [], [], set()
        for _ in range(ROUNDS):
            html.append(
                _run(
                    [
                        "assess",
                        "--area",
                        AREA,
                        "--year",
                        str(YEAR),
                        "--output",
                        "report.html",
                        "--json",
                        "summary.json",
                    ],
                    env,
                    folder,
                )
            )
            reports.add(
                (folder / "report.html").read_bytes() + (folder / "summary.json").read_bytes()
            )
            pdf.append(
                _run(
                    ["assess", "--area", AREA, "--year", str(YEAR), "--output", "report.pdf"],
                    env,
                    folder,
                )
            )
        baseline = statistics.median(_baseline() for _ in range(ROUNDS))
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, SQLite")
    print(f"Loading (LSOA tables, two forces' 2025 street files): {loading:.1f} s")
    print(
        f"beatbook assess, HTML + summary.json: median {statistics.median(html):.2f} s "
        f"(runs: {', '.join(f'{s:.2f}' for s in html)})"
    )
    print(
        f"beatbook assess, PDF: median {statistics.median(pdf):.2f} s "
        f"(runs: {', '.join(f'{s:.2f}' for s in pdf)})"
    )
    print(f"Plain pandas from the raw CSVs: median {baseline:.2f} s")
    print(
        f"Ratio HTML / pandas: {statistics.median(html) / baseline:.2f}; "
        f"PDF / pandas: {statistics.median(pdf) / baseline:.2f}"
    )
    worst = max(html + pdf)
    print(
        f"Goal at most {GOAL_SECONDS:.0f} s: {'met' if worst <= GOAL_SECONDS else 'MISSED'} "
        f"(worst {worst:.2f} s)"
    )
    print(f"Every run gave the same report and summary: {len(reports) == 1}")


if __name__ == "__main__":
    main()
