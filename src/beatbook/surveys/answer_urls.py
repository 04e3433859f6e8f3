"""The residents' pages for answering a survey (``answer_views``), under ``/surveys/``.

The invitation link comes first: ``/surveys/i/<token>/`` must never be read as a survey called
"i" (so no survey may take the address "i").
"""

from __future__ import annotations

from django.urls import URLPattern, path

from beatbook.surveys import answer_views

urlpatterns: list[URLPattern] = [
    path("surveys/i/<str:token>/", answer_views.survey_invitation, name="survey_invitation"),
    path("surveys/<slug:slug>/", answer_views.survey_start, name="survey_start"),
    path(
        "surveys/<slug:slug>/questions/<slug:code>/",
        answer_views.survey_question,
        name="survey_question",
    ),
    path(
        "surveys/<slug:slug>/about-you/<slug:step>/",
        answer_views.survey_about_you,
        name="survey_about_you",
    ),
    path("surveys/<slug:slug>/check/", answer_views.survey_check, name="survey_check"),
    path("surveys/<slug:slug>/sent/", answer_views.survey_sent, name="survey_sent"),
]
