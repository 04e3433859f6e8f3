from __future__ import annotations

from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The site's wiring and the pages about the whole site: home, sign-in, the staff index."""

    name = "beatbook.site"
    label = "site"
    verbose_name = "Site pages"
