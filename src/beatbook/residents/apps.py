from __future__ import annotations

from django.apps import AppConfig


class ResidentsConfig(AppConfig):
    name = "beatbook.residents"
    label = "residents"
    verbose_name = "Residents' neighbourhood pages"
