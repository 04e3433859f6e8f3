"""Reads of loaded police.uk data shaped to use the crime table's few indexes (see ``Crime``)."""

from __future__ import annotations

from django.db.models import QuerySet

from beatbook.opendata.models import Crime, Location
from beatbook.records.models import SourceFile, SourceStatus


def crime_months() -> list[str]:
    """Every month with crimes loaded, oldest first (a few hundred at most: one per month)."""
    months = SourceFile.objects.filter(kind="street", status=SourceStatus.LOADED).values_list(
        "month", flat=True
    )
    return sorted(set(months))


def crimes_for_persistent_id(*, persistent_id: str) -> QuerySet[Crime]:
    """Rows with this Crime ID; naming the months lets ``(month, persistent_id)`` answer it."""
    return Crime.objects.filter(month__in=crime_months(), persistent_id=persistent_id)


def crimes_at_location(*, location_id: int, month: str) -> QuerySet[Crime]:
    """Crimes at a snap point in a month, found through the point's coordinates."""
    location = Location.objects.filter(pk=location_id).first()
    if location is None:
        return Crime.objects.none()
    return Crime.objects.filter(
        month=month,
        latitude=location.latitude,
        longitude=location.longitude,
        location_id=location_id,
    )


def crimes_in_neighbourhood(
    *, force_id: str, neighbourhood_id: int, months: list[str]
) -> QuerySet[Crime]:
    """A neighbourhood's crimes for some months, through ``(force, month)``."""
    return Crime.objects.filter(
        force_id=force_id, month__in=months, neighbourhood_id=neighbourhood_id
    )
