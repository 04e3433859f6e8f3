"""Issue 11, findings 7 and 9: NUL characters, CR-only line ends, quoted newlines, long headers.

The same on SQLite and PostgreSQL: a NUL in a field is a row error naming the file and line
(PostgreSQL's COPY used to fail with neither, and SQLite stored it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from beatbook.opendata.models import Crime, Location
from beatbook.opendata.services import ingest_paths

from .audit_files import STREET_HEADER, staffordshire_rows, write

pytestmark = pytest.mark.django_db

STAFFORDSHIRE = "2025-06-staffordshire-street.csv"
# pyarrow's parse block (reader.BLOCK_SIZE): a row split across two blocks is the hard case.
BLOCK = 1 << 24


def _with_nul(policeuk: Path) -> list[bytes]:
    rows = staffordshire_rows(policeuk)
    rows[1] = rows[1].replace(b"On or near Uttoxeter Road", b"On or near Uttoxeter\x00Road")
    return rows


def test_a_nul_in_a_field_fails_the_file_naming_the_file_and_line(
    policeuk: Path, tmp_path: Path
) -> None:
    path = write(tmp_path / STAFFORDSHIRE, [STREET_HEADER, *_with_nul(policeuk)])

    [result] = ingest_paths(paths=[path]).files

    assert result.status == "failed"
    assert f"{path}:3: Location contains a NUL character" in result.message
    assert not Crime.objects.exists()


def test_a_nul_in_a_field_is_a_rejected_row_with_skip_invalid_rows(
    policeuk: Path, tmp_path: Path
) -> None:
    path = write(tmp_path / STAFFORDSHIRE, [STREET_HEADER, *_with_nul(policeuk)])

    [result] = ingest_paths(paths=[path], skip_invalid_rows=True).files

    assert (result.status, result.rows_loaded, result.rows_rejected) == ("loaded", 2, 1)
    assert result.rejection_counts == {"Location contains a NUL character": 1}
    assert [(r.line, r.reason) for r in result.rejection_samples] == [
        (3, "Location contains a NUL character")
    ]
    assert Crime.objects.count() == 2
    # Checked in Python: a NUL in a query parameter is itself an error on PostgreSQL.
    assert not [name for name in Location.objects.values_list("name", flat=True) if "\x00" in name]


def test_a_file_with_cr_only_line_ends_loads(policeuk: Path, tmp_path: Path) -> None:
    path = write(tmp_path / STAFFORDSHIRE, [STREET_HEADER, *staffordshire_rows(policeuk)], b"\r")

    [result] = ingest_paths(paths=[path]).files

    assert (result.status, result.rows_loaded) == ("loaded", 3)
    assert sorted(Crime.objects.values_list("lsoa_code", flat=True)) == [
        "E01014161",
        "E01035791",
        "E01035791",
    ]
    assert not Crime.objects.filter(outcome__contains="\r").exists()


def test_row_errors_in_a_cr_only_file_name_the_right_line(policeuk: Path, tmp_path: Path) -> None:
    rows = staffordshire_rows(policeuk)
    rows[2] = rows[2].replace(b"2025-06", b"2025-05", 1)
    path = write(tmp_path / STAFFORDSHIRE, [STREET_HEADER, *rows], b"\r")

    [result] = ingest_paths(paths=[path]).files

    assert f"{path}:4: month differs from the file's month 2025-06" in result.message


def test_a_byte_that_is_not_utf8_in_a_cr_only_file_is_named_by_its_line(
    policeuk: Path, tmp_path: Path
) -> None:
    rows = staffordshire_rows(policeuk)
    rows[1] = rows[1].replace(b"Uttoxeter", b"Uttox\xe9ter")
    path = write(tmp_path / STAFFORDSHIRE, [STREET_HEADER, *rows], b"\r")

    [result] = ingest_paths(paths=[path]).files

    assert f"{path}:3: the file is not UTF-8 text (byte 0xe9)" in result.message


def test_a_header_quoted_in_a_message_is_cut_short(tmp_path: Path) -> None:
    # One enormous first line: the old reader quoted all of it as "the header".
    path = tmp_path / STAFFORDSHIRE
    path.write_bytes(b"Crime ID,Month," + b"x" * 1_000_000)

    [result] = ingest_paths(paths=[path]).files

    assert result.status == "failed"
    assert "wrong header" in result.message
    assert len(result.message) < 1_000


def test_a_quoted_newline_in_a_field_loads_and_later_lines_are_counted_right(
    policeuk: Path, tmp_path: Path
) -> None:
    rows = staffordshire_rows(policeuk)
    rows[0] = rows[0].replace(b"On or near Market Street", b'"On or near\r\nMarket Street"')
    rows[2] = rows[2].replace(b"2025-06", b"2025-05", 1)
    path = write(tmp_path / STAFFORDSHIRE, [STREET_HEADER, *rows])

    [strict] = ingest_paths(paths=[path]).files
    [result] = ingest_paths(paths=[path], skip_invalid_rows=True).files

    # Header line 1; the first row on lines 2-3; the second on 4; the bad one on 5.
    assert f"{path}:5: month differs from the file's month 2025-06" in strict.message
    assert (result.status, result.rows_loaded, result.rows_rejected) == ("loaded", 2, 1)
    assert [sample.line for sample in result.rejection_samples] == [5]
    assert Location.objects.filter(name="On or near\r\nMarket Street").exists()


def test_blank_lines_between_rows_keep_line_numbers_right(policeuk: Path, tmp_path: Path) -> None:
    rows = staffordshire_rows(policeuk)
    rows[2] = rows[2].replace(b"2025-06", b"2025-05", 1)
    path = write(tmp_path / STAFFORDSHIRE, [STREET_HEADER, rows[0], b"", rows[1], b"", rows[2]])

    [result] = ingest_paths(paths=[path]).files

    assert f"{path}:6: month differs from the file's month 2025-06" in result.message


def _file_split_inside_a_quoted_newline(policeuk: Path, path: Path) -> int:
    """A street file whose quoted newline is the last line end before the parse block ends."""
    rows = staffordshire_rows(policeuk)
    special = rows[0].replace(b"On or near Market Street", b'"On or near\r\nMarket Street"')
    inside = special.index(b"\r\n")
    filler = rows[1] + b"\r\n"
    head = STREET_HEADER + b"\r\n"
    count = (BLOCK - len(head) - inside - 22) // len(filler) - 1
    # One padded row so that the quoted newline ends 20 bytes before the block boundary.
    short = BLOCK - 22 - inside - len(head) - count * len(filler)
    pad = rows[1].replace(b"Uttoxeter Road", b"Uttoxeter Road" + b" " * (short - len(filler)))
    body = head + filler * count + pad + b"\r\n"
    assert len(body) + inside + 2 == BLOCK - 20
    path.write_bytes(body + special + b"\r\n" + filler)
    return count + 3


def test_a_quoted_newline_across_the_parse_block_boundary_loads(
    policeuk: Path, tmp_path: Path
) -> None:
    path = tmp_path / STAFFORDSHIRE
    rows = _file_split_inside_a_quoted_newline(policeuk, path)

    [result] = ingest_paths(paths=[path]).files

    assert (result.status, result.rows_rejected, result.rows_loaded) == ("loaded", 0, rows)
    assert Location.objects.filter(name="On or near\r\nMarket Street").exists()


def test_a_row_with_the_wrong_number_of_fields_after_a_quoted_newline_is_named_by_its_line(
    policeuk: Path, tmp_path: Path
) -> None:
    rows = staffordshire_rows(policeuk)
    rows[0] = rows[0].replace(b"On or near Market Street", b'"On or near\r\nMarket Street"')
    lines = [STREET_HEADER, rows[0], b"", b"only,three,fields", rows[1], rows[2]]
    path = write(tmp_path / STAFFORDSHIRE, lines)

    [result] = ingest_paths(paths=[path], skip_invalid_rows=True).files

    # Header 1; the first row 2-3; a blank line 4; the short row 5.
    assert (result.rows_loaded, result.rows_rejected) == (3, 1)
    assert [(r.line, r.reason) for r in result.rejection_samples] == [
        (5, "expected 12 fields, found 3")
    ]
