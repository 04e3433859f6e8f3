"""A few whole real files from ../shared/data."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from beatbook.opendata.models import Crime, StopAndSearch
from beatbook.opendata.services import ingest_paths

pytestmark = pytest.mark.django_db


def test_greater_manchester_stop_and_search_with_times_on_the_previous_day(
    shared_data: Path,
) -> None:
    [result] = ingest_paths(
        paths=[shared_data / "policeuk" / "greater-manchester-2019-06-stop-and-search.zip"]
    ).files

    assert (result.status, result.rows_rejected) == ("loaded", 0)
    assert result.rows_loaded == StopAndSearch.objects.filter(month="2019-06").count() > 900
    # In UTC, a search just after midnight on 1 June (BST) is on 31 May; it is still June's.
    assert StopAndSearch.objects.filter(
        datetime__lt=dt.datetime(2019, 6, 1, tzinfo=dt.UTC)
    ).exists()


def test_one_month_of_staffordshire_with_2021_lsoas(shared_data: Path, tmp_path: Path) -> None:
    member = "2025-03/2025-03-staffordshire-street.csv"
    with zipfile.ZipFile(shared_data / "policeuk" / "staffordshire-2025.zip") as archive:
        data = archive.read(member)
    path = tmp_path / "2025-03-staffordshire-street.csv"
    path.write_bytes(data)

    [result] = ingest_paths(paths=[path]).files

    assert (result.status, result.rows_rejected) == ("loaded", 0)
    assert result.rows_loaded == data.count(b"\n") - 1
    assert (
        Crime.objects.filter(force_id="staffordshire", month="2025-03").count()
        == result.rows_loaded
    )
    assert Crime.objects.filter(lsoa_code__startswith="E0103").exists()  # a 2021-only code range
    assert result.rows_without_location == Crime.objects.filter(location=None).count()
