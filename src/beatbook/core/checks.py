"""System checks with stable ids, run by every ``beatbook`` command at start-up.

Beatbook's own checks carry the ``BEATBOOK`` tag, so that commands that serve no pages can ask
for them and Django's model checks (``COMMAND_CHECKS``) without the URL checks: those import
every page's views, about a second of a command like ``beatbook locate``. ``beatbook serve``,
``beatbook demo`` and ``beatbook check`` still run every check."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

BEATBOOK = "beatbook"
COMMAND_CHECKS = [Tags.models, BEATBOOK]


@register(BEATBOOK)
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if (
        settings.SECRET_KEY_IS_GENERATED
        and not settings.DEBUG
        and "postgresql" in str(settings.DATABASES["default"]["ENGINE"])
    ):
        return [
            Warning(
                "SECRET_KEY is not set, so a key generated in the data directory is used.",
                hint="Several servers must share one key: set SECRET_KEY or SECRET_KEY_FILE.",
                id="beatbook.W001",
            )
        ]
    return []


@register(BEATBOOK)
def check_secure_cookies(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    hosts = [h for h in settings.ALLOWED_HOSTS if h not in {"127.0.0.1", "localhost", "[::1]"}]
    if hosts and not settings.SESSION_COOKIE_SECURE:
        return [
            Warning(
                "The site is served to other hosts but cookies are not marked secure.",
                hint="Serve over HTTPS and set SECURE_COOKIES=true.",
                id="beatbook.W002",
            )
        ]
    return []
