"""A leaky bucket per key (a client, a form), shared by every web process, that no import can
make a request wait for.

Each request pours one unit into its key's bucket, which drains at ``rate`` units a second and
holds ``burst``; a request that would overflow it is refused (429) and pours nothing. One atomic
UPSERT per request reads and updates the bucket, so concurrent processes never lose an update
and no lock is held between statements. Each bucket also records when it will have drained
empty, so that pruning needs no rate and one limiter's pruning never resets another's buckets.

Where the buckets live (``beatbook.core.bucket_store``):

- PostgreSQL: the ``policeapi_ratebucket`` table, UNLOGGED (a crash may forget the buckets,
  which costs nothing, and an update never waits for a WAL flush behind an import's writes).
- A SQLite file: a SQLite file of their own beside it, ``<name>-ratelimit.sqlite3``. SQLite
  has one write lock per file and an import holds it for as long as it runs, so buckets kept in
  the main file made every API request wait for the import (ADR 15).
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass

from beatbook.core import bucket_store

# How often (as a share of requests) to drop buckets that have drained empty.
_PRUNE_SHARE = 0.001


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int  # whole seconds until one more request would be let through


def rate_limit_check(*, key: str, rate: float, burst: int, now: float | None = None) -> Decision:
    """Pour one request into ``key``'s bucket; say whether it fits and, if not, when it will.

    Should the buckets be out of reach (another process holding their file's lock for longer
    than a bucket's update ever takes, or the file unwritable), the request is let through
    and a warning logged: a limiter that refused everyone, or failed with an error, would turn
    a busy moment into an outage.
    """
    moment = time.time() if now is None else now
    poured = bucket_store.pour(key=key, rate=rate, burst=burst, now=moment)
    if poured is None:
        return Decision(True, 0)
    level, allowed = poured
    if random.random() < _PRUNE_SHARE:  # noqa: S311 - sampling, not security
        rate_buckets_prune(now=moment)
    if allowed:
        return Decision(True, 0)
    return Decision(False, max(1, math.ceil((level + 1 - burst) / rate)))


def rate_buckets_prune(*, now: float | None = None) -> int:
    """Delete buckets that have drained empty: they would start from zero anyway."""
    return bucket_store.prune(now=time.time() if now is None else now)
