"""How many questions one client may send: the shared leaky bucket of ``beatbook.core.ratelimit``.

Each address may send ``PER_HOUR`` questions in a burst, and one more each time a
``PER_HOUR``-th of an hour passes. Its buckets are keyed ``ask:<address>``, so the form's limit
and the API's never share state, while both are kept where no import can make them wait.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from beatbook.core.ratelimit import rate_limit_check

PER_HOUR = 5


@dataclass(frozen=True)
class SubmissionDecision:
    allowed: bool
    retry_after_minutes: int


def submission_allowed(
    *, address: str, per_hour: int = PER_HOUR, now: float | None = None
) -> SubmissionDecision:
    """Count one submission from ``address``; say whether it is within the limit."""
    decision = rate_limit_check(key=f"ask:{address}", rate=per_hour / 3600, burst=per_hour, now=now)
    return SubmissionDecision(decision.allowed, math.ceil(decision.retry_after / 60))
