"""The partnership's pages: staff pages under ``staff/partnerships/`` and the public page under
``partnerships/``. Each part keeps its routes beside its views (``URLS`` in each views module)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from beatbook.partnerships import (
    meeting_views,
    partnership_views,
    strategy_public_views,
    strategy_views,
)

app_name = "partnerships"

urlpatterns: list[URLPattern | URLResolver] = [
    *partnership_views.URLS,
    *meeting_views.URLS,
    *strategy_views.URLS,
    *strategy_public_views.URLS,
]
