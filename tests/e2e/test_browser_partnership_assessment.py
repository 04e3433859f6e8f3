"""An officer makes Stoke-on-Trent's strategic assessment from its staff page and reads it; the
standalone report (the HTML download, which is also what the PDF is made from) is opened on its
own. An accessibility check runs on both."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from partnerships.partnership_assessment_world import build_assessment_world

from .axe import serious_accessibility_problems
from .support import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASSESS = "/staff/partnerships/assess/"


@pytest.fixture
def site(live_server: Any, tmp_path: Path) -> str:
    build_assessment_world(tmp_path)
    return str(live_server.url)


def test_an_officer_makes_and_reads_the_assessment(site: str, page: Any) -> None:
    page.goto(f"{site}/accounts/login/?next={ASSESS}")
    sign_in(page, "olu")
    page.wait_for_url(f"**{ASSESS}")
    assert serious_accessibility_problems(page) == []

    page.get_by_label("Partnership or local authority").fill("Atlantis")
    page.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Make the assessment").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert serious_accessibility_problems(page) == []

    page.get_by_label("Partnership or local authority").fill("Stoke-on-Trent")
    page.get_by_role("button", name="Make the assessment").click()
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Strategic assessment: Stoke-on-Trent, 2025"
    expect(page.get_by_role("heading", name="Recommended priorities")).to_be_visible()
    table = page.get_by_role("table", name="Crime and ASB by police.uk category, 2025")
    assert "Burglary" in table.inner_text()
    expect(page.get_by_role("img", name="Map of the")).to_be_visible()  # the static map
    page.locator("#hotspot-map canvas").first.wait_for()  # the live map, drawn on a canvas
    assert serious_accessibility_problems(page) == []

    report = page.request.get(f"{site}{ASSESS}?area=Stoke-on-Trent&year=2025&format=html")
    assert report.ok
    page.set_content(report.text())
    assert page.title() == "Strategic assessment 2025: Stoke-on-Trent"
    expect(page.get_by_text("Months of 2025 with no police.uk data held")).to_be_visible()
    assert serious_accessibility_problems(page) == []
