"""How many questions one client may send: a leaky bucket per address, in the database.

The open API's scheme (``beatbook.policeapi.ratelimit``): one atomic UPSERT per submission
reads and updates the bucket, so every web process shares the limit and none loses an update.
It has its own table so the form's limit and the API's never share state, and so this app does
not depend on the API's. The bucket holds ``PER_HOUR`` submissions and drains at that rate.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.http import HttpRequest

from beatbook.enquiries.models import QuestionSubmission

PER_HOUR = 5

_UPSERT = """
INSERT INTO {table} (key, level, updated, allowed) VALUES (%s, 1, %s, %s)
ON CONFLICT (key) DO UPDATE SET
    level = CASE WHEN {drained} + 1 <= %s THEN {drained} + 1 ELSE {drained} END,
    allowed = ({drained} + 1 <= %s),
    updated = excluded.updated
RETURNING level, allowed
"""


@dataclass(frozen=True)
class SubmissionDecision:
    allowed: bool
    retry_after_minutes: int


def client_address(request: HttpRequest) -> str:
    """The client's address; behind a trusted proxy (API_TRUST_X_FORWARDED_FOR), the one it
    forwarded."""
    address = str(request.META.get("REMOTE_ADDR", ""))
    if settings.API_TRUST_X_FORWARDED_FOR:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        if forwarded.strip():
            address = forwarded.split(",")[-1].strip()
    return address[:90]


def _sql() -> str:
    table = connection.ops.quote_name(QuestionSubmission._meta.db_table)
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    drained = f"{greatest}(0.0, {table}.level - (excluded.updated - {table}.updated) * %s)"
    return _UPSERT.format(table=table, drained=drained)


def submission_allowed(
    *, address: str, per_hour: int = PER_HOUR, now: float | None = None
) -> SubmissionDecision:
    """Count one submission from ``address``; say whether it is within the limit."""
    moment = time.time() if now is None else now
    rate = per_hour / 3600
    params: list[str | float | bool] = [
        f"ask:{address}",
        moment,
        per_hour >= 1,
        rate,
        per_hour,
        rate,
        rate,
        rate,
        per_hour,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_sql(), params)
        level, allowed = cursor.fetchone()
    if allowed:
        return SubmissionDecision(True, 0)
    seconds = (float(level) + 1 - per_hour) / rate
    return SubmissionDecision(False, max(1, math.ceil(seconds / 60)))


def submission_buckets_prune(*, now: float | None = None) -> int:
    """Delete buckets that have drained empty (a full bucket drains in an hour)."""
    moment = time.time() if now is None else now
    cutoff = moment - 3600 - 1
    deleted, _ = QuestionSubmission.objects.filter(updated__lt=cutoff).delete()
    return deleted
