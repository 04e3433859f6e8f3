"""A neighbourhood officer records an abstraction in a real browser and sees the team's share
of hours abstracted on the Guarantee page; a tasking sergeant puts an officer on a shift. On a
desktop and on a phone-sized screen, with no serious accessibility problems."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from beatbook.accounts.models import Role
from beatbook.places.models import Force, Neighbourhood
from beatbook.tasking import resources, rosters
from beatbook.tasking.models import Abstraction, Duty, Rank, Unit
from beatbook.tasking.shifts import shift_kinds_ensure

from .axe import serious_accessibility_problems
from .phone import PHONE
from .support import police_member_create, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass
class Site:
    url: str
    collar: str


@pytest.fixture
def tasking_site(live_server: Any) -> Site:
    force, _ = Force.objects.get_or_create(
        id="staffordshire", defaults={"name": "Staffordshire Police"}
    )
    longton = Neighbourhood.objects.create(force=force, code="SOT-LONGTON", name="Longton")
    station = resources.station_create(
        force=force, name="Longton Police Station", latitude=52.9886, longitude=-2.1338
    )
    officer = resources.officer_create(
        force=force,
        details=resources.OfficerDetails(
            collar_number="3100",
            name="Jo Bloggs",
            rank=Rank.CONSTABLE,
            unit=Unit.NPT,
            station=station,
            neighbourhood=longton,
        ),
    )
    resources.officer_create(
        force=force,
        details=resources.OfficerDetails(
            collar_number="9101",
            name="Priya Shah",
            rank=Rank.CONSTABLE,
            unit=Unit.NTT,
            station=station,
        ),
    )
    early = shift_kinds_ensure(force=force)[0]
    rosters.duty_add(officer=officer, kind=early, day=timezone.localdate())
    police_member_create(
        force=force,
        organisation_name="Staffordshire Police",
        username="pc",
        role=Role.NEIGHBOURHOOD_OFFICER,
        neighbourhoods=[longton],
        first_name="Pat",
        is_staff=True,
    )
    return Site(url=str(live_server.url), collar="3100")


def _record_abstraction(page: Any) -> None:
    page.get_by_role("link", name="Abstractions").first.click()
    page.wait_for_url("**/staff/tasking/abstractions/")
    assert serious_accessibility_problems(page) == []
    # Too many hours for an eight-hour early shift: the error summary, accessible too.
    page.get_by_label("Response cover").check()
    page.get_by_label("Hours taken away").fill("9")
    page.get_by_role("button", name="Record the abstraction").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert "enter 8 hours or fewer" in page.locator(".govuk-error-summary").inner_text()
    assert serious_accessibility_problems(page) == []
    assert not Abstraction.objects.exists()

    page.get_by_label("Hours taken away").fill("2")
    page.get_by_label("Note (optional)").fill("Covering response at Hanley")
    page.get_by_role("button", name="Record the abstraction").click()
    expect(page.get_by_text("2 hours of response cover are recorded for Jo Bloggs")).to_be_visible()
    expect(page.get_by_role("cell", name="Covering response at Hanley")).to_be_visible()


def test_a_team_records_an_abstraction_and_sees_its_share(page: Any, tasking_site: Site) -> None:
    page.goto(tasking_site.url + "/accounts/login/")
    sign_in(page, "pc")
    page.get_by_role("link", name="Tasking").first.click()
    page.wait_for_url("**/staff/tasking/")
    assert page.locator("h1").inner_text() == "Tasking"
    assert serious_accessibility_problems(page) == []

    _record_abstraction(page)

    page.get_by_role("link", name="Guarantee").first.click()
    table = page.get_by_role("table", name="Neighbourhood hours abstracted, by team and week")
    row = table.get_by_role("row").filter(has_text="Longton").last
    assert "25%" in row.inner_text()  # 2 of the early shift's 8 hours
    assert "Response cover: 2" in row.inner_text()
    assert serious_accessibility_problems(page) == []


def test_the_rota_and_abstractions_fit_a_phone(browser: Any, tasking_site: Site) -> None:
    context = browser.new_context(viewport=PHONE, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(tasking_site.url + "/accounts/login/")
        sign_in(page, "pc")
        page.wait_for_url("**/")
        for path in ("/staff/tasking/", "/staff/tasking/rota/", "/staff/tasking/abstractions/"):
            page.goto(tasking_site.url + path)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} scrolls sideways on a phone ({width}px)"
            assert serious_accessibility_problems(page) == []
        page.goto(tasking_site.url + "/staff/tasking/")
        _record_abstraction(page)
        assert Abstraction.objects.get().hours == 2
        # The sergeant's pages have actions in their last columns: the tables scroll, the
        # page does not.
        _sergeant_create()
        context.clear_cookies()
        page.goto(tasking_site.url + "/accounts/login/")
        sign_in(page, "sgt")
        page.wait_for_url("**/")
        for path in (
            "/staff/tasking/officers/",
            "/staff/tasking/stations/",
            "/staff/tasking/rota/",
        ):
            page.goto(tasking_site.url + path)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} scrolls sideways on a phone ({width}px)"
    finally:
        context.close()


def _sergeant_create() -> None:
    police_member_create(
        force=Force.objects.get(pk="staffordshire"),
        organisation_name="Staffordshire Police NTT",
        username="sgt",
        role=Role.TASKING_SERGEANT,
        is_staff=True,
    )


def test_a_sergeant_puts_an_officer_on_a_shift(page: Any, tasking_site: Site) -> None:
    _sergeant_create()
    today = timezone.localdate()
    page.goto(tasking_site.url + "/accounts/login/")
    sign_in(page, "sgt")
    page.goto(tasking_site.url + "/staff/tasking/rota/")
    page.get_by_role("link", name="Put officers on a shift").click()
    page.get_by_label("Police constable 9101 Priya Shah").check()
    page.get_by_label("Late, 3pm to 11pm").check()
    for field, value in (("0", today.day), ("1", today.month), ("2", today.year)):
        page.locator(f"#id_first_day_{field}").fill(str(value))
        page.locator(f"#id_last_day_{field}").fill(str(value))
    assert serious_accessibility_problems(page) == []
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("1 duty is on the rota.")).to_be_visible()
    expect(page.get_by_role("cell", name="Late 3pm to 11pm").first).to_be_visible()
    assert Duty.objects.filter(officer__collar_number="9101").count() == 1
    assert serious_accessibility_problems(page) == []
