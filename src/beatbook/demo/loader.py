"""Load the bundled demo data through the same importers as real data, once.

The whole load is skipped when a ``DemoBundle`` with the bundle's checksum exists, so a second
``beatbook demo`` starts at once. If a step fails, nothing is recorded and the next run loads
again: each importer is atomic and replaces what it loaded before, so nothing is duplicated.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from beatbook.demo.bundle import FORCE_ID, DemoBundleFiles, demo_bundle_checksum, demo_bundle_files
from beatbook.demo.models import DemoBundle


class DemoLoadError(Exception):
    """A step of the demo load failed; the message names the step and says why."""


class DemoProgress(Protocol):
    """What the loader reports as it goes; ``beatbook demo`` draws it with rich."""

    def step_started(self, description: str, total: int | None = None) -> None: ...

    def step_advanced(self, completed: int, total: int | None = None) -> None: ...

    def step_finished(self, summary: str) -> None: ...


class SilentProgress:
    def step_started(self, description: str, total: int | None = None) -> None:
        pass

    def step_advanced(self, completed: int, total: int | None = None) -> None:
        pass

    def step_finished(self, summary: str) -> None:
        pass


@dataclass(frozen=True)
class DemoLoadResult:
    loaded: bool
    sha256: str
    seconds: float
    summaries: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Step:
    description: str
    run: Callable[[DemoProgress], str]


def demo_data_load(
    *, progress: DemoProgress | None = None, files: DemoBundleFiles | None = None
) -> DemoLoadResult:
    """Load the demo bundle unless this exact bundle is already loaded."""
    files = files or demo_bundle_files()
    progress = progress or SilentProgress()
    checksum = demo_bundle_checksum(files)
    if DemoBundle.objects.filter(sha256=checksum).exists():
        return DemoLoadResult(loaded=False, sha256=checksum, seconds=0.0)
    clock = time.perf_counter()
    summaries = []
    for step in _steps(files):
        progress.step_started(step.description)
        try:
            summary = step.run(progress)
        except Exception as error:
            raise DemoLoadError(
                f"Loading the demo data failed at {step.description}: {error}"
            ) from error
        progress.step_finished(summary)
        summaries.append(summary)
    seconds = time.perf_counter() - clock
    DemoBundle.objects.create(sha256=checksum, seconds=seconds)
    return DemoLoadResult(loaded=True, sha256=checksum, seconds=seconds, summaries=summaries)


def _steps(files: DemoBundleFiles) -> list[_Step]:
    from beatbook.places import services as places

    return [
        _Step(
            "LSOA boundaries", lambda _: _said(places.lsoa_boundaries_import(path=files.boundaries))
        ),
        _Step(
            "LSOA populations, 2011",
            lambda _: _said(places.lsoa_population_import(path=files.population_2011, census=2011)),
        ),
        _Step(
            "LSOA populations, 2021",
            lambda _: _said(places.lsoa_population_import(path=files.population_2021, census=2021)),
        ),
        _Step("LSOAs of the force", lambda _: _said(places.lsoa_forces_import(path=files.forces))),
        _Step(
            "Postcodes and ward names",
            lambda _: _said(places.postcodes_import(path=files.postcodes)),
        ),
        _Step(
            "Neighbourhoods by ward",
            lambda _: _said(places.neighbourhoods_build(force_id=FORCE_ID, by="ward")),
        ),
        _Step("Street-level crime, 2025", lambda progress: _crimes_load(files, progress)),
    ]


def _said(result: Any) -> str:
    return str(result.message)


def _crimes_load(files: DemoBundleFiles, progress: DemoProgress) -> str:
    from beatbook.opendata.services import IngestProgress, ingest_paths

    def report(event: IngestProgress) -> None:
        progress.step_advanced(event.bytes_done, event.bytes_total)

    summary = ingest_paths(paths=[files.crime], on_progress=report)
    if summary.failed:
        reasons = "; ".join(f"{result.file}: {result.message}" for result in summary.failed)
        raise DemoLoadError(f"{len(summary.failed)} crime file(s) failed to load: {reasons}")
    return (
        f"{summary.rows_loaded:,} crimes from {len(summary.files)} monthly files "
        f"({summary.rows_rejected:,} rows rejected)"
    )
