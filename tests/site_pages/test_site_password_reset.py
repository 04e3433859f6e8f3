"""A forgotten password: the sign-in page links to a reset by e-mail; the e-mail goes through
the outbox (held there while e-mail is not set up) with a link to SITE_URL; the link sets a
new password once. Nobody learns from the page which addresses have accounts, and one client
address may ask only a few times an hour."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from beatbook.accounts.models import User
from beatbook.accounts.services import user_create
from beatbook.enquiries.models import OutgoingEmail, OutgoingEmailStatus
from beatbook.site.password_reset import RESETS_PER_HOUR

pytestmark = pytest.mark.django_db

OLD = "correct horse battery staple"
NEW = "a different horse entirely"


@pytest.fixture
def sam() -> User:
    return user_create(username="sam", password=OLD, email="sam@example.police.uk")


def test_the_sign_in_page_offers_a_reset(client: Client) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password-reset/">Forgotten your password?</a>' in page


def test_a_forgotten_password_is_reset_through_the_outbox(client: Client, sam: User) -> None:
    sent = client.post("/accounts/password-reset/", {"email": "SAM@example.police.uk"})

    assert sent.status_code == 302
    assert sent["Location"] == "/accounts/password-reset/sent/"
    [email] = OutgoingEmail.objects.filter(to="sam@example.police.uk")
    # Kept in the outbox (e-mail is not set up in the tests), never sent on the spot.
    assert email.status == OutgoingEmailStatus.PENDING
    assert email.subject == "Reset your Beatbook password"
    link = re.search(rf"{re.escape(settings.SITE_URL)}(/accounts/reset/\S+/)", email.body)
    assert link is not None, email.body

    form = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW}, follow=True
    )
    assert "Your password has been changed" in done.content.decode()
    sam.refresh_from_db()
    assert sam.check_password(NEW)

    again = client.get(link.group(1), follow=True)
    assert "This link no longer works" in again.content.decode()


def test_an_unknown_address_gets_the_same_page_and_no_e_mail(client: Client, sam: User) -> None:
    answer = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})

    assert answer["Location"] == "/accounts/password-reset/sent/"
    assert not OutgoingEmail.objects.exists()
    page = client.get(answer["Location"]).content.decode()
    assert "If the address you entered belongs to an account" in page


def test_a_bad_address_is_explained(client: Client) -> None:
    page = client.post("/accounts/password-reset/", {"email": "not an address"})

    assert page.status_code == 200
    assert "Enter an email address in the correct format" in page.content.decode()
    assert not OutgoingEmail.objects.exists()


def test_one_address_may_ask_only_a_few_times_an_hour(client: Client, sam: User) -> None:
    for _ in range(RESETS_PER_HOUR):
        assert client.post("/accounts/password-reset/", {"email": sam.email}).status_code == 302

    refused = client.post("/accounts/password-reset/", {"email": sam.email})

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert OutgoingEmail.objects.count() == RESETS_PER_HOUR
