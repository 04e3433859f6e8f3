"""Recompute the neighbourhood of a force's crimes and stops after its boundaries change."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
from django.db import connection, transaction

from beatbook.opendata.models import Crime, StopAndSearch
from beatbook.places.spatial import neighbourhood_ids_for_points


def crimes_assign_neighbourhoods(*, force_id: str) -> int:
    """Set ``neighbourhood_id`` on every Crime and StopAndSearch row of a force; return how many
    rows changed. One point-in-polygon query per distinct point, one transaction for the lot."""
    changed = 0
    with transaction.atomic():
        for model in (Crime, StopAndSearch):
            changed += _assign(model._meta.db_table, force_id)
    return changed


def neighbourhoods_redrawn_receive(*, force_id: str, **_: Any) -> int:
    """``places.signals.neighbourhoods_redrawn``: the force's crimes and stops follow."""
    return crimes_assign_neighbourhoods(force_id=force_id)


def _assign(table: str, force_id: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, latitude, longitude, neighbourhood_id FROM {table} "  # noqa: S608
            "WHERE force_id = %s",
            [force_id],
        )
        rows = cursor.fetchall()
    if not rows:
        return 0
    ids = np.array([row[0] for row in rows], dtype=np.int64)
    lat = np.array([np.nan if row[1] is None else row[1] for row in rows], dtype=np.float64)
    lng = np.array([np.nan if row[2] is None else row[2] for row in rows], dtype=np.float64)
    old = pa.array([row[3] for row in rows], type=pa.int64())
    new = pa.array(
        neighbourhood_ids_for_points(lat=lat, lng=lng, force_id=force_id), type=pa.int64()
    )
    differs = _differs(old, new)
    updates = list(zip(new.filter(differs).to_pylist(), ids[differs].tolist(), strict=True))
    if updates:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET neighbourhood_id = %s WHERE id = %s",  # noqa: S608
                updates,
            )
    return len(updates)


def _differs(old: pa.Array, new: pa.Array) -> np.ndarray:
    old_values = old.fill_null(-1).to_numpy()
    new_values = new.fill_null(-1).to_numpy()
    return np.asarray(old_values != new_values)
