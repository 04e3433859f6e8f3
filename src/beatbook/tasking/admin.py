from __future__ import annotations

from django.contrib import admin

from beatbook.tasking import models


@admin.register(models.Skill)
class SkillAdmin(admin.ModelAdmin[models.Skill]):
    list_display = ["name", "slug", "order"]


@admin.register(models.Station)
class StationAdmin(admin.ModelAdmin[models.Station]):
    list_display = ["name", "force", "postcode"]
    list_filter = ["force"]


@admin.register(models.Officer)
class OfficerAdmin(admin.ModelAdmin[models.Officer]):
    list_display = ["collar_number", "name", "rank", "unit", "neighbourhood", "station", "active"]
    list_filter = ["force", "unit", "rank", "active"]
    search_fields = ["collar_number", "name"]
    filter_horizontal = ["skills"]
    raw_id_fields = ["neighbourhood", "user"]


@admin.register(models.ShiftKind)
class ShiftKindAdmin(admin.ModelAdmin[models.ShiftKind]):
    list_display = ["name", "force", "starts", "ends"]
    list_filter = ["force"]


@admin.register(models.Duty)
class DutyAdmin(admin.ModelAdmin[models.Duty]):
    list_display = ["officer", "date", "shift_kind", "starts", "ends"]
    list_filter = ["shift_kind__force", "date"]


@admin.register(models.Abstraction)
class AbstractionAdmin(admin.ModelAdmin[models.Abstraction]):
    list_display = ["officer", "date", "reason", "hours"]
    list_filter = ["reason"]


@admin.register(models.LinkOfficer)
class LinkOfficerAdmin(admin.ModelAdmin[models.LinkOfficer]):
    list_display = ["neighbourhood", "officer", "commander"]
    raw_id_fields = ["neighbourhood"]


@admin.register(models.TaskingRequest)
class TaskingRequestAdmin(admin.ModelAdmin[models.TaskingRequest]):
    list_display = ["title", "neighbourhood", "tactic", "status", "urgency", "first_day"]
    list_filter = ["status", "tactic", "urgency"]
    raw_id_fields = ["neighbourhood", "priority", "operation"]


@admin.register(models.PatrolPlan)
class PatrolPlanAdmin(admin.ModelAdmin[models.PatrolPlan]):
    list_display = ["date", "shift_kind", "unit", "neighbourhood", "status", "objective"]
    list_filter = ["unit", "status"]
