"""The one data version: it moves with every import, on SQLite too, and narrows as asked.

Every force is in the database from the first migration (``places`` 0002).
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import timezone

from beatbook.insights.selectors import data_version as analysis_version
from beatbook.records.models import SourceFile, SourceKind, SourceStatus
from beatbook.records.versions import cached_for_version, data_version, data_versions_by_force

pytestmark = pytest.mark.django_db


class RollbackError(Exception):
    pass


def _record(kind: str = SourceKind.STREET, force_id: str | None = "staffordshire") -> SourceFile:
    return SourceFile.objects.create(
        kind=kind,
        path="2025-01-staffordshire-street.csv",
        sha256="0" * 64,
        force_id=force_id,
        month="2025-01",
        status=SourceStatus.LOADED,
        started_at=timezone.now(),
    )


def _rolled_back_record() -> tuple[int, str]:
    """An import that is rolled back: its id, and the version a reader saw while it stood."""
    try:
        with transaction.atomic():
            record = _record()
            seen = data_version()
            raise RollbackError
    except RollbackError:
        return record.pk, seen


def test_an_import_after_a_rolled_back_one_is_a_new_version_even_with_the_same_id() -> None:
    _record()
    rolled_back_id, seen_then = _rolled_back_record()

    loaded = _record()

    # SQLite hands the rolled-back id out again; PostgreSQL does not. Either way the
    # version a cache may have stored while the rolled-back row stood is not current.
    assert loaded.pk >= rolled_back_id
    assert data_version() != seen_then


def test_no_cache_serves_an_answer_made_from_a_rolled_back_import() -> None:
    _record()
    _, seen_then = _rolled_back_record()
    cached_for_version("count", version=seen_then, build=lambda: "made from the rolled-back file")

    _record()
    answer = cached_for_version("count", version=data_version(), build=lambda: "made afresh")

    assert answer == "made afresh"


def test_the_version_narrows_to_the_kinds_and_forces_named() -> None:
    _record(force_id="staffordshire")
    street_before = data_version(kinds=[SourceKind.STREET], force_ids=["staffordshire"])
    everything_before = data_version()

    _record(kind=SourceKind.POSTCODES, force_id=None)

    assert data_version(kinds=[SourceKind.STREET], force_ids=["staffordshire"]) == street_before
    assert data_version() != everything_before


def test_versions_by_force_agree_with_the_version_of_each_force() -> None:
    _record(force_id="staffordshire")
    _record(force_id="merseyside")
    _record(force_id="staffordshire")

    by_force = data_versions_by_force(kinds=[SourceKind.STREET])

    assert by_force == {
        force_id: data_version(kinds=[SourceKind.STREET], force_ids=[force_id])
        for force_id in ("staffordshire", "merseyside")
    }


def test_an_analysis_page_of_one_force_moves_with_its_crime_and_with_places() -> None:
    _record(force_id="staffordshire")
    before = analysis_version(force_ids=["staffordshire"])

    _record(force_id="merseyside")
    unchanged = analysis_version(force_ids=["staffordshire"])
    _record(kind=SourceKind.LSOA_BOUNDARIES, force_id=None)

    assert unchanged == before
    assert analysis_version(force_ids=["staffordshire"]) != before
