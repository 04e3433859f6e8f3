"""Issue 11, finding 2 (and an empty zip, finding 9): what a zip or a CSV may expand to.

The audit's bomb was a 1 MB zip of 1 GB of blank lines: it ran for a minute, peaked at 2.27 GB
and replaced the month it named with nothing. Here the same shape, smaller.
"""

from __future__ import annotations

import tracemalloc
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from beatbook.opendata.ingest.discover import InputFile, inputs_discover
from beatbook.opendata.models import Crime
from beatbook.opendata.services import IngestError, ingest_paths
from beatbook.records.models import SourceFile

from .audit_files import STREET_HEADER, blank_lines_zip, lying_zip, snapshot, write

pytestmark = pytest.mark.django_db

STAFFORDSHIRE = "2025-06-staffordshire-street.csv"
MEMBER = f"2025-06/{STAFFORDSHIRE}"


@pytest.fixture
def loaded(policeuk: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    [first] = ingest_paths(paths=[policeuk / "good" / STAFFORDSHIRE]).files
    assert first.rows_loaded == 3
    return snapshot()


def test_a_zip_bomb_of_blank_lines_is_refused_from_its_directory_without_unpacking(
    tmp_path: Path, loaded: object
) -> None:
    bomb = blank_lines_zip(tmp_path / "bomb.zip", MEMBER, megabytes=40)
    assert bomb.stat().st_size < 200_000

    tracemalloc.start()
    try:
        [result] = ingest_paths(paths=[bomb]).files
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert result.status == "failed"
    assert f"{bomb}:{MEMBER}" in result.message
    assert "compression ratio" in result.message
    assert "INGEST_MAX_COMPRESSION_RATIO" in result.message
    assert peak < 16 * 1024 * 1024  # the member (40 MiB) was never held in memory
    assert snapshot() == loaded


def test_a_member_larger_than_the_size_limit_is_refused(
    tmp_path: Path, loaded: object, settings: object
) -> None:
    settings.INGEST_MAX_FILE_MB = 2  # type: ignore[attr-defined]
    settings.INGEST_MAX_COMPRESSION_RATIO = 100_000  # type: ignore[attr-defined]
    big = blank_lines_zip(tmp_path / "big.zip", MEMBER, megabytes=3)

    [result] = ingest_paths(paths=[big]).files

    assert result.status == "failed"
    assert "more than the limit of 2 MB" in result.message
    assert "INGEST_MAX_FILE_MB" in result.message
    assert snapshot() == loaded


def test_a_plain_csv_larger_than_the_size_limit_is_refused(
    tmp_path: Path, loaded: object, settings: object
) -> None:
    settings.INGEST_MAX_FILE_MB = 1  # type: ignore[attr-defined]
    path = write(tmp_path / STAFFORDSHIRE, [STREET_HEADER, *[b""] * 600_000])

    [result] = ingest_paths(paths=[path]).files

    assert result.status == "failed"
    assert f"{path}: " in result.message
    assert "more than the limit of 1 MB" in result.message
    assert snapshot() == loaded


def test_a_zip_whose_directory_understates_a_member_is_refused(
    tmp_path: Path, loaded: object
) -> None:
    data = STREET_HEADER + b"\r\n" + b"\r\n" * (8 << 20)
    liar = lying_zip(tmp_path / "liar.zip", MEMBER, data, declared_size=1_000)

    [result] = ingest_paths(paths=[liar]).files

    assert result.status == "failed"
    assert f"{liar}:{MEMBER}" in result.message
    assert "damaged, or its sizes are not true" in result.message
    assert snapshot() == loaded


def test_unpacking_stops_at_the_size_limit_whatever_the_directory_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Imported here so that the other tests of this file run on the code before the fix.
    from beatbook.opendata.ingest.discover import IngestLimits
    from beatbook.opendata.ingest.spool import spooled

    archive = blank_lines_zip(tmp_path / "big.zip", MEMBER, megabytes=8)
    item = InputFile(path=archive, member=MEMBER, size=1_000)  # as if the directory said 1 kB
    unpacked: list[int] = []
    real_read = zipfile.ZipExtFile.read

    def counted(self: zipfile.ZipExtFile, n: int = -1) -> bytes:
        data = real_read(self, n)
        unpacked.append(len(data))
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counted)
    limits = IngestLimits(max_bytes=1_000_000, max_ratio=100_000)

    with pytest.raises(IngestError, match="more than the limit of 1 MB"), spooled(item, limits):
        pass

    assert sum(unpacked) <= (1 << 20) + (1 << 20)  # the limit and at most one chunk more


def test_the_default_limits_pass_every_real_police_uk_file(shared_data: Path) -> None:
    items = inputs_discover(paths=sorted((shared_data / "policeuk").glob("*.zip")))

    assert len(items) > 100
    assert [item.problem for item in items if item.problem] == []


def test_an_empty_zip_fails_with_a_plain_message_and_a_non_zero_exit(tmp_path: Path) -> None:
    empty = tmp_path / "empty.zip"
    zipfile.ZipFile(empty, "w").close()
    folders_only = tmp_path / "folders-only.zip"
    with zipfile.ZipFile(folders_only, "w") as archive:
        archive.mkdir("2019-06")

    summary = ingest_paths(paths=[empty, folders_only])

    assert [result.status for result in summary.files] == ["failed", "failed"]
    assert f"{empty}: the zip holds no files" in summary.files[0].message
    assert f"{folders_only}: the zip holds no files" in summary.files[1].message
    assert SourceFile.objects.filter(status="failed").count() == 2
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("ingest", str(empty), stdout=out)
    assert exit_info.value.code == 1
    assert "the zip holds no files" in out.getvalue()
    assert not Crime.objects.exists()


def test_a_folder_with_nothing_to_load_is_a_plain_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a police.uk file")

    with pytest.raises(IngestError, match="no police.uk CSV or zip files in"):
        ingest_paths(paths=[tmp_path])
