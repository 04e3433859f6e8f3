from __future__ import annotations

from django.urls import URLPattern

STAFF = "staff/tasking/"

URLS: list[URLPattern] = []
