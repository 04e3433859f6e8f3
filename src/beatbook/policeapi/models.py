"""The open API's only state of its own: the rate limiter's buckets.

Every web process of a deployment (several gunicorn workers, several machines) shares one
bucket per client. On PostgreSQL they are this model's rows, in an UNLOGGED table; on a SQLite
file they are kept in a SQLite file of their own beside it instead, so that an import holding
the main file's write lock never makes a request wait (``beatbook.core.bucket_store``).
"""

from __future__ import annotations

from django.db import models


class RateBucket(models.Model):
    """One client's leaky bucket: how full it was at ``updated`` (seconds since the epoch)."""

    key = models.CharField(primary_key=True, max_length=80)
    level = models.FloatField(default=0.0)
    updated = models.FloatField(default=0.0)
    allowed = models.BooleanField(
        default=True, help_text="Whether the last request was let through."
    )
    empty_at = models.FloatField(
        default=0.0, help_text="When the bucket will have drained empty (seconds since the epoch)."
    )

    class Meta:
        indexes = [models.Index(fields=["empty_at"], name="rate_bucket_empty_at")]

    def __str__(self) -> str:
        return f"{self.key}: {self.level:.1f}"
