"""The whole tasking loop in a real browser (issue 15): a neighbourhood officer asks the tasking
team for help at a hotspot; the tasking sergeant approves it and makes the late shift's patrol
plan, which answers it inside its hours, and issues it; the tasking constable opens his shift
on a phone and, once the shift is over, logs what happened at each visit there; the sergeant
records the request's outcome and reads the results. Every page passes axe."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from beatbook.tasking.models import (
    PatrolPlan,
    PlanStatus,
    RequestOutcome,
    RequestStatus,
    TaskingRequest,
    VisitResult,
)
from beatbook.tasking.shifts import LONDON
from tasking.tasking_world_plans import HOT_CELL, PlanWorld, build_plan_world, duty_add

from .axe import serious_accessibility_problems
from .support import PASSWORD, contact_log_empty, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 780}
WIDTH = "() => document.documentElement.scrollWidth"
TITLE = "Thefts from cars at the hot corner"


@pytest.fixture
def site(live_server: Any, settings: Any, tmp_path: Path) -> Iterator[tuple[str, PlanWorld]]:
    settings.DATA_DIR = tmp_path / "data"
    settings.PATROL_TIME_LIMIT = 2
    world = build_plan_world()
    for officer in world.ntt:
        duty_add(officer, world.late, tomorrow())
    for user in world.users.values():
        user.set_password(PASSWORD)
        user.save()
    yield str(live_server.url), world
    contact_log_empty()


def tomorrow() -> Any:
    return timezone.localdate() + timedelta(days=1)


def check(page: Any, width: int | None = None) -> None:
    assert serious_accessibility_problems(page) == []
    if width is not None:
        assert page.evaluate(WIDTH) <= width


def fill_date(page: Any, legend: str, day: Any) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def ask(page: Any, base: str) -> TaskingRequest:
    """The west team's officer asks for an hour of high-visibility patrol at the hot corner."""
    start = reverse("tasking:request-list")
    page.goto(f"{base}/accounts/login/?next={start}")
    sign_in(page, "west")
    page.wait_for_url(f"**{start}")
    page.get_by_role("link", name="Ask the tasking team for help").click()
    page.get_by_label("Short title").fill(TITLE)
    page.get_by_label("The problem").fill("Cars broken into every evening this month.")
    page.get_by_label("A hotspot").check()
    page.get_by_label("Hotspot cell").fill(HOT_CELL)
    # The square typed, as a keyboard user would (the map way is tested in
    # test_browser_tasking_request): the map marks it as chosen.
    page.get_by_label("Cells", exact=True).fill(HOT_CELL)
    fill_date(page, "First day", tomorrow())
    fill_date(page, "Last day", tomorrow())
    page.get_by_label("Time each day starts").fill("16:00")
    page.get_by_label("Time each day ends").fill("20:00")
    page.get_by_label("High-visibility patrol").check()
    page.get_by_label("Officers wanted").fill("1")
    page.get_by_label("Minutes in place wanted each day").fill("30")
    page.get_by_label("High", exact=True).check()
    page.get_by_label("Evidence").fill("Nine thefts from vehicles in four weeks.")
    check(page)
    page.get_by_role("button", name="Send the request").click()
    made = TaskingRequest.objects.get(title=TITLE)
    page.wait_for_url(f"**/staff/tasking/requests/{made.pk}/")
    return made


def approve_and_plan(page: Any, base: str, request: TaskingRequest) -> PatrolPlan:
    detail = reverse("tasking:request-detail", args=[request.pk])
    page.goto(f"{base}/accounts/login/?next={detail}")
    sign_in(page, "sergeant")
    page.wait_for_url(f"**{detail}")
    page.get_by_role("link", name="Approve or decline").click()
    page.get_by_label("Approve it").check()
    page.get_by_label("Reason").fill("The late shift can cover it.")
    page.get_by_role("button", name="Save the decision").click()
    page.wait_for_url(f"**{detail}")
    check(page)

    page.goto(base + reverse("tasking:plan-make"))
    page.get_by_label("Testshire Police").check()
    page.get_by_label("Day").fill(str(tomorrow().day))
    page.get_by_label("Month").fill(str(tomorrow().month))
    page.get_by_label("Year").fill(str(tomorrow().year))
    page.get_by_label("Late (3pm to 11pm)").check()
    page.get_by_label("Whose plan").select_option("ntt")
    page.get_by_role("button", name="Make the plan").click()
    page.wait_for_url("**/staff/tasking/plans/*/", timeout=120_000)
    check(page)
    page.get_by_role("button", name="Issue the plan to officers").click()
    page.wait_for_selector("text=The plan is issued")
    return PatrolPlan.objects.get()


def test_request_approval_plan_and_results(site: tuple[str, PlanWorld], browser: Any) -> None:
    base, _world = site
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = desk.new_page()
    request = ask(page, base)
    desk.clear_cookies()
    plan = approve_and_plan(page, base, request)

    # The plan answers the request: at the hot corner, inside 4pm to 8pm tomorrow, half an hour.
    request.refresh_from_db()
    assert request.status == RequestStatus.APPROVED
    answering = plan.visits.filter(place__key=HOT_CELL, place__request=request)
    assert answering.count() >= 2  # 30 minutes wanted, in visits of 15
    for visit in answering:
        starts, ends = visit.starts.astimezone(LONDON), visit.ends.astimezone(LONDON)
        assert starts.date() == ends.date() == tomorrow()
        assert starts.time() >= time(16)
        assert ends.time() <= time(20)
    assert plan.status == PlanStatus.ISSUED

    # The constable opens his shift on a phone before it starts.
    mine = plan.visits.filter(officer__user__username="constable").order_by("order")
    assert mine.exists()
    phone_context = browser.new_context(
        viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True
    )
    phone = phone_context.new_page()
    shift = reverse("tasking:my-shift")
    phone.goto(f"{base}/accounts/login/?next={shift}")
    sign_in(phone, "constable")
    phone.wait_for_url(f"**{shift}")
    assert phone.locator(".app-plan-stop").count() == mine.count()
    check(phone, PHONE["width"])

    # The shift is over (moved whole into the past): he logs the first visit from his route.
    back = timedelta(days=3)
    PatrolPlan.objects.filter(pk=plan.pk).update(starts=F("starts") - back, ends=F("ends") - back)
    plan.visits.update(starts=F("starts") - back, ends=F("ends") - back)
    first = mine.first()
    assert first is not None
    route = reverse("tasking:plan-officer", args=[plan.pk, first.officer_id])
    phone.goto(base + route)
    stop = phone.locator(".app-plan-stop").first
    stop.get_by_role("link", name=re.compile("^Log what happened")).click()
    phone.get_by_role("radio", name="Yes", exact=True).check()
    phone.get_by_label("Minutes in place", exact=True).fill("15")
    phone.get_by_label("Arrests", exact=True).fill("1")
    phone.get_by_role("button", name="Save the result").click()
    phone.wait_for_url(f"**{route}")
    assert "Done, 15 minutes in place" in phone.locator(".app-plan-stop").first.inner_text()
    check(phone, PHONE["width"])
    result = VisitResult.objects.get(visit=first)
    assert (result.done, result.minutes_in_place, result.arrests) == (True, 15, 1)
    phone_context.close()

    # The sergeant records the request's outcome and reads the team's results.
    page.goto(base + reverse("tasking:request-detail", args=[request.pk]))
    page.get_by_role("link", name="Record the outcome").click()
    page.get_by_label(RequestOutcome.MET.label).check()
    page.get_by_role("button", name="Save the outcome").click()
    page.wait_for_url(f"**{reverse('tasking:request-detail', args=[request.pk])}")
    request.refresh_from_db()
    assert request.outcome == RequestOutcome.MET
    page.goto(base + reverse("tasking:results") + f"?force={plan.force_id}")
    text = page.locator("main").inner_text()
    assert "Arrests" in text
    check(page)
    desk.close()
