from __future__ import annotations

from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "beatbook.surveys"
    label = "surveys"
    verbose_name = "Perception surveys"
