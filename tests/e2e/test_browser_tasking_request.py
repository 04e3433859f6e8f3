"""A tasking request in a real browser (issue 15): a Longton neighbourhood officer asks the
tasking team for help, choosing the square on the map, and the tasking sergeant approves it;
on a desk screen and on a phone. Every page passes axe, and nothing scrolls sideways."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from beatbook.tasking.models import RequestStatus, TaskingRequest
from tasking.tasking_world_requests import RequestsWorld, build_requests_world

from .axe import serious_accessibility_problems
from .phone import PHONE
from .support import contact_log_empty, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESK = {"width": 1280, "height": 900}
WIDTH = "() => document.documentElement.scrollWidth"
TITLE = "Burglaries around Belgrave Road at night"


@pytest.fixture
def site(live_server: Any) -> Iterator[tuple[str, RequestsWorld]]:
    world = build_requests_world()
    yield str(live_server.url), world
    contact_log_empty()


def check(page: Any, viewport: dict[str, int]) -> None:
    assert serious_accessibility_problems(page) == []
    assert page.evaluate(WIDTH) <= viewport["width"]


def fill_date(page: Any, legend: str, day: Any) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def ask_on_the_map(page: Any, url: str, world: RequestsWorld, viewport: dict[str, int]) -> None:
    page.goto(f"{url}/accounts/login/?next=/staff/tasking/requests/")
    sign_in(page, "npt")
    page.wait_for_url("**/staff/tasking/requests/")
    check(page, viewport)
    page.get_by_role("link", name="Ask the tasking team for help").click()
    page.get_by_label("Short title").fill(TITLE)
    page.get_by_label("The problem").fill("Five burglaries in two weeks, between 10pm and 2am.")
    page.get_by_label("A neighbourhood priority").check()
    page.get_by_label("Neighbourhood priority", exact=True).select_option(
        label="Longton: Burglary at night"
    )

    # The square at the map's centre (Longton's centre): select it on the grid.
    square = page.locator(f"#request-map path.app-cell-{world.cell}")
    square.wait_for(state="attached")
    page.locator("#request-map").scroll_into_view_if_needed()
    square.click()
    page.wait_for_function(
        "key => document.getElementById('id_cells').value.includes(key)", arg=world.cell
    )
    assert "1 square chosen" in page.locator("#request-map-status").inner_text()

    tomorrow = timezone.localdate() + timedelta(days=1)
    fill_date(page, "First day", tomorrow)
    fill_date(page, "Last day", tomorrow + timedelta(days=6))
    page.get_by_label("Time each day starts").fill("22:00")
    page.get_by_label("Time each day ends").fill("02:00")
    page.get_by_label("High-visibility patrol").check()
    page.get_by_label("Officers wanted").fill("2")
    page.get_by_label("Minutes in place wanted each day").fill("60")
    page.get_by_label("High", exact=True).check()
    page.get_by_label("Evidence").fill("Crime reports and residents' calls.")
    check(page, viewport)
    page.get_by_role("button", name="Send the request").click()
    made = TaskingRequest.objects.get(title=TITLE)
    page.wait_for_url(f"**/staff/tasking/requests/{made.pk}/")
    assert made.cells == [world.cell]
    assert "Your request is sent" in page.locator("main").inner_text()
    check(page, viewport)


def approve(browser: Any, url: str, viewport: dict[str, int], **options: Any) -> None:
    context = browser.new_context(viewport=viewport, locale="en-GB", **options)
    page = context.new_page()
    page.goto(f"{url}/accounts/login/?next=/staff/tasking/requests/")
    sign_in(page, "sergeant")
    page.wait_for_url("**/staff/tasking/requests/")
    assert TITLE in page.locator("main").inner_text()
    check(page, viewport)
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Approve or decline").click()
    check(page, viewport)
    page.get_by_label("Approve it").check()
    page.get_by_label("Reason").fill("Two officers from the Longton team on the nights asked.")
    page.get_by_role("button", name="Save the decision").click()
    page.wait_for_url("**/staff/tasking/requests/*/")
    text = page.locator("main").inner_text()
    assert "Approved by sergeant" in text
    check(page, viewport)
    page.goto(f"{url}/staff/tasking/meeting/?force=staffordshire")
    assert TITLE in page.locator("main").inner_text()
    check(page, viewport)
    context.close()


@pytest.mark.parametrize("screen", ["desk", "phone"])
def test_an_npt_officer_asks_on_the_map_and_the_sergeant_approves(
    browser: Any, site: tuple[str, RequestsWorld], screen: str
) -> None:
    url, world = site
    viewport = DESK if screen == "desk" else PHONE
    options = {} if screen == "desk" else {"is_mobile": True, "has_touch": True}
    context = browser.new_context(viewport=viewport, locale="en-GB", **options)
    page = context.new_page()

    ask_on_the_map(page, url, world, viewport)
    approve(browser, url, viewport, **options)

    made = TaskingRequest.objects.get(title=TITLE)
    assert made.status == RequestStatus.APPROVED
    assert made.decided_by == world.sergeant
    context.close()
