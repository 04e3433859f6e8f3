from __future__ import annotations

from django.apps import AppConfig


class PoliceApiConfig(AppConfig):
    name = "beatbook.policeapi"
    label = "policeapi"
    verbose_name = "Open API"
