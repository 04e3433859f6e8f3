from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "enquiries"

urlpatterns: list[URLPattern | URLResolver] = []
