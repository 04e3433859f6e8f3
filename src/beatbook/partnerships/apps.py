from __future__ import annotations

from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "beatbook.partnerships"
    label = "partnerships"
    verbose_name = "Community safety partnerships"
