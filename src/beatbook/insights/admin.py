"""Admin for stored back-tests: look at them, and delete one to have the worker make it again."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from beatbook.insights.models import Backtest


@admin.register(Backtest)
class BacktestAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "force",
        "category",
        "measure",
        "cell_size",
        "month_from",
        "month_to",
        "made_at",
        "claimed_until",
        "refresh_failed_at",
    ]
    list_filter = ["force", "category", "measure"]
    list_select_related = ["force"]
    ordering = ["force", "category", "measure", "cell_size"]
    readonly_fields = [field.name for field in Backtest._meta.fields]

    # Made only by back-tests; an edit would show scores no back-test produced.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
