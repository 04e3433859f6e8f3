"""The open API's rate limit: the shared leaky buckets of ``beatbook.core.ratelimit``."""

from __future__ import annotations

from beatbook.core.ratelimit import Decision, rate_buckets_prune, rate_limit_check

__all__ = ["Decision", "rate_buckets_prune", "rate_limit_check"]
