"""A leaky bucket per key (a client, a form), shared by every web process, that no import can
make a request wait for.

Each request pours one unit into its key's bucket (for a client, ``<scope>:<its address>``:
the API's ``ip``, the question form's ``ask``, the question look-ups' ``question-status``,
the password reset's ``password-reset``), which drains at ``rate`` units a second and
holds ``burst``; a request that would overflow it is refused (429) and pours nothing. One atomic
UPSERT per request reads and updates the bucket, so concurrent processes never lose an update
and no lock is held between statements. Each bucket also records when it will have drained
empty, so that pruning needs no rate and one limiter's pruning never resets another's buckets.

Where the buckets live (``beatbook.core.bucket_store``):

- PostgreSQL: ``core.RateBucket``'s table (still named ``policeapi_ratebucket``), UNLOGGED
  (a crash may forget the buckets, which costs nothing, and an update never waits for a WAL
  flush behind an import's writes).
- A SQLite file: a SQLite file of their own beside it, ``<name>-ratelimit.sqlite3``. SQLite
  has one write lock per file and an import holds it for as long as it runs, so buckets kept in
  the main file made every API request wait for the import (ADR 15).
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass

from django.http import HttpRequest

from beatbook.core import bucket_store
from beatbook.core.clients import client_address

# How often (as a share of requests) to drop buckets that have drained empty.
_PRUNE_SHARE = 0.001
# The buckets' key column (RateBucket.key): a longer key is cut to fit, never refused by the
# database, whatever address a client (or a trusted proxy) sends.
KEY_LENGTH = 80


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int  # whole seconds until one more request would be let through

    @property
    def retry_after_minutes(self) -> int:
        """The wait in whole minutes, at least one, for pages that speak in minutes."""
        return max(1, math.ceil(self.retry_after / 60))


def client_limit_check(
    request: HttpRequest, *, scope: str, rate: float, burst: int, now: float | None = None
) -> Decision:
    """Pour one of this client's requests into its bucket for ``scope``: one bucket per address
    and scope, so one limit's requests never use up another's."""
    return rate_limit_check(key=client_key(request, scope), rate=rate, burst=burst, now=now)


def client_key(request: HttpRequest, scope: str) -> str:
    """The client's bucket for ``scope``: ``<scope>:<address>`` (``core.clients``)."""
    return f"{scope}:{client_address(request)}"


def rate_limit_check(*, key: str, rate: float, burst: int, now: float | None = None) -> Decision:
    """Pour one request into ``key``'s bucket; say whether it fits and, if not, when it will.

    Should the buckets be out of reach (another process holding their file's lock for longer
    than a bucket's update ever takes, or the file unwritable), the request is let through
    and a warning logged: a limiter that refused everyone, or failed with an error, would turn
    a busy moment into an outage.
    """
    moment = time.time() if now is None else now
    poured = bucket_store.pour(key=key[:KEY_LENGTH], rate=rate, burst=burst, now=moment)
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
