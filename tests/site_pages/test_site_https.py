"""HTTPS behind a TLS proxy (issue 11, finding 9): HSTS and a redirect of plain HTTP, set
from the environment, with checks that refuse or warn about combinations that cannot work."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from pytest_django.fixtures import Settings

from beatbook.core.checks import check_https
from beatbook.site.server import deployment_problems

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name) for name in (
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER", "SECURE_REDIRECT_EXEMPT")}))
"""


def settings_under(environment: dict[str, str]) -> dict[str, object]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "beatbook.settings", **environment}
    for name in ("REDIRECT_TO_HTTPS", "HSTS_SECONDS", "HSTS_INCLUDE_SUBDOMAINS", "HSTS_PRELOAD"):
        env.setdefault(name, "")
    done = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], env=env, capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout))


def test_the_https_settings_come_from_the_environment() -> None:
    chosen = settings_under(
        {
            "BEHIND_TLS_PROXY": "true",
            "REDIRECT_TO_HTTPS": "true",
            "HSTS_SECONDS": "31536000",
            "HSTS_INCLUDE_SUBDOMAINS": "true",
            "HSTS_PRELOAD": "true",
        }
    )
    default = settings_under({"BEHIND_TLS_PROXY": "false"})

    assert chosen == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_REDIRECT_EXEMPT": ["^api/", "^postcodes/"],
    }
    assert default["SECURE_SSL_REDIRECT"] is False
    assert default["SECURE_HSTS_SECONDS"] == 0
    assert default["SECURE_PROXY_SSL_HEADER"] is None


@pytest.fixture
def behind_tls(settings: Settings) -> Settings:
    settings.BEHIND_TLS_PROXY = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^api/", r"^postcodes/"]
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = True
    return settings


def test_plain_http_pages_are_redirected_and_https_ones_carry_hsts(
    client: Client, db: None, behind_tls: Settings
) -> None:
    plain = client.get("/neighbourhoods/?q=Longton", HTTP_X_FORWARDED_PROTO="http")
    secure = client.get("/", HTTP_X_FORWARDED_PROTO="https")

    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/neighbourhoods/?q=Longton"
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=3600; includeSubDomains"
    assert "Strict-Transport-Security" not in plain


def test_the_open_api_answers_on_plain_http_for_police_uk_clients(
    client: Client, db: None, behind_tls: Settings
) -> None:
    # police-api-client POSTs every polygon: a redirect would lose the body.
    posted = client.post(
        "/api/crimes-street/all-crime",
        {"poly": "52.98,-2.14:52.98,-2.12:52.995,-2.12"},
        HTTP_X_FORWARDED_PROTO="http",
    )

    assert client.get("/api/forces", HTTP_X_FORWARDED_PROTO="http").status_code == 200
    assert posted.status_code == 200
    assert client.get("/postcodes/ST31AA", HTTP_X_FORWARDED_PROTO="http").status_code == 404


def test_a_forwarded_proto_header_is_not_trusted_without_a_proxy(
    client: Client, db: None, settings: Settings
) -> None:
    settings.SECURE_HSTS_SECONDS = 3600
    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response


def check_ids() -> set[str]:
    return {message.id for message in check_https() if message.id}


def test_a_redirect_without_the_proxy_would_loop_and_serve_refuses_it(
    settings: Settings,
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True

    errors, _ = deployment_problems(host="127.0.0.1")

    assert "beatbook.E302" in {error.id for error in errors}
    with pytest.raises(CommandError, match="Not starting"):
        call_command("serve", "--port", "1")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"SECURE_HSTS_SECONDS": 3600}, {"beatbook.W301"}),
        (
            {"BEHIND_TLS_PROXY": True, "SECURE_HSTS_SECONDS": 3600, "SECURE_HSTS_PRELOAD": True},
            {"beatbook.W302"},
        ),
        ({"SECURE_HSTS_INCLUDE_SUBDOMAINS": True}, {"beatbook.W303"}),
        ({"BEHIND_TLS_PROXY": True, "SECURE_SSL_REDIRECT": True}, {"beatbook.W304"}),
        (
            {
                "BEHIND_TLS_PROXY": True,
                "SECURE_SSL_REDIRECT": True,
                "SESSION_COOKIE_SECURE": True,
                "SECURE_HSTS_SECONDS": 31536000,
                "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
                "SECURE_HSTS_PRELOAD": True,
            },
            set(),
        ),
    ],
    ids=[
        "hsts-without-proxy",
        "preload-too-short",
        "subdomains-without-hsts",
        "insecure-cookie",
        "sound",
    ],
)
def test_unsafe_combinations_are_warned_about(
    settings: Settings, changes: dict[str, object], expected: set[str]
) -> None:
    for name, value in changes.items():
        setattr(settings, name, value)

    assert check_ids() == expected
