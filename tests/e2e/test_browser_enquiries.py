"""A resident asks their neighbourhood team a question; an officer answers and publishes it;
the resident reads the answer. In a real browser, with an accessibility check on every page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from beatbook.accounts.models import Role
from beatbook.demo.loader import demo_data_load
from beatbook.demo.sample_questions import demo_questions_refresh
from beatbook.enquiries.models import OutgoingEmail, Question, QuestionStatus
from beatbook.places.models import Force, Neighbourhood

from .axe import serious_accessibility_problems
from .support import contact_log_empty, police_member_create, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def site(live_server: Any) -> Iterator[tuple[str, Neighbourhood]]:
    demo_data_load()
    demo_questions_refresh(force_id="staffordshire")
    force = Force.objects.get(pk="staffordshire")
    longton = Neighbourhood.objects.filter(force=force, name__icontains="Longton").order_by("code")[
        0
    ]
    police_member_create(
        force=force,
        organisation_name="Staffordshire Police",
        username="pcso",
        role=Role.NEIGHBOURHOOD_OFFICER,
        neighbourhoods=[longton],
        first_name="Priya",
        last_name="Shaw",
        is_staff=True,
    )
    yield str(live_server.url), longton
    contact_log_empty()


def check(page: Any) -> None:
    """No serious or critical axe-core violation on the page."""
    assert serious_accessibility_problems(page) == []


@pytest.fixture
def csp_reports(page: Any) -> list[str]:
    """Every content security policy violation the browser reports while the test runs."""
    reports: list[str] = []
    page.on(
        "console",
        lambda message: (
            reports.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return reports


def test_a_resident_asks_and_an_officer_answers(
    page: Any, site: tuple[str, Neighbourhood], screenshots: Path, csp_reports: list[str]
) -> None:
    url, longton = site
    ask = f"{url}/neighbourhoods/staffordshire/{longton.code}/ask/"

    # From the neighbourhood page, the resident follows the link to ask; sends it empty first.
    page.goto(f"{url}/neighbourhoods/staffordshire/{longton.code}/")
    section = page.get_by_role("region", name="Questions and answers")
    assert "Cars speeding on Uttoxeter Road" in section.inner_text()  # a published sample
    section.get_by_role("link", name=f"Ask the {longton.name} team a question").click()
    page.wait_for_url(ask)
    assert page.locator("h1").inner_text() == "Ask your neighbourhood team a question"
    check(page)
    page.evaluate("() => document.activeElement.blur()")
    page.screenshot(path=str(screenshots / "ask-question.png"), full_page=True)
    page.get_by_role("button", name="Send").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert "Enter a subject" in summary.inner_text()
    assert page.title().startswith("Error: ")
    check(page)

    page.get_by_label("A concern").check()
    page.get_by_label("Subject").fill("Speeding on <Anchor Road>")
    page.get_by_label("Your question or concern").fill("Cars race here at night & it is scary.")
    page.get_by_label("Your name (optional)").fill("Pat Resident")
    page.get_by_label("Email address (optional)").fill("pat@example.org")
    page.get_by_role("button", name="Send").click()

    page.wait_for_url(re.compile(r".*/questions/Q-[2-9A-Y]{4}-[2-9A-Y]{4}/sent/$"))
    panel = page.locator(".govuk-panel").inner_text()
    reference = re.search(r"Q-[2-9A-Y]{4}-[2-9A-Y]{4}", panel)
    assert reference is not None
    reference_number = reference.group(0)
    check(page)
    question = Question.objects.get(reference=reference_number)
    assert question.email == "pat@example.org"
    assert OutgoingEmail.objects.filter(question=question, to="pat@example.org").exists()

    # An officer of the team signs in and finds it in the list, with the time left.
    page.goto(f"{url}/accounts/login/?next=/staff/questions/")
    sign_in(page, "pcso")
    page.wait_for_url("**/staff/questions/")
    listing = page.locator("main").inner_text()
    assert reference_number in listing
    assert "Overdue" in listing  # the sample question asked 80 hours ago
    assert "left" in listing
    check(page)
    page.evaluate("() => document.activeElement.blur()")
    page.screenshot(path=str(screenshots / "staff-questions.png"), full_page=True)

    page.get_by_role("link", name=reference_number).click()
    detail = page.locator("main").inner_text()
    assert "Speeding on <Anchor Road>" in detail
    assert "pat@example.org" in detail
    assert "Pat Resident" in detail
    check(page)
    page.get_by_label("Your answer").fill("We will run speed checks on Anchor Road this week.")
    page.get_by_label("Publish on the neighbourhood page").check()
    page.get_by_role("button", name="Send answer").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    check(page)
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED
    assert question.published
    assert OutgoingEmail.objects.filter(question=question).count() == 2  # confirmation, answer
    page.get_by_role("button", name="Sign out").click()

    # The resident checks with the reference and reads the answer; no contact details shown.
    page.goto(f"{url}/questions/")
    check(page)
    page.get_by_label("Reference number").fill(reference_number.lower())
    page.get_by_role("button", name="Check").click()
    page.wait_for_url(f"**/questions/{reference_number}/")
    status = page.locator("main").inner_text()
    assert "We will run speed checks on Anchor Road this week." in status
    assert "Answered" in status
    assert "pat@example.org" not in status
    assert "Pat Resident" not in status
    check(page)

    # And everyone reads it on the neighbourhood page, without who asked.
    page.get_by_role("link", name=f"Back to {longton.name}").click()
    section = page.get_by_role("region", name="Questions and answers")
    published = section.inner_text()
    assert "Speeding on <Anchor Road>" in published
    assert "We will run speed checks on Anchor Road this week." in published
    assert "Pat Resident" not in page.content()
    assert "pat@example.org" not in page.content()
    check(page)
    assert csp_reports == []
