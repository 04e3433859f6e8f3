"""The survey builder's staff pages under ``staff/surveys/`` (names without a namespace, as the
other survey pages link to them: ``survey_list``, ``survey_detail``, ...)."""

from __future__ import annotations

from django.urls import URLPattern, path

from beatbook.surveys import builder_import_views, builder_views, builder_wave_views

STAFF = "staff/surveys/"
SURVEY = f"{STAFF}<slug:slug>/"
QUESTION = f"{SURVEY}questions/<int:pk>/"
WAVE = f"{SURVEY}waves/<slug:wave>/"

urlpatterns: list[URLPattern] = [
    path(STAFF, builder_views.survey_list, name="survey_list"),
    path(f"{STAFF}new/", builder_views.survey_create, name="survey_create"),
    path(SURVEY, builder_views.survey_detail, name="survey_detail"),
    path(f"{SURVEY}change/", builder_views.survey_edit, name="survey_edit"),
    path(f"{SURVEY}questions/bank/", builder_views.question_bank_add, name="survey_question_bank"),
    path(f"{SURVEY}questions/new/", builder_views.question_create, name="survey_question_new"),
    path(f"{QUESTION}change/", builder_views.question_edit, name="survey_question_edit"),
    path(f"{QUESTION}move/", builder_views.question_move, name="survey_question_move"),
    path(f"{QUESTION}retire/", builder_views.question_retire, name="survey_question_retire"),
    path(f"{QUESTION}delete/", builder_views.question_delete, name="survey_question_delete"),
    path(f"{SURVEY}waves/new/", builder_wave_views.wave_create, name="survey_wave_new"),
    path(WAVE, builder_wave_views.wave_detail, name="survey_wave"),
    path(f"{WAVE}open/", builder_wave_views.wave_open, name="survey_wave_open"),
    path(f"{WAVE}close/", builder_wave_views.wave_close, name="survey_wave_close"),
    path(f"{WAVE}publish/", builder_wave_views.wave_publish, name="survey_wave_publish"),
    path(f"{WAVE}delete/", builder_wave_views.wave_delete, name="survey_wave_delete"),
    path(f"{WAVE}invitations/", builder_wave_views.wave_invitations, name="survey_invitations"),
    path(f"{WAVE}contacts/", builder_wave_views.wave_contacts, name="survey_contacts"),
    path(f"{WAVE}import/", builder_import_views.import_upload, name="survey_import"),
    path(
        f"{WAVE}import/columns/",
        builder_import_views.import_mapping,
        name="survey_import_mapping",
    ),
    path(f"{WAVE}import/check/", builder_import_views.import_check, name="survey_import_check"),
]
