"""A resident answers the Perceptions Survey on a 390 px phone, with script and without: every
page is a plain form and a redirect, so it works either way. Each kind of page (start, postcode
with its error, radios, a ranking, free text, checkboxes, contact, Check your answers, the
confirmation, closed and not found) gets the accessibility check where script runs, and nothing
is wider than the phone. Then the stored response is read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from beatbook.surveys.models import Answer, Invitation, Response
from beatbook.surveys.survey_services import wave_close
from beatbook.surveys.tokens import token_hash
from surveys.answer_support import CREWE_POSTCODE, LONGTON_POSTCODE, answer_world_make
from surveys.survey_world import SurveyWorld

from .axe import serious_accessibility_problems
from .phone import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = "() => document.documentElement.scrollWidth"


@pytest.fixture
def site(live_server: Any) -> tuple[str, SurveyWorld]:
    return str(live_server.url), answer_world_make()


@pytest.fixture(params=[True, False], ids=["script", "no-script"])
def phone(browser: Any, request: pytest.FixtureRequest) -> Iterator[tuple[Any, bool]]:
    context = browser.new_context(
        viewport=PHONE,
        locale="en-GB",
        is_mobile=True,
        has_touch=True,
        java_script_enabled=request.param,
    )
    yield context.new_page(), request.param
    context.close()


def check(page: Any, *, script: bool = True) -> None:
    """No serious or critical axe-core violation, and nothing wider than the phone. axe runs
    in the page, so only where script runs; the same pages are checked in the script run."""
    if not script:
        return
    assert serious_accessibility_problems(page) == []
    assert page.evaluate(WIDTH) <= PHONE["width"]


def _continue(page: Any) -> None:
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state("load")


def _heading(page: Any) -> str:
    return str(page.get_by_role("heading", level=1).inner_text())


def test_a_resident_answers_on_a_phone(
    site: tuple[str, SurveyWorld], phone: tuple[Any, bool]
) -> None:
    base, world = site
    screen, script = phone

    screen.goto(f"{base}/surveys/perceptions/")
    assert _heading(screen) == "Perceptions Survey"
    check(screen, script=script)
    screen.get_by_role("button", name="Start now").click()
    assert "Tick the box to agree" in screen.locator(".govuk-error-summary").inner_text()
    check(screen, script=script)
    screen.get_by_label("I agree to my answers being used as described").check()
    screen.get_by_role("button", name="Start now").click()

    # The postcode: one outside the area first.
    assert _heading(screen) == "What is your postcode?"
    assert "Question 1 of 10" in screen.locator("main").inner_text()
    screen.get_by_label("What is your postcode?").fill(CREWE_POSTCODE)
    _continue(screen)
    assert "outside the area" in screen.locator(".govuk-error-summary").inner_text()
    assert screen.title().startswith("Error: ")
    check(screen, script=script)
    screen.get_by_label("What is your postcode?").fill(LONGTON_POSTCODE)
    _continue(screen)

    assert _heading(screen) == "How old are you?"
    check(screen, script=script)
    screen.get_by_label("35 to 44").check()
    _continue(screen)
    screen.get_by_label("Prefer not to say").check()
    _continue(screen)

    assert _heading(screen) == "How safe do you feel walking alone in this area after dark?"
    screen.get_by_label("Fairly safe", exact=True).check()
    _continue(screen)
    screen.get_by_role("button", name="Skip this question").click()  # confidence
    screen.get_by_label("Yes", exact=True).check()
    _continue(screen)

    # The ranking: one select a place.
    assert "tackle first" in _heading(screen)
    check(screen, script=script)
    screen.get_by_label("Most important", exact=True).select_option(label="Burglary")
    screen.get_by_label("Second most important").select_option(label="Burglary")
    _continue(screen)
    assert "Burglary is chosen twice" in screen.locator(".govuk-error-summary").inner_text()
    check(screen, script=script)
    screen.get_by_label("Second most important").select_option(label="Anti-social behaviour")
    _continue(screen)

    # Free text, then checkboxes, then contact details (left empty).
    check(screen, script=script)
    screen.get_by_label("Is there anything else you would like to tell us?").fill(
        "Street lights on Anchor Road are out."
    )
    _continue(screen)
    check(screen, script=script)
    screen.get_by_label("The park").check()
    screen.get_by_label("The station").check()
    _continue(screen)
    assert _heading(screen) == "May we contact you about your answers?"
    check(screen, script=script)
    _continue(screen)

    # Check your answers; change one and come back.
    assert _heading(screen) == "Check your answers before sending them"
    summary = screen.locator(".govuk-summary-list").inner_text()
    assert "In Longton" in summary
    assert "1. Burglary" in summary
    check(screen, script=script)
    screen.get_by_role("link", name="Change your answer to question 4").click()
    screen.get_by_label("Very safe", exact=True).check()
    _continue(screen)
    assert _heading(screen) == "Check your answers before sending them"
    assert "Very safe" in screen.locator(".govuk-summary-list").inner_text()
    screen.get_by_role("button", name="Send answers").click()

    assert screen.locator(".govuk-panel__title").inner_text() == "Answers sent"
    check(screen, script=script)

    response = Response.objects.get()
    assert response.neighbourhood == world.longton
    assert (response.age_band, response.sex) == ("35-44", "")
    stored = {
        (row.question.code, row.option.code if row.option else row.text, row.rank)
        for row in Answer.objects.filter(response=response)
    }
    assert stored == {
        ("safe-after-dark", "very-safe", None),
        ("seen-or-heard", "yes", None),
        ("priorities", "burglary", 1),
        ("priorities", "asb", 2),
        ("anything-else", "Street lights on Anchor Road are out.", None),
        ("unsafe-places", "park", None),
        ("unsafe-places", "station", None),
    }

    # The back button cannot send them again.
    screen.go_back()
    screen.goto(f"{base}/surveys/perceptions/check/")
    assert _heading(screen) == "Perceptions Survey"
    assert Response.objects.count() == 1


def test_the_pages_that_turn_a_resident_away_are_accessible(
    site: tuple[str, SurveyWorld], phone: tuple[Any, bool]
) -> None:
    base, world = site
    screen, script = phone
    Invitation.objects.create(
        wave=world.wave,
        token_hash=token_hash("used-token"),
        batch="Letters",
        used_on=world.wave.opens_on,
    )

    screen.goto(f"{base}/surveys/i/used-token/")
    assert _heading(screen) == "This invitation has already been used"
    check(screen, script=script)
    screen.goto(f"{base}/surveys/i/no-such-token/")
    assert _heading(screen) == "Page not found"
    check(screen, script=script)
    wave_close(wave=world.wave)
    screen.goto(f"{base}/surveys/perceptions/")
    assert _heading(screen) == "Perceptions Survey is not taking answers at the moment"
    check(screen, script=script)
