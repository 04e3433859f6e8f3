from __future__ import annotations

import numpy as np
import orjson
import pandas as pd
import pytest

from beatbook.analysis.grid import Grid
from beatbook.analysis.hotspots import HotspotOptions, hotspot_map, to_csv, to_geojson


def _crimes() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = 300
    xs = rng.uniform(388_000, 394_000, n)
    ys = rng.uniform(340_000, 346_000, n)
    streets = [f"On or near Road {i % 17}" for i in range(n)]
    frame = pd.DataFrame(
        {
            "month": "2025-01",
            "category": "other-theft",
            "easting": xs,
            "northing": ys,
            "street_name": streets,
            "lsoa_code": "E01000001",
            "lsoa_name": "Stoke-on-Trent 001A",
            "neighbourhood_name": "Hanley",
        }
    )
    cluster = pd.DataFrame(
        {
            "month": "2025-01",
            "category": ["burglary"] * 30 + ["robbery"] * 2,
            "easting": [391_120.0] * 32,
            "northing": [342_630.0] * 32,
            "street_name": ["On or near Market Street"] * 31 + ["On or near Times Square"],
            "lsoa_code": "E01014213",
            "lsoa_name": "Stoke-on-Trent 012A",
            "neighbourhood_name": "Longton",
        }
    )
    extras = pd.DataFrame(
        {
            "month": "2025-01",
            "category": "drugs",
            "easting": [np.nan, 530_000.0],
            "northing": [np.nan, 180_000.0],
            "street_name": ["", "On or near Whitehall"],
            "lsoa_code": "",
            "lsoa_name": "",
            "neighbourhood_name": "",
        }
    )
    return pd.concat([frame, cluster, extras], ignore_index=True)


@pytest.mark.parametrize("method", ["kde", "gistar"])
def test_the_cluster_tops_the_table_with_its_places(method: str) -> None:
    result = hotspot_map(_crimes(), options=HotspotOptions(method=method, cell_size=250.0))  # type: ignore[arg-type]
    first = result.top_places.iloc[0]
    assert first.crimes == 32
    assert first.street_name == "On or near Market Street"
    assert first.lsoa_code == "E01014213"
    assert first.neighbourhood_name == "Longton"
    assert first.top_category == "burglary"
    assert (first.easting, first.northing) == (391_000.0, 342_500.0)
    assert result.crimes_without_location == 1
    assert result.crimes_outside_area == 1
    assert result.crimes_used == 332
    if method == "gistar":
        assert result.hot[int(first.cell)]


def test_harm_weights_change_the_ranking() -> None:
    crimes = _crimes()
    weights = np.where(crimes.category == "robbery", 365.0, 1.0)
    weights = np.where(crimes.category == "burglary", 0.0, weights)
    result = hotspot_map(crimes, options=HotspotOptions(method="kde"), weights=weights)
    first = result.top_places.iloc[0]
    assert result.weighted
    assert first.harm == pytest.approx(730.0)
    assert result.score_label == "Harm per km²"


def test_a_mask_keeps_cells_outside_the_area_off_the_table() -> None:
    def south_only(grid: Grid) -> np.ndarray:
        _, ys = grid.centres()
        return ys < 342_000

    result = hotspot_map(
        _crimes(), options=HotspotOptions(method="gistar", cell_size=250.0), mask=south_only
    )
    assert (result.top_places.northing < 342_000).all()


def test_exports_carry_every_cell_of_interest() -> None:
    result = hotspot_map(_crimes(), options=HotspotOptions(method="gistar", cell_size=500.0))
    document = orjson.loads(to_geojson(result, metadata={"force": "staffordshire"}))
    assert document["properties"]["force"] == "staffordshire"
    features = document["features"]
    assert len(features) == len(result.cells_of_interest())
    first = features[0]
    ring = first["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1]
    assert len(ring) == 5
    assert 52.9 < ring[0][1] < 53.0
    assert first["properties"]["crimes"] >= 32
    assert first["properties"]["hotspot"] is True
    lines = to_csv(result).splitlines()
    assert lines[0].startswith("rank,cell,easting,northing,cell_size_m,crimes")
    assert len(lines) == len(features) + 1
    assert "On or near Market Street" in lines[1]


def test_bad_options_are_named() -> None:
    with pytest.raises(ValueError, match="cell size must be between 150 and 500 metres, not 100"):
        HotspotOptions(cell_size=100.0)
    with pytest.raises(ValueError, match="method must be 'kde' or 'gistar'"):
        HotspotOptions(method="hexbin")  # type: ignore[arg-type]


def test_no_located_crime_is_a_clear_error() -> None:
    crimes = _crimes().iloc[[-2]]
    with pytest.raises(ValueError, match="no crimes with a location to map"):
        hotspot_map(crimes, options=HotspotOptions())


def test_an_empty_area_with_bounds_maps_nothing() -> None:
    crimes = _crimes().iloc[0:0]
    result = hotspot_map(
        crimes, options=HotspotOptions(method="gistar"), bounds=(390_000, 340_000, 392_000, 342_000)
    )
    assert result.top_places.empty
    assert not result.hot.any()
    assert to_csv(result).startswith("rank,cell")
