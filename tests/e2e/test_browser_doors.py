"""A door-to-door visitor on a 390 px phone logs doors through a lost connection: the entry
made while offline waits on the phone, is sent when the connection returns, and the server
holds each entry exactly once. The routes page, its map and the printed sheet read well at
that width too. An accessibility check runs on every page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from beatbook.operations.models import DoorVisit, VisitRoute
from operations.operations_world import CENTRES, POSTCODES, build_operations_world

from .axe import serious_accessibility_problems
from .phone import PHONE
from .support import contact_log_empty, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = "() => document.documentElement.scrollWidth"
# The entries the page keeps on the phone until the server has them.
KEPT = "route => JSON.parse(localStorage.getItem('beatbook-door-log-route-' + route) || '[]')"


@pytest.fixture
def site(live_server: Any) -> Iterator[tuple[str, VisitRoute]]:
    world = build_operations_world()
    route = VisitRoute.objects.create(
        activity=world.doors,
        number=1,
        visitors="PC Shah and Sam Fire",
        stops=[
            {"postcode": postcode, "latitude": lat, "longitude": lng, "households": 3}
            for postcode, (lat, lng) in zip(POSTCODES, CENTRES, strict=True)
        ],
        households=9,
        length_m=1400,
        nearest_neighbour_length_m=1700,
    )
    yield str(live_server.url), route
    contact_log_empty()


@pytest.fixture
def phone(browser: Any) -> Iterator[tuple[Any, Any]]:
    context = browser.new_context(viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True)
    page = context.new_page()
    yield context, page
    context.close()


def check(page: Any) -> None:
    """No serious or critical axe-core violation, and nothing wider than the phone."""
    assert serious_accessibility_problems(page) == []
    assert page.evaluate(WIDTH) <= PHONE["width"]


def log_door(page: Any, door: str, *, answered: bool, advice: str = "") -> None:
    page.get_by_label("Door (house number or name)").fill(door)
    group = page.get_by_role("group", name="Was the door answered?")
    group.get_by_label("Yes" if answered else "No").check()
    if advice:
        page.get_by_label(advice).check()
    page.get_by_role("button", name="Save this door").click()


def wait_for_text(page: Any, selector: str, text: str) -> None:
    page.wait_for_function(
        "([selector, text]) => document.querySelector(selector).textContent.includes(text)",
        arg=[selector, text],
        timeout=30_000,
    )


def test_a_visitor_logs_doors_through_a_lost_connection(
    site: tuple[str, VisitRoute], phone: tuple[Any, Any]
) -> None:
    url, route = site
    context, page = phone
    reports: list[str] = []
    page.on(
        "console",
        lambda message: (
            reports.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    log = reverse("operations:route-log", args=[route.pk])
    page.goto(f"{url}/accounts/login/?next={log}")
    sign_in(page, "sergeant")
    page.wait_for_url(f"**{log}")
    assert page.locator("h1").inner_text() == "Log doors on route 1"
    check(page)

    log_door(page, "12", answered=True, advice="Kitchen fire safety")
    wait_for_text(page, "#door-logged-count", "1 door logged.")
    log_door(page, "14", answered=False)
    wait_for_text(page, "#door-logged-count", "2 doors logged.")
    wait_for_text(page, "#door-queue-status", "No entries waiting to send.")
    assert DoorVisit.objects.count() == 2

    # The signal drops: the third door is kept on the phone, and the page says so.
    context.set_offline(True)
    log_door(page, "16", answered=True, advice="Scams and fraud")
    wait_for_text(page, "#door-queue-status", "1 entry waiting to send")
    assert page.get_by_role("status").inner_text().startswith("Saved 16, ST3 1AA on this phone.")
    kept = page.evaluate(KEPT, route.pk)
    assert [entry["door"] for entry in kept] == ["16"]
    assert DoorVisit.objects.count() == 2
    check(page)

    # It returns: the entry is sent, and leaves the phone once the server has it.
    context.set_offline(False)
    wait_for_text(page, "#door-queue-status", "No entries waiting to send.")
    wait_for_text(page, "#door-logged-count", "3 doors logged.")
    assert page.evaluate(KEPT, route.pk) == []

    page.reload()
    assert "3 doors logged." in page.locator("#door-logged-count").inner_text()
    visits = DoorVisit.objects.filter(route=route).order_by("visited_at")
    assert [(v.door, v.answered) for v in visits] == [("12", True), ("14", False), ("16", True)]
    assert len({v.client_id for v in visits}) == 3
    assert list(visits[2].advice.values_list("slug", flat=True)) == ["scams"]
    check(page)

    # The routes page with its map, and the sheet to print, at the same width.
    page.goto(url + reverse("operations:routes", args=[route.activity_id]))
    page.locator("#route-map.leaflet-container").wait_for()
    assert page.locator("#route-map path.leaflet-interactive").count() >= 4  # a line, 3 stops
    check(page)
    page.goto(url + reverse("operations:route-sheet", args=[route.pk]))
    assert page.locator("table.app-door-sheet tbody tr").count() == 9
    check(page)
    assert reports == []
