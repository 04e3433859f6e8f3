"""Benchmark and record: how honest the before-and-after evaluation (analysis.evaluation) is on
real police.uk files, by simulation (issue 14, item 6).

Run from the repository root (needs ../shared/data):

    .venv/bin/python benchmarks/evaluation.py            # Merseyside, 200 areas, seed 0
    .venv/bin/python benchmarks/evaluation.py 100 1      # 100 areas, seed 1

Placebo areas are about ten neighbouring LSOAs: ten consecutive by LSOA name from the first
LSOA of a randomly chosen MSOA ("Liverpool 012A", "Liverpool 012B", ... then "Liverpool 013A"),
all inside the force (each with at least one crime a month on average), at a random start
month with at least twelve months before it and three after it in the file. Nothing happened
there, so a significant change at 5% is a false positive: the share must be about 5% and at
most 10%. Then the same areas get a true +50% for three months from the start (each of their
crimes in those months is recorded twice with probability one half, as extra crimes would be):
the share found (p < 0.05) is the power, which must be at least 80%, and the share of 95%
intervals covering +0.5 is the coverage.

Everything runs on the files (beatbook.analysis.policeuk_files), no database.
"""

from __future__ import annotations

import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from beatbook.analysis.evaluation import evaluate, evaluate_counts, lsoa_month_counts
from beatbook.analysis.policeuk_files import read_street_crimes, street_file_months
from beatbook.common.months import add_months

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BEATBOOK_SHARED_DATA", REPO.parent / "shared" / "data"))
MERSEYSIDE = "policeuk/merseyside-2018-2021.zip"
AREA_SIZE = 10
MONTHS_AFTER = 3
EFFECT = 0.5


@dataclass(frozen=True)
class Figures:
    """The shares the issue's bounds are about, over ``areas`` simulated areas."""

    areas: int
    false_positive_rate: float
    power: float
    coverage: float
    placebo_coverage: float
    seconds: float


@dataclass(frozen=True)
class ForceData:
    counts: pd.DataFrame
    names: pd.Series
    crimes: pd.DataFrame


def read_force(path: Path) -> ForceData:
    """The force's crimes and its counts per LSOA and month, every month held."""
    crimes = read_street_crimes([path])
    held = street_file_months([path])
    counts = lsoa_month_counts(crimes, months_held=held)
    named = crimes[["lsoa_code", "lsoa_name"]].drop_duplicates("lsoa_code")
    names = pd.Series(named["lsoa_name"].to_numpy(), index=named["lsoa_code"].to_numpy())
    return ForceData(counts=counts, names=names, crimes=crimes)


def placebo_areas(data: ForceData, count: int, rng: np.random.Generator) -> list[list[str]]:
    """``count`` areas of ``AREA_SIZE`` neighbouring LSOAs in the force, each starting at the
    first LSOA of a random MSOA (name without its last letter)."""
    busy = data.counts.index[data.counts.mean(axis=1) >= 1.0]
    ordered = sorted(busy, key=lambda code: (str(data.names.get(code, "~")), code))
    msoa = [str(data.names.get(code, code))[:-1] for code in ordered]
    firsts = [i for i in range(len(ordered) - AREA_SIZE + 1) if i == 0 or msoa[i] != msoa[i - 1]]
    chosen = rng.choice(firsts, size=count, replace=True)
    return [ordered[i : i + AREA_SIZE] for i in chosen]


def start_months(held: list[str], count: int, rng: np.random.Generator) -> list[str]:
    """Random starts with twelve months held before and ``MONTHS_AFTER`` months held from it."""
    possible = [m for m in held[12:] if all(add_months(m, k) in held for k in range(MONTHS_AFTER))]
    return [str(m) for m in rng.choice(possible, size=count, replace=True)]


def with_effect(
    counts: pd.DataFrame, area: list[str], start: str, rng: np.random.Generator
) -> pd.DataFrame:
    """``counts`` with each crime of the area in the months from ``start`` recorded twice with
    probability ``EFFECT``: a true rise of 50% in expectation."""
    changed = counts.copy()
    months = [add_months(start, k) for k in range(MONTHS_AFTER)]
    block = changed.loc[area, months].to_numpy()
    changed.loc[area, months] = block + rng.binomial(block, EFFECT)
    return changed


def simulate(data: ForceData, areas: int, seed: int) -> Figures:
    """The false-positive rate, power and coverage over ``areas`` placebo areas and starts."""
    rng = np.random.default_rng(seed)
    began = time.perf_counter()
    held = [str(m) for m in data.counts.columns]
    cases = zip(placebo_areas(data, areas, rng), start_months(held, areas, rng), strict=True)
    null_hits = power_hits = covered = null_covered = 0
    for area, start in cases:
        null = evaluate_counts(data.counts, area, start, names=data.names)
        assert null.p_value is not None
        assert null.ci_low is not None
        assert null.ci_high is not None
        null_hits += null.p_value < 0.05
        null_covered += null.ci_low <= 0.0 <= null.ci_high
        treated = with_effect(data.counts, area, start, rng)
        found = evaluate_counts(treated, area, start, names=data.names)
        assert found.p_value is not None
        assert found.ci_low is not None
        assert found.ci_high is not None
        power_hits += found.p_value < 0.05
        covered += found.ci_low <= EFFECT <= found.ci_high
    return Figures(
        areas=areas,
        false_positive_rate=null_hits / areas,
        power=power_hits / areas,
        coverage=covered / areas,
        placebo_coverage=null_covered / areas,
        seconds=time.perf_counter() - began,
    )


def frames_agree(data: ForceData, seed: int) -> bool:
    """The crime-frame entry point and the counts one give the same answer."""
    rng = np.random.default_rng(seed)
    area = placebo_areas(data, 1, rng)[0]
    start = start_months([str(m) for m in data.counts.columns], 1, rng)[0]
    one = evaluate(data.crimes, area, start, months_held=list(data.counts.columns))
    two = evaluate_counts(data.counts, area, start, names=data.names)
    return one == two


def main() -> None:
    areas = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    began = time.perf_counter()
    data = read_force(SHARED / MERSEYSIDE)
    read = time.perf_counter() - began
    print(
        f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}"
    )
    print(f"load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(
        f"Merseyside: {len(data.crimes):,} crimes, {len(data.counts)} LSOAs, "
        f"{len(data.counts.columns)} months held, read in {read:.1f} s"
    )
    print(f"crime frame and counts give the same answer: {frames_agree(data, seed)}")
    figures = simulate(data, areas, seed)
    print(f"areas of {AREA_SIZE} LSOAs, {MONTHS_AFTER} months after, seed {seed}: {figures.areas}")
    print(f"false-positive rate at 5% (no change): {figures.false_positive_rate:.1%}")
    print(f"95% interval covering 0 (no change): {figures.placebo_coverage:.1%}")
    print(f"power against a true +50%: {figures.power:.1%}")
    print(f"95% interval covering +50%: {figures.coverage:.1%}")
    print(f"seconds for {2 * figures.areas} evaluations: {figures.seconds:.1f}")


if __name__ == "__main__":
    main()
