"""The pages issue 11's leak fixes added or changed, in a real browser with the accessibility
check: the outbox where the demo administrator reads the mail Beatbook keeps, the question
page after an answer that failed (shown again without who asked), the page for too many
look-ups, and the refusal a member without staff status gets."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from beatbook.accounts.models import Role
from beatbook.accounts.services import user_create
from beatbook.enquiries import views
from beatbook.enquiries.mail import HOLD_BACKEND
from beatbook.enquiries.models import ContactDetailAccess, Question
from beatbook.enquiries.services import question_ask
from beatbook.places.models import Force, Neighbourhood
from beatbook.teams.models import NeighbourhoodContact

from .axe import serious_accessibility_problems
from .support import PASSWORD, contact_log_empty, police_member_create, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: Any, settings: Any) -> Iterator[tuple[str, Question]]:
    settings.EMAIL_BACKEND = HOLD_BACKEND  # as in the demo: e-mail kept in the outbox
    force, _ = Force.objects.get_or_create(pk="staffordshire", defaults={"name": "Staffordshire"})
    longton = Neighbourhood.objects.create(force=force, code="longton", name="Longton")
    NeighbourhoodContact.objects.create(
        neighbourhood=longton, contact_details={"email": "longton@example.police.uk"}
    )
    question = question_ask(
        neighbourhood=longton,
        kind="concern",
        subject="Bins set alight",
        body="Wheelie bins were set on fire on Friday night.",
        name="Pat Resident",
        email="pat@example.org",
    )
    user_create(username="demo-admin", password=PASSWORD, is_superuser=True)
    police_member_create(
        force=force,
        organisation_name="Staffordshire Police",
        username="pcso",
        role=Role.NEIGHBOURHOOD_OFFICER,
        neighbourhoods=[longton],
        is_staff=True,
    )
    yield str(live_server.url), question
    contact_log_empty()


def check(page: Any) -> None:
    assert serious_accessibility_problems(page) == []


def test_the_demo_administrator_reads_the_kept_mail_in_the_outbox(
    page: Any, site: tuple[str, Question], screenshots: Path
) -> None:
    url, question = site
    page.goto(f"{url}/accounts/login/?next=/staff/")
    sign_in(page, "demo-admin")
    page.wait_for_url("**/staff/")
    warning = page.locator(".govuk-warning-text").first.inner_text()
    assert "Email is not set up, so residents get no emails: 2 emails are waiting" in warning
    check(page)

    page.get_by_role("link", name="the outbox").first.click()
    page.wait_for_url("**/staff/outbox/")
    assert page.locator("h1").inner_text() == "Outbox"
    main = page.locator("main")
    assert "pat@example.org" in main.inner_text()
    assert "longton@example.police.uk" in main.inner_text()
    assert "Wheelie bins were set on fire" not in main.inner_text()  # folded away until asked
    page.get_by_text("Read the email").first.click()
    assert "Wheelie bins were set on fire" in main.inner_text()
    check(page)
    page.evaluate("() => document.activeElement.blur()")
    page.screenshot(path=str(screenshots / "outbox.png"), full_page=True)
    assert ContactDetailAccess.objects.filter(purpose="outbox", outcome="shown").count() == 2


def test_an_answer_that_failed_is_shown_again_without_who_asked(
    page: Any, site: tuple[str, Question]
) -> None:
    url, question = site
    page.goto(f"{url}/accounts/login/?next=/staff/questions/{question.reference}/")
    sign_in(page, "pcso")
    page.wait_for_url(f"**/staff/questions/{question.reference}/")
    assert "pat@example.org" in page.locator("main").inner_text()

    page.get_by_role("button", name="Send answer").click()

    main = page.locator("main").inner_text()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert "Enter an answer" in main
    assert "pat@example.org" not in main
    assert "Pat Resident" not in main
    expect(page.get_by_role("link", name="Open the question again")).to_be_visible()
    check(page)
    shown = ContactDetailAccess.objects.filter(outcome="shown").count()
    assert shown == 1  # the first opening only


def test_a_member_without_staff_status_is_refused_in_plain_words(
    page: Any, site: tuple[str, Question]
) -> None:
    url, question = site
    police_member_create(
        force=question.neighbourhood.force,
        organisation_name="Former officers (demo)",
        username="former",
        role=Role.NEIGHBOURHOOD_OFFICER,
        neighbourhoods=[question.neighbourhood],
    )
    page.goto(f"{url}/accounts/login/?next=/staff/questions/{question.reference}/")
    sign_in(page, "former")

    page.wait_for_url(f"**/staff/questions/{question.reference}/")
    assert page.locator("h1").inner_text() == "You cannot see this page"
    assert "pat@example.org" not in page.content()
    assert page.get_by_role("link", name="Questions").count() == 0  # not in the menu either
    check(page)


def test_too_many_look_ups_get_a_plain_page(
    page: Any, site: tuple[str, Question], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, question = site
    monkeypatch.setattr(views, "STATUS_PAGES_BURST", 1)
    monkeypatch.setattr(views, "STATUS_PAGES_PER_SECOND", 0.01)
    status = f"{url}/questions/{question.reference}/"

    assert page.goto(status).status == 200
    refused = page.goto(status)

    assert refused.status == 429
    assert page.locator("h1").inner_text() == "You have looked up too many questions"
    assert "Bins set alight" not in page.content()
    check(page)
