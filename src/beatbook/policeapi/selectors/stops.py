"""Stop and search records, as rows ready for ``policeapi.serialisers``."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from django.db.models import QuerySet

from beatbook.opendata.models import StopAndSearch
from beatbook.policeapi.errors import AreaTooLargeError
from beatbook.policeapi.selectors.search_areas import Area, box_rows, inside

STOP_FIELDS = (
    "id",
    "type",
    "datetime",
    "involved_person",
    "part_of_policing_operation",
    "policing_operation",
    "gender",
    "age_range",
    "self_defined_ethnicity",
    "officer_defined_ethnicity",
    "legislation",
    "object_of_search",
    "outcome",
    "outcome_linked_to_object_of_search",
    "removal_of_more_than_outer_clothing",
    "location_id",
    "location__latitude",
    "location__longitude",
    "location__name",
)
_LAT_AT, _LNG_AT = STOP_FIELDS.index("location__latitude"), STOP_FIELDS.index("location__longitude")
_DATETIME_AT = STOP_FIELDS.index("datetime")


class StopRow(NamedTuple):
    id: int
    type: str
    datetime: datetime
    involved_person: bool
    part_of_policing_operation: bool | None
    policing_operation: str
    gender: str
    age_range: str
    self_defined_ethnicity: str
    officer_defined_ethnicity: str
    legislation: str
    object_of_search: str
    outcome: str
    outcome_linked_to_object_of_search: bool | None
    removal_of_more_than_outer_clothing: bool | None
    location_id: int | None
    latitude: float | None
    longitude: float | None
    street: str | None


def _rows(queryset: QuerySet[StopAndSearch]) -> list[StopRow]:
    return [StopRow._make(row) for row in queryset.values_list(*STOP_FIELDS)]


def stops_in_area(*, area: Area, month: str, limit: int | None) -> list[StopRow]:
    """Located stops in a circle or polygon in a month; 503 beyond ``limit`` (polygons)."""
    queryset = StopAndSearch.objects.filter(
        month=month, location__isnull=False, **area.bbox_filter()
    )
    rows = inside(box_rows(queryset, STOP_FIELDS, what="stops"), area, _LAT_AT, _LNG_AT)
    rows.sort(key=lambda row: (row[_DATETIME_AT], row[0]))
    if limit is not None and len(rows) > limit:
        raise AreaTooLargeError(f"the area holds more than {limit} stops: draw a smaller one")
    return [StopRow._make(row) for row in rows]


def stops_at_location(*, location_id: int, month: str) -> list[StopRow]:
    return _rows(
        StopAndSearch.objects.filter(location_id=location_id, month=month).order_by(
            "datetime", "id"
        )
    )


def stops_without_location(*, force_id: str, month: str) -> list[StopRow]:
    queryset = StopAndSearch.objects.filter(force_id=force_id, month=month, location__isnull=True)
    return _rows(queryset.order_by("datetime", "id"))


def stops_by_force(*, force_id: str, month: str) -> list[StopRow]:
    queryset = StopAndSearch.objects.filter(force_id=force_id, month=month)
    return _rows(queryset.order_by("datetime", "id"))
