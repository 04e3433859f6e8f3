"""In a real browser: the dashboard opens on what needs action and its filters work, at desktop
width and on a phone; the event form shows the boxes for in person or online, not both."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from beatbook.accounts.models import Role
from beatbook.enquiries.models import Question
from beatbook.places.models import Force, Neighbourhood
from beatbook.teams.models import Event

from .axe import serious_accessibility_problems
from .support import police_member_create, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def busy_site(live_server: Any) -> str:
    force = Force.objects.get(pk="staffordshire")
    Neighbourhood.objects.bulk_create(
        Neighbourhood(force=force, code=f"A{i:02d}", name=f"Abbey Hulton {i:02d}")
        for i in range(30)
    )
    longton = Neighbourhood.objects.create(force=force, code="SOT-LONGTON", name="Longton")
    asked = timezone.now() - timedelta(hours=80)
    Question.objects.create(
        reference="Q-0001-AAAA",
        neighbourhood=longton,
        kind="question",
        subject="Speeding on Uttoxeter Road",
        body="Cars race past the school.",
        asked_at=asked,
        due_at=asked + timedelta(hours=72),
    )
    police_member_create(
        force=force,
        organisation_name="Staffordshire Police",
        username="pc",
        role=Role.NEIGHBOURHOOD_OFFICER,
        first_name="Pat",
        is_staff=True,
    )
    return str(live_server.url)


def _boards(page: Any) -> list[str]:
    headings = page.locator("section.app-board h2").all_inner_texts()
    return [heading.splitlines()[0].strip() for heading in headings]


def test_the_dashboard_opens_on_what_needs_action_and_filters_by_name(
    page: Any, busy_site: str
) -> None:
    page.goto(busy_site + "/accounts/login/?next=/staff/workspace/")
    sign_in(page, "pc")
    page.wait_for_url("**/staff/workspace/")
    assert _boards(page)[0] == "Longton"
    assert serious_accessibility_problems(page) == []

    page.get_by_label("Neighbourhood name").fill("hulton 2")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/staff/workspace/?q=hulton+2*")
    assert _boards(page) == [f"Abbey Hulton {i}" for i in range(20, 30)]
    expect(page.get_by_text("10 neighbourhoods match your filters")).to_be_visible()

    page.get_by_role("link", name="Clear filters").click()
    page.get_by_role("link", name="1 overdue").click()
    assert _boards(page) == ["Longton"]
    assert serious_accessibility_problems(page) == []

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(busy_site + "/staff/workspace/")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the dashboard is {width} px wide on a 390 px phone"


def test_the_event_form_asks_for_an_address_or_how_to_join(page: Any, busy_site: str) -> None:
    longton = Neighbourhood.objects.get(code="SOT-LONGTON")
    police_member_create(
        force=longton.force,
        organisation_name="Staffordshire Police (Longton)",
        username="longton-pc",
        role=Role.NEIGHBOURHOOD_OFFICER,
        neighbourhoods=[longton],
        is_staff=True,
    )
    page.goto(
        busy_site
        + f"/accounts/login/?next=/staff/workspace/neighbourhoods/{longton.pk}/events/add/"
    )
    sign_in(page, "longton-pc")
    page.wait_for_url("**/events/add/")
    expect(page.get_by_label("Where it is")).to_be_visible()
    assert not page.get_by_label("How to join").is_visible()

    page.get_by_label("Online", exact=True).check()
    expect(page.get_by_label("How to join")).to_be_visible()
    assert not page.get_by_label("Where it is").is_visible()
    assert not page.get_by_label("Postcode (optional)").is_visible()
    assert serious_accessibility_problems(page) == []

    day = timezone.localtime() + timedelta(days=7)
    page.get_by_label("Title").fill("Evening online surgery")
    page.get_by_label("Online surgery", exact=True).check()
    page.get_by_label("How to join").fill("Join at https://meet.example.police.uk/longton")
    page.locator("#id_start_date_0").fill(str(day.day))
    page.locator("#id_start_date_1").fill(str(day.month))
    page.locator("#id_start_date_2").fill(str(day.year))
    page.get_by_label("Time it starts").fill("19:00")
    page.get_by_label("Time it ends").fill("20:00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Event added")).to_be_visible()
    expect(
        page.get_by_text("Online: Join at https://meet.example.police.uk/longton")
    ).to_be_visible()
    event = Event.objects.get(title="Evening online surgery")
    assert (event.online, event.address) == (True, "")
