"""Operations' pages: the staff's under ``staff/operations/``, the public's under
``operations/``. Each part of the work keeps its own block below."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from beatbook.operations import (
    door_views,
    evaluation_views,
    results_views,
    surgery_views,
    views,
)

app_name = "operations"

_STAFF = "staff/operations/"

urlpatterns: list[URLPattern | URLResolver] = [
    # --- planning (views) ------------------------------------------------------------------
    path(_STAFF, views.operation_list, name="list"),
    path(_STAFF + "new/", views.operation_create, name="create"),
    path(_STAFF + "<int:pk>/", views.operation_detail, name="detail"),
    path(_STAFF + "<int:pk>/change/", views.operation_edit, name="edit"),
    path(_STAFF + "<int:pk>/publish/", views.operation_publish, name="publish"),
    path(_STAFF + "<int:pk>/partners/add/", views.partner_add, name="partner-add"),
    path(_STAFF + "partners/<int:pk>/remove/", views.partner_remove, name="partner-remove"),
    path(_STAFF + "<int:pk>/activities/add/", views.activity_add, name="activity-add"),
    path(_STAFF + "activities/<int:pk>/change/", views.activity_edit, name="activity-edit"),
    path(_STAFF + "activities/<int:pk>/delete/", views.activity_delete, name="activity-delete"),
    # --- the public operation page (views) -------------------------------------------------
    path("operations/<int:pk>/", views.operation_public, name="public"),
    # --- the online surgery (surgery_views) ------------------------------------------------
    path("operations/surgery/<int:pk>/", surgery_views.surgery_page, name="surgery"),
    path("operations/surgery/<int:pk>/live.json", surgery_views.surgery_live, name="surgery-live"),
    path(
        _STAFF + "activities/<int:pk>/surgery/",
        surgery_views.surgery_moderate,
        name="surgery-moderate",
    ),
    # --- door-to-door routes and visits (door_views) ---------------------------------------
    path(_STAFF + "activities/<int:pk>/routes/", door_views.activity_routes, name="routes"),
    path(_STAFF + "routes/<int:pk>/print/", door_views.route_sheet, name="route-sheet"),
    path(_STAFF + "routes/<int:pk>/log/", door_views.route_log, name="route-log"),
    path(_STAFF + "routes/<int:pk>/visits/", door_views.route_visits, name="route-visits"),
    # --- results, summary, posts (results_views) -------------------------------------------
    path(
        _STAFF + "activities/<int:pk>/results/",
        results_views.activity_results,
        name="activity-results",
    ),
    path(_STAFF + "<int:pk>/results/", results_views.results, name="results"),
    path(_STAFF + "<int:pk>/summary.pdf", results_views.summary, name="summary-pdf"),
    path(_STAFF + "<int:pk>/posts/", results_views.posts, name="posts"),
    # --- the evaluation (evaluation_views) -------------------------------------------------
    path(_STAFF + "<int:pk>/evaluation/", evaluation_views.operation_evaluation, name="evaluation"),
]
