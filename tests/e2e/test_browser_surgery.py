"""The online surgery in a real browser: a resident has the page open and asks; a moderator,
in another browser, approves and answers; the answer appears on the resident's page without a
reload and is announced. Every page passes axe, also at a phone's width."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from beatbook.operations.models import Activity, OperationKind, SurgeryQuestion, SurgeryStatus
from beatbook.places.models import Force
from operations.operations_world import OperationsWorld, build_operations_world

from .axe import serious_accessibility_problems
from .phone import PHONE
from .support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUESTION = "Will there be patrols on Uttoxeter Road at night?"
ANSWER = "Yes: every evening this week, and we will report back on Friday."


@pytest.fixture
def surgery_site(live_server: Any) -> tuple[str, OperationsWorld]:
    # Another browser test's flush may have emptied the rows the migrations made.
    Force.objects.get_or_create(id="staffordshire", defaults={"name": "Staffordshire Police"})
    Force.objects.get_or_create(id="cheshire", defaults={"name": "Cheshire Constabulary"})
    OperationKind.objects.get_or_create(
        slug="community-action-week", defaults={"name": "Community action week"}
    )
    world = build_operations_world()
    start = timezone.now() - timedelta(minutes=5)
    Activity.objects.filter(pk=world.surgery.pk).update(start=start, end=start + timedelta(hours=1))
    return str(live_server.url), world


def check(page: Any) -> None:
    assert serious_accessibility_problems(page) == []


def test_a_live_answer_appears_without_a_reload(
    browser: Any, page: Any, surgery_site: tuple[str, OperationsWorld]
) -> None:
    url, world = surgery_site
    csp: list[str] = []
    page.on(
        "console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None
    )
    surgery_page = f"{url}/operations/surgery/{world.surgery.pk}/"

    # The resident finds the surgery from the operation's public page, and asks.
    page.goto(f"{url}/operations/{world.week.pk}/")
    page.get_by_role("link", name="ask a question and read the answers").click()
    page.wait_for_url(surgery_page)
    expect(page.get_by_text("Live now")).to_be_visible()
    expect(page.get_by_text("No questions have been answered yet.")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Send question").click()
    assert "Enter your question" in page.locator(".govuk-error-summary").inner_text()
    check(page)
    page.get_by_label("Your question").fill(QUESTION)
    page.get_by_label("Your name (optional)").fill("Pat Resident")
    page.get_by_label("Email address (optional)").fill("pat@example.org")
    page.get_by_role("button", name="Send question").click()
    expect(page.get_by_text("Your question has been sent")).to_be_visible()
    check(page)
    # From here on the page must not be reloaded: this mark would be lost.
    page.evaluate("() => { window.surgeryStillOpen = true; }")

    # A moderator, in a browser of their own, approves and answers it.
    moderator = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    staff = moderator.new_page()
    staff.goto(f"{url}/accounts/login/?next=/staff/operations/{world.week.pk}/")
    sign_in(staff, "sergeant")
    staff.wait_for_url(f"**/staff/operations/{world.week.pk}/")
    staff.get_by_role("link", name="moderate and answer questions").click()
    assert QUESTION in staff.locator("main").inner_text()
    assert "pat@example.org" in staff.locator("main").inner_text()
    check(staff)
    staff.get_by_role("button", name="Approve").click()
    expect(staff.get_by_text("Question approved")).to_be_visible()
    check(staff)
    staff.get_by_label("Your answer").fill(ANSWER)
    staff.get_by_role("button", name="Publish answer").click()
    expect(staff.get_by_text("Answer published")).to_be_visible()
    assert SurgeryQuestion.objects.get().status == SurgeryStatus.ANSWERED
    moderator.close()

    # The answer reaches the resident's open page, and its live region, within a poll or two.
    answers = page.locator("#surgery-answers")
    answers.get_by_text(ANSWER).wait_for(timeout=20_000)
    assert QUESTION in answers.inner_text()
    assert page.evaluate("() => window.surgeryStillOpen") is True
    assert ANSWER in page.locator("#surgery-announcer").inner_text()
    assert not page.get_by_text("No questions have been answered yet.").is_visible()
    main = page.locator("main").inner_text()
    assert "Pat Resident" not in main
    assert "pat@example.org" not in main
    check(page)
    assert csp == []


def test_the_surgery_page_fits_a_phone(
    browser: Any, surgery_site: tuple[str, OperationsWorld]
) -> None:
    url, world = surgery_site
    phone = browser.new_context(viewport=PHONE, locale="en-GB")
    page = phone.new_page()
    page.goto(f"{url}/operations/surgery/{world.surgery.pk}/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    check(page)
    page.get_by_role("button", name="Send question").click()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    check(page)
    phone.close()
