"""The forecast page: next month's forecast with its back-test score, table and chart."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from beatbook.accounts.models import OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.insights.models import Backtest
from beatbook.places.models import Force

from .forecast_db_world import build_forecast_world


@pytest.fixture
def testshire(db: None, settings: object, tmp_path: Path) -> Force:
    settings.DATA_DIR = tmp_path / "data"  # type: ignore[attr-defined]
    cache.clear()
    force = build_forecast_world()
    call_command(
        "backtest",
        "--force",
        "testshire",
        "--from",
        "2025-03",
        "--to",
        "2025-06",
        "--methods",
        "mean-12,poisson-gbm",
        stdout=io.StringIO(),
    )
    return force


@pytest.fixture
def analyst(client: Client, testshire: Force) -> Client:
    user = user_create(username="ana", password="correct horse battery staple", is_staff=True)
    police = organisation_create(
        name="Testshire Police", kind=OrganisationKind.POLICE_FORCE, force=testshire
    )
    membership_grant(user=user, organisation=police, role=Role.ANALYST)
    client.force_login(user)
    return client


def test_the_page_is_for_signed_in_staff(client: Client, testshire: Force) -> None:
    response = client.get("/analysis/forecast/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_page_shows_next_months_forecast_and_its_backtest(analyst: Client) -> None:
    response = analyst.get("/analysis/forecast/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Testshire Police: all-crime in 2025-07" in html
    assert "Back-test score of this method" in html
    assert "<svg" in html
    assert "Back-test results" in html
    assert "mean-12 (baseline)" in html
    assert 'id="forecast-cells"' in html
    assert "forecast_map.js" in html


def test_the_download_holds_every_cell(analyst: Client) -> None:
    response = analyst.get("/analysis/forecast/download/?force=testshire&format=csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) >= 64
    assert response["Content-Disposition"].endswith('2025-07.csv"')
    geojson = analyst.get("/analysis/forecast/download/?force=testshire&format=geojson")
    assert geojson["Content-Type"] == "application/geo+json"


def test_forces_the_person_does_not_work_in_are_refused(analyst: Client) -> None:
    Force.objects.create(id="elsewhere", name="Elsewhere Police")
    page = analyst.get("/analysis/forecast/?force=elsewhere")
    assert page.status_code == 400
    assert "Select one of the forces you work in" in page.content.decode()
    download = analyst.get("/analysis/forecast/download/?force=elsewhere&format=csv")
    assert download.status_code == 400


def test_someone_without_a_force_is_told_so(client: Client, testshire: Force) -> None:
    user = user_create(username="bob", password="correct horse battery staple", is_staff=True)
    assert isinstance(user, User)
    client.force_login(user)
    response = client.get("/analysis/forecast/")
    assert "You do not work in any force" in response.content.decode()


def test_the_page_says_which_backtest_it_shows_and_when_a_fresh_one_is_running(
    analyst: Client,
) -> None:
    html = " ".join(analyst.get("/analysis/forecast/").content.decode().split())
    assert 'id="backtest-note"' in html
    assert (
        "a back-test of some methods only (mean-12, poisson-gbm), over 2025-03 to 2025-06" in html
    )
    assert "waiting for the background worker" in html
    started = timezone.now()
    Backtest.objects.filter(force_id="testshire", category="all-crime").update(
        claimed_until=started + timedelta(hours=1), claim_token="worker", refresh_started_at=started
    )
    html = " ".join(analyst.get("/analysis/forecast/").content.decode().split())
    assert (
        "A fresh back-test of every method on the latest data is being run in the background"
        in html
    )
    assert timezone.localtime(started).strftime("%H:%M") in html
