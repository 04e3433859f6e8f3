from __future__ import annotations

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "beatbook.operations"
    label = "operations"
    verbose_name = "Operations and days of action"
