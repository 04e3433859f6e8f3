"""Django's admin app with Beatbook's site, named in INSTALLED_APPS in place of
``django.contrib.admin`` (a module of its own: ``apps.py`` may hold only one default config)."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """The admin, let in by the staff check of every other staff page."""

    default_site = "beatbook.accounts.access.BeatbookAdminSite"
