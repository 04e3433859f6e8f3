"""The partnership's pages: staff pages under ``staff/partnerships/`` and the public page under
``partnerships/``. Each part keeps its routes beside its views (``URLS`` in each views module).

The assessment's routes come first: ``staff/partnerships/assess/`` would otherwise be read as a
partnership called "assess" (a name ``partnership_services`` refuses for that reason)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from beatbook.partnerships import (
    assessment_views,
    meeting_views,
    partnership_views,
    strategy_public_views,
    strategy_views,
)

app_name = "partnerships"

urlpatterns: list[URLPattern | URLResolver] = [
    *assessment_views.URLS,
    *partnership_views.URLS,
    *meeting_views.URLS,
    *strategy_views.URLS,
    *strategy_public_views.URLS,
]
