"""A resident and a staff member use the site in a real browser, on the real demo data."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from beatbook.accounts.models import OrganisationKind, Role
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.demo.loader import demo_data_load
from beatbook.places.models import Force

from .axe import serious_accessibility_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """docs/screenshots with UPDATE_SCREENSHOTS=1, else a scratch folder (runs leave no changes)."""
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        return REPO / "docs" / "screenshots"
    return tmp_path


@pytest.fixture
def demo_site(live_server: Any) -> str:
    demo_data_load()
    force = Force.objects.get(pk="staffordshire")
    police = organisation_create(
        name="Staffordshire Police", kind=OrganisationKind.POLICE_FORCE, force=force
    )
    officer = user_create(
        username="sergeant",
        password=PASSWORD,
        first_name="Sam",
        last_name="Sergeant",
        is_staff=True,
    )
    membership_grant(user=officer, organisation=police, role=Role.NEIGHBOURHOOD_INSPECTOR)
    return str(live_server.url)


def test_a_resident_and_a_staff_member_use_the_site(
    page: Any, demo_site: str, screenshots: Path
) -> None:
    screenshots.mkdir(parents=True, exist_ok=True)

    page.goto(demo_site + "/")
    assert page.title().startswith("Beatbook")
    assert page.locator("h1").inner_text() == "Beatbook"
    assert page.get_by_text("Staffordshire Police").first.is_visible()
    page.get_by_text("Neighbourhoods in Staffordshire Police").click()
    assert page.get_by_text("Longton", exact=False).first.is_visible()
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
    page.get_by_label("Username").fill("sergeant")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/staff/")
    assert page.locator("h1").inner_text() == "Staff"
    history = page.get_by_role("region", name="Import history")
    assert "staffordshire-2025.zip" in history.inner_text()
    assert "Street-level crime" in history.inner_text()
    assert serious_accessibility_problems(page) == []
    page.screenshot(path=str(screenshots / "staff.png"), full_page=True)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(demo_site + "/")
    assert page.get_by_role("link", name="Sign in").is_visible()


def test_the_sign_in_page_is_accessible_with_its_errors(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name="Sign in").click()

    assert page.locator(".govuk-error-summary").is_visible()
    assert serious_accessibility_problems(page) == []
