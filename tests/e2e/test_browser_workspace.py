"""A neighbourhood officer keeps their team's page current in a real browser."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from beatbook.accounts.models import Role
from beatbook.places.models import Force, Neighbourhood
from beatbook.teams import services
from beatbook.teams.models import Event, Priority

from .axe import serious_accessibility_problems
from .support import police_member_create, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def longton_site(live_server: Any) -> str:
    force, _ = Force.objects.get_or_create(
        id="staffordshire", defaults={"name": "Staffordshire Police"}
    )
    longton = Neighbourhood.objects.create(force=force, code="SOT-LONGTON", name="Longton")
    services.team_member_create(
        neighbourhood=longton,
        name="Jo Bloggs",
        rank="Sergeant",
        contact_details={"email": "longton.npt@example.police.uk"},
    )
    police_member_create(
        force=force,
        organisation_name="Staffordshire Police",
        username="pc",
        role=Role.NEIGHBOURHOOD_OFFICER,
        neighbourhoods=[longton],
        first_name="Pat",
        is_staff=True,
    )
    return str(live_server.url)


def test_an_officer_keeps_priorities_and_events_current(
    page: Any, longton_site: str, screenshots: Path
) -> None:
    page.goto(longton_site + "/accounts/login/")
    sign_in(page, "pc")

    page.get_by_role("link", name="Your neighbourhoods").first.click()
    page.wait_for_url("**/staff/workspace/")
    assert page.locator("h1").inner_text() == "Your neighbourhoods"
    expect(page.get_by_role("heading", name="Longton")).to_be_visible()
    assert serious_accessibility_problems(page) == []
    page.evaluate("() => document.activeElement.blur()")
    page.screenshot(path=str(screenshots / "workspace.png"), full_page=True)

    page.get_by_role("link", name="Priorities").first.click()
    assert serious_accessibility_problems(page) == []
    page.get_by_role("link", name="Add a priority").click()
    page.get_by_label("The issue", exact=True).fill("Cars parked on the pavement by the school")
    page.get_by_label("Day").first.fill("3")
    page.get_by_label("Month").first.fill("11")
    page.get_by_label("Year").first.fill("2026")
    assert serious_accessibility_problems(page) == []
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Priority added")).to_be_visible()
    priority = Priority.objects.get(issue__contains="pavement by the school")

    page.goto(longton_site + f"/staff/workspace/priorities/{priority.pk}/")
    page.get_by_label("What the team did (optional)").fill("Warning notices on 12 cars")
    page.locator("#id_action_date_0").fill("10")
    page.locator("#id_action_date_1").fill("11")
    page.locator("#id_action_date_2").fill("2026")
    page.get_by_label("What changed as a result (optional)").fill("No cars on the pavement since")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Warning notices on 12 cars")).to_be_visible()
    priority.refresh_from_db()
    assert priority.outcome == "<p>No cars on the pavement since</p>"

    page.get_by_role("link", name="Events").first.click()
    page.get_by_role("link", name="Add an event").click()
    # Submitting empty shows the GOV.UK error summary, which must be accessible too.
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert serious_accessibility_problems(page) == []
    day = timezone.localtime() + timedelta(days=7)
    page.get_by_label("Title").fill("Street surgery on the Strand")
    page.get_by_label("Surgery", exact=True).check()
    page.get_by_label("Where it is").fill("The Strand, Longton")
    page.get_by_label("Postcode (optional)").fill("st3 2pj")
    page.locator("#id_start_date_0").fill(str(day.day))
    page.locator("#id_start_date_1").fill(str(day.month))
    page.locator("#id_start_date_2").fill(str(day.year))
    page.get_by_label("Time it starts").fill("10:00")
    page.get_by_label("Time it ends").fill("11:30")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Event added")).to_be_visible()
    assert Event.objects.filter(title="Street surgery on the Strand").exists()
    assert serious_accessibility_problems(page) == []

    page.get_by_role("link", name="Guarantee").first.click()
    page.wait_for_url("**/staff/guarantee/")
    assert page.locator("h1").inner_text() == "Neighbourhood Policing Guarantee"
    assert page.locator("figure svg:visible").count() == 1
    expect(page.get_by_role("region", name="Guarantee measures by neighbourhood")).to_be_visible()
    assert serious_accessibility_problems(page) == []
    page.evaluate("() => document.activeElement.blur()")
    page.screenshot(path=str(screenshots / "guarantee.png"), full_page=True)
