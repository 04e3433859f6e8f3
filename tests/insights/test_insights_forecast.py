"""``beatbook forecast`` and ``beatbook backtest`` on a database, and the forecast service."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from scipy import stats

from beatbook.analysis.backtest import summarise
from beatbook.analysis.backtest_settings import BacktestSettings
from beatbook.analysis.forecast.methods import FAST_METHODS
from beatbook.analysis.forecast.selection import choose_method
from beatbook.common.months import month_range
from beatbook.insights.backtest_store import backtest_note, backtest_state
from beatbook.insights.forecast_data import data_version, force_data_load
from beatbook.insights.forecast_services import backtest_run, forecast_make
from beatbook.insights.models import BacktestScore
from beatbook.opendata.models import Crime
from beatbook.places.models import Force, Lsoa
from beatbook.records.models import SourceFile

from .forecast_db_world import (
    CENTRE,
    HALF,
    add_month,
    build_forecast_world,
    cell_rates,
    current_backtest,
)
from .insights_world import boundary_around


@pytest.fixture
def testshire(db: None, settings: object, tmp_path: Path) -> str:
    settings.DATA_DIR = tmp_path / "data"  # type: ignore[attr-defined]
    build_forecast_world()
    return "testshire"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_forecast_writes_every_cell_of_the_study_area(testshire: str, tmp_path: Path) -> None:
    output = tmp_path / "cells.csv"
    text = run("forecast", "--force", testshire, "--month", "2025-07", "--output", str(output))
    assert "Testshire Police, all-crime, 2025-07" in text
    assert "Back-test at 1% of the area over" in text
    assert "the force's LSOA boundaries" in text
    rows = list(csv.DictReader(output.open()))
    # The LSOA is a 2 km square on 250 m cells aligned to the grid: 8 x 8, plus the edge
    # cells its rounded corners touch.
    assert 64 <= len(rows) <= 81
    assert set(rows[0]) == {"easting", "northing", "size_m", "score", "rank"}
    assert all(int(r["easting"]) % 250 == 0 and int(r["size_m"]) == 250 for r in rows)
    assert sorted(int(r["rank"]) for r in rows) == list(range(1, len(rows) + 1))
    # The hot corner (lower-left 500 m) should hold the top cells.
    top = min(rows, key=lambda r: int(r["rank"]))
    assert int(top["easting"]) < CENTRE[0] - HALF + 500
    assert int(top["northing"]) < CENTRE[1] - HALF + 500


def test_forecast_scores_follow_the_true_rates(testshire: str) -> None:
    forecast = forecast_make(force_id=testshire, month="2025-07", method="poisson-gbm")
    xs, ys = forecast.grid.origins()
    column = ((xs[forecast.cells] - (CENTRE[0] - HALF)) // 250).astype(int)
    row = ((ys[forecast.cells] - (CENTRE[1] - HALF)) // 250).astype(int)
    inside = (column >= 0) & (column < 8) & (row >= 0) & (row < 8)
    truth = cell_rates()[row[inside], column[inside]]
    assert stats.spearmanr(forecast.scores[inside], truth).statistic > 0.6


def test_a_forecast_for_a_month_held_uses_only_earlier_months(testshire: str) -> None:
    before = forecast_make(force_id=testshire, month="2025-05", method="poisson-gbm")
    # Pile crimes into 2025-05 and 2025-06 of one cold cell: the forecast must not move.
    source = SourceFile.objects.get(force_id=testshire, month="2025-06")
    cold = Crime.objects.filter(source=source).exclude(easting=None).first()
    assert cold is not None
    for month in ("2025-05", "2025-06"):
        src = SourceFile.objects.get(force_id=testshire, month=month)
        Crime.objects.bulk_create(
            [
                Crime(
                    force_id=testshire,
                    month=month,
                    category="burglary",
                    source=src,
                    easting=int(CENTRE[0] + HALF - 100),
                    northing=int(CENTRE[1] + HALF - 100),
                    latitude=cold.latitude,
                    longitude=cold.longitude,
                )
                for _ in range(500)
            ]
        )
    after = forecast_make(force_id=testshire, month="2025-05", method="poisson-gbm")
    assert after.scores.tolist() == before.scores.tolist()


def test_forecast_geojson_and_harm(testshire: str, tmp_path: Path) -> None:
    output = tmp_path / "cells.geojson"
    text = run(
        "forecast",
        "--force",
        testshire,
        "--month",
        "2025-07",
        "--category",
        "burglary",
        "--method",
        "mean-12",
        "--harm",
        "cchi",
        "--output",
        str(output),
    )
    assert "mean-12" in text
    assert "(harm-cchi)" in text
    document = json.loads(output.read_text())
    assert document["properties"]["method"] == "mean-12"
    first = document["features"][0]
    assert first["geometry"]["type"] == "Polygon"
    lng, lat = first["geometry"]["coordinates"][0][0]
    assert -3 < lng < -1.5
    assert 52 < lat < 54


def test_backtest_prints_a_table_and_writes_csv_and_chart(testshire: str, tmp_path: Path) -> None:
    summary_csv, chart = tmp_path / "summary.csv", tmp_path / "chart.svg"
    text = run(
        "backtest",
        "--force",
        testshire,
        "--from",
        "2025-01",
        "--to",
        "2025-06",
        "--methods",
        "mean-12,last-month,poisson-gbm",
        "--categories",
        "all-crime,burglary",
        "--csv",
        str(summary_csv),
        "--chart",
        str(chart),
    )
    assert "Back-test" in text
    assert "poisson-gbm" in text
    assert "best baseline" in text
    rows = list(csv.DictReader(summary_csv.open()))
    assert {r["category"] for r in rows} == {"all-crime", "burglary"}
    assert {r["origins"] for r in rows} == {"6"}
    assert chart.read_text().lstrip().startswith("<svg")
    stored = current_backtest(force_id=testshire, category="burglary", cell_size=250.0)
    assert stored is not None
    assert stored["month_from"] == "2025-01"
    assert {r["comparisons"] for r in stored["rows"]} == {2}
    # The forecast chooses among the fast methods by the rule, on the six months before it,
    # whatever the stored summary holds; its score is that of those months.
    forecast = forecast_make(force_id=testshire, month="2025-07", category="burglary")
    results, summary = backtest_run(
        testshire,
        BacktestSettings.between(
            "2025-01", "2025-06", methods=FAST_METHODS, categories=["burglary"]
        ),
        store=False,
    )
    months = [f"2025-0{m}" for m in range(1, 7)]
    choice = choose_method(results, months=months, candidates=FAST_METHODS)
    assert forecast.method == choice.method
    assert forecast.choice == choice
    row = summary[(summary["method"] == choice.method) & (summary["coverage"] == 0.01)].iloc[0]
    assert forecast.backtest is not None
    assert forecast.backtest["pei_star"] == pytest.approx(row["pei_star"])
    assert forecast.backtest["ci_low"] == pytest.approx(row["ci_low"])
    assert [forecast.backtest["month_from"], forecast.backtest["month_to"]] == months[::5]
    assert forecast.backtest["in_sample"]
    assert forecast.backtest["comparisons"] == len(FAST_METHODS) - 1


def test_new_data_makes_the_stored_backtest_stale(testshire: str) -> None:
    run(
        "backtest",
        "--force",
        testshire,
        "--from",
        "2025-05",
        "--to",
        "2025-06",
        "--methods",
        "mean-12",
    )
    assert current_backtest(force_id=testshire, category="all-crime", cell_size=250.0)
    add_month(SourceFile.objects.first().force, "2025-07", seed=1)  # type: ignore[union-attr]
    assert current_backtest(force_id=testshire, category="all-crime", cell_size=250.0) is None


def test_missing_month_is_skipped_not_scored(testshire: str) -> None:
    results, _ = backtest_run(
        testshire, BacktestSettings.between("2024-06", "2024-08", methods=["mean-3"]), store=False
    )
    assert sorted(set(results["month"])) == ["2024-06", "2024-08"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--force", "atlantis", "--month", "2025-07"], "There is no force 'atlantis'"),
        (["--force", "testshire", "--month", "2025-13"], "YYYY-MM"),
        (["--force", "testshire", "--month", "2020-01"], "No crime data is loaded"),
        (["--force", "testshire", "--month", "2025-07", "--output", "x.txt"], "must end .csv"),
        (
            ["--force", "testshire", "--month", "2025-07", "--output", "/no/such/folder/x.csv"],
            "There is no folder /no/such/folder to write x.csv in",
        ),
    ],
)
def test_forecast_bad_input_is_named(testshire: str, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run("forecast", *args)


def test_backtest_bad_input_is_named(testshire: str) -> None:
    with pytest.raises(CommandError, match="Unknown forecasting method crystal"):
        run(
            "backtest",
            "--force",
            testshire,
            "--from",
            "2025-01",
            "--to",
            "2025-02",
            "--methods",
            "crystal",
        )
    with pytest.raises(CommandError, match="No month in that range"):
        run("backtest", "--force", testshire, "--from", "2024-01", "--to", "2024-01")
    assert np.isfinite(cell_rates()).all()


def test_a_forecast_with_nothing_stored_backtests_the_fast_methods_on_one_read(
    testshire: str,
) -> None:
    with CaptureQueriesContext(connection) as queries:
        forecast = forecast_make(force_id=testshire, month="2025-07", category="burglary")
    crime_reads = [q for q in queries.captured_queries if '"opendata_crime"' in q["sql"]]
    assert len(crime_reads) == 1
    # The twelve months back-tested before 2025-07 (2024-07 was never published).
    window = [m for m in month_range("2024-06", "2025-06") if m != "2024-07"]
    stored = current_backtest(force_id=testshire, category="burglary", cell_size=250.0)
    assert stored is not None
    assert stored["methods"] == list(FAST_METHODS)
    assert (stored["month_from"], stored["month_to"]) == (window[0], window[-1])
    assert {r["method"] for r in stored["rows"]} == set(FAST_METHODS)
    kept = BacktestScore.objects.filter(force_id=testshire, category="burglary")
    assert sorted(set(kept.values_list("month", flat=True))) == window
    assert forecast.method in FAST_METHODS
    assert forecast.backtest is not None
    # The same numbers as a back-test of those methods run on its own, from scratch.
    results, _ = backtest_run(
        testshire,
        BacktestSettings.between(
            window[0], window[-1], methods=FAST_METHODS, categories=["burglary"]
        ),
        store=False,
    )
    choice = choose_method(results, months=window[-6:], candidates=FAST_METHODS)
    assert forecast.method == choice.method
    alone = summarise(results[results["month"].isin(window[-6:])])
    best = alone[(alone["method"] == choice.method) & (alone["coverage"] == 0.01)].iloc[0]
    assert forecast.backtest["pei_star"] == pytest.approx(best["pei_star"])
    # The rule held out: each of the last six months forecast with the method chosen from the
    # (three to six) months before it.
    assert forecast.held_out is not None
    assert forecast.held_out.months == tuple(window[-6:])
    # A second forecast reads the kept scores: the crimes of its own 36 months only.
    with CaptureQueriesContext(connection) as queries:
        again = forecast_make(force_id=testshire, month="2025-07", category="burglary")
    assert len([q for q in queries.captured_queries if '"opendata_crime"' in q["sql"]]) == 1
    assert again.backtest == forecast.backtest
    assert again.scores.tolist() == forecast.scores.tolist()


def test_a_stale_headline_backtest_is_shown_as_out_of_date_until_the_worker_replaces_it(
    testshire: str,
) -> None:
    run("backtest", "--force", testshire, "--from", "2025-03", "--to", "2025-06")
    add_month(SourceFile.objects.first().force, "2025-07", seed=1)  # type: ignore[union-attr]
    text = " ".join(run("forecast", "--force", testshire, "--month", "2025-08").split())
    # The forecast's own score: the six months before it, whatever is stored.
    assert "Back-test at 1% of the area over the 6 months 2025-02 to 2025-07" in text
    # No quick back-test replaced the stored table: the worker will make the full one.
    stale = backtest_state(force_id=testshire, category="all-crime", cell_size=250.0)
    assert stale.summary is not None
    assert stale.summary["month_to"] == "2025-06"
    assert not stale.current
    note = backtest_note(stale)
    assert "The table of how every method did comes from a back-test over 2025-03 to" in note
    assert "made before the latest data was imported" in note
    assert "waiting for the background worker" in note


def test_a_stale_backtest_the_worker_does_not_keep_is_made_again_quickly(testshire: str) -> None:
    run(
        "backtest",
        "--force",
        testshire,
        "--from",
        "2025-03",
        "--to",
        "2025-06",
        "--harm",
        "cchi",
        "--methods",
        "mean-12,kde",
    )
    add_month(SourceFile.objects.first().force, "2025-07", seed=1)  # type: ignore[union-attr]
    # Harm-weighted back-tests are not kept current by the worker.
    forecast = forecast_make(force_id=testshire, month="2025-08", harm="cchi")
    assert forecast.backtest_state.current
    assert forecast.backtest_state.summary is not None
    assert forecast.backtest_state.summary["methods"] == list(FAST_METHODS)
    assert backtest_note(forecast.backtest_state) == ""


def test_the_study_area_is_kept_and_follows_the_lsoas(testshire: str, settings: object) -> None:
    first = force_data_load(
        force_id=testshire, month_from="2025-01", month_to="2025-06", categories=[], cell_size=250
    )
    kept = list((Path(settings.DATA_DIR) / "forecasts" / "areas").glob("testshire-250m-*.npz"))  # type: ignore[attr-defined]
    assert len(kept) == 1
    again = force_data_load(
        force_id=testshire, month_from="2025-01", month_to="2025-06", categories=[], cell_size=250
    )
    assert again.grid == first.grid
    assert again.cells.tolist() == first.cells.tolist()
    version = data_version(testshire)
    # A bigger LSOA: another key, another area, another data version.
    Lsoa.objects.filter(code="E01099999").update(**boundary_around(CENTRE, HALF + 499.0))
    bigger = force_data_load(
        force_id=testshire, month_from="2025-01", month_to="2025-06", categories=[], cell_size=250
    )
    assert len(bigger.cells) > len(first.cells)
    assert data_version(testshire) != version


def test_another_forces_import_leaves_the_data_version_alone(testshire: str) -> None:
    version = data_version(testshire)
    cheshire = Force.objects.get(pk="cheshire")
    add_month(cheshire, "2025-07", seed=3)
    assert data_version(testshire) == version
    add_month(Force.objects.get(pk=testshire), "2025-07", seed=3)
    assert data_version(testshire) != version
