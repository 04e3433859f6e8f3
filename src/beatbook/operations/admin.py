"""The operations tables in Django's admin, for administrators' corrections."""

from __future__ import annotations

from django.contrib import admin

from beatbook.operations.models import AdviceTopic, OperationKind


@admin.register(OperationKind)
class OperationKindAdmin(admin.ModelAdmin[OperationKind]):
    list_display = ["name", "slug", "force", "order"]


@admin.register(AdviceTopic)
class AdviceTopicAdmin(admin.ModelAdmin[AdviceTopic]):
    list_display = ["label", "slug", "active", "order"]
    list_editable = ["active", "order"]
