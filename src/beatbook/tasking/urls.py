"""Tasking's pages, all for staff, under ``staff/tasking/``. Each part of the work keeps its
routes beside its views (``URLS`` in each views module), so they are listed here in one go."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from beatbook.tasking import plan_views, request_views, resource_views, result_views

app_name = "tasking"

urlpatterns: list[URLPattern | URLResolver] = [
    *resource_views.URLS,
    *request_views.URLS,
    *plan_views.URLS,
    *result_views.URLS,
]
