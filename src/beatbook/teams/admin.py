"""Admin pages where staff keep teams, priorities and events until the workspace arrives."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import admin

from beatbook.core.admin_fields import HTTPS_URL_FIELDS
from beatbook.teams.models import (
    EngagementMethod,
    Event,
    NeighbourhoodContact,
    NeighbourhoodLink,
    NeighbourhoodLocation,
    Priority,
    SeniorOfficer,
    TeamMember,
)
from beatbook.teams.venue import event_place_errors


class NeighbourhoodScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    # A force has hundreds of neighbourhoods: a lookup box, not a drop-down of thousands.
    raw_id_fields = ("neighbourhood",)
    list_select_related = ("neighbourhood", "neighbourhood__force")
    list_filter: ClassVar[tuple[str, ...]] = ("neighbourhood__force",)


@admin.register(NeighbourhoodContact)
class NeighbourhoodContactAdmin(NeighbourhoodScopedAdmin):
    list_display = ("neighbourhood", "contact_details", "updated_at")
    search_fields = ("neighbourhood__name", "neighbourhood__code")


@admin.register(TeamMember)
class TeamMemberAdmin(NeighbourhoodScopedAdmin):
    list_display = ("name", "rank", "neighbourhood", "order")
    search_fields = ("name", "rank", "neighbourhood__name", "neighbourhood__code")
    ordering = ("neighbourhood__force", "neighbourhood__name", "order", "name")


@admin.register(Priority)
class PriorityAdmin(NeighbourhoodScopedAdmin):
    list_display = ("issue_summary", "neighbourhood", "issue_date", "action_date")
    search_fields = ("issue", "action", "neighbourhood__name", "neighbourhood__code")
    date_hierarchy = "issue_date"

    @admin.display(description="Issue")
    def issue_summary(self, obj: Priority) -> str:
        return obj.issue[:80]


class EventAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """The admin's event form, with the rules the workspace's has about where an event is
    (``teams.venue``): the admin keeps the postcode at the end of the one-line address."""

    class Meta:
        model = Event
        fields = (
            "neighbourhood",
            "title",
            "type",
            "description",
            "online",
            "address",
            "joining_details",
            "start",
            "end",
            "contact_details",
            "sample",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        neighbourhood = data.get("neighbourhood")
        if neighbourhood is None:
            return data
        errors = event_place_errors(
            neighbourhood=neighbourhood,
            type=data.get("type") or "",
            online=bool(data.get("online")),
            address=data.get("address") or "",
            joining_details=data.get("joining_details") or "",
        )
        for field, message in errors.items():
            self.add_error("address" if field == "postcode" else field, message)
        return data


@admin.register(Event)
class EventAdmin(NeighbourhoodScopedAdmin):
    form = EventAdminForm
    list_display = ("title", "type", "neighbourhood", "start", "end", "place")
    list_filter = ("type", "online", "neighbourhood__force")
    search_fields = ("title", "address", "neighbourhood__name", "neighbourhood__code")
    date_hierarchy = "start"


@admin.register(NeighbourhoodLink)
class NeighbourhoodLinkAdmin(NeighbourhoodScopedAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ("title", "url", "neighbourhood", "order")
    search_fields = ("title", "url", "neighbourhood__name")


@admin.register(NeighbourhoodLocation)
class NeighbourhoodLocationAdmin(NeighbourhoodScopedAdmin):
    list_display = ("name", "type", "postcode", "neighbourhood", "order")
    search_fields = ("name", "address", "postcode", "neighbourhood__name")


@admin.register(SeniorOfficer)
class SeniorOfficerAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "rank", "force", "order")
    list_filter = ("force",)
    search_fields = ("name", "rank")


@admin.register(EngagementMethod)
class EngagementMethodAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ("title", "type", "url", "force", "order")
    list_filter = ("type", "force")
    search_fields = ("title", "url")
