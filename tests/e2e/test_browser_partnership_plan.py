"""A partner agency worker of the Safer City Partnership adds an action to the plan in a real
browser, is told plainly what is wrong, sees the measures by quarter, and publishes the plan;
a resident reads the public partnership page and the plan. Each page with no serious
accessibility problems, on a desktop and on a phone-sized screen."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from beatbook.partnerships.models import Action, PartnershipPlan
from beatbook.partnerships.strategy_plans import (
    MeasureDetails,
    PlanDetails,
    measure_add,
    objective_add,
    plan_create,
    priority_add,
)
from partnerships.strategy_world import StrategyWorld, build_strategy_world  # tests/ on the path

from .axe import serious_accessibility_problems
from .phone import PHONE
from .support import PASSWORD, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(live_server: Any) -> tuple[str, StrategyWorld, PartnershipPlan]:
    world = build_strategy_world()
    partner = world.users["partner"]
    partner.set_password(PASSWORD)
    partner.save()
    plan = plan_create(
        partnership=world.partnership, details=PlanDetails("Safer City Plan", 2026, 2028)
    )
    priority = priority_add(plan=plan, title="Anti-social behaviour", rationale="Most reported.")
    objective = objective_add(priority=priority, text="Less anti-social behaviour in parks")
    measure_add(
        objective=objective,
        details=MeasureDetails("anti-social-behaviour/per_1000", 2025, 20, "down"),
    )
    return str(live_server.url), world, plan


def test_a_partner_adds_an_action_and_publishes_the_plan(page: Any, site: Any) -> None:
    url, world, plan = site
    page.goto(url + "/accounts/login/")
    sign_in(page, "pat")
    page.wait_for_url("**/")
    page.goto(url + f"/staff/partnerships/stoke-on-trent/plans/{plan.pk}/")
    assert page.locator("h1").inner_text() == "Safer City Plan"
    assert serious_accessibility_problems(page) == []

    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("What will be done").fill("Youth outreach in Hanley Park")
    page.get_by_label("Done", exact=True).check()
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert "Choose the organisation that owns the action" in summary.inner_text()
    assert "Enter the date a done action was completed" in summary.inner_text()
    assert serious_accessibility_problems(page) == []
    assert not Action.objects.exists()

    page.get_by_label("Owner organisation").select_option(label="Stoke-on-Trent City Council")
    page.get_by_label("Lead").fill("Raj Patel")
    page.locator("#id_due_0").fill("30")
    page.locator("#id_due_1").fill("9")
    page.locator("#id_due_2").fill("2026")
    page.get_by_label("Not started", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="Stoke-on-Trent City Council")).to_be_visible()
    assert Action.objects.get().owner == world.council

    page.get_by_role("link", name="Progress by quarter").click()
    expect(page.get_by_role("heading", name="How a quarter is judged")).to_be_visible()
    table = page.get_by_role(
        "table", name="Anti-social behaviour per 1,000 residents, each quarter"
    )
    assert "January to March 2026" in table.inner_text()
    assert serious_accessibility_problems(page) == []

    page.get_by_role("link", name="Back to the plan").click()
    page.get_by_role("button", name="Publish the plan").click()
    expect(page.get_by_text("The plan is published.")).to_be_visible()
    plan.refresh_from_db()
    assert plan.published


def test_a_resident_reads_the_partnership_and_its_plan(browser: Any, site: Any) -> None:
    url, world, plan = site
    from beatbook.partnerships.strategy_plans import plan_publish

    plan_publish(plan=plan)
    for viewport in ({"width": 1280, "height": 900}, PHONE):
        context = browser.new_context(viewport=viewport, locale="en-GB")
        page = context.new_page()
        try:
            page.goto(url + "/partnerships/")
            page.get_by_role("link", name="Stoke-on-Trent Safer City Partnership").click()
            expect(page.get_by_role("heading", name="Our priorities")).to_be_visible()
            expect(page.get_by_role("cell", name="Chief Superintendent Ann Lee")).to_be_visible()
            assert serious_accessibility_problems(page) == []
            width = page.evaluate("() => document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"the page scrolls sideways ({width}px)"
            page.get_by_role("link", name="Read the plan: Safer City Plan").click()
            expect(
                page.get_by_role("heading", name="Priority 1: Anti-social behaviour")
            ).to_be_visible()
            assert serious_accessibility_problems(page) == []
        finally:
            context.close()
