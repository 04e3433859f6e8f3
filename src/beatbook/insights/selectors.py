"""Reads that feed the analysis package: crimes as a plain DataFrame, areas by name.

Rows come out through ``values_list`` straight into column arrays (no ORM object per row), so a
force's half year (tens of thousands of crimes) loads in well under a second.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from beatbook.analysis.frames import CRIME_POINT_COLUMNS
from beatbook.common.months import check_month
from beatbook.opendata.models import Crime
from beatbook.places.models import Force
from beatbook.records import versions
from beatbook.records.models import SourceFile, SourceKind, SourceStatus

CRIME_COLUMNS = CRIME_POINT_COLUMNS

_QUERY_FIELDS = (
    "month",
    "category",
    "easting",
    "northing",
    "latitude",
    "longitude",
    "location_id",
    "location__name",
    "lsoa_code",
    "lsoa_name",
    "neighbourhood_id",
    "neighbourhood__name",
)


def crime_points(
    *,
    force_ids: list[str],
    month_from: str,
    month_to: str,
    categories: list[str] | None = None,
    neighbourhood_id: int | None = None,
    lsoa_codes: list[str] | None = None,
) -> pd.DataFrame:
    """Street-level crimes of ``force_ids`` from ``month_from`` to ``month_to`` inclusive.

    One row per crime with the columns of ``CRIME_COLUMNS``: ``month`` ("YYYY-MM"),
    ``category`` (police.uk slug), British National Grid ``easting``/``northing`` and WGS84
    ``latitude``/``longitude`` (NaN where the row has no location), ``location_id`` and
    ``neighbourhood_id`` (nullable integers), ``street_name`` ("On or near ..."; empty when
    unknown), ``lsoa_code``, ``lsoa_name`` and ``neighbourhood_name``.
    """
    check_month(month_from, label="first month")
    check_month(month_to, label="last month")
    if month_from > month_to:
        raise ValueError(f"The first month ({month_from}) is after the last ({month_to}).")
    query = Crime.objects.filter(
        force_id__in=list(force_ids), month__gte=month_from, month__lte=month_to
    )
    if categories:
        query = query.filter(category__in=list(categories))
    if neighbourhood_id is not None:
        query = query.filter(neighbourhood_id=neighbourhood_id)
    if lsoa_codes is not None:
        query = query.filter(lsoa_code__in=list(lsoa_codes))
    rows = list(query.order_by().values_list(*_QUERY_FIELDS))
    return _frame(rows)


COUNTING_COLUMNS = ("month", "category", "easting", "northing")


def crime_positions(*, force_id: str, month_from: str, month_to: str) -> pd.DataFrame:
    """Only what counting crimes per grid cell needs: ``month``, ``category`` and British
    National Grid ``easting``/``northing`` (NaN without a location) of every street-level
    crime of the force from ``month_from`` to ``month_to``.

    One query on the (force, month) index, no joins, straight into column arrays: about a
    third of the time ``crime_points`` takes for the same rows (ADR 12).
    """
    check_month(month_from, label="first month")
    check_month(month_to, label="last month")
    rows = list(
        Crime.objects.filter(force_id=force_id, month__gte=month_from, month__lte=month_to)
        .order_by()
        .values_list(*COUNTING_COLUMNS)
    )
    frame = pd.DataFrame.from_records(rows, columns=list(COUNTING_COLUMNS), nrows=len(rows))
    for column in ("easting", "northing"):
        frame[column] = frame[column].astype(np.float64)
    return frame


def _frame(rows: Sequence[tuple[Any, ...]]) -> pd.DataFrame:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(_QUERY_FIELDS)
    data = dict(zip(CRIME_COLUMNS, columns, strict=True))
    frame = pd.DataFrame(
        {
            "month": pd.Series(data["month"], dtype=object),
            "category": pd.Series(data["category"], dtype=object),
            "easting": _floats(data["easting"]),
            "northing": _floats(data["northing"]),
            "latitude": _floats(data["latitude"]),
            "longitude": _floats(data["longitude"]),
            "location_id": pd.array(data["location_id"], dtype="Int64"),
            "street_name": _texts(data["street_name"]),
            "lsoa_code": _texts(data["lsoa_code"]),
            "lsoa_name": _texts(data["lsoa_name"]),
            "neighbourhood_id": pd.array(data["neighbourhood_id"], dtype="Int64"),
            "neighbourhood_name": _texts(data["neighbourhood_name"]),
        }
    )
    return frame


def _floats(values: Sequence[Any]) -> np.ndarray[Any, np.dtype[np.float64]]:
    # NumPy reads None as NaN when asked for floats.
    return np.array(values, dtype=np.float64)


def _texts(values: Sequence[Any]) -> pd.Series[Any]:
    return pd.Series(["" if v is None else v for v in values], dtype=object)


def months_held(*, force_ids: list[str]) -> list[str]:
    """Months with street-level crime loaded for any of these forces, oldest first."""
    by_force = months_held_by_force(force_ids=force_ids)
    return sorted(set().union(*by_force.values()))


def months_held_by_force(*, force_ids: list[str] | None = None) -> dict[str, list[str]]:
    """Per force (every force with street-level crime loaded, or those named), the months
    loaded, oldest first."""
    rows = SourceFile.objects.filter(
        kind=SourceKind.STREET, status=SourceStatus.LOADED, force__isnull=False
    )
    if force_ids is not None:
        rows = rows.filter(force_id__in=force_ids)
    held: dict[str, set[str]] = {}
    for force_id, month in rows.values_list("force_id", "month").distinct():
        held.setdefault(force_id, set()).add(month)
    return {force_id: sorted(months) for force_id, months in held.items()}


# Imports that say nothing about places (boundaries, LSOAs, populations, neighbourhoods).
_NOT_PLACES = (SourceKind.STREET, SourceKind.OUTCOMES, SourceKind.STOP_AND_SEARCH)


def data_version(*, force_ids: Sequence[str]) -> str:
    """Changes whenever what an analysis page shows of these forces may have: a street-level
    import (new, reloaded or replaced) of any of them, or any import of places, which draw the
    study areas and hold the populations rates are per."""
    street = versions.data_version(kinds=[SourceKind.STREET], force_ids=force_ids)
    places = versions.data_version(other_than=_NOT_PLACES)
    return f"s{street}:p{places}"


def forces_with_data(*, force_ids: Sequence[str] | None = None) -> list[str]:
    """Forces (all, or those named) with street-level crime loaded."""
    return sorted(months_held_by_force(force_ids=None if force_ids is None else list(force_ids)))


def analysis_forces(*, allowed: Sequence[Force], preferred: Sequence[str] = ()) -> list[Force]:
    """The forces of ``allowed`` that hold crime data, those in ``preferred`` (the ones the
    person is a member of) first, then by name: what every analysis form offers, the first
    being its default."""
    held = set(forces_with_data(force_ids=[force.pk for force in allowed]))
    chosen = [force for force in allowed if force.pk in held]
    first = set(preferred)
    return sorted(chosen, key=lambda force: (force.pk not in first, force.name))
