from __future__ import annotations

from django.contrib import admin

from beatbook.partnerships import models


class AuthorityInline(admin.TabularInline[models.PartnershipAuthority, models.Partnership]):
    model = models.PartnershipAuthority
    extra = 0


class MemberInline(admin.TabularInline[models.PartnershipMember, models.Partnership]):
    model = models.PartnershipMember
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(models.Partnership)
class PartnershipAdmin(admin.ModelAdmin[models.Partnership]):
    list_display = ["name", "slug", "published"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [AuthorityInline, MemberInline]


@admin.register(models.PartnershipGroup)
class GroupAdmin(admin.ModelAdmin[models.PartnershipGroup]):
    list_display = ["name", "kind", "partnership"]
    list_filter = ["kind"]


@admin.register(models.Meeting)
class MeetingAdmin(admin.ModelAdmin[models.Meeting]):
    list_display = ["group", "starts_at", "minutes_saved_at"]


@admin.register(models.PartnershipPlan)
class PlanAdmin(admin.ModelAdmin[models.PartnershipPlan]):
    list_display = ["title", "partnership", "year_from", "year_to", "published"]


@admin.register(models.Action)
class ActionAdmin(admin.ModelAdmin[models.Action]):
    list_display = ["description", "owner", "due", "status"]
    list_filter = ["status"]


@admin.register(models.Assessment)
class AssessmentAdmin(admin.ModelAdmin[models.Assessment]):
    list_display = ["area_label", "year", "created_at"]
