from __future__ import annotations

from django.apps import AppConfig


class UiConfig(AppConfig):
    """The pieces every page is made of: the GOV.UK base template, its includes and assets,
    template tags and chart drawing. No pages of its own."""

    name = "beatbook.ui"
    label = "ui"
    verbose_name = "Page parts"
