"""The staff pages of a survey's population margins (joined into ``surveys.urls``)."""

from __future__ import annotations

from django.urls import URLPattern, path

from beatbook.surveys import margin_views

urlpatterns: list[URLPattern] = [
    path("staff/surveys/<slug:slug>/margins/", margin_views.survey_margins, name="survey_margins"),
    path(
        "staff/surveys/<slug:slug>/margins/template.csv",
        margin_views.survey_margins_template,
        name="survey_margins_template",
    ),
]
