from __future__ import annotations

from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "beatbook.analytics"
    label = "analytics"
    verbose_name = "Analysis: hotspots, trends and forecasts"
