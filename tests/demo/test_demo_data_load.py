from __future__ import annotations

import csv
import gzip
import json
import shutil
from pathlib import Path

import pytest

from beatbook.demo.bundle import (
    CREWE_WEST_LSOAS,
    DATA_DIR,
    demo_bundle_checksum,
    demo_bundle_files,
)
from beatbook.demo.loader import DemoLoadError, demo_data_load
from beatbook.demo.models import DemoBundle
from beatbook.opendata.models import Crime
from beatbook.places.models import Lsoa, Neighbourhood, Postcode
from beatbook.records.models import SourceFile

pytestmark = pytest.mark.django_db


class RecordingProgress:
    def __init__(self) -> None:
        self.steps: list[str] = []
        self.summaries: list[str] = []
        self.advances = 0

    def step_started(self, description: str, total: int | None = None) -> None:
        self.steps.append(description)

    def step_advanced(self, completed: int, total: int | None = None) -> None:
        self.advances += 1

    def step_finished(self, summary: str) -> None:
        self.summaries.append(summary)


def test_the_demo_loads_staffordshire_and_west_crewe_once_and_a_second_run_loads_nothing() -> None:
    progress = RecordingProgress()

    first = demo_data_load(progress=progress)

    assert first.loaded
    assert (
        Crime.objects.filter(force_id="staffordshire", month__startswith="2025-").count() == 102_517
    )
    assert Lsoa.objects.filter(force_id="staffordshire").count() == 687
    assert Postcode.objects.filter(postcode__startswith="ST").exists()
    names = set(
        Neighbourhood.objects.filter(force_id="staffordshire").values_list("name", flat=True)
    )
    assert len(names) > 100
    for place in ("Longton", "Meir", "Hanley"):
        assert any(place in name for name in names), place
    assert Crime.objects.exclude(neighbourhood=None).count() > 100_000
    crewe = Lsoa.objects.filter(code__in=CREWE_WEST_LSOAS)
    assert set(crewe.values_list("force_id", flat=True)) == {"cheshire"}
    assert crewe.count() == len(CREWE_WEST_LSOAS) == 12
    assert not crewe.filter(boundary=None).exists()
    assert not crewe.filter(population_2011=None).exists()
    assert not crewe.filter(neighbourhoods__isnull=False).exists()
    assert Postcode.objects.filter(postcode__startswith="CW2 7").count() > 50
    assert progress.steps[-1] == "Street-level crime, 2025"
    assert len(progress.summaries) == len(progress.steps) == 7
    assert progress.advances == 12
    sources = SourceFile.objects.count()
    crimes = Crime.objects.count()

    second = demo_data_load(progress=RecordingProgress())

    assert not second.loaded
    assert second.sha256 == first.sha256
    assert SourceFile.objects.count() == sources
    assert Crime.objects.count() == crimes
    assert DemoBundle.objects.count() == 1


def test_a_broken_bundle_stops_naming_the_step_and_is_not_marked_as_loaded(tmp_path: Path) -> None:
    shutil.copytree(DATA_DIR, tmp_path / "data")
    files = demo_bundle_files(tmp_path / "data")
    files.boundaries.write_bytes(b"this is not gzip")

    with pytest.raises(DemoLoadError, match="failed at LSOA boundaries"):
        demo_data_load(files=files)

    assert not DemoBundle.objects.exists()
    assert not Lsoa.objects.exists()


def test_a_missing_file_is_named() -> None:
    files = demo_bundle_files(Path("/nonexistent"))

    with pytest.raises(FileNotFoundError, match="staffordshire-2025.zip"):
        demo_bundle_checksum(files)


def test_the_bundle_is_small_and_carries_its_attribution() -> None:
    total = sum(path.stat().st_size for path in DATA_DIR.rglob("*") if path.is_file())
    attribution = (DATA_DIR / "ATTRIBUTION.md").read_text(encoding="utf-8")

    assert total < 15_000_000
    assert "Open Government" in attribution
    assert "Royal Mail copyright and database right 2025" in attribution
    assert all(path.is_file() for path in demo_bundle_files().all())


def test_the_west_end_of_crewe_is_in_the_bundles_files_in_force_cheshire() -> None:
    files = demo_bundle_files()
    with files.forces.open(encoding="utf-8-sig", newline="") as handle:
        forces = {row["LSOA Code"]: row["Police_force"] for row in csv.DictReader(handle)}
    with gzip.open(files.boundaries, "rt", encoding="utf-8") as handle:
        bounded = {f["properties"]["LSOA11CD"] for f in json.load(handle)["features"]}

    assert len(set(CREWE_WEST_LSOAS)) == len(CREWE_WEST_LSOAS)
    assert all(forces.get(code) == "Cheshire" for code in CREWE_WEST_LSOAS)
    assert set(CREWE_WEST_LSOAS) <= bounded
    assert set(forces.values()) == {"Staffordshire", "Cheshire"}
