"""Bulk mode: one transaction, indexes dropped and rebuilt, each file still atomic on its own
(on SQLite; PostgreSQL keeps its indexes, so that readers never wait for a load)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from beatbook.opendata.ingest.bulk import BULK_MINIMUM_ROWS, BYTES_PER_ROW, bulk_kinds
from beatbook.opendata.models import Crime
from beatbook.opendata.services import ingest_paths
from beatbook.records.models import SourceFile

pytestmark = pytest.mark.django_db


def _crime_indexes() -> set[str]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Crime._meta.db_table)
    return {name for name, info in constraints.items() if info["index"] and not info["primary_key"]}


def test_a_bad_file_in_a_bulk_run_fails_alone_and_the_indexes_come_back(policeuk: Path) -> None:
    indexes_before = _crime_indexes()
    good = policeuk / "good" / "2025-06-staffordshire-street.csv"
    bad = policeuk / "bad" / "outside-uk" / "2019-09-merseyside-street.csv"

    summary = ingest_paths(paths=[good, bad], bulk=True)

    statuses = {Path(result.file).name: result.status for result in summary.files}
    assert statuses == {good.name: "loaded", bad.name: "failed"}
    assert Crime.objects.filter(force_id="staffordshire").count() == 3
    assert not Crime.objects.filter(force_id="merseyside").exists()
    assert SourceFile.objects.get(status="failed").message.startswith(str(bad))
    assert _crime_indexes() == indexes_before
    assert {"crime_force_month", "crime_month_latlng"} <= indexes_before


def test_a_bulk_reload_replaces_rows_without_duplicates(policeuk: Path) -> None:
    good = policeuk / "good" / "2025-06-staffordshire-street.csv"
    ingest_paths(paths=[good], bulk=True)
    [result] = ingest_paths(paths=[good], bulk=True, reload=True).files

    assert result.rows_replaced == 3
    assert Crime.objects.count() == 3


def test_it_chooses_bulk_mode_only_for_loads_as_big_as_the_data_held() -> None:
    big = (BULK_MINIMUM_ROWS + 1) * BYTES_PER_ROW
    if connection.vendor != "sqlite":
        # Dropping an index there would lock every reader out of the table until the commit.
        assert bulk_kinds(incoming_bytes={"street": big}) == []
        assert bulk_kinds(incoming_bytes={"street": 10}, bulk=True) == []
        return
    assert bulk_kinds(incoming_bytes={"street": big}) == ["street"]
    assert bulk_kinds(incoming_bytes={"street": BYTES_PER_ROW * 10}) == []
    assert bulk_kinds(incoming_bytes={"street": big}, bulk=False) == []
    assert bulk_kinds(incoming_bytes={"street": 10}, bulk=True) == ["street"]
