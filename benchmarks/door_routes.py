"""Benchmark: door-to-door routes (planning.door_routes) on real Stoke-on-Trent postcodes,
against the nearest-neighbour walk (issue 14).

Run from the repository root (needs ../shared/data):

    .venv/bin/python benchmarks/door_routes.py            # about 2,000 households, 8 pairs
    .venv/bin/python benchmarks/door_routes.py 2000 8 all  # and all of ST3 and ST4 too

The area: the live postcodes of ST3 and ST4 (OS Code-Point Open, May 2025) nearest the middle of
Longton (British National Grid 391,500 E, 343,000 N), taken nearest first until their estimated
households reach the target. Households are estimated as ``operations.door_lists`` does: the
2011 census households of the postcode's LSOA shared evenly across that LSOA's Code-Point
postcodes. Here, without a database, the LSOA of each postcode comes from the ONS postcode to
LSOA 2011 lookup (May 2022) rather than a point-in-polygon test; a postcode newer than that
lookup has no LSOA and is left out.

It times ``door_routes_plan`` (split and OR-Tools, everything included) and, for the same
routes, the nearest-neighbour walks alone, and prints both lengths and their ratio. The goal:
under 10 s for about 2,000 households on the project's 2-core machine.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import platform
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np

from beatbook.planning.door_routes import (
    WALKING_DETOUR_FACTOR,
    DoorRoutePlan,
    Stop,
    door_routes_plan,
    nearest_neighbour_order,
    path_length,
    search_limits,
)

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BEATBOOK_SHARED_DATA", REPO.parent / "shared" / "data"))
CODEPOINT = SHARED / "postcodes" / "codepo_gb.zip"
LOOKUP = SHARED / "postcodes" / "ons-postcode-lsoa11-lookup-may22-extract.csv.gz"
POPULATION = SHARED / "geography" / "lsoa-2011-population.csv"
LONGTON = (391_500.0, 343_000.0)
DISTRICTS = ("ST3", "ST4")


def codepoint_st() -> dict[str, tuple[float, float]]:
    """Every ST postcode with a grid reference: postcode -> (easting, northing)."""
    with zipfile.ZipFile(CODEPOINT) as archive, archive.open("Data/CSV/st.csv") as raw:
        rows = csv.reader(io.TextIOWrapper(raw, encoding="utf-8"))
        return {
            row[0]: (float(row[2]), float(row[3]))
            for row in rows
            if row[1] != "90"  # quality 90: no coordinates
        }


def lsoa_of_postcodes() -> dict[str, str]:
    with gzip.open(LOOKUP, "rt", encoding="utf-8") as handle:
        return {row["pcds"]: row["lsoa11cd"] for row in csv.DictReader(handle)}


def lsoa_households() -> dict[str, int]:
    with POPULATION.open(encoding="utf-8") as handle:
        rows = csv.reader(handle)
        header = next(rows)
        code, households = header.index("LSOA Code"), header.index("Households")
        return {row[code]: int(row[households].replace(",", "")) for row in rows if row[code]}


def estimated_stops() -> list[Stop]:
    """ST3 and ST4 postcodes with households estimated per LSOA (see the module's docstring)."""
    places = codepoint_st()
    lsoa = lsoa_of_postcodes()
    households = lsoa_households()
    placed = {postcode: lsoa[postcode] for postcode in places if postcode in lsoa}
    postcodes_in = Counter(placed.values())
    stops = []
    for postcode, code in sorted(placed.items()):
        if postcode.split(" ")[0] not in DISTRICTS or code not in households:
            continue
        # The same even share as operations.door_lists (its remainder aside).
        share = round(households[code] / postcodes_in[code])
        easting, northing = places[postcode]
        stops.append(Stop(postcode, easting, northing, share))
    return stops


def nearest_area(stops: list[Stop], households: int) -> list[Stop]:
    """The stops nearest Longton's middle until their households reach ``households``."""
    xy = np.array([(s.easting, s.northing) for s in stops], dtype=float)
    distance = np.hypot(xy[:, 0] - LONGTON[0], xy[:, 1] - LONGTON[1]).tolist()
    chosen, total = [], 0
    for _, stop in sorted(zip(distance, stops, strict=True), key=lambda pair: pair[0]):
        if total >= households:
            break
        chosen.append(stop)
        total += stop.households
    return chosen


def nearest_neighbour_seconds(plan: DoorRoutePlan) -> float:
    """The time the nearest-neighbour walks of the plan's routes take on their own."""
    began = time.perf_counter()
    for route in plan.routes:
        xy = np.array([(s.easting, s.northing) for s in route.stops], dtype=float)
        difference = xy[:, None, :] - xy[None, :, :]
        distances = np.hypot(difference[..., 0], difference[..., 1]) * WALKING_DETOUR_FACTOR
        path_length(distances, nearest_neighbour_order(distances))
    return time.perf_counter() - began


def report(name: str, stops: list[Stop], **options: int) -> None:
    began = time.perf_counter()
    plan = door_routes_plan(stops, **options)
    seconds = time.perf_counter() - began
    baseline_seconds = nearest_neighbour_seconds(plan)
    sizes = [len(route.stops) for route in plan.routes]
    households = [route.households for route in plan.routes]
    print(f"\n{name}: {len(stops):,} postcodes, {plan.households:,} households, {options}")
    print(f"routes: {len(plan.routes)}; postcodes a route {min(sizes)}-{max(sizes)}; ", end="")
    print(f"households a route {min(households)}-{max(households)}")
    limits = search_limits(max(sizes))
    print(f"search limits on the largest route: {limits[0]} solutions or {limits[1]:.1f} s")
    print(f"stopped by the clock: {sum(route.stopped_by_clock for route in plan.routes)} routes")
    print(f"time to build (split + OR-Tools): {seconds:.2f} s; nearest neighbour alone: ", end="")
    print(f"{baseline_seconds:.3f} s")
    ours, baseline = plan.length_m, plan.nearest_neighbour_length_m
    print(
        f"walk, OR-Tools: {ours / 1000:.2f} km; nearest neighbour: {baseline / 1000:.2f} km; ",
        end="",
    )
    print(f"ratio {ours / baseline:.3f}")
    worst = max(route.length_m / route.nearest_neighbour_length_m for route in plan.routes)
    best = min(route.length_m / route.nearest_neighbour_length_m for route in plan.routes)
    print(f"ratio per route: {best:.3f} to {worst:.3f}")
    print(f"| {name} | {len(stops):,} | {plan.households:,} | {len(plan.routes)} | ", end="")
    ratio = ours / baseline
    print(f"{seconds:.2f} s | {ours / 1000:.2f} km | {baseline / 1000:.2f} km | {ratio:.3f} |")


def main() -> None:
    households = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    pairs = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    everything = len(sys.argv) > 3 and sys.argv[3] == "all"
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}"
    )
    print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    began = time.perf_counter()
    stops = estimated_stops()
    print(f"read the files: {time.perf_counter() - began:.1f} s; ST3 and ST4: {len(stops):,} ")
    area = nearest_area(stops, households)
    report(f"Longton, about {households:,} households", area, pairs=pairs)
    if everything:
        report("all of ST3 and ST4, 250 households a route", stops, households_per_route=250)


if __name__ == "__main__":
    main()
