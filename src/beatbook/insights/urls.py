from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from beatbook.insights import forecast_views, views

app_name = "analytics"

urlpatterns: list[URLPattern | URLResolver] = [
    path("analysis/", views.index, name="index"),
    path("analysis/hotspots/", views.hotspots_page, name="hotspots"),
    path("analysis/hotspots/download/", views.hotspots_download, name="hotspots-download"),
    path("analysis/trends/", views.trends_page, name="trends"),
    path("analysis/harm-weights/", views.harm_weights_page, name="harm-weights"),
    path("analysis/forecast/", forecast_views.forecast_page, name="forecast"),
    path(
        "analysis/forecast/download/",
        forecast_views.forecast_download,
        name="forecast-download",
    ),
]
