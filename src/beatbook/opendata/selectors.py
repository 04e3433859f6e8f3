"""Reads of loaded police.uk data shaped to use the crime table's few indexes (see ``Crime``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from beatbook.opendata.models import Crime, Location
from beatbook.records.models import SourceFile, SourceKind, SourceStatus


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


@dataclass(frozen=True)
class LsoaMonthCount:
    """One LSOA's crimes in one month: all of them, and those of the category asked for."""

    lsoa_code: str
    lsoa_name: str
    month: str
    crimes: int
    chosen: int


@dataclass(frozen=True)
class ForceLsoaCrimes:
    """A force's street-level crimes counted per LSOA and month, and the months it holds.

    ``months_held`` are the months whose street file is loaded for the force (and any month
    with a crime): a month not held is unknown, never a month without crime. An LSOA whose
    crimes were published under two names (boundaries renamed between releases) has a row for
    each name.
    """

    counts: tuple[LsoaMonthCount, ...]
    months_held: tuple[str, ...]


def force_lsoa_month_counts(*, force_id: str, category: str | None = None) -> ForceLsoaCrimes:
    """The force's crimes per LSOA and month in one aggregate query, through
    ``(force, month)``; ``chosen`` counts only the police.uk ``category`` slug (every crime
    when None). Crimes published without an LSOA are left out."""
    chosen = Count("id") if category is None else Count("id", filter=Q(category=category))
    rows = (
        Crime.objects.filter(force_id=force_id)
        .exclude(lsoa_code="")
        .values_list("lsoa_code", "lsoa_name", "month")
        .annotate(crimes=Count("id"), chosen=chosen)
        .order_by()
    )
    counts = tuple(LsoaMonthCount(*row) for row in rows)
    loaded = SourceFile.objects.filter(
        kind=SourceKind.STREET, force_id=force_id, status=SourceStatus.LOADED
    ).values_list("month", flat=True)
    held = {month for month in loaded if month} | {count.month for count in counts}
    return ForceLsoaCrimes(counts=counts, months_held=tuple(sorted(held)))


def neighbourhood_month_counts(
    *, force_ids: list[str], neighbourhood_ids: list[int], months: list[str]
) -> dict[tuple[int, str], int]:
    """Crimes per (neighbourhood id, month) for some neighbourhoods and months, in one aggregate
    query through ``(force, month)``; a pair with no crime is absent."""
    rows = (
        Crime.objects.filter(
            force_id__in=force_ids, month__in=months, neighbourhood_id__in=neighbourhood_ids
        )
        .values_list("neighbourhood_id", "month")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(neighbourhood_id, month): n for neighbourhood_id, month, n in rows}
