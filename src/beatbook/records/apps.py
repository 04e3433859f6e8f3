from __future__ import annotations

from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "beatbook.records"
    label = "records"
    verbose_name = "Import records"
