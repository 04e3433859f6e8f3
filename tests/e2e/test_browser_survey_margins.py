"""A survey's population figures in a real browser (issue 17): the analyst who runs it opens the
margins page, uploads a file with a mistake and reads what is wrong (nothing is loaded), then
uploads the corrected file and sees each neighbourhood's population. Every page passes axe."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from beatbook.surveys.models import Margin
from surveys.survey_world import SurveyWorld, survey_world_make
from surveys.test_surveys_margins import full_csv, with_row

from .axe import serious_accessibility_problems
from .support import PASSWORD, contact_log_empty, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: Any, settings: Any, tmp_path: Path) -> Iterator[tuple[str, SurveyWorld]]:
    settings.DATA_DIR = tmp_path / "data"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = survey_world_make()
    world.analyst.set_password(PASSWORD)
    world.analyst.save()
    yield str(live_server.url), world
    contact_log_empty()


def check(page: Any) -> None:
    assert serious_accessibility_problems(page) == []


def test_the_analyst_loads_population_figures_after_fixing_a_mistake(
    site: tuple[str, SurveyWorld], page: Any, tmp_path: Path
) -> None:
    base, world = site
    start = "/staff/surveys/perceptions/margins/"
    page.goto(f"{base}/accounts/login/?next={start}")
    sign_in(page, world.analyst.username)
    page.wait_for_url(f"**{start}")
    expect(page.get_by_role("heading", name="Population figures")).to_be_visible()
    expect(page.get_by_text("No population figures are loaded yet")).to_be_visible()
    check(page)

    wrong = tmp_path / "wrong.csv"
    wrong.write_text(with_row(full_csv(), 5, "SOT-LONGTON,25-34,Female,lots"))
    page.get_by_label("Upload the population figures").set_input_files(str(wrong))
    page.get_by_role("button", name="Load the figures").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_text("Row 5: the population 'lots' is not a number")).to_be_visible()
    assert not Margin.objects.exists()
    check(page)

    right = tmp_path / "right.csv"
    right.write_text(full_csv())
    page.get_by_label("Upload the population figures").set_input_files(str(right))
    page.get_by_label("Where the figures come from (optional)").fill("ONS Census 2021")
    page.get_by_role("button", name="Load the figures").click()
    page.wait_for_url(f"**{start}")
    expect(page.get_by_text("The population figures are loaded.")).to_be_visible()
    expect(page.get_by_role("row", name="Longton 1,491")).to_be_visible()
    expect(page.get_by_text("ONS Census 2021", exact=True)).to_be_visible()
    assert Margin.objects.filter(survey=world.survey).count() == 28
    check(page)
