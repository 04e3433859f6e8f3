"""A leaky bucket per key (a client, a form), kept in the database so every web process shares it.

Each request pours one unit into its client's bucket, which drains at ``rate`` units a second
and holds ``burst``; a request that would overflow it is refused (429) and pours nothing.
One atomic UPSERT per request reads and updates the bucket, so concurrent processes never
lose an update and no lock is held between statements.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass

from django.apps import apps
from django.db import connection, models

# How often (as a share of requests) to drop buckets that have long drained.
_PRUNE_SHARE = 0.001

_UPSERT = """
INSERT INTO {table} (key, level, updated, allowed) VALUES (%s, 1, %s, %s)
ON CONFLICT (key) DO UPDATE SET
    level = CASE
        WHEN {drained} + 1 <= %s THEN {drained} + 1
        ELSE {drained}
    END,
    allowed = ({drained} + 1 <= %s),
    updated = excluded.updated
RETURNING level, allowed
"""


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int  # whole seconds until one more request would be let through


def _bucket_model() -> type[models.Model]:
    # The buckets' table still belongs to the open API's app (its first user).
    return apps.get_model("policeapi", "RateBucket")


def _sql() -> str:
    table = connection.ops.quote_name(_bucket_model()._meta.db_table)
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    drained = f"{greatest}(0.0, {table}.level - (excluded.updated - {table}.updated) * %s)"
    return _UPSERT.format(table=table, drained=drained)


def rate_limit_check(*, key: str, rate: float, burst: int, now: float | None = None) -> Decision:
    """Pour one request into ``key``'s bucket; say whether it fits and, if not, when it will."""
    moment = time.time() if now is None else now
    # In statement order: the new row, then ``drained`` (one rate each) and the burst checks.
    params: list[str | float | bool] = [
        key,
        moment,
        burst >= 1,
        rate,
        burst,
        rate,
        rate,
        rate,
        burst,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_sql(), params)
        level, allowed = cursor.fetchone()
    if random.random() < _PRUNE_SHARE:  # noqa: S311 - sampling, not security
        rate_buckets_prune(now=moment, rate=rate, burst=burst)
    if allowed:
        return Decision(True, 0)
    return Decision(False, max(1, math.ceil((float(level) + 1 - burst) / rate)))


def rate_buckets_prune(*, now: float, rate: float, burst: int) -> int:
    """Delete buckets that have drained empty: they would start from zero anyway."""
    cutoff = now - burst / rate - 1
    deleted, _ = _bucket_model()._default_manager.filter(updated__lt=cutoff).delete()
    return deleted
