"""Issue 11, finding 1: no file wipes a month by having nothing in it, and a run says what it
replaced. Each test is a reproduction of the audit's: on the code before the fix each month
named here was replaced by nothing, or the later of two files silently won."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from beatbook.opendata.models import Crime
from beatbook.opendata.services import IngestInputError, ingest_paths
from beatbook.records.models import SourceFile

from .audit_files import (
    STREET_HEADER,
    blank_lines_zip,
    city_of_london_month,
    snapshot,
    staffordshire_rows,
    write,
    zip_of,
)

pytestmark = pytest.mark.django_db

STAFFORDSHIRE = "2025-06-staffordshire-street.csv"


def _loaded_staffordshire(policeuk: Path) -> None:
    [first] = ingest_paths(paths=[policeuk / "good" / STAFFORDSHIRE]).files
    assert (first.status, first.rows_loaded) == ("loaded", 3)


def test_a_header_only_file_does_not_wipe_the_month_it_names(
    shared_data: Path, tmp_path: Path
) -> None:
    june = write(tmp_path / "june" / "2019-06-city-of-london-street.csv", [])
    june.write_bytes(city_of_london_month(shared_data, "2019-06"))
    ingest_paths(paths=[june])
    assert Crime.objects.filter(force_id="city-of-london", month="2019-06").count() == 922
    before = snapshot()
    empty = write(tmp_path / "empty" / "2019-06-city-of-london-street.csv", [STREET_HEADER])

    [result] = ingest_paths(paths=[empty]).files

    assert result.status == "failed"
    assert (result.rows_loaded, result.rows_replaced) == (0, 0)
    assert f"{empty}: no rows to load (the file has a header and no rows)" in result.message
    assert "922 rows" in result.message
    assert "--allow-empty-replace" in result.message
    assert snapshot() == before
    assert SourceFile.objects.get(pk=result.source_id).status == "failed"


def test_a_file_of_blank_lines_does_not_wipe_the_month(policeuk: Path, tmp_path: Path) -> None:
    _loaded_staffordshire(policeuk)
    before = snapshot()
    blank = write(tmp_path / STAFFORDSHIRE, [STREET_HEADER, b"", b"", b""])

    [result] = ingest_paths(paths=[blank]).files

    assert result.status == "failed"
    assert "3 rows" in result.message
    assert snapshot() == before


def test_a_zip_bomb_of_blank_lines_within_the_limits_does_not_wipe_the_month(
    policeuk: Path, tmp_path: Path, settings: object
) -> None:
    # Limits lifted, as an operator might: the empty-file rule still protects the month.
    settings.INGEST_MAX_COMPRESSION_RATIO = 100_000  # type: ignore[attr-defined]
    _loaded_staffordshire(policeuk)
    before = snapshot()
    bomb = blank_lines_zip(tmp_path / "bomb.zip", f"2025-06/{STAFFORDSHIRE}", megabytes=4)

    [result] = ingest_paths(paths=[bomb]).files

    assert result.status == "failed"
    assert "no rows to load" in result.message
    assert snapshot() == before


def test_a_file_whose_rows_are_all_rejected_does_not_wipe_the_month_it_names(
    shared_data: Path, tmp_path: Path
) -> None:
    july = tmp_path / "july" / "2019-07-city-of-london-street.csv"
    write(july, []).write_bytes(city_of_london_month(shared_data, "2019-07"))
    ingest_paths(paths=[july])
    assert Crime.objects.filter(force_id="city-of-london", month="2019-07").count() == 866
    before = snapshot()
    # June's rows under July's name: every row is for the wrong month.
    misnamed = tmp_path / "misnamed" / "2019-07-city-of-london-street.csv"
    write(misnamed, []).write_bytes(city_of_london_month(shared_data, "2019-06"))

    [result] = ingest_paths(paths=[misnamed], skip_invalid_rows=True).files

    assert result.status == "failed"
    assert (result.rows_read, result.rows_rejected, result.rows_loaded) == (922, 922, 0)
    assert "all 922 rows were rejected" in result.message
    assert "866 rows" in result.message
    assert "month differs from the file's month 2019-07" in result.message
    assert snapshot() == before


def test_allow_empty_replace_empties_the_month_when_asked(policeuk: Path, tmp_path: Path) -> None:
    _loaded_staffordshire(policeuk)
    empty = write(tmp_path / STAFFORDSHIRE, [STREET_HEADER])

    [result] = ingest_paths(paths=[empty], allow_empty_replace=True).files

    assert (result.status, result.rows_loaded, result.rows_replaced) == ("loaded", 0, 3)
    assert not Crime.objects.exists()
    assert list(SourceFile.objects.order_by("id").values_list("status", "rows_replaced")) == [
        ("replaced", 0),
        ("loaded", 3),
    ]


def test_an_empty_file_for_a_month_with_nothing_loaded_is_recorded_and_replaces_nothing(
    tmp_path: Path,
) -> None:
    empty = write(tmp_path / STAFFORDSHIRE, [STREET_HEADER])

    [result] = ingest_paths(paths=[empty]).files

    assert (result.status, result.rows_loaded, result.rows_replaced) == ("loaded", 0, 0)
    assert "nothing was loaded for staffordshire 2025-06 before" in result.message
    assert SourceFile.objects.get(pk=result.source_id).message == result.message
    assert not Crime.objects.exists()


def test_a_smaller_file_still_replaces_the_month_and_says_how_many_rows_it_replaced(
    policeuk: Path, tmp_path: Path
) -> None:
    _loaded_staffordshire(policeuk)
    one_row = write(tmp_path / STAFFORDSHIRE, [STREET_HEADER, staffordshire_rows(policeuk)[0]])

    [result] = ingest_paths(paths=[one_row]).files

    assert (result.status, result.rows_loaded, result.rows_replaced) == ("loaded", 1, 3)
    assert Crime.objects.count() == 1


def test_the_same_month_twice_by_file_name_is_refused_before_anything_is_written(
    policeuk: Path, tmp_path: Path
) -> None:
    rows = staffordshire_rows(policeuk)
    later = write(tmp_path / "later" / STAFFORDSHIRE, [STREET_HEADER, rows[0]])
    archive = zip_of(
        tmp_path / "earlier.zip",
        {f"2025-06/{STAFFORDSHIRE}": (policeuk / "good" / STAFFORDSHIRE).read_bytes()},
    )

    with pytest.raises(IngestInputError) as refused:
        ingest_paths(paths=[archive, later])

    message = str(refused.value)
    assert f"{archive}:2025-06/{STAFFORDSHIRE}" in message
    assert str(later) in message
    assert "staffordshire 2025-06" in message
    assert not SourceFile.objects.exists()
    assert not Crime.objects.exists()


def test_the_same_month_twice_where_only_the_rows_say_it_fails_the_later_file(
    policeuk: Path, tmp_path: Path
) -> None:
    # my-export.csv holds Staffordshire 2025-06 rows under a name that says nothing.
    named = policeuk / "good" / STAFFORDSHIRE
    unnamed = policeuk / "my-export.csv"

    first, second = ingest_paths(paths=[named, unnamed]).files

    assert (first.status, first.rows_loaded) == ("loaded", 3)
    assert second.status == "failed"
    assert str(unnamed) in second.message
    assert str(named) in second.message
    assert "staffordshire 2025-06" in second.message
    assert set(Crime.objects.values_list("source_id", flat=True)) == {first.source_id}


def test_exact_duplicate_rows_are_loaded_and_counted(policeuk: Path, tmp_path: Path) -> None:
    rows = staffordshire_rows(policeuk)
    path = write(tmp_path / STAFFORDSHIRE, [STREET_HEADER, rows[0], rows[1], rows[1], rows[1]])

    [result] = ingest_paths(paths=[path]).files

    assert (result.status, result.rows_loaded, result.rows_duplicate) == ("loaded", 4, 2)
    assert "2 rows are exact copies of another row" in result.message
    assert Crime.objects.count() == 4


def test_real_duplicates_in_city_of_london_are_counted(shared_data: Path, tmp_path: Path) -> None:
    june = tmp_path / "2019-06-city-of-london-street.csv"
    data = city_of_london_month(shared_data, "2019-06")
    june.write_bytes(data)
    lines = data.splitlines()[1:]

    [result] = ingest_paths(paths=[june]).files

    assert result.rows_loaded == len(lines) == 922
    assert result.rows_duplicate == len(lines) - len(set(lines)) > 0


def test_the_command_shows_rows_replaced_and_refuses_an_empty_replace(
    policeuk: Path, tmp_path: Path
) -> None:
    _loaded_staffordshire(policeuk)
    row = staffordshire_rows(policeuk)[0]
    one_row = write(tmp_path / "one" / STAFFORDSHIRE, [STREET_HEADER, row])
    out = StringIO()
    call_command("ingest", str(one_row), stdout=out)
    text = out.getvalue()
    assert "Replaced" in text
    assert re.search(r"loaded\s*│\s*1\s*│\s*3\s*│", text), text

    empty = write(tmp_path / "empty" / STAFFORDSHIRE, [STREET_HEADER])
    out = StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("ingest", str(empty), stdout=out)
    assert exit_info.value.code == 1
    assert "--allow-empty-replace" in out.getvalue()
    assert Crime.objects.count() == 1

    out = StringIO()
    call_command("ingest", "--allow-empty-replace", str(empty), stdout=out)
    assert re.search(r"loaded\s*│\s*0\s*│\s*1\s*│", out.getvalue()), out.getvalue()
    assert not Crime.objects.exists()
