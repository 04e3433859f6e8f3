"""Models every app may use: the timestamps mixin and the rate limiter's buckets."""

from __future__ import annotations

from django.db import models


class TimestampedModel(models.Model):
    """Creation and update times on every operational row."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class RateBucket(models.Model):
    """One client's leaky bucket: how full it was at ``updated`` (seconds since the epoch).

    The rate limiter's state (``beatbook.core.ratelimit``), shared by every web process of a
    deployment. On PostgreSQL the buckets are this model's rows, in an UNLOGGED table; on a
    SQLite file they are kept in a SQLite file of their own beside it instead, so that an
    import holding the main file's write lock never makes a request wait (``bucket_store``).
    The table keeps the name it had in the open API's app, its first user.
    """

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
        db_table = "policeapi_ratebucket"
        indexes = [models.Index(fields=["empty_at"], name="rate_bucket_empty_at")]

    def __str__(self) -> str:
        return f"{self.key}: {self.level:.1f}"
