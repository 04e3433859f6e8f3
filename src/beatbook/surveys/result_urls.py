"""The results pages: staff under ``staff/surveys/<slug>/results/``, public "what you told us"
pages under ``surveys/<slug>/results/``."""

from __future__ import annotations

from django.urls import URLPattern, path

from beatbook.surveys import result_pages

_STAFF = "staff/surveys/<slug:slug>/results/"

urlpatterns: list[URLPattern] = [
    path(_STAFF, result_pages.survey_results, name="survey_results"),
    path(_STAFF + "<slug:wave>/", result_pages.survey_wave_results, name="survey_wave_results"),
    path(
        _STAFF + "<slug:wave>/priorities/",
        result_pages.survey_priority_links,
        name="survey_priority_links",
    ),
    path(
        "surveys/<slug:slug>/results/",
        result_pages.survey_public_results,
        name="survey_public_results",
    ),
    path(
        "surveys/<slug:slug>/results/<str:code>/",
        result_pages.survey_public_neighbourhood_results,
        name="survey_public_neighbourhood_results",
    ),
]
