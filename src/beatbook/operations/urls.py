"""Operations' pages: the staff's under ``staff/operations/``, the public's under
``operations/``. Each part of the work keeps its own block below."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from beatbook.operations import door_views, views

app_name = "operations"

_STAFF = "staff/operations/"

urlpatterns: list[URLPattern | URLResolver] = [
    # --- planning (views) ------------------------------------------------------------------
    path(_STAFF, views.operation_list, name="list"),
    path(_STAFF + "<int:pk>/", views.operation_detail, name="detail"),
    # --- the public operation page (views) -------------------------------------------------
    path("operations/<int:pk>/", views.operation_public, name="public"),
    # --- the online surgery (surgery_views) ------------------------------------------------
    # --- door-to-door routes and visits (door_views) ---------------------------------------
    path(_STAFF + "activities/<int:pk>/routes/", door_views.activity_routes, name="routes"),
    path(_STAFF + "routes/<int:pk>/print/", door_views.route_sheet, name="route-sheet"),
    path(_STAFF + "routes/<int:pk>/log/", door_views.route_log, name="route-log"),
    path(_STAFF + "routes/<int:pk>/visits/", door_views.route_visits, name="route-visits"),
    # --- results, summary, posts (results_views) -------------------------------------------
    # --- the evaluation (evaluation_views) -------------------------------------------------
]
