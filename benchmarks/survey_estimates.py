"""Benchmark: survey estimates for 20,000 respondents, 30 questions and 200 neighbourhoods
(issue 17), against weightipy and pandas called naively.

Run from the repository root:

    .venv/bin/python benchmarks/survey_estimates.py

A synthetic survey is made here (seeded): 200 neighbourhoods with census-style margins (seven
age bands by two sexes), 20,000 respondents drawn with response rising with age and higher for
women, 3% giving no age band or sex, and 30 questions: 20 single-choice (five answers) and 10
multiple-choice or "top three priorities" (up to three of eight), each left blank by about
10%. Beatbook's estimate is ``survey_estimate``: the checks, the raking (``rake_weights``:
weightipy per neighbourhood) and every share with its interval by neighbourhood and for the
whole area (``estimate_shares``). The baseline computes the same
estimates as the chosen library's documentation would have it: weightipy's segmented scheme over
the whole frame (``scheme_from_df(..., col_filter="area")``, one ``weight`` call), the weights
scaled to each area's population with pandas, and each weighted share, effective n and Wilson
interval computed by looping over question x area x answer. Then ``beatbook survey-estimate
--by area --json`` is timed end to end on CSV files of that survey (a subprocess, Python and
Django start-up included). The goal: at most 10 s on two cores.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from weightipy import scheme_from_df, weight

from beatbook.analysis.survey_estimates import survey_estimate, wilson_interval

REPO = Path(__file__).resolve().parent.parent
BEATBOOK = [sys.executable, "-m", "beatbook.cli"]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
GOAL_SECONDS = 10.0
RESPONDENTS, AREAS = 20_000, 200
AGES = ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"]
SEXES = ["female", "male"]
SUPPRESS_BELOW, FLAG_BELOW = 30, 100


def _survey() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Wide responses and margins, the same on every run."""
    rng = np.random.default_rng(17)
    areas = [f"Neighbourhood {number:03d}" for number in range(AREAS)]
    cells = pd.MultiIndex.from_product([areas, AGES, SEXES], names=["area", "age_band", "sex"])
    margins = cells.to_frame(index=False)
    margins["population"] = rng.integers(150, 1200, len(margins))
    pull = np.repeat(np.linspace(0.5, 2.0, 7), 2) * np.tile([1.3, 0.8], 7)
    chance = margins["population"].to_numpy() * np.tile(pull, AREAS)
    drawn = margins.iloc[rng.choice(len(margins), RESPONDENTS, p=chance / chance.sum())]
    wide = drawn[["area", "age_band", "sex"]].reset_index(drop=True)
    wide.insert(0, "respondent_id", [f"R{number:05d}" for number in range(RESPONDENTS)])
    hidden = rng.random(RESPONDENTS) < 0.02
    wide.loc[hidden, "age_band"] = ""
    wide.loc[rng.random(RESPONDENTS) < 0.01, "sex"] = ""
    for number in range(30):
        wide[f"q{number + 1:02d}"] = _answers(rng, number)
    return wide, margins


def _answers(rng: np.random.Generator, number: int) -> np.ndarray:
    if number < 20:
        codes = np.array(["1", "2", "3", "4", "5"])
        cells = codes[rng.choice(5, RESPONDENTS, p=[0.1, 0.2, 0.3, 0.25, 0.15])]
    else:
        codes = np.array(list("abcdefgh"))
        chosen = rng.random((RESPONDENTS, 8)) < np.linspace(0.5, 0.05, 8)
        chosen[:, 0] |= ~chosen.any(axis=1)
        cells = np.array([";".join(codes[row][:3]) for row in chosen])
    return np.where(rng.random(RESPONDENTS) < 0.1, "", cells)


def _beatbook(wide: pd.DataFrame, margins: pd.DataFrame) -> tuple[float, float, pd.DataFrame]:
    """Wall-clock and CPU seconds (the CPU time says what a busy machine's wall time hides)."""
    started, cpu = time.perf_counter(), time.process_time()
    estimates, _ = survey_estimate(
        wide, margins, by_area=True, suppress_below=SUPPRESS_BELOW, flag_below=FLAG_BELOW
    )
    return time.perf_counter() - started, time.process_time() - cpu, estimates


def _naive_weights(wide: pd.DataFrame, margins: pd.DataFrame) -> pd.Series:
    known = wide[(wide["age_band"] != "") & (wide["sex"] != "")]
    scheme = scheme_from_df(
        df=margins, cols_weighting=["age_band", "sex"], col_freq="population", col_filter="area"
    )
    raked = weight(known[["area", "age_band", "sex"]].reset_index(drop=True), scheme)
    weights = pd.Series(np.nan, index=wide.index)
    weights[known.index] = raked.to_numpy()
    weights = weights.fillna(weights.groupby(wide["area"]).transform("mean"))
    population = margins.groupby("area")["population"].sum()
    return weights * wide["area"].map(population) / weights.groupby(wide["area"]).transform("sum")


def _naive_share(chosen: pd.Series, w: pd.Series) -> list[float]:
    total, squares = w.sum(), (w * w).sum()
    share = float(w[chosen].sum() / total)
    effective = float(total * total / squares)
    low, high = wilson_interval(np.array([share]), np.array([effective]))
    return [share, float(low[0]), float(high[0]), len(w), effective]


def _baseline(wide: pd.DataFrame, margins: pd.DataFrame) -> tuple[float, float, pd.DataFrame]:
    """weightipy's segmented scheme in one call, then shares by loops, as plainly as can be."""
    started, cpu = time.perf_counter(), time.process_time()
    weights = _naive_weights(wide, margins)
    rows = []
    for question in wide.columns[4:]:
        answered = wide[question] != ""
        codes = sorted({code for cell in wide.loc[answered, question] for code in cell.split(";")})
        for area in ["all", *sorted(wide["area"].unique())]:
            inside = answered if area == "all" else answered & (wide["area"] == area)
            cells = wide.loc[inside, question].str.split(";")
            for code in codes:
                chosen = cells.apply(lambda picked, code=code: code in picked)
                rows.append([question, code, area, *_naive_share(chosen, weights[inside])])
    columns = ["question", "answer", "area", "estimate", "ci_low", "ci_high", "n", "effective_n"]
    frame = pd.DataFrame(rows, columns=columns)
    return time.perf_counter() - started, time.process_time() - cpu, frame


def _largest_gap(ours: pd.DataFrame, naive: pd.DataFrame) -> float:
    keys = ["question", "answer", "area"]
    both = ours.merge(naive, on=keys, suffixes=("", "_naive"))
    assert len(both) == len(ours) == len(naive), (len(both), len(ours), len(naive))
    shown = ~both["suppressed"]
    return float((both["estimate"] - both["estimate_naive"])[shown].abs().max())


def _command(folder: Path) -> tuple[float, float]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    args = ["survey-estimate", "--responses", "R.csv", "--margins", "M.csv", "--by", "area"]
    started, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(
        [*BEATBOOK, *args, "--json"],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"beatbook survey-estimate failed:\n{done.stderr[-4000:]}")
    return seconds, _children_cpu() - cpu


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _runs(label: str, runs: list[tuple[float, float]]) -> float:
    wall = statistics.median(run for run, _ in runs)
    cpu = statistics.median(used for _, used in runs)
    listed = ", ".join(f"{run:.2f}" for run, _ in runs)
    print(f"{label}: median {wall:.2f} s wall, {cpu:.2f} s CPU (wall runs: {listed})")
    return wall


def main() -> None:
    wide, margins = _survey()
    ours = [_beatbook(wide, margins) for _ in range(ROUNDS)]
    naive_wall, naive_cpu, naive = _baseline(wide, margins)
    with tempfile.TemporaryDirectory(prefix="beatbook-bench-survey-") as scratch:
        folder = Path(scratch)
        wide.to_csv(folder / "R.csv", index=False)
        margins.to_csv(folder / "M.csv", index=False)
        command = [_command(folder) for _ in range(ROUNDS)]
    estimates = ours[0][2]
    answers = sum(
        wide[name].str.count(";").add(1).where(wide[name] != "", 0).sum()
        for name in wide.columns[4:]
    )
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    print(
        f"{RESPONDENTS:,} respondents, 30 questions, {AREAS} neighbourhoods: {answers:,} answers "
        f"chosen, {len(estimates):,} estimates ({int(estimates['suppressed'].sum()):,} "
        f"suppressed, {int(estimates['small'].sum()):,} small)"
    )
    median = _runs("Beatbook (survey_estimate)", [(wall, cpu) for wall, cpu, _ in ours])
    print(f"weightipy segmented + pandas loops: {naive_wall:.2f} s wall, {naive_cpu:.2f} s CPU")
    print(f"Ratio naive / Beatbook (wall): {naive_wall / median:.1f}x")
    print(f"Largest difference between the two's estimates: {_largest_gap(estimates, naive):.2e}")
    _runs("beatbook survey-estimate --by area --json, end to end", command)
    worst = max([wall for wall, _, _ in ours] + [wall for wall, _ in command])
    print(
        f"Goal at most {GOAL_SECONDS:.0f} s: {'met' if worst <= GOAL_SECONDS else 'MISSED'} "
        f"(worst {worst:.2f} s wall)"
    )


if __name__ == "__main__":
    main()
