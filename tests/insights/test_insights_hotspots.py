from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import orjson
import pytest
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings as SettingsWrapper

from beatbook.analysis.hotspots import HotspotOptions
from beatbook.insights.harm_in_force import harm_weights
from beatbook.insights.hotspot_maps import HotspotRequest, force_bounds, force_hotspots
from beatbook.places.spatial import forget_cached_indexes

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


def test_the_study_area_is_the_neighbourhoods(world: AnalyticsWorld) -> None:
    min_x, min_y, max_x, max_y = force_bounds(force_id="staffordshire") or (0, 0, 0, 0)
    assert min_x == pytest.approx(388_330 - 1500, abs=30)
    assert max_y == pytest.approx(347_560 + 1500, abs=30)
    hotspots = force_hotspots(
        request=HotspotRequest(force_id="staffordshire", month_from="2025-01", month_to="2025-02")
    )
    # Between the two squares lies land of neither: not part of the study area.
    assert 0 < hotspots.result.in_area.mean() < 0.6


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
