"""The worker's periodic job keeps every force's headline back-tests current after an import."""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beatbook.accounts.services import user_create
from beatbook.analysis.backtest_settings import BacktestSettings
from beatbook.analysis.forecast.methods import METHODS
from beatbook.insights.backtest_refresh import (
    backtest_refresh,
    backtests_due,
    backtests_refresh_due,
)
from beatbook.insights.backtest_store import (
    HEADLINE_CATEGORIES,
    backtest_note,
    backtest_state,
)
from beatbook.insights.forecast_data import data_version
from beatbook.insights.models import Backtest
from beatbook.opendata.models import Crime
from beatbook.opendata.services import ingest_paths
from beatbook.places.models import Force
from beatbook.records.models import SourceFile, SourceKind, SourceStatus
from beatbook.site.worker import periodic_jobs, sweepers_for

from .forecast_db_world import add_month, build_forecast_world, current_backtest

# Four months keep the back-test of every method small: three of them can be scored.
WORLD_MONTHS = ["2025-03", "2025-04", "2025-05", "2025-06"]


@pytest.fixture
def testshire(db: None, settings: object, tmp_path: Path) -> Force:
    settings.DATA_DIR = tmp_path / "data"  # type: ignore[attr-defined]
    return build_forecast_world(WORLD_MONTHS)


def stored(category: str) -> dict[str, object] | None:
    return current_backtest(force_id="testshire", category=category, cell_size=250.0)


def made_at() -> dict[str, object]:
    return dict(Backtest.objects.values_list("category", "made_at"))


def test_the_job_is_registered_with_the_worker_on_a_thread_of_its_own() -> None:
    refresh = "beatbook.insights.backtest_refresh.backtests_refresh_due"
    sweepers = sweepers_for(periodic_jobs(), parent_pid=None)
    alone = [s for s in sweepers if [job.path for job in s.jobs] == [refresh]]
    assert len(alone) == 1
    # The quick jobs (the e-mail retries) are on another thread, never behind a back-test.
    quick = [s for s in sweepers if s is not alone[0]]
    assert quick
    assert all(refresh not in [job.path for job in s.jobs] for s in quick)
    assert len({s.name for s in sweepers}) == len(sweepers)


def test_one_run_after_an_import_stores_fresh_backtests_and_a_second_does_nothing(
    testshire: Force,
) -> None:
    assert [d.category for d in backtests_due()] == list(HEADLINE_CATEGORIES)
    summary = backtests_refresh_due()
    assert summary.refreshed == [f"testshire {c}" for c in HEADLINE_CATEGORIES]
    assert summary.failed == []
    for category in HEADLINE_CATEGORIES:
        fresh = stored(category)
        assert fresh is not None, category
        assert fresh["methods"] == list(METHODS)
        assert (fresh["month_from"], fresh["month_to"]) == ("2025-03", "2025-06")
        assert fresh["data_version"] == data_version("testshire")
    rows = stored("all-crime")["rows"]  # type: ignore[index]
    # 2025-03 has no month before it to learn from: three months scored, every method.
    assert {r["method"] for r in rows} == set(METHODS)
    assert {r["origins"] for r in rows} == {3}
    # Robbery here never has a location: nothing to score, but done, so not retried.
    assert stored("robbery")["rows"] == []  # type: ignore[index]
    # Current and complete: the forecast has nothing to warn about.
    state = backtest_state(force_id="testshire", category="burglary", cell_size=250.0)
    assert backtest_note(state) == ""

    before = made_at()
    with CaptureQueriesContext(connection) as queries:
        again = backtests_refresh_due()
    assert again.refreshed == []
    assert again.failed == []
    assert made_at() == before
    # Finding nothing to do reads the versions, the months held and the stored rows: no crimes.
    assert len(queries) <= 6
    assert not any("opendata_crime" in q["sql"] for q in queries.captured_queries)


def test_a_new_month_reruns_that_force_and_another_forces_import_does_not(
    testshire: Force, tmp_path: Path, fixtures_dir: Path
) -> None:
    backtests_refresh_due()
    # Another force's import (two months, so it can be back-tested too) through the ingest.
    june = fixtures_dir / "policeuk" / "good" / "2025-06-staffordshire-street.csv"
    may = tmp_path / "2025-05-staffordshire-street.csv"
    may.write_text(june.read_text().replace("2025-06,", "2025-05,"))
    assert not ingest_paths(paths=[may, june]).failed
    assert {d.force_id for d in backtests_due()} == {"staffordshire"}
    testshire_made = {c: stored(c)["made_at"] for c in HEADLINE_CATEGORIES}  # type: ignore[index]
    backtests_refresh_due()
    assert backtests_due() == []
    assert {c: stored(c)["made_at"] for c in HEADLINE_CATEGORIES} == testshire_made  # type: ignore[index]
    staffordshire = current_backtest(force_id="staffordshire", category="all-crime", cell_size=250)
    assert staffordshire is not None
    assert staffordshire["month_to"] == "2025-06"

    add_month(testshire, "2025-07", seed=7)
    due = backtests_due()
    assert {(d.force_id, d.category, d.month_to) for d in due} == {
        ("testshire", c, "2025-07") for c in HEADLINE_CATEGORIES
    }
    backtests_refresh_due()
    for category in ("all-crime", "burglary", "violent-crime"):
        fresh = stored(category)
        assert fresh is not None
        assert (fresh["month_from"], fresh["month_to"]) == ("2025-03", "2025-07")


def test_a_backtest_another_worker_holds_is_left_to_it_until_its_lease_runs_out(
    testshire: Force,
) -> None:
    now = timezone.now()
    Backtest.objects.create(
        force=testshire,
        category="all-crime",
        measure="count",
        cell_size=250,
        claimed_until=now + timedelta(minutes=30),
        claim_token="someone-else",
        refresh_started_at=now,
    )
    summary = backtests_refresh_due(now=now)
    assert "testshire all-crime" not in summary.refreshed
    assert len(summary.refreshed) == 3
    assert stored("all-crime") is None
    # The other worker died: an hour later its claim has lapsed and the row is taken over.
    later = backtests_refresh_due(now=now + timedelta(hours=1))
    assert later.refreshed == ["testshire all-crime"]
    row = Backtest.objects.get(category="all-crime")
    assert row.claimed_until is None
    assert row.claim_token == ""


def test_a_quick_or_partial_backtest_is_replaced_by_one_of_every_method(
    testshire: Force,
) -> None:
    from beatbook.insights.forecast_services import backtest_run

    backtest_run("testshire", BacktestSettings.between("2025-05", "2025-06", methods=["mean-12"]))
    due = {d.category for d in backtests_due()}
    assert due == set(HEADLINE_CATEGORIES)
    backtests_refresh_due()
    assert stored("all-crime")["methods"] == list(METHODS)  # type: ignore[index]


def test_a_failing_backtest_is_recorded_and_tried_again_an_hour_later(db: None) -> None:
    # A force with two months of crimes, none with a location and no LSOAs: no study area.
    force = Force.objects.get(pk="dyfed-powys")
    for month in ("2025-01", "2025-02"):
        source = SourceFile.objects.create(
            kind=SourceKind.STREET,
            path=f"/data/{month}-dyfed-powys-street.csv",
            sha256=month.ljust(64, "0"),
            force=force,
            month=month,
            status=SourceStatus.LOADED,
            started_at=timezone.now(),
        )
        Crime.objects.create(force=force, month=month, category="burglary", source=source)
    now = timezone.now()
    summary = backtests_refresh_due(now=now)
    assert len(summary.failed) == len(HEADLINE_CATEGORIES)
    row = Backtest.objects.get(force=force, category="all-crime")
    assert "no crimes with a location" in row.refresh_error
    assert row.claimed_until is None
    assert backtests_due(now=now + timedelta(minutes=30)) == []
    assert len(backtests_due(now=now + timedelta(minutes=61))) == len(HEADLINE_CATEGORIES)


def test_a_stopping_worker_lets_go_of_its_backtest_at_once(
    testshire: Force, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The worker's sweeper thread carries a ``stopping`` event, set when it is told to stop.
    stopping = threading.Event()
    monkeypatch.setattr(threading.current_thread(), "stopping", stopping, raising=False)
    due = backtests_due()[0]
    stopping.set()
    assert backtest_refresh(due=due) == "stopped"
    row = Backtest.objects.get(category=due.category)
    assert row.claimed_until is None
    assert row.made_at is None
    assert backtests_refresh_due().refreshed == []
    stopping.clear()
    assert backtest_refresh(due=due) == "refreshed"


def test_staff_see_a_failed_refresh_in_the_admin_and_can_delete_it(
    testshire: Force, client: Client
) -> None:
    Backtest.objects.create(
        force=testshire,
        category="burglary",
        measure="count",
        cell_size=250,
        refresh_failed_at=timezone.now(),
        refresh_failed_version=data_version("testshire"),
        refresh_error="ValueError: something broke",
    )
    client.force_login(user_create(username="root", password="x" * 20, is_superuser=True))
    listing = client.get(reverse("admin:analytics_backtest_changelist"))
    assert listing.status_code == 200
    row = Backtest.objects.get()
    detail = client.get(reverse("admin:analytics_backtest_change", args=[row.pk]))
    assert "something broke" in detail.content.decode()
    client.post(reverse("admin:analytics_backtest_delete", args=[row.pk]), {"post": "yes"})
    assert not Backtest.objects.exists()
