"""An officer logs a visit's result on a 390 px phone, with script and without: the form is a
plain POST, so it works either way. The results page reads well at that width too. An
accessibility check runs on every page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from beatbook.tasking.models import VisitResult
from tasking.tasking_world_results import ResultsWorld, build_results_world

from .axe import serious_accessibility_problems
from .phone import PHONE
from .support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = "() => document.documentElement.scrollWidth"


@pytest.fixture
def site(live_server: Any) -> tuple[str, ResultsWorld]:
    return str(live_server.url), build_results_world()


def _phone(browser: Any, *, script: bool) -> Iterator[Any]:
    context = browser.new_context(
        viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True, java_script_enabled=script
    )
    yield context.new_page()
    context.close()


@pytest.fixture(params=[True, False], ids=["script", "no-script"])
def phone(browser: Any, request: pytest.FixtureRequest) -> Iterator[tuple[Any, bool]]:
    for page in _phone(browser, script=request.param):
        yield page, request.param


def check(page: Any, *, script: bool = True) -> None:
    """No serious or critical axe-core violation, and nothing wider than the phone. axe runs
    in the page, so only where script runs; the same pages are checked in the script run."""
    if not script:
        return
    assert serious_accessibility_problems(page) == []
    assert page.evaluate(WIDTH) <= PHONE["width"]


def test_an_officer_logs_a_visit_on_a_phone(
    site: tuple[str, ResultsWorld], phone: tuple[Any, bool]
) -> None:
    base, world = site
    screen, script = phone
    visit = world.visits[0]
    url = base + reverse("tasking:visit-result", args=[visit.pk])
    screen.goto(url)
    sign_in(screen, "amir")
    screen.wait_for_url(url)
    assert (
        screen.get_by_role("heading", level=1).inner_text() == f"Log the visit to {visit.place.key}"
    )
    check(screen, script=script)

    # A slip first: not done, but no reason given.
    screen.get_by_role("radio", name="No", exact=True).check()
    screen.get_by_role("button", name="Save the result").click()
    assert (
        "Select why the visit was not done" in screen.locator(".govuk-error-summary").inner_text()
    )
    assert not VisitResult.objects.exists()
    check(screen, script=script)

    screen.get_by_role("radio", name="Yes", exact=True).check()
    screen.get_by_label("Minutes in place", exact=True).fill("20")
    screen.get_by_label("Arrests", exact=True).fill("1")
    screen.get_by_label("People engaged", exact=True).fill("5")
    screen.get_by_role("button", name="Save the result").click()
    screen.wait_for_url(url)
    assert "Result saved" in screen.content()
    assert "Saving again replaces it" in screen.content()
    result = VisitResult.objects.get(visit=visit)
    assert (result.done, result.minutes_in_place, result.arrests, result.people_engaged) == (
        True,
        20,
        1,
        5,
    )
    check(screen, script=script)


def test_the_results_page_on_a_phone(site: tuple[str, ResultsWorld], browser: Any) -> None:
    base, world = site
    VisitResult.objects.create(visit=world.visits[0], done=True, minutes_in_place=20, arrests=2)
    for page in _phone(browser, script=True):
        page.goto(base + reverse("tasking:results"))
        sign_in(page, "sergeant")
        page.wait_for_url(base + reverse("tasking:results"))
        assert "20 of 60 minutes" in page.content()
        check(page)
        page.goto(base + reverse("tasking:evaluation"))
        assert "Too early or too coarse to tell" in page.content()
        check(page)
