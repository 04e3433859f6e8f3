from __future__ import annotations

from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "beatbook.analytics"
    label = "analytics"
    verbose_name = "Analysis: hotspots, trends and forecasts"

    def ready(self) -> None:
        from beatbook.analytics import checks  # noqa: F401  (registers the system checks)
