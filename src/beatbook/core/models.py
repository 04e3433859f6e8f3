from __future__ import annotations

from django.db import models


class TimestampedModel(models.Model):
    """Creation and update times on every operational row."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
