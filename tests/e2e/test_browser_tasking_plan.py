"""A tasking sergeant makes a patrol plan from its page, sees it on the map and issues it; a
constable opens his shift on a 360 px phone: his route in order, its map, and why each place
is on it. An accessibility check runs on every page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from beatbook.tasking.models import PatrolPlan, PlanStatus
from tasking.tasking_world_plans import DAY, build_plan_world

from .axe import serious_accessibility_problems
from .support import PASSWORD, contact_log_empty, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 780}
WIDTH = "() => document.documentElement.scrollWidth"


@pytest.fixture
def site(live_server: Any, settings: Any, tmp_path: Path) -> Iterator[str]:
    settings.DATA_DIR = tmp_path / "data"
    settings.PATROL_TIME_LIMIT = 2
    world = build_plan_world()
    for user in world.users.values():
        user.set_password(PASSWORD)
        user.save()
    yield str(live_server.url)
    contact_log_empty()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


def test_a_sergeant_makes_a_plan_and_an_officer_opens_his_shift(
    site: str, page: Any, phone: Any
) -> None:
    make = reverse("tasking:plan-make")
    page.goto(f"{site}/accounts/login/?next={make}")
    sign_in(page, "sergeant")
    page.wait_for_url(f"**{make}")
    assert serious_accessibility_problems(page) == []
    page.get_by_label("Testshire Police").check()
    page.get_by_label("Day").fill(str(DAY.day))
    page.get_by_label("Month").fill(str(DAY.month))
    page.get_by_label("Year").fill(str(DAY.year))
    page.get_by_label("Late (3pm to 11pm)").check()
    page.get_by_label("Whose plan").select_option("ntt")
    page.get_by_role("button", name="Make the plan").click()
    page.wait_for_url("**/staff/tasking/plans/*/", timeout=120_000)

    plan = PatrolPlan.objects.get()
    assert page.locator("h1").inner_text() == "Late shift, Tuesday 15 July 2025"
    assert "No plan for this shift could prevent more than" in page.content()
    page.wait_for_selector("#plan-map .leaflet-interactive")
    assert serious_accessibility_problems(page) == []
    page.get_by_role("button", name="Issue the plan to officers").click()
    page.wait_for_selector("text=The plan is issued")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ISSUED

    # The shift is in July 2025 (the world's crimes end in June); "my shift" is the next one
    # still to end, so the issued plan is moved whole into the coming days.
    ahead = timedelta(days=(timezone.now() - plan.starts).days + 2)
    PatrolPlan.objects.filter(pk=plan.pk).update(starts=F("starts") + ahead, ends=F("ends") + ahead)
    plan.visits.update(starts=F("starts") + ahead, ends=F("ends") + ahead)
    mine = plan.visits.filter(officer__collar_number="T1").order_by("order")

    shift = reverse("tasking:my-shift")
    phone.goto(f"{site}/accounts/login/?next={shift}")
    sign_in(phone, "constable")
    phone.wait_for_url(f"**{shift}")
    stops = phone.locator(".app-plan-stop")
    assert stops.count() == mine.count()
    assert mine[0].place.key in stops.first.inner_text()
    assert "Why it is on your route" in stops.first.inner_text()
    phone.wait_for_selector("#plan-map .leaflet-interactive")
    assert phone.evaluate(WIDTH) <= PHONE["width"]
    assert serious_accessibility_problems(phone) == []
    # Touch targets: the briefing and calendar buttons are at least 44 px tall.
    for name in ("Printable briefing", "Add to calendar (.ics)"):
        box = phone.get_by_role("link", name=name).bounding_box()
        assert box is not None
        assert box["height"] >= 44
    phone.get_by_role("link", name="Printable briefing").click()
    phone.wait_for_selector("text=Patrol briefing")
    assert serious_accessibility_problems(phone) == []
