"""On a 390 px wide phone no page scrolls sideways and chart text stays legible: every page a
resident can reach, and every page the demo administrator can reach, on the demo's data.

The crawl (``phone.py``) follows links and GET forms from the home page as a resident, then
from the staff page signed in as the demo administrator; the Django admin is crawled too, one
page of each kind. Each page must be no wider than the screen
(``document.documentElement.scrollWidth <= 390``) and the text of every chart on it must be
drawn at 11.5 CSS pixels or more.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from beatbook.demo.bundle import FORCE_ID
from beatbook.enquiries.models import Question
from beatbook.places.models import Neighbourhood, Postcode
from beatbook.places.selectors import locate_postcode

from .phone import PHONE, PhoneCrawl, PhoneReport
from .support import contact_log_empty, demo_site_make

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def longton_postcode() -> str:
    longton = Neighbourhood.objects.get(force_id=FORCE_ID, name__startswith="Longton")
    for postcode in Postcode.objects.filter(postcode__startswith="ST3").order_by("postcode"):
        found = locate_postcode(postcode=postcode.postcode)
        if found is not None and found.neighbourhood == longton:
            return str(postcode.postcode)
    raise AssertionError("the demo data has no postcode in Longton")


@pytest.fixture
def demo_site(live_server: Any, tmp_path: Path, settings: Any) -> Any:
    """What ``beatbook demo`` makes: its data, teams, questions and administrator. No worker
    runs beside the tests: analysis results are made on the request, so the pages show them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    admin = demo_site_make(password_file=tmp_path / "password.txt")
    question = Question.objects.filter(neighbourhood__force_id=FORCE_ID).first()
    assert question is not None
    samples = {
        "postcode": longton_postcode(),
        "reference": question.reference,
        "month_from": "2025-10",
        "month_to": "2025-12",
        "month": "2025-12",
        "": "Longton",
    }
    yield str(live_server.url), admin, samples
    contact_log_empty()


def phone_page(browser: Any) -> Any:
    context = browser.new_context(viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True)
    page = context.new_page()
    # Analysis pages may take a while on a cold cache: a slow page is not what this measures.
    page.set_default_timeout(180_000)
    return page


def assert_fits_a_phone(report: PhoneReport, who: str) -> None:
    print(f"\n{len(report.pages)} pages at 390 px as {who}; slow: {report.slow}")
    assert len(report.pages) > 10, report.pages
    problems = [f"too wide: {line}" for line in report.too_wide]
    problems += [f"chart text too small: {line}" for line in report.small_text]
    assert problems == [], f"as {who}, on {len(report.pages)} pages:\n" + "\n".join(problems)


def test_every_page_a_resident_reaches_fits_a_phone(browser: Any, demo_site: Any) -> None:
    origin, _, samples = demo_site
    page = phone_page(browser)
    try:
        report = PhoneCrawl(page=page, origin=origin, samples=samples).run(
            ["/", "/accounts/login/", "/accounts/password-reset/", "/no-such-page/"]
        )
    finally:
        page.context.close()

    assert_fits_a_phone(report, "a resident")


def test_every_page_the_demo_administrator_reaches_fits_a_phone(
    browser: Any, demo_site: Any
) -> None:
    origin, admin, samples = demo_site
    page = phone_page(browser)
    try:
        page.goto(origin + "/accounts/login/")
        page.get_by_label("Username").fill(admin.username)
        page.get_by_label("Password").fill(admin.password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/staff/")
        report = PhoneCrawl(page=page, origin=origin, samples=samples, per_route=1).run(
            ["/staff/", "/admin/"]
        )
    finally:
        page.context.close()

    assert_fits_a_phone(report, "the demo administrator")
