from __future__ import annotations

from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "beatbook.workspace"
    label = "workspace"
    verbose_name = "Neighbourhood team workspace"
