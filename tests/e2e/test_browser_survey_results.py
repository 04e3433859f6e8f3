"""Reading a perception survey's results in a real browser (issue 17): the analyst who runs
the survey reads a wave's staff results, narrows them to Meir and links a priority to the wave;
a resident reads the public "what you told us" page and Meir's, and follows the link to the
priority. Every page passes axe."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from beatbook.teams import services as teams
from surveys.survey_results_world import answers_add, wave_next, wave_publish
from surveys.survey_world import survey_world_make

from .axe import serious_accessibility_problems
from .support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WAVE = "/staff/surveys/perceptions/results/february-2024/"


@pytest.fixture
def site(live_server: Any, settings: Any) -> str:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Neighbourhoods answering in tens: thresholds to match, not the defaults (30 and 100).
    settings.SURVEY_SUPPRESS_BELOW = 10
    settings.SURVEY_FLAG_BELOW = 30
    world = survey_world_make()
    answers_add(world.wave, world.longton, 120, seed=1, safe=0.8)
    answers_add(world.wave, world.meir, 60, seed=2, safe=0.7)
    wave_publish(world.wave)
    later = wave_next(world, "February 2024", dt.date(2024, 2, 1))
    answers_add(later, world.longton, 120, seed=3, safe=0.4, prefix="feb")
    answers_add(later, world.meir, 8, seed=4, prefix="feb")
    wave_publish(later)
    teams.priority_create(
        neighbourhood=world.meir, issue="<p>Speeding on Weston Road</p>", issue_date=timezone.now()
    )
    return str(live_server.url)


def check(page: Any) -> None:
    assert serious_accessibility_problems(page) == []


def test_staff_read_the_results_and_residents_read_what_they_told_us(site: str, page: Any) -> None:
    page.goto(f"{site}/accounts/login/?next={WAVE}")
    sign_in(page, "survey-analyst")
    page.wait_for_url(f"**{WAVE}")
    assert page.get_by_role("heading", level=1).inner_text() == "February 2024: results"
    table = page.get_by_role("table", name="Positive answers by neighbourhood").first
    assert "Longton" in table.inner_text()
    expect(page.get_by_text("A real change").first).to_be_visible()
    check(page)

    page.get_by_label("Show the figures for").select_option(label="Meir")
    page.get_by_role("button", name="Show").click()
    assert page.get_by_role("heading", level=1).inner_text() == "February 2024: results in Meir"
    expect(page.get_by_text("Too few answers (fewer than 10)").first).to_be_visible()
    check(page)

    page.get_by_role("link", name="Link priorities to this wave").click()
    page.get_by_role("button", name="Link the priority").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check(page)
    page.get_by_label("Priority").select_option(index=1)
    page.get_by_label("What in the answers led to it").fill("Speeding topped Meir's ranking.")
    page.get_by_role("button", name="Link the priority").click()
    expect(page.get_by_role("cell", name="Speeding topped Meir's ranking.")).to_be_visible()
    check(page)

    page.context.clear_cookies()
    page.goto(f"{site}/surveys/perceptions/results/")
    assert page.get_by_role("heading", level=1).inner_text() == "What you told us"
    expect(page.get_by_text("Fewer people feel safe walking alone")).to_be_visible()
    # No population figures are loaded: the page says so plainly.
    expect(page.get_by_text("These figures are not weighted to the population")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Meir", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "What you told us in Meir"
    expect(page.get_by_text("Too few people answered here to say").first).to_be_visible()
    check(page)
    page.get_by_role("link", name="Meir's priorities").click()
    page.wait_for_url("**/neighbourhoods/staffordshire/SOT-MEIR/")
