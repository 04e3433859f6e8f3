"""An analyst reads next month's forecast and its back-test in a real browser."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from beatbook.accounts.models import Role
from insights.forecast_db_world import build_forecast_world  # tests/ is on the path

from .axe import serious_accessibility_problems
from .support import police_member_create, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def forecast_site(live_server: Any, settings: Any, tmp_path: Path) -> str:
    settings.DATA_DIR = tmp_path / "data"
    # No worker runs beside the tests: the forecast is made on the request.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
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
    police_member_create(
        force=force,
        organisation_name="Testshire Police",
        username="analyst",
        role=Role.ANALYST,
        is_staff=True,
    )
    return str(live_server.url)


def test_an_analyst_reads_the_forecast_and_its_backtest(
    page: Any, forecast_site: str, screenshots: Path
) -> None:
    page.goto(forecast_site + "/accounts/login/")
    sign_in(page, "analyst")
    page.wait_for_url("**/staff/")
    page.goto(forecast_site + "/analysis/")
    page.get_by_role("link", name="Forecasts").click()
    page.wait_for_selector("#forecast-map .leaflet-overlay-pane canvas", timeout=60_000)
    assert "Back-test score of this method" in page.content()
    results = page.get_by_role("region", name="Back-test results").inner_text()
    assert "mean-12 (baseline)" in results
    assert page.locator(".app-no-js").first.is_hidden()
    assert serious_accessibility_problems(page) == []
    page.screenshot(path=str(screenshots / "analysis-forecast.png"), full_page=True)
