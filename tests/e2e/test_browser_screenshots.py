"""The screenshots in docs/screenshots: every key page as it is now, at desktop width and on a
390 px phone, on the demo's data, as a resident and as the demo administrator.

``UPDATE_SCREENSHOTS=1`` writes them to docs/screenshots (``NAME.png`` at 1280 px,
``NAME-phone.png`` at 390 px); otherwise they go to a scratch folder, so an ordinary run
changes nothing. Each page must answer, have its heading, and fit the phone's width. Map tiles
cannot be fetched here (see conftest), so the maps show boundaries and points on their plain
background, as they do wherever tiles fail.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from beatbook.demo.bundle import FORCE_ID
from beatbook.demo.sample_tasking import CONSTABLE_USERNAME
from beatbook.demo.sample_tasking_work import demo_tasking_plans_refresh
from beatbook.enquiries.models import Question
from beatbook.operations.models import Operation
from beatbook.partnerships.models import Meeting, Partnership
from beatbook.places.models import Neighbourhood
from beatbook.surveys.models import Survey
from beatbook.tasking.models import Officer, PatrolPlan, RequestStatus, TaskingRequest

from .phone import PHONE
from .support import contact_log_empty, demo_site_make

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
SLUG = "stoke-on-trent"  # the demo partnership
SURVEY = "stoke-on-trent-perceptions"  # the demo survey
Step = Callable[[Any], None]


def _nothing(page: Any) -> None:
    return None


def _hotspots(page: Any) -> None:
    page.get_by_label("Getis-Ord Gi*", exact=False).check()
    page.get_by_label("Weigh by the Cambridge Crime Harm Index").check()
    page.get_by_role("button", name="Show hotspots").click()
    page.wait_for_selector("#hotspot-map .leaflet-overlay-pane canvas")


def _trends(page: Any) -> None:
    page.get_by_label("Area").fill("Longton")
    page.get_by_role("button", name="Show trends").click()
    page.wait_for_selector("figure svg >> visible=true")


def _forecast(page: Any) -> None:
    """The forecast as the worker finishes it: the page says it is being prepared until then."""
    for _ in range(60):
        if not page.get_by_text("Being prepared").count():
            break
        page.wait_for_timeout(2000)
        page.get_by_role("link", name="Check now").click()
    page.get_by_role("heading", name="How the methods did").wait_for()
    assert not page.get_by_text("Being prepared").count()


def _maps_drawn(page: Any) -> None:
    page.locator(".leaflet-container").first.wait_for()
    page.wait_for_timeout(800)  # let Leaflet settle on what it has drawn


@pytest.fixture
def demo_site(live_server: Any, tmp_path: Path, settings: Any) -> Any:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    admin = demo_site_make(password_file=tmp_path / "password.txt")
    yield str(live_server.url), admin
    contact_log_empty()


def key_pages() -> tuple[list[tuple[str, str, Step]], list[tuple[str, str, Step]]]:
    """(name, path, what to do there) for a resident, then for the demo administrator."""
    longton = Neighbourhood.objects.get(force_id=FORCE_ID, name__startswith="Longton")
    hood = reverse("residents:neighbourhood", args=[FORCE_ID, longton.code])
    question = Question.objects.filter(neighbourhood=longton).order_by("asked_at").first()
    assert question is not None
    week = Operation.objects.get(sample=True, name="Longton community action week")
    day = Operation.objects.get(sample=True, name__startswith="Longton day of action")
    surgery = week.activities.get(type="online-surgery")
    doors = day.activities.get(type="door-to-door")
    resident = [
        ("home", "/", _nothing),
        ("operation", reverse("operations:public", args=[week.pk]), _nothing),
        ("operation-what-we-did", reverse("operations:public", args=[day.pk]), _nothing),
        ("surgery", reverse("operations:surgery", args=[surgery.pk]), _nothing),
        ("find-neighbourhood", "/neighbourhoods/", _maps_drawn),
        ("neighbourhood", hood, _maps_drawn),
        ("ask-question", reverse("enquiries:ask", args=[FORCE_ID, longton.code]), _nothing),
        ("question-status", reverse("enquiries:status", args=[question.reference]), _nothing),
        ("password-reset", reverse("password_reset"), _nothing),
        ("partnership-public", reverse("partnerships:public_partnership", args=[SLUG]), _nothing),
        *survey_public_pages(),
    ]
    team = reverse("teams:team", args=[longton.pk])
    staff = [
        ("staff", "/staff/", _nothing),
        ("staff-questions", reverse("enquiries:staff-list"), _nothing),
        ("workspace", reverse("workspace:dashboard"), _nothing),
        ("workspace-team", team, _nothing),
        ("workspace-events", reverse("teams:events", args=[longton.pk]), _nothing),
        ("guarantee", reverse("workspace:guarantee"), _nothing),
        ("analysis-hotspots", reverse("analytics:hotspots"), _hotspots),
        ("analysis-trends", reverse("analytics:trends"), _trends),
        ("analysis-forecast", reverse("analytics:forecast"), _forecast),
        ("outbox", reverse("enquiries:outbox"), _nothing),
        ("operations", reverse("operations:list"), _nothing),
        ("operation-staff", reverse("operations:detail", args=[week.pk]), _nothing),
        ("operation-results", reverse("operations:results", args=[day.pk]), _nothing),
        ("operation-routes", reverse("operations:routes", args=[doors.pk]), _maps_drawn),
        (
            "operation-evaluation",
            reverse("operations:evaluation", args=[day.pk])
            + "?start=2025-09&months_after=3&category=",
            _nothing,
        ),
    ]
    return resident, staff + tasking_pages() + partnership_pages() + survey_staff_pages()


def _demo_survey() -> Survey:
    return Survey.objects.get(sample=True, slug=SURVEY)


def survey_public_pages() -> list[tuple[str, str, Step]]:
    """The demo survey as a resident meets it: its start page, a question, what you told us."""
    survey = _demo_survey()
    hood = survey.neighbourhoods.order_by("name").first()
    assert hood is not None
    return [
        ("survey-start", reverse("survey_start", args=[SURVEY]), _nothing),
        ("survey-results", reverse("survey_public_results", args=[SURVEY]), _nothing),
        (
            "survey-results-neighbourhood",
            reverse("survey_public_neighbourhood_results", args=[SURVEY, hood.code]),
            _nothing,
        ),
    ]


def survey_staff_pages() -> list[tuple[str, str, Step]]:
    """The demo survey's overview, and its latest closed wave's results."""
    survey = _demo_survey()
    wave = survey.waves.filter(status="closed").order_by("-closes_on").first()
    assert wave is not None
    return [
        ("survey-staff", reverse("survey_detail", args=[SURVEY]), _nothing),
        ("survey-wave-results", reverse("survey_wave_results", args=[SURVEY, wave.slug]), _nothing),
    ]


def partnership_pages() -> list[tuple[str, str, Step]]:
    """The demo partnership's staff pages: the partnership, its assessment of 2025, its plan and
    the plan's progress, and the agenda of its next strategy group meeting."""
    partnership = Partnership.objects.get(slug=SLUG)
    plan = partnership.plans.get(sample=True)
    meeting = (
        Meeting.objects.filter(group__partnership=partnership, minutes_saved_at=None)
        .order_by("starts_at")
        .last()
    )
    assert meeting is not None
    assess = reverse("partnerships:assessment_any") + "?area=Stoke-on-Trent&year=2025"
    return [
        ("partnership", reverse("partnerships:partnership_detail", args=[SLUG]), _nothing),
        ("partnership-assessment", assess, _maps_drawn),
        ("partnership-plan", reverse("partnerships:plan_detail", args=[SLUG, plan.pk]), _nothing),
        (
            "partnership-progress",
            reverse("partnerships:plan_progress", args=[SLUG, plan.pk]),
            _nothing,
        ),
        (
            "partnership-meeting",
            reverse("partnerships:meeting_detail", args=[SLUG, meeting.pk]),
            _nothing,
        ),
    ]


def tasking_pages() -> list[tuple[str, str, Step]]:
    """The tasking pages, with the demo's plans made here (the demo makes them in its worker)."""
    demo_tasking_plans_refresh(force_id=FORCE_ID)
    tomorrow = timezone.localdate() + timedelta(days=1)
    plan = PatrolPlan.objects.get(force_id=FORCE_ID, sample=True, date=tomorrow)
    constable = Officer.objects.get(user__username=CONSTABLE_USERNAME)
    hotspot = TaskingRequest.objects.filter(
        sample=True, status=RequestStatus.APPROVED, link="hotspot"
    ).first()
    assert hotspot is not None
    return [
        ("tasking", reverse("tasking:index"), _nothing),
        ("tasking-requests", reverse("tasking:request-list"), _nothing),
        ("tasking-request", reverse("tasking:request-detail", args=[hotspot.pk]), _maps_drawn),
        ("tasking-meeting", reverse("tasking:meeting") + f"?force={FORCE_ID}", _nothing),
        ("tasking-plan", reverse("tasking:plan-detail", args=[plan.pk]), _maps_drawn),
        (
            "tasking-route",
            reverse("tasking:plan-officer", args=[plan.pk, constable.pk]),
            _maps_drawn,
        ),
        ("tasking-results", reverse("tasking:results") + f"?force={FORCE_ID}", _nothing),
        ("tasking-rota", reverse("tasking:rota") + f"?force={FORCE_ID}", _nothing),
    ]


def shoot(
    browser: Any,
    origin: str,
    pages: list[tuple[str, str, Step]],
    *,
    folder: Path,
    admin: Any = None,
) -> list[str]:
    """Each page at both widths; what went wrong, one line each."""
    problems: list[str] = []
    for viewport, suffix in ((DESKTOP, ""), (PHONE, "-phone")):
        context = browser.new_context(viewport=viewport, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(180_000)
        try:
            if admin is not None:
                page.goto(origin + "/accounts/login/")
                page.get_by_label("Username").fill(admin.username)
                page.get_by_label("Password").fill(admin.password)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url("**/staff/")
            for name, path, step in pages:
                response = page.goto(origin + path)
                step(page)
                if response is None or response.status != 200 or not page.locator("h1").count():
                    problems.append(f"{name}: {response.status if response else 'no answer'}")
                width = page.evaluate("() => document.documentElement.scrollWidth")
                if width > viewport["width"]:
                    problems.append(f"{name}{suffix}: {width} px wide")
                page.evaluate("() => document.activeElement && document.activeElement.blur()")
                page.screenshot(path=str(folder / f"{name}{suffix}.png"), full_page=True)
        finally:
            context.close()
    return problems


def test_the_key_pages_at_desktop_width_and_on_a_phone(
    browser: Any, demo_site: Any, screenshots: Path
) -> None:
    origin, admin = demo_site
    resident, staff = key_pages()

    problems = shoot(browser, origin, resident, folder=screenshots)
    problems += shoot(browser, origin, staff, folder=screenshots, admin=admin)

    assert problems == []
    for name, _, _ in resident + staff:
        assert (screenshots / f"{name}.png").is_file()
        assert (screenshots / f"{name}-phone.png").is_file()
