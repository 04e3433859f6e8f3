"""``opendata.selectors.force_lsoa_month_counts``: a force's crimes per LSOA and month, straight
from the crime table, and the months it holds, for the before-and-after evaluation."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from beatbook.opendata.models import Crime
from beatbook.opendata.selectors import force_lsoa_month_counts
from beatbook.opendata.services import ingest_paths
from street_files import FORCE, lsoa_code, lsoa_name, write_street_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(tmp_path: Path, policeuk: Path) -> None:
    paths = [write_street_month(tmp_path, month, lsoas=8) for month in ("2020-01", "2020-02")]
    # Another force's month, and a Merseyside row without an LSOA ("No Location").
    paths.append(policeuk / "good" / "2025-06-staffordshire-street.csv")
    paths.append(policeuk / "good" / "2019-09-merseyside-street.csv")
    summary = ingest_paths(paths=paths)
    assert {result.status for result in summary.files} == {"loaded"}


@pytest.mark.usefixtures("loaded")
def test_it_counts_each_lsoa_and_month_as_the_rows_do(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(2):  # the aggregate, and the months held
        data = force_lsoa_month_counts(force_id=FORCE)

    rows = Crime.objects.filter(force_id=FORCE).exclude(lsoa_code="")
    expected = Counter(rows.values_list("lsoa_code", "lsoa_name", "month"))
    assert {(c.lsoa_code, c.lsoa_name, c.month): c.crimes for c in data.counts} == expected
    assert all(c.chosen == c.crimes for c in data.counts)
    assert ("E01012391", "Halton 008B", "2019-09") in expected  # the fixture file's row
    assert (lsoa_code(3), lsoa_name(3), "2020-02") in expected
    assert not {"E01014161", "E01035791"} & {c.lsoa_code for c in data.counts}  # Staffordshire's
    assert data.months_held == ("2019-09", "2020-01", "2020-02")


@pytest.mark.usefixtures("loaded")
def test_chosen_counts_only_the_category_and_keeps_lsoas_without_it() -> None:
    data = force_lsoa_month_counts(force_id=FORCE, category="burglary")

    burglaries = Counter(
        Crime.objects.filter(force_id=FORCE, category="burglary")
        .exclude(lsoa_code="")
        .values_list("lsoa_code", "month")
    )
    assert {(c.lsoa_code, c.month): c.chosen for c in data.counts if c.chosen} == burglaries
    # Halton 008B had only a vehicle crime in 2019-09: still a place, with no burglary.
    assert [(c.crimes, c.chosen) for c in data.counts if c.lsoa_code == "E01012391"] == [(1, 0)]


def test_a_force_without_data_has_no_counts_and_no_months() -> None:
    data = force_lsoa_month_counts(force_id="kent")

    assert data.counts == ()
    assert data.months_held == ()


def test_a_month_loaded_without_crime_is_held(tmp_path: Path) -> None:
    """A month police.uk published with no crime in it is a month held, not an unknown one."""
    empty = write_street_month(tmp_path, "2020-03", lsoas=0)
    ingest_paths(paths=[write_street_month(tmp_path, "2020-02", lsoas=4), empty])

    data = force_lsoa_month_counts(force_id=FORCE)

    assert data.months_held == ("2020-02", "2020-03")
    assert {c.month for c in data.counts} == {"2020-02"}
