"""The before-and-after evaluation on Merseyside's real files (2018-01 to 2021-09): a smaller
run of benchmarks/evaluation.py, whose full figures docs/benchmarks.md records. With no change,
at most 10% of placebo areas may be found to change at 5%; with a true +50% for three months,
at least 80% must be found, and at least 90% of the intervals must cover it."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.slow

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "evaluation.py"


def _benchmark() -> ModuleType:
    """The benchmark's own simulation, so that the test and the recorded figures cannot drift
    apart (benchmarks/ is not a package)."""
    spec = importlib.util.spec_from_file_location("benchmark_evaluation", BENCHMARK)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_merseyside_placebos_false_positives_power_and_coverage(shared_data: Path) -> None:
    benchmark = _benchmark()
    data = benchmark.read_force(shared_data / "policeuk" / "merseyside-2018-2021.zip")
    assert benchmark.frames_agree(data, seed=0)
    figures = benchmark.simulate(data, areas=100, seed=0)
    assert figures.false_positive_rate <= 0.10
    assert figures.placebo_coverage >= 0.90
    assert figures.power >= 0.80
    assert figures.coverage >= 0.90
