"""An analyst maps hotspots and reads trends in a real browser, on the real demo data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from beatbook.accounts.models import Role
from beatbook.demo.loader import demo_data_load
from beatbook.places.models import Force

from .axe import serious_accessibility_problems
from .support import police_member_create, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def analysis_site(live_server: Any, settings: Any) -> str:
    settings.TASKS = IMMEDIATE  # no worker runs beside the tests: results made on the request
    demo_data_load()
    force = Force.objects.get(pk="staffordshire")
    police_member_create(
        force=force,
        organisation_name="Staffordshire Police",
        username="analyst",
        role=Role.ANALYST,
        is_staff=True,
    )
    return str(live_server.url)


def test_an_analyst_maps_hotspots_and_reads_trends(
    page: Any, analysis_site: str, screenshots: Path
) -> None:
    page.goto(analysis_site + "/accounts/login/")
    sign_in(page, "analyst")
    page.wait_for_url("**/staff/")

    page.get_by_role("link", name="Analysis", exact=True).click()
    page.wait_for_url("**/analysis/")
    assert serious_accessibility_problems(page) == []
    page.get_by_role("link", name="Hotspots").click()

    page.get_by_label("Getis-Ord Gi*", exact=False).check()
    page.get_by_label("Weigh by the Cambridge Crime Harm Index").check()
    page.get_by_role("button", name="Show hotspots").click()
    page.wait_for_selector("#hotspot-map .leaflet-overlay-pane canvas", timeout=60_000)
    table = page.get_by_role("region", name="Top places", exact=True).inner_text()
    assert "On or near" in table
    assert "Stoke-on-Trent" in table or "Stafford" in table
    assert page.locator(".app-no-js").first.is_hidden()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV (a spreadsheet", exact=False).click()
    assert download.value.suggested_filename.endswith(".csv")
    assert serious_accessibility_problems(page) == []
    page.evaluate("() => document.activeElement.blur()")
    page.screenshot(path=str(screenshots / "analysis-hotspots.png"), full_page=True)

    page.goto(analysis_site + "/analysis/trends/")
    page.get_by_label("Area").fill("Meir North")
    page.get_by_role("button", name="Show trends").click()
    assert "Meir North, Staffordshire Police (neighbourhood)" in page.locator("main").inner_text()
    # Each chart is drawn for a wide screen and for a phone; one of the two shows.
    assert page.locator("figure svg:visible").count() == 2
    assert serious_accessibility_problems(page) == []
    page.screenshot(path=str(screenshots / "analysis-trends.png"), full_page=True)

    page.get_by_label("Area").fill("Nowhere at all")
    page.get_by_role("button", name="Show trends").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert serious_accessibility_problems(page) == []

    page.goto(analysis_site + "/analysis/harm-weights/")
    assert "Cambridge Crime Harm Index" in page.locator("h2").all_inner_texts()
    assert serious_accessibility_problems(page) == []


def test_a_result_still_being_prepared_says_so_and_arrives_without_javascript(
    browser: Any, analysis_site: str, settings: Any, screenshots: Path
) -> None:
    """With tasks queued for a worker, the page says the map is being prepared, passes the
    accessibility check, and shows the result by itself once it is made, with JavaScript off."""
    from django_tasks_db.models import DBTaskResult

    from beatbook.insights.tasks import analysis_result_task

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto(analysis_site + "/accounts/login/")
        sign_in(page, "analyst")
        page.wait_for_url("**/staff/")
        page.goto(
            analysis_site + "/analysis/hotspots/?force=staffordshire&month_from=2025-11"
            "&month_to=2025-12&category=burglary&cell_size=500&method=kde&harm="
        )
        banner = page.get_by_role("region", name="Being prepared")
        expect(banner).to_be_visible()
        assert "checks again by itself every 10 seconds" in banner.inner_text()
        expect(banner.get_by_role("link", name="stop it checking by itself")).to_be_visible()
        page.screenshot(path=str(screenshots / "analysis-being-prepared.png"), full_page=True)
        queued = DBTaskResult.objects.get()
        analysis_result_task.call(**queued.args_kwargs["kwargs"])  # what the worker does
        page.wait_for_selector("text=On or near", timeout=30_000)  # the page's own refresh
        assert page.get_by_role("region", name="Being prepared").count() == 0
    finally:
        context.close()


def test_the_being_prepared_page_passes_the_accessibility_check(
    page: Any, analysis_site: str, settings: Any
) -> None:
    """The one exception axe reports is the timed refresh itself (WCAG 2.2.1): the page says
    how often it checks again and offers, first, the link that turns it off, which leaves a
    page with nothing to report."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    page.goto(analysis_site + "/accounts/login/")
    sign_in(page, "analyst")
    page.wait_for_url("**/staff/")
    page.goto(analysis_site + "/analysis/trends/?area=Meir+North")
    problems = serious_accessibility_problems(page)
    assert [problem.split(" ")[0] for problem in problems] in ([], ["meta-refresh"])
    page.get_by_role("link", name="stop it checking by itself").click()
    assert "no longer checks again by itself" in page.locator("main").inner_text()
    assert serious_accessibility_problems(page) == []
