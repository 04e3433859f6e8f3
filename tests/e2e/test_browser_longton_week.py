"""The whole Longton community action week in a real browser (issue 14): the sergeant plans it
through the pages, adds the council as a partner and the week's activities, and publishes it;
a resident finds it on the operation's page and on the neighbourhood's page, and asks the
online surgery a question that is moderated and answered live; a visitor logs doors on a phone
through a lost connection; results are recorded; and once the week is over, the public page
says what was done. The enforcement is never shown to the public. Every page passes axe."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from beatbook.operations.models import Activity, DoorVisit, Operation
from operations.operations_world import build_operations_world

from .axe import serious_accessibility_problems
from .phone import PHONE
from .support import contact_log_empty, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")
NAME = "Longton community action week (planned in the browser)"
ENFORCEMENT = "Operation Kestrel: vehicle crime arrests"
QUESTION = "Will the mobile police station come back to Tesco next month?"
ANSWER = "Yes: on the first Monday of every month, from 10am."
WIDTH = "() => document.documentElement.scrollWidth"


@pytest.fixture
def site(live_server: Any) -> Iterator[str]:
    build_operations_world()
    yield str(live_server.url)
    contact_log_empty()


def check(page: Any) -> None:
    assert serious_accessibility_problems(page) == []


def fill_date(page: Any, prefix: str, day: date) -> None:
    page.locator(f"#id_{prefix}_0").fill(str(day.day))
    page.locator(f"#id_{prefix}_1").fill(str(day.month))
    page.locator(f"#id_{prefix}_2").fill(str(day.year))


def add_activity(page: Any, url: str, operation: Operation, **fields: Any) -> None:
    page.goto(f"{url}/staff/operations/{operation.pk}/activities/add/")
    page.get_by_label("Title", exact=True).fill(fields["title"])
    page.get_by_role("group", name="Type of activity").get_by_label(
        fields["type"], exact=True
    ).check()
    if fields.get("online"):
        page.get_by_label("Online", exact=True).check()
        page.get_by_label("How to join").fill("Ask on the surgery page")
    else:
        page.get_by_label("Venue", exact=True).fill(fields["venue"])
        page.get_by_label("Venue's address").fill(fields["address"])
    start: datetime = fields["start"]
    end: datetime = fields["end"]
    fill_date(page, "day", start.date())
    page.get_by_label("Time it starts").fill(start.strftime("%H:%M"))
    fill_date(page, "end_day", end.date())
    page.get_by_label("Time it ends").fill(end.strftime("%H:%M"))
    for organisation in fields.get("organisations", ["Staffordshire Police"]):
        page.get_by_role("group", name="Organisations taking part").get_by_label(
            organisation
        ).check()
    if fields.get("public"):
        page.get_by_label("Publish it to residents").check()
    check(page)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/staff/operations/{operation.pk}/")
    assert fields["title"] in page.locator("main").inner_text()


def plan_the_week(page: Any, url: str, today: date) -> Operation:
    page.goto(f"{url}/accounts/login/?next=/staff/operations/")
    sign_in(page, "sergeant")
    page.wait_for_url("**/staff/operations/")
    check(page)
    page.get_by_role("link", name="Plan an operation").click()
    page.get_by_label("Name", exact=True).fill(NAME)
    page.get_by_label("Community action week").check()
    page.get_by_role("group", name="Lead organisation").get_by_label("Staffordshire Police").check()
    # From yesterday, so a surgery starting five minutes ago is in it even just after midnight.
    fill_date(page, "first_day", today - timedelta(days=1))
    fill_date(page, "last_day", today + timedelta(days=5))
    page.get_by_label("What residents are told (optional)").fill(
        "Stoke South's team and the council are in Longton all week."
    )
    page.get_by_role("group", name="Neighbourhoods").get_by_label("Longton").check()
    check(page)
    page.get_by_role("button", name="Save").click()
    operation = Operation.objects.get(name=NAME)
    page.wait_for_url(f"**/staff/operations/{operation.pk}/")
    assert "is planned" in page.locator(".govuk-notification-banner, main").first.inner_text()
    assert operation.lsoas.count() == 3

    page.get_by_role("link", name="Add a partner").click()
    page.get_by_label("Organisation").select_option(label="Stoke-on-Trent City Council")
    page.get_by_label("Their contact for the operation").fill("Dee Hughes")
    check(page)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/staff/operations/{operation.pk}/")
    return operation


def test_the_longton_week_from_plan_to_published_results(browser: Any, site: str) -> None:
    url = site
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = desk.new_page()
    now = timezone.localtime(timezone=LONDON).replace(second=0, microsecond=0)
    today = now.date()
    operation = plan_the_week(page, url, today)

    at = lambda hour: datetime.combine(today, datetime.min.time(), tzinfo=LONDON).replace(  # noqa: E731
        hour=hour
    )
    add_activity(
        page,
        url,
        operation,
        title="Mobile police station at Tesco Extra Longton",
        type="Mobile police station stop",
        venue="Tesco Extra Longton",
        address="Tesco Extra, Longton, ST3 1AA",
        start=at(10),
        end=at(15),
        organisations=["Staffordshire Police", "Stoke-on-Trent City Council"],
        public=True,
    )
    add_activity(
        page,
        url,
        operation,
        title="Online surgery with specialist officers",
        type="Online surgery",
        online=True,
        start=now - timedelta(minutes=5),
        end=now + timedelta(minutes=55),
        public=True,
    )
    add_activity(
        page,
        url,
        operation,
        title="Door-to-door visits: fire safety and county lines",
        type="Door-to-door visits",
        venue="Longton Town Hall",
        address="Longton Town Hall, ST3 1AB",
        start=at(9),
        end=at(17),
        public=True,
    )
    add_activity(
        page,
        url,
        operation,
        title=ENFORCEMENT,
        type="Enforcement",
        venue="Hidden Close",
        address="Hidden Close, ST3 1AD",
        start=at(5),
        end=at(8),
    )
    page.get_by_role("button", name="Publish it").click()
    assert "Stop publishing it" in page.locator("main").inner_text()
    check(page)

    # A resident finds the week on its own page and on the neighbourhood's page.
    public = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    resident = public.new_page()
    resident.goto(f"{url}/operations/{operation.pk}/")
    text = resident.locator("main").inner_text()
    assert "Mobile police station at Tesco Extra Longton" in text
    assert ENFORCEMENT not in text
    assert "Hidden Close" not in text
    check(resident)
    resident.goto(f"{url}/neighbourhoods/staffordshire/LONGTON/")
    neighbourhood = resident.locator("main").inner_text()
    assert NAME in neighbourhood  # under "Days and weeks of action"
    assert "Online surgery with specialist officers" in neighbourhood  # on now, with the events
    assert ENFORCEMENT not in resident.content()

    # The online surgery: asked, moderated, answered, and seen without a reload.
    resident.goto(f"{url}/operations/{operation.pk}/")
    resident.get_by_role("link", name="ask a question and read the answers").click()
    resident.get_by_label("Your question").fill(QUESTION)
    resident.get_by_role("button", name="Send question").click()
    expect(resident.get_by_text("Your question has been sent")).to_be_visible()
    check(resident)
    page.goto(f"{url}/staff/operations/{operation.pk}/")
    page.get_by_role("link", name="moderate and answer questions").click()
    page.get_by_role("button", name="Approve").click()
    page.get_by_label("Your answer").fill(ANSWER)
    page.get_by_role("button", name="Publish answer").click()
    expect(page.get_by_text("Answer published")).to_be_visible()
    resident.locator("#surgery-answers").get_by_text(ANSWER).wait_for(timeout=20_000)

    # Door-to-door: routes built, and doors logged on a phone through a lost connection.
    doors = Activity.objects.get(operation=operation, type="door-to-door")
    page.goto(f"{url}/staff/operations/activities/{doors.pk}/routes/")
    page.get_by_label("Number of pairs of visitors").fill("1")
    page.get_by_role("button", name="Build routes").click()
    page.get_by_role("link", name="log doors on route 1").wait_for()
    check(page)
    route = doors.routes.get()
    mobile = browser.new_context(viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True)
    phone = mobile.new_page()
    log = f"/staff/operations/routes/{route.pk}/log/"
    phone.goto(f"{url}/accounts/login/?next={log}")
    sign_in(phone, "coordinator")
    phone.wait_for_url(f"**{log}")
    check(phone)
    assert phone.evaluate(WIDTH) <= PHONE["width"]
    for door, offline in (("12", False), ("14", True)):
        mobile.set_offline(offline)
        phone.get_by_label("Door (house number or name)").fill(door)
        phone.get_by_role("group", name="Was the door answered?").get_by_label("Yes").check()
        phone.get_by_label("Kitchen fire safety").check()
        phone.get_by_role("button", name="Save this door").click()
        if offline:
            phone.wait_for_function(
                "() => document.querySelector('#door-queue-status').textContent"
                ".includes('1 entry waiting to send')"
            )
            assert DoorVisit.objects.filter(route=route).count() == 1
    mobile.set_offline(False)
    phone.wait_for_function(
        "() => document.querySelector('#door-logged-count').textContent"
        ".includes('2 doors logged.')",
        timeout=30_000,
    )
    assert DoorVisit.objects.filter(route=route).count() == 2
    mobile.close()

    # Results of the mobile police station, recorded by the sergeant.
    station = Activity.objects.get(operation=operation, type="mobile-police-station")
    page.goto(f"{url}/staff/operations/activities/{station.pk}/results/")
    page.get_by_label("People engaged").fill("-3")
    page.get_by_role("button", name="Save results").click()
    assert "cannot be negative" in page.locator(".govuk-error-summary").inner_text()
    check(page)
    page.get_by_label("People engaged").fill("45")
    page.get_by_role("button", name="Save results").click()
    page.wait_for_url(f"**/staff/operations/{operation.pk}/**")

    # A week later: the public page says what was done, from the recorded figures.
    week = timedelta(days=7)
    Operation.objects.filter(pk=operation.pk).update(
        first_day=F("first_day") - week, last_day=F("last_day") - week
    )
    Activity.objects.filter(operation=operation).update(
        start=F("start") - week, end=F("end") - week
    )
    resident.goto(f"{url}/operations/{operation.pk}/")
    said = resident.locator("#what-we-did").locator("xpath=..").inner_text()
    assert "45" in said
    assert ENFORCEMENT not in resident.content()
    assert "Hidden Close" not in resident.content()
    check(resident)
    desk.close()
    public.close()
