"""Admin for police.uk open data: read-only, since these tables change only through imports."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from beatbook.opendata.models import Crime, Location, Outcome, StopAndSearch
from beatbook.records.models import SourceFile


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Look, never touch: rows come from imports, and an edit here would break their provenance."""

    # Counting millions of rows on every change-list page is slow on PostgreSQL.
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SourceFile)
class SourceFileAdmin(ReadOnlyAdmin):
    list_display = [
        "started_at",
        "kind",
        "force",
        "month",
        "status",
        "name",
        "rows_loaded",
        "rows_rejected",
        "outcomes_changed",
        "short_checksum",
    ]
    list_filter = ["kind", "status", "force"]
    search_fields = ["path", "member", "sha256", "month", "message"]
    list_select_related = ["force"]
    date_hierarchy = "started_at"
    ordering = ["-started_at", "-id"]

    @admin.display(description="File")
    def name(self, obj: SourceFile) -> str:
        return obj.member or obj.path

    @admin.display(description="Checksum")
    def short_checksum(self, obj: SourceFile) -> str:
        return obj.sha256[:12]


class PoliceDataAdmin(ReadOnlyAdmin):
    """Crime, outcome and stop rows: millions of them, so no joins in the list and raw ids."""

    list_filter = ["month"]
    raw_id_fields = ["force", "location", "source"]
    ordering = ["-id"]


@admin.register(Crime)
class CrimeAdmin(PoliceDataAdmin):
    list_display = ["id", "month", "force_id", "category", "persistent_id", "lsoa_code", "outcome"]
    search_fields = ["=persistent_id", "=lsoa_code"]
    raw_id_fields = ["force", "falls_within", "location", "neighbourhood", "source"]


@admin.register(Outcome)
class OutcomeAdmin(PoliceDataAdmin):
    list_display = ["id", "month", "force_id", "persistent_id", "outcome", "lsoa_code"]
    search_fields = ["=persistent_id", "=lsoa_code"]
    raw_id_fields = ["force", "falls_within", "location", "source"]


@admin.register(StopAndSearch)
class StopAndSearchAdmin(PoliceDataAdmin):
    list_display = ["id", "datetime", "force_id", "type", "object_of_search", "outcome"]
    list_filter = ["month", "type"]
    search_fields = ["=policing_operation"]
    raw_id_fields = ["force", "location", "neighbourhood", "source"]


@admin.register(Location)
class LocationAdmin(ReadOnlyAdmin):
    list_display = ["id", "name", "latitude", "longitude", "easting", "northing"]
    search_fields = ["name"]
    ordering = ["id"]
