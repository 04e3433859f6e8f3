"""The one bulk write path (``beatbook.core.bulk_write``): the same rows on both databases."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pandas as pd
import pyarrow as pa
import pytest
from django.db import connection

from beatbook.core.bulk_write import insert_columns, insert_frame
from beatbook.places.models import Postcode

pytestmark = pytest.mark.django_db

TEXT_COLUMNS = [
    "country_code",
    "admin_ward_code",
    "admin_county_code",
    "admin_district_code",
    "nhs_region_code",
    "nhs_ha_code",
]


def test_a_frame_goes_in_with_nan_as_null_and_empty_text_as_empty() -> None:
    frame = pd.DataFrame(
        {
            "postcode": ["ST1 1AA", "ST1 1AB"],
            "quality": pd.array([10, 90], dtype="Int64"),
            "easting": pd.array([388000, None], dtype="Int64"),
            "northing": pd.array([347000, None], dtype="Int64"),
            "latitude": [53.01, math.nan],
            "longitude": [-2.17, math.nan],
            "country_code": ["E92000001", None],
            "admin_ward_code": ["", "E05000001"],
            **{name: ["", ""] for name in TEXT_COLUMNS[2:]},
        }
    )

    assert insert_frame(model=Postcode, frame=frame, text_columns=TEXT_COLUMNS) == 2

    placed, unplaced = Postcode.objects.order_by("postcode")
    assert (placed.easting, placed.latitude, placed.admin_ward_code) == (388000, 53.01, "")
    assert (unplaced.easting, unplaced.latitude, unplaced.longitude) == (None, None, None)
    assert (unplaced.country_code, unplaced.admin_ward_code) == ("", "E05000001")


def test_an_empty_frame_writes_nothing() -> None:
    assert insert_frame(model=Postcode, frame=pd.DataFrame(), text_columns=[]) == 0


def test_columns_and_constants_go_in_as_rows() -> None:
    """The ingest's form: Arrow columns, and values every row shares."""
    table = "bulk_write_probe"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {table} (name varchar(20) NULL, size integer NULL, "
            "at timestamp NULL, month varchar(7) NOT NULL)"
        )
    moment = datetime(2025, 2, 3, 4, 5, 6, tzinfo=UTC)
    insert_columns(
        table=table,
        columns={
            "name": pa.array(["a", "", None]),
            "size": pa.array([1, None, 3]),
            "at": pa.array([moment, None, moment], pa.timestamp("us", tz="UTC")),
        },
        constants={"month": "2025-02"},
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, size, at IS NULL, month FROM {table}")  # noqa: S608
        rows = sorted((tuple(row) for row in cursor.fetchall()), key=lambda row: row[1] or 99)
    assert [row[:2] for row in rows] == [("a", 1), (None, 3), ("", None)]
    assert [bool(row[2]) for row in rows] == [False, False, True]
    assert {row[3] for row in rows} == {"2025-02"}
