"""An analyst reads next month's forecast and its back-test in a real browser."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from analytics.forecast_db_world import build_forecast_world  # tests/ is on the path
from beatbook.accounts.models import OrganisationKind, Role
from beatbook.accounts.services import membership_grant, organisation_create, user_create

from .axe import serious_accessibility_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def forecast_site(live_server: Any, settings: Any, tmp_path: Path) -> str:
    settings.DATA_DIR = tmp_path / "data"
    force = build_forecast_world()
    call_command(
        "backtest",
        "--force",
        force.pk,
        "--from",
        "2025-01",
        "--to",
        "2025-06",
        "--methods",
        "mean-12,last-month,kde",
        stdout=io.StringIO(),
    )
    police = organisation_create(
        name="Testshire Police", kind=OrganisationKind.POLICE_FORCE, force=force
    )
    analyst = user_create(username="analyst", password=PASSWORD, is_staff=True)
    membership_grant(user=analyst, organisation=police, role=Role.ANALYST)
    return str(live_server.url)


def test_an_analyst_reads_the_forecast_and_its_backtest(page: Any, forecast_site: str) -> None:
    page.goto(forecast_site + "/accounts/login/")
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/staff/")
    page.goto(forecast_site + "/analysis/")
    page.get_by_role("link", name="Forecasts").click()
    page.wait_for_selector("#forecast-map .leaflet-overlay-pane canvas", timeout=60_000)
    assert "Back-test score of this method" in page.content()
    results = page.get_by_role("region", name="Back-test results").inner_text()
    assert "mean-12 (baseline)" in results
    assert page.locator(".app-no-js").first.is_hidden()
    assert serious_accessibility_problems(page) == []
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        page.screenshot(
            path=str(REPO / "docs" / "screenshots" / "analysis-forecast.png"), full_page=True
        )
