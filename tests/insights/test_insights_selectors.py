from __future__ import annotations

import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from beatbook.insights.selectors import CRIME_COLUMNS, crime_points

from .insights_world import MARKET, AnalyticsWorld


def test_it_returns_the_columns_the_analysis_needs(world: AnalyticsWorld) -> None:
    frame = crime_points(force_ids=["staffordshire"], month_from="2025-01", month_to="2025-02")
    assert list(frame.columns) == list(CRIME_COLUMNS)
    assert len(frame) == world.crimes_by_month["2025-01"] + world.crimes_by_month["2025-02"]
    burglary = frame[frame.category == "burglary"].iloc[0]
    assert (burglary.easting, burglary.northing) == MARKET
    assert burglary.street_name == "On or near Market Street"
    assert burglary.lsoa_code == "E01014213"
    assert burglary.neighbourhood_id == world.longton.pk
    assert burglary.neighbourhood_name == "Longton"
    assert math.isclose(burglary.latitude, 52.9877, abs_tol=0.01)


def test_rows_without_a_location_keep_nan_coordinates(world: AnalyticsWorld) -> None:
    frame = crime_points(
        force_ids=["staffordshire"],
        month_from="2025-02",
        month_to="2025-02",
        categories=["bicycle-theft"],
    )
    assert len(frame) == 1
    row = frame.iloc[0]
    assert math.isnan(row.easting)
    assert math.isnan(row.latitude)
    assert frame.location_id.isna().all()
    assert row.street_name == ""
    assert row.neighbourhood_name == ""


def test_filters_by_month_category_neighbourhood_and_lsoa(world: AnalyticsWorld) -> None:
    frame = crime_points(
        force_ids=["staffordshire"],
        month_from="2024-01",
        month_to="2025-02",
        categories=["burglary", "shoplifting"],
        neighbourhood_id=world.longton.pk,
    )
    assert set(frame.category) == {"burglary"}
    assert len(frame) == 1 + 1 + 4 + 5
    by_lsoa = crime_points(
        force_ids=["staffordshire"],
        month_from="2024-01",
        month_to="2024-12",
        lsoa_codes=["E01014100"],
    )
    assert list(by_lsoa.category) == ["shoplifting", "shoplifting"]
    assert sorted(by_lsoa.month) == ["2024-01", "2024-02"]


def test_other_forces_crimes_stay_out(world: AnalyticsWorld) -> None:
    frame = crime_points(force_ids=["staffordshire"], month_from="2025-02", month_to="2025-02")
    assert "drugs" not in set(frame.category)
    both = crime_points(
        force_ids=["staffordshire", "cheshire"], month_from="2025-02", month_to="2025-02"
    )
    assert len(both) == len(frame) + 1


def test_no_crime_gives_an_empty_frame_with_the_columns(world: AnalyticsWorld) -> None:
    frame = crime_points(force_ids=["staffordshire"], month_from="2023-01", month_to="2023-06")
    assert frame.empty
    assert list(frame.columns) == list(CRIME_COLUMNS)
    assert frame.easting.dtype.kind == "f"


def test_it_reads_in_one_query(world: AnalyticsWorld) -> None:
    with CaptureQueriesContext(connection) as queries:
        crime_points(force_ids=["staffordshire"], month_from="2024-01", month_to="2025-02")
    assert len(queries) == 1


@pytest.mark.parametrize(
    ("month_from", "month_to", "message"),
    [
        ("2025-13", "2025-02", "first month must be a month written YYYY-MM"),
        ("2025-01", "Feb 2025", "last month must be a month written YYYY-MM"),
        ("2025-03", "2025-02", "is after the last"),
    ],
)
def test_bad_months_are_refused_by_name(
    world: AnalyticsWorld, month_from: str, month_to: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        crime_points(force_ids=["staffordshire"], month_from=month_from, month_to=month_to)
