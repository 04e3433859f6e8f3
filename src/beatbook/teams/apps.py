from __future__ import annotations

from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "beatbook.teams"
    label = "teams"
    verbose_name = "Neighbourhood teams, priorities and events"
