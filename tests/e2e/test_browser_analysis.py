"""An analyst maps hotspots and reads trends in a real browser, on the real demo data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from beatbook.accounts.models import Role
from beatbook.demo.loader import demo_data_load
from beatbook.places.models import Force

from .axe import serious_accessibility_problems
from .support import police_member_create, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def analysis_site(live_server: Any) -> str:
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
    assert page.locator("figure svg").count() == 2
    assert serious_accessibility_problems(page) == []
    page.screenshot(path=str(screenshots / "analysis-trends.png"), full_page=True)

    page.get_by_label("Area").fill("Nowhere at all")
    page.get_by_role("button", name="Show trends").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert serious_accessibility_problems(page) == []

    page.goto(analysis_site + "/analysis/harm-weights/")
    assert "Cambridge Crime Harm Index" in page.locator("h2").all_inner_texts()
    assert serious_accessibility_problems(page) == []
