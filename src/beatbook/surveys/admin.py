from __future__ import annotations

from django.contrib import admin

from beatbook.surveys.models import Margin, Option, Question, Survey, Wave


class OptionInline(admin.TabularInline[Option, Question]):
    model = Option
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin[Survey]):
    list_display = ["title", "force", "slug"]
    list_filter = ["force"]
    search_fields = ["title", "slug"]
    filter_horizontal = ["neighbourhoods"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin[Question]):
    list_display = ["code", "survey", "kind", "position", "retired"]
    list_filter = ["survey", "kind"]
    inlines = [OptionInline]


@admin.register(Wave)
class WaveAdmin(admin.ModelAdmin[Wave]):
    list_display = ["name", "survey", "status", "opens_on", "closes_on", "results_published"]
    list_filter = ["survey", "status"]


@admin.register(Margin)
class MarginAdmin(admin.ModelAdmin[Margin]):
    list_display = ["survey", "neighbourhood", "age_band", "sex", "population"]
    list_filter = ["survey"]
