"""The partnership's pages: staff pages under ``staff/partnerships/`` and the public page under
``partnerships/``. Each part keeps its routes beside its views (``URLS`` in each views module)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from beatbook.partnerships import assessment_views

app_name = "partnerships"

urlpatterns: list[URLPattern | URLResolver] = [*assessment_views.URLS]
