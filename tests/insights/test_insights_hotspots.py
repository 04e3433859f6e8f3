from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import orjson
import pytest
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings as SettingsWrapper

from beatbook.analysis.hotspots import HotspotOptions
from beatbook.common.projection import bng_to_wgs84
from beatbook.insights.forecast_data import force_data_load
from beatbook.insights.harm_in_force import harm_weights
from beatbook.insights.hotspot_maps import HotspotRequest, force_hotspots
from beatbook.places.spatial import forget_cached_indexes, neighbourhood_index

from .forecast_db_world import build_forecast_world
from .insights_world import MARKET, AnalyticsWorld


@pytest.fixture(autouse=True)
def _fresh_indexes() -> None:
    forget_cached_indexes()


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("hotspots", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("method", ["kde", "gistar"])
def test_the_market_street_cluster_tops_the_force(world: AnalyticsWorld, method: str) -> None:
    hotspots = force_hotspots(
        request=HotspotRequest(
            force_id="staffordshire",
            month_from="2025-01",
            month_to="2025-02",
            options=HotspotOptions(method=method, cell_size=250.0),  # type: ignore[arg-type]
        )
    )
    result = hotspots.result
    first = result.top_places.iloc[0]
    assert first.street_name == "On or near Market Street"
    assert first.neighbourhood_name == "Longton"
    assert first.lsoa_code == "E01014213"
    assert first.crimes == 9
    assert result.crimes_without_location == 1
    assert result.crimes_outside_area == 1  # the London robbery
    assert hotspots.area_source == "the force's neighbourhood boundaries"
    assert (first.easting, first.northing) == (MARKET[0] // 250 * 250, MARKET[1] // 250 * 250)


def test_without_lsoa_boundaries_the_study_area_is_drawn_round_the_neighbourhoods(
    world: AnalyticsWorld,
) -> None:
    hotspots = force_hotspots(
        request=HotspotRequest(force_id="staffordshire", month_from="2025-01", month_to="2025-02")
    )
    grid = hotspots.result.grid
    assert grid.x0 == (388_330 - 1500) // 250 * 250
    assert grid.y0 + grid.rows * 250 == pytest.approx(347_560 + 1500, abs=250)
    # Between the two squares lies land of neither: not part of the study area.
    assert 0 < hotspots.result.in_area.mean() < 0.6


def test_the_cells_centred_in_a_neighbourhood_stay_and_its_edge_cells_join_them(
    world: AnalyticsWorld,
) -> None:
    """The rule before issue 13 (a cell's centre inside a neighbourhood) against the one rule
    now (the cell overlaps one): every cell kept, plus the edge cells a neighbourhood reaches
    into without holding their centre; the top places the same."""
    hotspots = force_hotspots(
        request=HotspotRequest(force_id="staffordshire", month_from="2025-01", month_to="2025-02")
    )
    result = hotspots.result
    cx, cy = result.grid.centres()
    lat, lng = bng_to_wgs84(easting=cx, northing=cy)
    found = neighbourhood_index(force_id="staffordshire").lookup(lat, lng)
    centred = np.array([value is not None for value in found])
    assert (result.in_area >= centred).all()
    assert result.in_area.sum() > centred.sum()
    assert result.top_places.iloc[0].street_name == "On or near Market Street"


def test_hotspots_and_forecasts_share_the_lsoa_study_area(
    db: None, settings: SettingsWrapper, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path / "data"
    build_forecast_world(months=["2025-01", "2025-02"])
    hotspots = force_hotspots(
        request=HotspotRequest(force_id="testshire", month_from="2025-01", month_to="2025-02")
    )
    forecast = force_data_load(
        force_id="testshire",
        month_from="2025-01",
        month_to="2025-02",
        categories=["burglary"],
        cell_size=250.0,
    )
    assert hotspots.area_source == forecast.area_source == "the force's LSOA boundaries"
    assert hotspots.result.grid == forecast.grid
    assert np.flatnonzero(hotspots.result.in_area).tolist() == forecast.cells.tolist()
    assert hotspots.result.crimes_outside_area == 2  # the crime in London, each month


def test_harm_weighting_uses_the_table_in_force(world: AnalyticsWorld) -> None:
    hotspots = force_hotspots(
        request=HotspotRequest(
            force_id="staffordshire", month_from="2025-02", month_to="2025-02", harm="css"
        )
    )
    first = hotspots.result.top_places.iloc[0]
    assert first.harm == pytest.approx(5 * 358.1 + 0.0)
    assert hotspots.harm_version == harm_weights().version


def test_the_command_prints_places_and_writes_geojson(
    world: AnalyticsWorld, tmp_path: Path
) -> None:
    target = tmp_path / "cells.geojson"
    out = _run(
        "--force", "staffordshire", "--from", "2025-01", "--to", "2025-02",
        "--method", "gistar", "--harm", "cchi", "--cell-size", "150",
        "--output", str(target),
    )  # fmt: skip
    assert "On or near Market Street" in out
    assert "Cambridge Crime Harm Index" in out
    assert "Sherman, Neyroud and Neyroud (2016)" in out
    assert "1 without a location" in out
    document = orjson.loads(target.read_bytes())
    assert document["properties"]["force"] == "staffordshire"
    assert document["properties"]["harm"] == "Cambridge Crime Harm Index"
    first = document["features"][0]["properties"]
    assert first["street_name"] == "On or near Market Street"
    assert first["cell_size_m"] == 150.0


def test_the_command_writes_csv_for_one_category(world: AnalyticsWorld, tmp_path: Path) -> None:
    target = tmp_path / "cells.csv"
    _run(
        "--force", "staffordshire", "--from", "2024-01", "--to", "2025-02",
        "--category", "shoplifting", "--output", str(target),
    )  # fmt: skip
    lines = target.read_text().splitlines()
    assert lines[0].startswith("rank,cell,easting,northing")
    assert "On or near Hanley Bus Station" in lines[1]
    assert ",4," in lines[1]  # four shoplifting crimes in the cell


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--force", "nowhere"], "There is no force 'nowhere'"),
        (["--force", "cheshire", "--category", "burglary"], "Cheshire Constabulary has no crimes"),
        (["--force", "staffordshire", "--cell-size", "1000"], "between 150 and 500 metres"),
        (["--force", "staffordshire", "--output", "x.shp"], "must end .geojson or .csv"),
    ],
)
def test_bad_input_is_refused_by_name(world: AnalyticsWorld, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        _run(*args, "--from", "2025-01", "--to", "2025-02")


def test_a_broken_harm_weights_file_is_named(
    world: AnalyticsWorld, settings: SettingsWrapper, tmp_path: Path
) -> None:
    bad = tmp_path / "weights.csv"
    bad.write_text("slug,cchi_days_volume_weighted\nrobbery,1\n", encoding="utf-8")
    settings.HARM_WEIGHTS_FILE = str(bad)
    with pytest.raises(CommandError, match="has no column css_weight_volume_weighted"):
        _run("--force", "staffordshire", "--from", "2025-01", "--to", "2025-02", "--harm", "css")
    from beatbook.insights.checks import check_harm_weights

    errors = check_harm_weights()
    assert [error.id for error in errors] == ["beatbook.E101"]


def test_no_crime_in_the_months_is_a_clear_error(world: AnalyticsWorld) -> None:
    hotspots = force_hotspots(
        request=HotspotRequest(force_id="staffordshire", month_from="2023-01", month_to="2023-02")
    )
    assert hotspots.result.top_places.empty
    assert not np.any(hotspots.result.crimes)
