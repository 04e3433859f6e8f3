"""One limiter for every client-facing limit (``beatbook.core.ratelimit``): each limit keys its
buckets ``<scope>:<client address>``, keys are cut to the buckets' column, and pages that speak
in minutes round the wait the same way."""

from __future__ import annotations

import re

import pytest
from django.test import Client, RequestFactory
from pytest_django.fixtures import Settings

from beatbook.core.ratelimit import (
    KEY_LENGTH,
    Decision,
    client_key,
    client_limit_check,
    rate_limit_check,
)
from beatbook.site.password_reset import RESETS_PER_HOUR

# Longer than any real address: what a misconfigured proxy could forward (core.clients keeps 90).
LONG_ADDRESS = "2001:db8:" + "a" * 81


@pytest.mark.parametrize(("seconds", "minutes"), [(0, 1), (1, 1), (60, 1), (61, 2), (3600, 60)])
def test_a_wait_in_minutes_is_rounded_up_and_at_least_one(seconds: int, minutes: int) -> None:
    assert Decision(False, seconds).retry_after_minutes == minutes


def test_a_client_key_names_its_scope_and_address(settings: Settings) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="10.9.9.9")
    settings.API_TRUST_X_FORWARDED_FOR = False
    assert client_key(request, "ask") == "ask:192.0.2.1"
    settings.API_TRUST_X_FORWARDED_FOR = True
    assert client_key(request, "ip") == "ip:10.9.9.9"


@pytest.mark.django_db
def test_each_scope_has_its_own_bucket_for_one_address() -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.20")
    assert client_limit_check(request, scope="one", rate=0.001, burst=1, now=1000.0).allowed
    assert not client_limit_check(request, scope="one", rate=0.001, burst=1, now=1000.0).allowed
    assert client_limit_check(request, scope="two", rate=0.001, burst=1, now=1000.0).allowed


@pytest.mark.django_db
def test_a_key_longer_than_the_column_is_cut_to_fit() -> None:
    """On PostgreSQL the key column holds 80 characters: a longer key used to fail the request
    (the question and password-reset limits did not cut the address, only the API's did)."""
    stem = "k" * KEY_LENGTH
    assert rate_limit_check(key=stem + "-first", rate=0.001, burst=1, now=1000.0).allowed
    # Cut to the same 80 characters: the same bucket.
    assert not rate_limit_check(key=stem + "-second", rate=0.001, burst=1, now=1000.0).allowed


@pytest.mark.django_db
def test_a_long_forwarded_address_is_limited_not_failed(client: Client, settings: Settings) -> None:
    settings.API_TRUST_X_FORWARDED_FOR = True
    for _ in range(RESETS_PER_HOUR):
        answer = client.post(
            "/accounts/password-reset/",
            {"email": "nobody@example.org"},
            HTTP_X_FORWARDED_FOR=LONG_ADDRESS,
        )
        assert answer.status_code == 302
    refused = client.post(
        "/accounts/password-reset/",
        {"email": "nobody@example.org"},
        HTTP_X_FORWARDED_FOR=LONG_ADDRESS,
    )
    assert refused.status_code == 429


@pytest.mark.django_db
def test_the_password_reset_says_minutes_and_sends_seconds(client: Client) -> None:
    """Kept as it was: the page rounds the wait up to minutes, Retry-After gives the seconds."""
    for _ in range(RESETS_PER_HOUR):
        client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    refused = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})

    seconds = int(refused["Retry-After"])
    minutes = -(-seconds // 60)
    assert 3600 / RESETS_PER_HOUR - 60 < seconds <= 3600 / RESETS_PER_HOUR
    assert re.search(rf"\b{minutes} minutes\b", refused.content.decode())
