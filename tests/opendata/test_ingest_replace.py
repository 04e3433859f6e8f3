"""Idempotent, atomic replacement of a (force, month, kind); the later release wins."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from beatbook.opendata.ingest import service
from beatbook.opendata.models import Crime
from beatbook.opendata.services import ingest_paths
from beatbook.records.models import SourceFile

pytestmark = pytest.mark.django_db


def test_loading_the_same_file_again_is_skipped_as_unchanged(policeuk: Path) -> None:
    path = policeuk / "good" / "2019-09-merseyside-street.csv"
    ingest_paths(paths=[path])
    [again] = ingest_paths(paths=[path]).files

    assert again.status == "unchanged"
    assert Crime.objects.count() == 6
    assert list(SourceFile.objects.order_by("id").values_list("status", flat=True)) == [
        "loaded",
        "unchanged",
    ]


def test_reload_replaces_the_rows_in_place(policeuk: Path) -> None:
    path = policeuk / "good" / "2019-09-merseyside-street.csv"
    ingest_paths(paths=[path])
    [again] = ingest_paths(paths=[path], reload=True).files

    assert (again.status, again.rows_replaced, again.outcomes_changed) == ("loaded", 6, 0)
    assert Crime.objects.count() == 6
    assert list(SourceFile.objects.order_by("id").values_list("status", flat=True)) == [
        "replaced",
        "loaded",
    ]
    assert set(Crime.objects.values_list("source_id", flat=True)) == {again.source_id}


def test_a_file_failing_half_way_leaves_the_database_as_it_was(
    policeuk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = policeuk / "good" / "2019-09-merseyside-street.csv"
    [first] = ingest_paths(paths=[path]).files
    loader_class = type(service.loader_for_connection())
    real_insert = loader_class.insert_rows

    def insert_then_fail(self: object, **kwargs: object) -> None:
        real_insert(self, **kwargs)  # the rows are in, the old ones deleted: then it breaks
        raise service.DatabaseError("disk full (simulated)")

    monkeypatch.setattr(loader_class, "insert_rows", insert_then_fail)
    [failed] = ingest_paths(paths=[path], reload=True).files

    assert failed.status == "failed"
    assert "disk full (simulated)" in failed.message
    assert Crime.objects.count() == 6
    assert set(Crime.objects.values_list("source_id", flat=True)) == {first.source_id}
    statuses = dict(SourceFile.objects.values_list("id", "status"))
    assert statuses == {first.source_id: "loaded", failed.source_id: "failed"}


def _months(source: Path, months: list[str], target: Path) -> Path:
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w") as out:
        for name in archive.namelist():
            if name.split("/")[0] in months:
                out.writestr(name, archive.read(name))
    return target


def test_a_later_release_replaces_an_earlier_one_with_the_later_outcomes(
    shared_data: Path, tmp_path: Path
) -> None:
    policeuk = shared_data / "policeuk"
    months = ["2019-09", "2019-10", "2019-11", "2019-12"]
    earlier = ingest_paths(paths=[policeuk / "merseyside-2019-09-to-12-earlier-release.zip"])
    assert [result.status for result in earlier.files] == ["loaded"] * 4
    later_zip = _months(policeuk / "merseyside-2018-2021.zip", months, tmp_path / "later.zip")

    later = ingest_paths(paths=[later_zip])

    assert [result.status for result in later.files] == ["loaded"] * 4
    assert all(result.outcomes_changed for result in later.files)
    assert later.outcomes_changed > 100
    assert Crime.objects.count() == later.rows_loaded
    for result in later.files:
        assert Crime.objects.filter(month=result.month).count() == result.rows_loaded
        assert set(
            Crime.objects.filter(month=result.month).values_list("source_id", flat=True)
        ) == {result.source_id}
    assert SourceFile.objects.filter(status="replaced").count() == 4
    # The later outcome of a crime revised between releases is the one kept.
    with zipfile.ZipFile(later_zip) as archive:
        lines = archive.read("2019-09/2019-09-merseyside-street.csv").decode().splitlines()
    header = lines[0].split(",")
    row = next(line.split(",") for line in lines[1:] if line.split(",")[0])
    crime_id, outcome = row[0], row[header.index("Last outcome category")]
    assert outcome in set(
        Crime.objects.filter(persistent_id=crime_id).values_list("outcome", flat=True)
    )
