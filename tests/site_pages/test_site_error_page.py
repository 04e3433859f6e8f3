"""The error page (500) offers no "Sign in" to someone who is signed in: it is drawn without
the request, so it offers neither signing in nor signing out."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import path

from beatbook.accounts.services import user_create
from beatbook.urls import urlpatterns as site_urls

pytestmark = pytest.mark.django_db


def broken(request: object) -> None:
    raise RuntimeError("something broke")


urlpatterns = [path("broken/", broken), *site_urls]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("signed_in", [True, False])
def test_the_error_page_offers_no_sign_in(signed_in: bool) -> None:
    client = Client(raise_request_exception=False)
    if signed_in:
        client.force_login(user_create(username="sam", password="x" * 12, is_staff=True))

    page = client.get("/broken/")

    assert page.status_code == 500
    text = page.content.decode()
    assert "Sorry, there is a problem with the service" in text
    assert "Sign in" not in text
    assert "Sign out" not in text
