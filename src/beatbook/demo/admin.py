from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from beatbook.demo.models import DemoBundle


@admin.register(DemoBundle)
class DemoBundleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """When the bundled demo data was loaded; written only by ``beatbook demo``."""

    list_display = ["sha256", "loaded_at", "seconds"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
