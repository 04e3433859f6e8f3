from __future__ import annotations

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "beatbook.demo"
    label = "demo"
    verbose_name = "Demo"
