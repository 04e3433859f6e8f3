"""Bad input: a clear message naming the file (and line), and nothing loaded from that file."""

from __future__ import annotations

from pathlib import Path

import pytest

from beatbook.opendata.models import Crime
from beatbook.opendata.services import IngestInputError, ingest_paths
from beatbook.records.models import SourceFile

pytestmark = pytest.mark.django_db


def _fails(path: Path, **options: bool) -> str:
    [result] = ingest_paths(paths=[path], **options).files
    assert result.status == "failed"
    assert result.rows_loaded == 0
    assert not Crime.objects.exists()
    source = SourceFile.objects.get(pk=result.source_id)
    assert source.status == "failed"
    assert source.message == result.message
    return result.message


def test_it_rejects_a_file_with_the_wrong_header(policeuk: Path) -> None:
    path = policeuk / "bad" / "wrong-header" / "2019-09-merseyside-street.csv"
    message = _fails(path)
    assert f"{path}:1: wrong header" in message
    assert "Crime category" in message


def test_it_rejects_an_impossible_month_in_the_file_name(policeuk: Path) -> None:
    path = policeuk / "bad" / "impossible-month" / "2025-13-merseyside-street.csv"
    assert "impossible month '2025-13'" in _fails(path)


def test_it_rejects_a_file_whose_row_is_for_another_month(policeuk: Path) -> None:
    path = policeuk / "bad" / "row-month" / "2019-09-merseyside-street.csv"
    message = _fails(path)
    assert f"{path}:4: month differs from the file's month 2019-09: '2019-08'" in message
    assert "--skip-invalid-rows" in message


def test_it_rejects_coordinates_outside_the_uk(policeuk: Path) -> None:
    path = policeuk / "bad" / "outside-uk" / "2019-09-merseyside-street.csv"
    assert f"{path}:3: coordinates outside the UK" in _fails(path)


def test_it_rejects_an_unknown_crime_type(policeuk: Path) -> None:
    path = policeuk / "bad" / "unknown-crime-type" / "2019-09-merseyside-street.csv"
    assert f"{path}:3: unknown crime type: 'Jaywalking'" in _fails(path)


def test_it_rejects_a_file_that_is_not_utf8(policeuk: Path) -> None:
    path = policeuk / "bad" / "latin1" / "2019-09-merseyside-street.csv"
    message = _fails(path)
    assert f"{path}:3: the file is not UTF-8" in message


def test_it_rejects_a_zip_with_something_else_inside_and_loads_none_of_it(policeuk: Path) -> None:
    path = policeuk / "bad" / "junk-zip" / "police-archive.zip"
    message = _fails(path)
    assert "2019-09/notes.docx" in message
    assert str(path) in message


def test_it_says_plainly_when_a_path_does_not_exist(tmp_path: Path) -> None:
    with pytest.raises(IngestInputError, match="no such file or folder: .*missing.csv"):
        ingest_paths(paths=[tmp_path / "missing.csv"])
    assert not SourceFile.objects.exists()


def test_skip_invalid_rows_loads_the_rest_and_reports_the_rejected_rows(policeuk: Path) -> None:
    path = policeuk / "bad" / "row-month" / "2019-09-merseyside-street.csv"
    [result] = ingest_paths(paths=[path], skip_invalid_rows=True).files

    assert (result.status, result.rows_read, result.rows_loaded, result.rows_rejected) == (
        "loaded",
        3,
        2,
        1,
    )
    reason = "month differs from the file's month 2019-09"
    assert result.rejection_counts == {reason: 1}
    assert Crime.objects.count() == 2
    source = SourceFile.objects.get(pk=result.source_id)
    assert source.rejection_counts == {reason: 1}
    assert source.rejections == [{"line": 4, "reason": f"{reason}: '2019-08'"}]


def test_skip_invalid_rows_still_fails_a_whole_file_problem(policeuk: Path) -> None:
    _fails(
        policeuk / "bad" / "wrong-header" / "2019-09-merseyside-street.csv", skip_invalid_rows=True
    )


def test_a_bad_file_does_not_stop_the_good_ones(policeuk: Path) -> None:
    summary = ingest_paths(
        paths=[
            policeuk / "bad" / "latin1" / "2019-09-merseyside-street.csv",
            policeuk / "good" / "2025-06-staffordshire-street.csv",
        ]
    )

    assert [result.status for result in summary.files] == ["failed", "loaded"]
    assert Crime.objects.filter(force_id="staffordshire").count() == 3
    assert not Crime.objects.filter(force_id="merseyside").exists()


def test_rows_with_the_wrong_number_of_fields_are_reported_by_line(
    tmp_path: Path, policeuk: Path
) -> None:
    source = (policeuk / "good" / "2025-06-staffordshire-street.csv").read_bytes().split(b"\r\n")
    broken = tmp_path / "2025-06-staffordshire-street.csv"
    broken.write_bytes(
        b"\r\n".join([source[0], source[1], b"only,three,fields", source[2], source[3], b""])
    )

    [result] = ingest_paths(paths=[broken], skip_invalid_rows=True).files

    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (4, 3, 1)
    assert result.rejection_samples[0].line == 3
    assert "expected 12 fields, found 3" in result.rejection_samples[0].reason
