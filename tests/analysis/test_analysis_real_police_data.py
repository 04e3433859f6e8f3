"""The hotspot, trend and forecast steps on real police.uk files: a month missing from
Merseyside's published data, crimes recorded far outside Staffordshire, rows without
coordinates, and the default forecast against the best baseline on a real year."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from beatbook.analysis.backtest import run_backtest
from beatbook.analysis.backtest_settings import BacktestSettings
from beatbook.analysis.forecast.matrix import ALL_CRIME, series_by_category
from beatbook.analysis.forecast.methods import DEFAULT_METHOD
from beatbook.analysis.harm import load_harm_weights
from beatbook.analysis.hotspots import HotspotOptions, hotspot_map
from beatbook.analysis.policeuk_files import read_street_crimes, street_file_months
from beatbook.analysis.study_area import area_grid, cells_in_area, read_force_lsoa_boundaries
from beatbook.analysis.trends import trend_report
from beatbook.common.months import month_range

pytestmark = pytest.mark.slow


def _read(zip_path: Path, first: str, last: str) -> tuple[pd.DataFrame, list[str]]:
    crimes = read_street_crimes([zip_path], month_from=first, month_to=last)
    held = [m for m in street_file_months([zip_path]) if first <= m <= last]
    return crimes, held


def test_merseyside_missing_month_is_not_read_as_no_crime(shared_data: Path) -> None:
    crimes, held = _read(
        shared_data / "policeuk" / "merseyside-2018-2021.zip", "2018-06", "2019-12"
    )
    assert "2019-07" not in held
    report = trend_report(crimes, month_from="2019-06", month_to="2019-09", months_held=held)
    assert report.months_missing == ["2019-07"]
    assert np.isnan(report.monthly.loc["2019-07", "all-crime"])
    assert report.compared_months == ["2019-06", "2019-08", "2019-09"]
    total = report.changes[0]
    in_compared = crimes.month.isin(["2019-06", "2019-08", "2019-09"]).sum()
    assert total.current == in_compared
    assert total.previous == crimes.month.isin(["2018-06", "2018-08", "2018-09"]).sum()
    assert 0.0 <= total.p_value <= 1.0
    assert report.seasonality.loc[7, "months"] == 1  # July 2018 only


@pytest.mark.parametrize("method", ["kde", "gistar"])
def test_staffordshire_hotspots_leave_out_far_crimes(shared_data: Path, method: str) -> None:
    crimes, held = _read(shared_data / "policeuk" / "staffordshire-2025.zip", "2025-01", "2025-03")
    assert held == month_range("2025-01", "2025-03")
    weights = load_harm_weights().weights_for(crimes["category"].to_numpy(), "cchi")
    result = hotspot_map(
        crimes,
        options=HotspotOptions(method=method, cell_size=250.0),  # type: ignore[arg-type]
        weights=weights,
    )
    located = crimes.easting.notna()
    assert result.crimes_without_location == (~located).sum() > 0
    assert result.crimes_outside_area > 0  # e.g. crimes recorded in Birmingham
    assert result.crimes_used + result.crimes_outside_area == located.sum()
    first = result.top_places.iloc[0]
    assert first.street_name.startswith("On or near")
    assert first.lsoa_code.startswith("E01")
    assert first.harm > 0
    if method == "gistar":
        assert result.hot.sum() > 50


def test_staffordshire_burglary_forecast_beats_kernel_density_every_month(
    shared_data: Path,
) -> None:
    """The default forecasting method against the best baseline for burglary (kernel density)
    on the real 2025 year, every origin from April: the result docs/benchmarks.md reports."""
    paths = [shared_data / "policeuk" / "staffordshire-2025.zip"]
    geography = shared_data / "geography"
    polygons = read_force_lsoa_boundaries(
        geography / "lsoa-2011-boundaries-ew-generalised.geojson.gz",
        geography / "lsoa-2011-police-force-lookup.csv",
        "Staffordshire",
    )
    grid = area_grid(polygons, 250.0)
    held = street_file_months(paths)
    series = series_by_category(
        read_street_crimes(paths),
        grid=grid,
        cells=cells_in_area(grid, polygons),
        months=held,
        observed_months=held,
        categories=[ALL_CRIME, "burglary"],
    )
    settings = BacktestSettings.between(
        "2025-04",
        "2025-12",
        methods=("kde", DEFAULT_METHOD),
        categories=("burglary",),
        coverages=(0.01, 0.05),
        history_months=None,
    )
    results = run_backtest(
        series={"burglary": series["burglary"]}, settings=settings, auxiliary=series[ALL_CRIME]
    )
    table = results.pivot_table(index=["coverage", "month"], columns="method", values="pei_star")
    assert len(table) == 18
    assert (table[DEFAULT_METHOD] > table["kde"]).all()
