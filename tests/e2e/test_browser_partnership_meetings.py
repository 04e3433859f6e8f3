"""A partnership's set-up and meetings in a real browser (issue 16): the council's
administrator finds the partnership from the navigation, adds a member and a JAG, schedules a
strategy group meeting, reads the agenda Beatbook built (a growing hotspot) and records the
minutes with an action for the fire service; the fire service's officer finds it among their
organisation's actions and marks it done. Every page passes axe."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from beatbook.partnerships.models import Action, ActionStatus, Meeting
from partnerships.partnerships_world_meetings import (
    STOKE,
    MeetingWorld,
    build_meeting_world,
    crimes_add,
)

from .axe import serious_accessibility_problems
from .support import PASSWORD, contact_log_empty, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 360
WIDTH = "() => document.documentElement.scrollWidth"


@pytest.fixture
def site(live_server: Any, settings: Any, tmp_path: Path) -> Iterator[tuple[str, MeetingWorld]]:
    settings.DATA_DIR = tmp_path / "data"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    world = build_meeting_world()
    for month in ("2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"):
        crimes_add(world.staffs, month, {STOKE[0]: 2 if month < "2025-04" else 14, STOKE[1]: 6})
    for user in world.users.values():
        user.set_password(PASSWORD)
        user.save()
    yield str(live_server.url), world
    contact_log_empty()


def check(page: Any) -> None:
    assert serious_accessibility_problems(page) == []


def sign_in_as(page: Any, base: str, username: str, start: str) -> None:
    page.goto(f"{base}/accounts/login/?next={start}")
    sign_in(page, username)
    page.wait_for_url(f"**{start}")


def set_up(page: Any) -> None:
    page.get_by_role("link", name="Add or remove members").click()
    check(page)
    page.get_by_label("Name of a member that is not an organisation").fill("Community members")
    page.get_by_label("Named representative").fill("Pat Resident")
    page.get_by_role("button", name="Add the member").click()
    expect(page.get_by_role("cell", name="Community members", exact=True)).to_be_visible()
    check(page)
    page.get_by_role("link", name="Back to Stoke-on-Trent Safer City Partnership").click()
    page.get_by_role("link", name="Add a group").click()
    check(page)
    page.get_by_label("Joint action group (JAG)").check()
    page.get_by_label("Name of the group").fill("South JAG")
    page.get_by_role("button", name="Add the group").click()


def schedule(page: Any) -> None:
    page.get_by_role("link", name="Schedule a meeting").click()
    check(page)
    page.get_by_label("Group").select_option(label="Strategy group")
    group = page.get_by_role("group", name="Date")
    group.get_by_label("Day").fill("10")
    group.get_by_label("Month").fill("7")
    group.get_by_label("Year").fill("2025")
    page.get_by_label("Time it starts").fill("2pm")
    page.get_by_label("Place").fill("Civic Centre")
    page.get_by_role("button", name="Schedule the meeting").click()


def record_minutes(page: Any, world: MeetingWorld) -> None:
    page.get_by_role("link", name="Record the minutes").click()
    check(page)
    page.get_by_role("button", name="Save the minutes").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    check(page)
    page.get_by_label("Minutes", exact=True).fill("The group looked at the growing hotspot.")
    page.get_by_label("Decisions").fill("Focus on Stoke-on-Trent 001A")
    page.get_by_label("Action 1: what is to be done").fill("Fire safety visits near the hotspot")
    page.get_by_label("Action 1: member organisation").select_option(label=world.fire.name)
    page.get_by_label("Action 1: named lead").fill("Dana Hughes")
    due = page.get_by_role("group", name="Action 1: due")
    due.get_by_label("Day").fill("31")
    due.get_by_label("Month").fill("8")
    due.get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Save the minutes").click()


def test_a_meeting_from_set_up_to_minutes_to_the_action_done(
    page: Any, site: tuple[str, MeetingWorld]
) -> None:
    base, world = site
    sign_in_as(page, base, "adele", "/staff/")
    page.get_by_role("link", name="Partnerships", exact=True).click()
    check(page)
    page.get_by_role("link", name="Stoke-on-Trent Safer City Partnership").click()
    expect(page.get_by_text("Staffordshire Police").first).to_be_visible()
    check(page)
    set_up(page)
    expect(page.get_by_text("South JAG").first).to_be_visible()
    schedule(page)
    meeting = Meeting.objects.get()
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    expect(page.get_by_role("cell", name="Stoke-on-Trent 001A (E01010001)")).to_be_visible()
    check(page)
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 780})
    assert page.evaluate(WIDTH) <= PHONE_WIDTH
    page.set_viewport_size({"width": 1280, "height": 900})
    record_minutes(page, world)
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    expect(page.get_by_text("as it stood when the minutes were saved")).to_be_visible()
    check(page)

    page.context.clear_cookies()
    sign_in_as(page, base, "fern", "/staff/partnerships/actions/")
    check(page)
    page.get_by_role("link", name="Fire safety visits near the hotspot").click()
    check(page)
    page.get_by_label("Done").check()
    page.get_by_label("Progress so far").fill("21 homes visited")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/staff/partnerships/actions/")
    check(page)
    action = Action.objects.get()
    assert (action.status, action.progress_note) == (ActionStatus.DONE, "21 homes visited")
