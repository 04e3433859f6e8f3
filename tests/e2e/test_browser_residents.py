"""A resident finds their neighbourhood every way the site offers, in a real browser, on the
real demo data, and reads the neighbourhood page and its calendar."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from beatbook.demo.loader import demo_data_load
from beatbook.demo.sample_teams import demo_teams_refresh
from beatbook.places.models import Neighbourhood, Postcode
from beatbook.places.selectors import locate_postcode

from .axe import serious_accessibility_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEIGHBOURHOOD_URL = re.compile(r".*/neighbourhoods/staffordshire/[^/]+/$")


@pytest.fixture
def demo_site(live_server: Any) -> str:
    demo_data_load()
    demo_teams_refresh(force_id="staffordshire")
    return str(live_server.url)


def a_longton_postcode() -> tuple[Postcode, Neighbourhood]:
    """A real postcode of the demo's that lies in Longton."""
    longton = set(Neighbourhood.objects.filter(force_id="staffordshire", name__icontains="Longton"))
    for postcode in Postcode.objects.filter(postcode__startswith="ST3").order_by("postcode")[:400]:
        found = locate_postcode(postcode=postcode.postcode)
        if found is not None and found.neighbourhood in longton:
            return postcode, found.neighbourhood
    raise AssertionError("the demo data has no postcode in Longton")


def assert_accessible(page: Any) -> None:
    assert serious_accessibility_problems(page) == [], page.url


def test_a_resident_finds_their_neighbourhood_by_postcode_and_reads_its_page(
    page: Any, demo_site: str, screenshots: Path
) -> None:
    postcode, longton = a_longton_postcode()
    page.goto(demo_site + "/")
    page.get_by_role("button", name=re.compile("Find your neighbourhood")).click()
    page.wait_for_url(re.compile(r".*/neighbourhoods/$"))
    assert_accessible(page)
    page.screenshot(path=str(screenshots / "find-neighbourhood.png"), full_page=True)

    page.fill("#postcode", "XX1 1XX")
    page.get_by_role("button", name="Find by postcode").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(page.locator("#postcode-error")).to_be_visible()
    assert_accessible(page)

    page.fill("#postcode", postcode.postcode.lower().replace(" ", ""))
    page.get_by_role("button", name="Find by postcode").click()
    page.wait_for_url(NEIGHBOURHOOD_URL)
    assert page.locator("h1").inner_text() == longton.name
    body = page.locator("main").inner_text().lower()
    for expected in ("you said", "999", "101", "0800 555 111", "per 1,000 residents"):
        assert expected in body
    # The sample events carry a real postcode, so they are on the events map.
    page.locator("#events-map .leaflet-marker-icon").first.wait_for()
    assert_accessible(page)
    page.screenshot(path=str(screenshots / "neighbourhood.png"), full_page=True)

    event_link = page.get_by_role("link", name=re.compile("Add to your calendar")).first
    reply = page.request.get(demo_site + str(event_link.get_attribute("href")))
    assert reply.headers["content-type"].startswith("text/calendar")
    [event] = Calendar.from_ical(reply.body()).walk("VEVENT")
    for required in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
        assert required in event


def test_a_resident_finds_their_neighbourhood_by_name(page: Any, demo_site: str) -> None:
    page.goto(demo_site + "/neighbourhoods/")
    page.fill("#q", "Longton")
    page.get_by_role("button", name="Search").click()
    if not NEIGHBOURHOOD_URL.match(page.url):
        assert_accessible(page)
        page.locator("#matches ~ * a").first.click()
    page.wait_for_url(NEIGHBOURHOOD_URL)
    assert "Longton" in page.locator("h1").inner_text()


def test_a_resident_clicks_the_map(page: Any, demo_site: str) -> None:
    page.goto(demo_site + "/neighbourhoods/")
    boundary = page.locator("#find-map path.leaflet-interactive").first
    boundary.wait_for()
    page.wait_for_timeout(500)  # let the map settle on the boundaries it has just drawn
    boundary.click(force=True)
    page.wait_for_url(re.compile(r".*/neighbourhoods/(staffordshire/[^/]+/|locate\?.*)$"))
    if "locate" in page.url:
        # The map's middle fell outside every boundary: the page must say so, not fail.
        expect(page.locator("#map-error")).to_be_visible()
    else:
        assert page.locator("h1").inner_text()


def test_a_resident_uses_their_location(browser: Any, demo_site: str) -> None:
    postcode, longton = a_longton_postcode()
    context = browser.new_context(
        locale="en-GB",
        geolocation={"latitude": postcode.latitude, "longitude": postcode.longitude},
        permissions=["geolocation"],
    )
    try:
        page = context.new_page()
        page.goto(demo_site + "/neighbourhoods/")
        page.get_by_role("button", name="Use my location").click()
        page.wait_for_url(NEIGHBOURHOOD_URL)
        assert page.locator("h1").inner_text() == longton.name
    finally:
        context.close()


def test_without_javascript_a_resident_still_finds_their_neighbourhood(
    browser: Any, demo_site: str
) -> None:
    postcode, longton = a_longton_postcode()
    context = browser.new_context(locale="en-GB", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(demo_site + "/neighbourhoods/")
        assert not page.get_by_role("button", name="Use my location").is_visible()
        page.fill("#postcode", postcode.postcode)
        page.get_by_role("button", name="Find by postcode").click()
        page.wait_for_url(NEIGHBOURHOOD_URL)
        assert page.locator("h1").inner_text() == longton.name
        assert "needs JavaScript" in page.locator("main").inner_text()
    finally:
        context.close()
