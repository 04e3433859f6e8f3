"""The open API's only state of its own: the rate limiter's buckets.

They live in the database, not in process memory, so every web process of a deployment
(several gunicorn workers, several machines) shares one bucket per client.
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

    class Meta:
        indexes = [models.Index(fields=["updated"], name="rate_bucket_updated")]

    def __str__(self) -> str:
        return f"{self.key}: {self.level:.1f}"
