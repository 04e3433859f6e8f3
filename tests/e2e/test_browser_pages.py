"""A resident and a staff member use the site in a real browser, on the real demo data."""

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


@pytest.fixture
def demo_site(live_server: Any) -> str:
    demo_data_load()
    force = Force.objects.get(pk="staffordshire")
    police_member_create(
        force=force,
        organisation_name="Staffordshire Police",
        username="sergeant",
        role=Role.NEIGHBOURHOOD_INSPECTOR,
        first_name="Sam",
        last_name="Sergeant",
        is_staff=True,
    )
    return str(live_server.url)


def test_a_resident_and_a_staff_member_use_the_site(
    page: Any, demo_site: str, screenshots: Path
) -> None:
    page.goto(demo_site + "/")
    assert page.title().startswith("Beatbook")
    assert page.locator("h1").inner_text() == "Beatbook"
    expect(page.get_by_text("Staffordshire Police").first).to_be_visible()
    page.get_by_text("Neighbourhoods in Staffordshire Police").click()
    expect(page.get_by_text("Longton", exact=False).first).to_be_visible()
    footer = page.locator("footer").inner_text()
    assert (
        "Contains public sector information licensed under the Open Government Licence v3.0."
        in footer
    )
    stylesheet_applied = page.evaluate(
        "() => getComputedStyle(document.querySelector('.govuk-footer')).borderTopWidth"
    )
    assert stylesheet_applied != "0px"
    assert page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')")
    assert serious_accessibility_problems(page) == []
    page.evaluate("() => document.activeElement.blur()")
    page.screenshot(path=str(screenshots / "home.png"), full_page=True)

    page.get_by_role("link", name="Sign in").click()
    sign_in(page, "sergeant")

    page.wait_for_url("**/staff/")
    assert page.locator("h1").inner_text() == "Staff"
    history = page.get_by_role("region", name="Import history")
    assert "staffordshire-2025.zip" in history.inner_text()
    assert "Street-level crime" in history.inner_text()
    assert serious_accessibility_problems(page) == []
    page.screenshot(path=str(screenshots / "staff.png"), full_page=True)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(demo_site + "/")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_the_sign_in_page_is_accessible_with_its_errors(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name="Sign in").click()

    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert serious_accessibility_problems(page) == []
