"""The record that the demo bundle was loaded, so a second ``beatbook demo`` loads nothing."""

from __future__ import annotations

from django.db import models


class DemoBundle(models.Model):
    """One complete load of the bundled demo data, identified by the checksum of its files."""

    sha256 = models.CharField(max_length=64, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)
    seconds = models.FloatField(help_text="How long the load took.")

    class Meta:
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"Demo data {self.sha256[:12]} loaded {self.loaded_at:%Y-%m-%d %H:%M}"
