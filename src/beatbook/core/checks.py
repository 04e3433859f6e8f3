"""System checks with stable ids, run by every ``beatbook`` command at start-up.

Beatbook's own checks carry the ``BEATBOOK`` tag, so that commands that serve no pages can ask
for them and Django's model checks (``COMMAND_CHECKS``) without the URL checks: those import
every page's views, about a second of a command like ``beatbook locate``. ``beatbook serve``,
``beatbook demo`` and ``beatbook check`` still run every check."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

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


ONE_YEAR = 31_536_000


@register(BEATBOOK, deploy=True)
def check_https(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Combinations of the HTTPS settings that cannot work as meant (docs/configuration.md)."""
    behind_proxy = bool(settings.BEHIND_TLS_PROXY)
    problems: list[CheckMessage] = []
    if settings.SECURE_SSL_REDIRECT and not behind_proxy:
        problems.append(
            Error(
                "REDIRECT_TO_HTTPS is on but BEHIND_TLS_PROXY is off: Beatbook itself serves "
                "plain HTTP, so every request would be redirected, for ever.",
                hint="Set BEHIND_TLS_PROXY=true behind a TLS-terminating proxy that sets "
                "X-Forwarded-Proto, or unset REDIRECT_TO_HTTPS.",
                id="beatbook.E302",
            )
        )
    if settings.SECURE_HSTS_SECONDS and not behind_proxy:
        problems.append(
            Warning(
                "HSTS_SECONDS is set but BEHIND_TLS_PROXY is off: no request is seen as HTTPS, "
                "so the Strict-Transport-Security header is never sent.",
                hint="Set BEHIND_TLS_PROXY=true behind a TLS-terminating proxy.",
                id="beatbook.W301",
            )
        )
    return problems + _hsts_problems()


def _hsts_problems() -> list[CheckMessage]:
    seconds = int(settings.SECURE_HSTS_SECONDS)
    subdomains = bool(settings.SECURE_HSTS_INCLUDE_SUBDOMAINS)
    problems: list[CheckMessage] = []
    if settings.SECURE_HSTS_PRELOAD and (not subdomains or seconds < ONE_YEAR):
        problems.append(
            Warning(
                "HSTS_PRELOAD is on, but browsers' preload lists take a site only with "
                f"HSTS_INCLUDE_SUBDOMAINS=true and HSTS_SECONDS of at least {ONE_YEAR} (a year).",
                hint="Set both, or unset HSTS_PRELOAD.",
                id="beatbook.W302",
            )
        )
    if (subdomains or settings.SECURE_HSTS_PRELOAD) and not seconds:
        problems.append(
            Warning(
                "HSTS_INCLUDE_SUBDOMAINS or HSTS_PRELOAD is on but HSTS_SECONDS is 0, so no "
                "Strict-Transport-Security header is sent at all.",
                hint="Set HSTS_SECONDS (start small, such as 3600, then raise it).",
                id="beatbook.W303",
            )
        )
    if settings.SECURE_SSL_REDIRECT and not settings.SESSION_COOKIE_SECURE:
        problems.append(
            Warning(
                "REDIRECT_TO_HTTPS is on but SECURE_COOKIES is off: a browser still sends the "
                "sign-in cookie over plain HTTP on the request that gets redirected.",
                hint="Set SECURE_COOKIES=true.",
                id="beatbook.W304",
            )
        )
    return problems
