from __future__ import annotations

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "beatbook.insights"
    label = "analytics"
    verbose_name = "Analysis: hotspots, trends and forecasts"
    # Kept from the app's first name, so its tables, migrations, templates and URL names stay.

    def ready(self) -> None:
        from beatbook.insights import checks  # noqa: F401  (registers the system checks)
