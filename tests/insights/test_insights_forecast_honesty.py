"""No later month changes a forecast, or a back-test score, of an earlier one: not through the
``backtest`` or ``forecast`` command, the forecast page, a forecast's quick back-test or the
worker's refresh; with the force's LSOA boundaries, and without them (the study area then comes
from where crimes were recorded, before the month forecast only)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from beatbook.accounts.models import OrganisationKind, Role
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.analysis.backtest_settings import BacktestSettings
from beatbook.analysis.forecast.export import cells_csv
from beatbook.analysis.forecast.methods import FAST_METHODS
from beatbook.insights.backtest_refresh import backtests_refresh_due
from beatbook.insights.forecast_services import Forecast, backtest_run, forecast_make
from beatbook.places.models import Force

from .forecast_db_world import CENTRE, HALF, add_crimes, add_month, build_forecast_world

# A cell no crime was ever recorded in: outside the LSOA, so never in the LSOA study area,
# and in the study area made from crimes only once a crime has been recorded there.
NEW_CORNER = (CENTRE[0] + HALF + 600.0, CENTRE[1] + HALF + 600.0)
HOT_CORNER = (CENTRE[0] - HALF + 100.0, CENTRE[1] - HALF + 100.0)
FAST = ["--methods", ",".join(FAST_METHODS)]
SCORES = ["category", "method", "month", "coverage", "cells", "captured", "total", "pei_star"]


@pytest.fixture(params=["lsoa", "crimes"])
def testshire(request: pytest.FixtureRequest, db: None, settings: object, tmp_path: Path) -> Force:
    settings.DATA_DIR = tmp_path / "data"  # type: ignore[attr-defined]
    return build_forecast_world(lsoa=request.param == "lsoa")


def add_from(force: Force, month: str, later: list[str]) -> None:
    """Crimes from ``month`` on: 60 in the new corner in ``month`` (outside any study area made
    before it), then, in each of the ``later`` months (held or new), a full month of crimes and
    60 more in each corner."""
    add_crimes(force, month, NEW_CORNER, 60)
    for i, other in enumerate(later):
        add_month(force, other, seed=900 + i)
        add_crimes(force, other, NEW_CORNER, 60)
        add_crimes(force, other, HOT_CORNER, 60)


def forget_backtests() -> None:
    """Delete every stored back-test and result, so the next forecast back-tests afresh."""
    for model in apps.get_app_config("analytics").get_models():
        model.objects.all().delete()


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def evidence(forecast: Forecast) -> tuple[object, ...]:
    """Everything a forecast says about its method and how it scored."""
    return (forecast.method, forecast.backtest, getattr(forecast, "held_out", None))


def test_the_backtest_command_scores_a_month_the_same_whatever_comes_after_it(
    testshire: Force, tmp_path: Path
) -> None:
    one, again = tmp_path / "one.csv", tmp_path / "again.csv"
    args = ["backtest", "--force", "testshire", "--from", "2025-02", "--to", "2025-02"]
    run(*args, "--methods", ",".join(FAST_METHODS), "--csv", str(one))
    before, _ = backtest_run(
        "testshire",
        BacktestSettings.between("2025-01", "2025-06", methods=FAST_METHODS),
        store=False,
    )
    # The filer's reproduction: crimes in later months, and a new month after the last.
    add_from(testshire, "2025-02", later=["2025-07"])
    add_crimes(testshire, "2025-04", NEW_CORNER, 60)
    run(*args, "--methods", ",".join(FAST_METHODS), "--csv", str(again))
    assert again.read_text() == one.read_text()
    after, _ = backtest_run(
        "testshire",
        BacktestSettings.between("2025-01", "2025-07", methods=FAST_METHODS),
        store=False,
    )
    earlier = ["2025-01", "2025-02"]
    pd.testing.assert_frame_equal(
        after[after["month"].isin(earlier)][SCORES].reset_index(drop=True),
        before[before["month"].isin(earlier)][SCORES].reset_index(drop=True),
    )


def test_the_forecast_command_says_the_same_after_later_months_are_loaded_and_backtested(
    testshire: Force, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    text = run("forecast", "--force", "testshire", "--month", "2025-05", "--output", str(first))
    add_from(testshire, "2025-05", later=["2025-06", "2025-07"])
    # A stored back-test that covers the month forecast and later ones.
    run("backtest", "--force", "testshire", "--from", "2024-08", "--to", "2025-07", *FAST)
    again = run("forecast", "--force", "testshire", "--month", "2025-05", "--output", str(second))
    assert again.replace(str(second), str(first)) == text
    assert second.read_text() == first.read_text()


def test_the_page_shows_the_forecast_that_every_later_path_still_gives(
    testshire: Force, client: Client
) -> None:
    user = user_create(username="ana", password="correct horse battery staple", is_staff=True)
    police = organisation_create(
        name="Testshire Police", kind=OrganisationKind.POLICE_FORCE, force=testshire
    )
    membership_grant(user=user, organisation=police, role=Role.ANALYST)
    client.force_login(user)
    page = client.get("/analysis/forecast/?force=testshire")
    assert page.status_code == 200
    shown = page.context["outputs"]
    assert shown["month"] == "2025-07"
    download = client.get("/analysis/forecast/download/?force=testshire&format=csv")
    cells = download.content.decode()

    add_from(testshire, "2025-07", later=["2025-08"])
    run("backtest", "--force", "testshire", "--from", "2024-09", "--to", "2025-08", *FAST)
    later = forecast_make(force_id="testshire", month="2025-07")
    assert later.method == shown["method"]
    assert later.backtest == shown["score"]
    assert cells_csv(later.frame()) == cells
    text = " ".join(run("forecast", "--force", "testshire", "--month", "2025-07").split())
    assert f"2025-07 (count): {shown['method']} -" in text
    assert f"PEI* {shown['score']['pei_star']:.3f}" in text


def test_a_forecasts_quick_backtest_scores_each_month_from_the_months_before_it(
    testshire: Force,
) -> None:
    first = forecast_make(force_id="testshire", month="2025-05")
    # Crimes in the last month back-tested, in a cell none was recorded in before: no score
    # of that month or any earlier one may change (the forecast itself may: 2025-04 is before
    # the month forecast).
    add_crimes(testshire, "2025-04", NEW_CORNER, 60)
    forget_backtests()
    second = forecast_make(force_id="testshire", month="2025-05")
    assert evidence(second) == evidence(first)
    # And months from the one forecast on change nothing at all.
    add_from(testshire, "2025-05", later=["2025-06", "2025-07"])
    forget_backtests()
    third = forecast_make(force_id="testshire", month="2025-05")
    assert evidence(third) == evidence(second)
    assert third.scores.tolist() == second.scores.tolist()
    assert third.cells.tolist() == second.cells.tolist()


WORKER_MONTHS = ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]


@pytest.fixture(params=["lsoa", "crimes"])
def small_testshire(
    request: pytest.FixtureRequest, db: None, settings: object, tmp_path: Path
) -> Force:
    settings.DATA_DIR = tmp_path / "data"  # type: ignore[attr-defined]
    return build_forecast_world(WORKER_MONTHS, lsoa=request.param == "lsoa")


def test_the_workers_refresh_after_later_months_changes_no_earlier_forecast(
    small_testshire: Force,
) -> None:
    backtests_refresh_due()
    before = forecast_make(force_id="testshire", month="2025-05", category="burglary")
    add_from(small_testshire, "2025-05", later=["2025-06", "2025-07", "2025-08"])
    summary = backtests_refresh_due()
    assert summary.refreshed
    after = forecast_make(force_id="testshire", month="2025-05", category="burglary")
    assert evidence(after) == evidence(before)
    assert after.scores.tolist() == before.scores.tolist()


def test_the_workers_refresh_keeps_the_earlier_months_scores_and_scores_only_the_new_ones(
    small_testshire: Force,
) -> None:
    from beatbook.insights.models import BacktestScore

    def kept() -> dict[tuple[str, str, str], tuple[object, object]]:
        return {
            (row.category, row.month, row.method): (row.scores, row.made_at)
            for row in BacktestScore.objects.filter(month__lt="2025-05")
        }

    backtests_refresh_due()
    earlier = kept()
    assert {month for _, month, _ in earlier} == {"2025-02", "2025-03", "2025-04"}
    add_from(small_testshire, "2025-05", later=["2025-06", "2025-07"])
    backtests_refresh_due()
    assert kept() == earlier
    stored = BacktestScore.objects.filter(category="burglary", method="mean-12")
    assert sorted(stored.values_list("month", flat=True)) == [
        "2025-02",
        "2025-03",
        "2025-04",
        "2025-05",
        "2025-06",
        "2025-07",
    ]
