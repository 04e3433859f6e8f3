"""Building a survey in a real browser (issue 17): the analyst finds Surveys from the staff page,
starts a survey of two neighbourhoods, adds questions from the item bank and one of their own
(answers typed one a line), makes a wave, opens it after the confirmation page, and sees the
questions locked. Every page passes axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from beatbook.accounts.models import OrganisationKind, Role
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.places.models import Force, Neighbourhood
from beatbook.surveys.models import Survey

from .axe import serious_accessibility_problems
from .support import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: Any, settings: Any, tmp_path: Path) -> str:
    settings.DATA_DIR = tmp_path / "data"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    force, _ = Force.objects.get_or_create(
        id="staffordshire", defaults={"name": "Staffordshire Police"}
    )
    Neighbourhood.objects.create(force=force, code="SOT-LONGTON", name="Longton")
    Neighbourhood.objects.create(force=force, code="SOT-MEIR", name="Meir")
    user = user_create(username="ana", password=PASSWORD, first_name="Ana", is_staff=True)
    police = organisation_create(
        name="Staffordshire Police", kind=OrganisationKind.POLICE_FORCE, force=force
    )
    membership_grant(user=user, organisation=police, role=Role.ANALYST)
    return str(live_server.url)


def check(page: Any) -> None:
    assert serious_accessibility_problems(page) == []


def start_survey(page: Any) -> None:
    page.get_by_role("link", name="Surveys", exact=True).click()
    check(page)
    page.get_by_role("link", name="Start a survey").click()
    check(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check(page)
    page.get_by_label("Title").fill("Longton and Meir Listens")
    page.get_by_label("Why you are asking").fill("To know how safe you feel.")
    page.get_by_label("Privacy notice").fill("We keep your answers for two years.")
    page.get_by_label("Longton (SOT-LONGTON)").check()
    page.get_by_label("Meir (SOT-MEIR)").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/staff/surveys/longton-and-meir-listens/")
    check(page)


def add_questions(page: Any) -> None:
    for wording in (
        "How safe do you feel walking alone in this area after dark?",
        "Taking everything into account, I have confidence in the police in this area.",
    ):
        page.get_by_role("link", name="Add from the item bank").click()
        check(page)
        page.get_by_label(wording).check()
        page.get_by_role("button", name="Add the question").click()
    page.get_by_role("link", name="Add your own question").click()
    check(page)
    page.get_by_label("Question", exact=True).fill("How often do you see litter in your street?")
    page.get_by_label("Choose one answer").check()
    page.get_by_label("Answers to choose from").fill("Every day\nEvery week\nHardly ever *")
    page.get_by_label("Code (optional)").fill("litter")
    page.get_by_role("button", name="Save the question").click()
    page.wait_for_url("**/staff/surveys/longton-and-meir-listens/")
    expect(page.get_by_text("Hardly ever (counts towards the headline)")).to_be_visible()
    page.get_by_role("button", name="Move up litter").click()
    check(page)


def make_and_open_wave(page: Any) -> None:
    page.get_by_role("link", name="Add a wave").click()
    check(page)
    page.get_by_label("Name").fill("August 2023")
    opens = page.get_by_role("group", name="Date it opens")
    opens.get_by_label("Day").fill("1")
    opens.get_by_label("Month").fill("8")
    opens.get_by_label("Year").fill("2023")
    closes = page.get_by_role("group", name="Date it closes")
    closes.get_by_label("Day").fill("31")
    closes.get_by_label("Month").fill("8")
    closes.get_by_label("Year").fill("2023")
    page.get_by_label("Anyone with the survey's link (and anyone invited)").check()
    page.get_by_role("button", name="Add the wave").click()
    page.wait_for_url("**/waves/august-2023/")
    check(page)
    page.get_by_role("link", name="Open the wave").click()
    expect(page.get_by_text("Opening fixes the questions it asks and locks them")).to_be_visible()
    check(page)
    page.get_by_role("button", name="Open the wave").click()
    expect(page.get_by_text("August 2023 is open for answers.")).to_be_visible()
    check(page)


def test_an_analyst_builds_a_survey_and_opens_its_first_wave(page: Any, site: str) -> None:
    page.goto(f"{site}/accounts/login/?next=/staff/")
    sign_in(page, "ana")
    page.wait_for_url("**/staff/")
    start_survey(page)
    add_questions(page)
    make_and_open_wave(page)

    page.get_by_role("link", name="Back to Longton and Meir Listens").click()
    check(page)
    assert page.locator("strong.govuk-tag", has_text="Locked").count() == 3
    survey = Survey.objects.get()
    assert list(survey.questions.order_by("position").values_list("code", flat=True)) == [
        "safe-after-dark",
        "litter",
        "overall-confidence",
    ]
    wave = survey.waves.get()
    assert wave.status == "open"
    assert wave.questions.count() == 3
