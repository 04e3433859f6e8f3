from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from beatbook.accounts.models import User

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_has_labelled_fields(client: Client) -> None:
    page = client.get(reverse("login")).content.decode()

    assert '<label class="govuk-label govuk-label--s" for="id_username">Username</label>' in page
    assert 'autocomplete="current-password"' in page
    assert "<title>Sign in – Beatbook</title>" in page


def test_a_staff_member_signs_in_and_lands_on_the_staff_page(
    client: Client, staff_user: User
) -> None:
    response = client.post(reverse("login"), {"username": "sam", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("staff")


def test_someone_who_is_not_staff_lands_on_the_home_page(
    client: Client, resident_user: User
) -> None:
    response = client.post(reverse("login"), {"username": "rita", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_a_sign_in_link_from_a_page_returns_there(client: Client, staff_user: User) -> None:
    url = reverse("staff-neighbourhoods", args=["staffordshire"])

    response = client.post(reverse("login"), {"username": "sam", "password": PASSWORD, "next": url})

    assert response["Location"] == url


def test_a_wrong_password_shows_an_error_summary_and_does_not_sign_in(
    client: Client, staff_user: User
) -> None:
    response = client.post(reverse("login"), {"username": "sam", "password": "not the password"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "<title>Error: Sign in – Beatbook</title>" in page
    assert "_auth_user_id" not in client.session


def test_signing_out_needs_a_post_and_ends_the_session(client: Client, staff_user: User) -> None:
    client.force_login(staff_user)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_with_a_plain_english_page(
    client: Client, staff_user: User, settings
) -> None:
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "sam", "password": "wrong"})

    response = client.post(reverse("login"), {"username": "sam", "password": PASSWORD})

    assert response.status_code == 429
    assert "You cannot sign in for now" in response.content.decode()
    assert "15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def _sign_in(client: Client, password: str, forwarded_for: str) -> int:
    response = client.post(
        reverse("login"),
        {"username": "sam", "password": password},
        REMOTE_ADDR="10.0.0.1",  # the trusted proxy
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )
    return response.status_code


def test_behind_a_trusted_proxy_one_clients_failures_do_not_lock_out_another(
    client: Client, staff_user: User, settings
) -> None:
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.API_TRUST_X_FORWARDED_FOR = True
    for _ in range(3):
        _sign_in(client, "wrong", forwarded_for="203.0.113.9")

    assert _sign_in(Client(), PASSWORD, forwarded_for="203.0.113.9") == 429
    assert _sign_in(Client(), PASSWORD, forwarded_for="198.51.100.7") == 302


def test_a_forwarded_value_that_is_not_an_address_counts_against_the_proxy(
    client: Client, staff_user: User, settings
) -> None:
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.API_TRUST_X_FORWARDED_FOR = True
    for _ in range(3):
        _sign_in(client, "wrong", forwarded_for="not-an-address")

    assert _sign_in(Client(), PASSWORD, forwarded_for="also-not-one") == 429
