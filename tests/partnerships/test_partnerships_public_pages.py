"""The public partnership pages: only a published partnership is shown; its page has the aim,
the latest published plan's priorities, members with their representatives, how to get involved
and computed headline measures; the plan reads as a page and downloads as a tagged PDF."""

from __future__ import annotations

import re
import zlib
from datetime import date

import pytest
from django.test import Client

from beatbook.partnerships import strategy_pdf
from beatbook.partnerships.models import PartnershipPlan
from beatbook.partnerships.strategy_plans import (
    ActionDetails,
    MeasureDetails,
    PlanDetails,
    action_add,
    measure_add,
    objective_add,
    plan_create,
    plan_publish,
    priority_add,
)

from .strategy_world import MONTHS_2025, StrategyWorld, build_strategy_world, count_directly

pytestmark = pytest.mark.django_db

PAGE = "/partnerships/stoke-on-trent/"


@pytest.fixture
def world() -> StrategyWorld:
    return build_strategy_world()


def _plan(world: StrategyWorld, title: str, year_from: int, *, publish: bool) -> PartnershipPlan:
    plan = plan_create(
        partnership=world.partnership, details=PlanDetails(title, year_from, year_from + 2)
    )
    priority = priority_add(plan=plan, title=f"Violent crime ({title})")
    objective = objective_add(priority=priority, text="Fewer violent crimes")
    action_add(
        objective=objective,
        details=ActionDetails(
            "Night-time patrols", world.police, "Insp Jo Bloggs", date(2026, 12, 31), "in_progress"
        ),
    )
    measure_add(objective=objective, details=MeasureDetails("violent-crime/count", 2025, 80))
    if publish:
        plan_publish(plan=plan)
    return plan


def test_the_page_shows_the_aim_priorities_members_and_how_to_get_involved(
    world: StrategyWorld,
) -> None:
    _plan(world, "Plan 2026", 2026, publish=True)
    _plan(world, "Draft 2027", 2027, publish=False)

    page = Client().get(PAGE).content.decode()

    assert "A safer, stronger and healthier city" in page
    assert "Violent crime (Plan 2026)" in page
    assert "Draft 2027" not in page  # a draft is never shown
    assert "Chief Superintendent Ann Lee" in page
    assert "Community members" in page
    assert "Come to a community safety meeting" in page
    assert "mailto:safercity@example.org" in page
    assert "Violence and sexual offences, number recorded" in page
    baseline = count_directly(months=MONTHS_2025, category="violent-crime")
    assert f"{baseline} (2025)" in page  # the headline measure's baseline, computed


def test_the_latest_published_plan_is_the_one_shown(world: StrategyWorld) -> None:
    _plan(world, "Plan 2026", 2026, publish=True)
    _plan(world, "Plan 2027", 2027, publish=True)

    page = Client().get(PAGE + "plan/").content.decode()

    assert "Plan 2027" in page
    assert "Violent crime (Plan 2026)" not in page
    assert "Night-time patrols" in page
    assert "Staffordshire Police" in page
    assert "Insp Jo Bloggs" not in page  # a lead's name stays with the partnership's staff


def test_an_unpublished_partnership_is_not_found(world: StrategyWorld) -> None:
    _plan(world, "Plan 2026", 2026, publish=True)
    world.partnership.published = False
    world.partnership.save()
    client = Client()

    for url in (PAGE, PAGE + "plan/", PAGE + "plan.pdf"):
        assert client.get(url).status_code == 404, url
    assert "Stoke-on-Trent" not in client.get("/partnerships/").content.decode()


def test_a_partnership_without_a_published_plan_says_so(world: StrategyWorld) -> None:
    _plan(world, "Draft", 2026, publish=False)
    client = Client()

    assert "We have not published a plan yet" in client.get(PAGE).content.decode()
    assert client.get(PAGE + "plan/").status_code == 404
    assert "Stoke-on-Trent Safer City Partnership" in client.get("/partnerships/").content.decode()


def test_the_plan_downloads_as_a_tagged_pdf(world: StrategyWorld) -> None:
    _plan(world, "Plan 2026", 2026, publish=True)

    response = Client().get(PAGE + "plan.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "stoke-on-trent-plan-2026-2028.pdf" in response["Content-Disposition"]
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    objects = _pdf_objects(pdf)
    assert b"/StructTreeRoot" in objects  # tagged: its structure is there for screen readers
    assert b"/Marked true" in objects
    assert b"/Table" in objects  # the tables keep their structure


def _pdf_objects(pdf: bytes) -> bytes:
    """The PDF's text with every compressed stream (object streams too) inflated."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, flags=re.DOTALL):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_without_weasyprint_the_pdf_page_says_what_to_install(
    world: StrategyWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    _plan(world, "Plan 2026", 2026, publish=True)

    def unavailable() -> None:
        raise strategy_pdf.PdfUnavailableError(strategy_pdf.INSTALL)

    monkeypatch.setattr(strategy_pdf, "_weasyprint", unavailable)
    client = Client()
    response = client.get(PAGE + "plan.pdf")

    assert response.status_code == 503
    text = response.content.decode()
    assert "The PDF cannot be made here" in text
    assert "apt-get install libpango-1.0-0" in text
    assert client.get(PAGE + "plan/").status_code == 200  # the page still works


def test_the_home_page_lists_published_partnerships_only(world: StrategyWorld) -> None:
    home = Client().get("/").content.decode()
    assert 'href="/partnerships/stoke-on-trent/"' in home
    assert world.partnership.name in home

    world.partnership.published = False
    world.partnership.save()
    home = Client().get("/").content.decode()
    assert world.partnership.name not in home
    assert "Community safety partnerships" not in home
