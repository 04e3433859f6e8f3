"""The workspace's two pages; the team's own pages under ``staff/workspace/`` are in
``beatbook.teams.urls``."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from beatbook.workspace import views

app_name = "workspace"

urlpatterns: list[URLPattern | URLResolver] = [
    path("staff/workspace/", views.dashboard, name="dashboard"),
    path("staff/guarantee/", views.guarantee, name="guarantee"),
]
