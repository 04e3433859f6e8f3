"""Forecasts and back-tests of a force's crime, from the database.

Thin glue round ``beatbook.analysis``: load a force's crimes (``selectors.crime_points``), the
months it has data for and its study area, then fit and score there.

Study area: the grid cells overlapping the force's own LSOAs (``places.Lsoa`` boundaries);
without those, the cells holding a crime in the training months. Crimes recorded outside the
study area are left out of both forecasts and scores.

Back-test results are stored as small JSON files under ``DATA_DIR/forecasts``, keyed by force,
category, measure, cell size and the data version (the newest import record and the harm
table), so a forecast can always show the back-test score of the method it uses, and new data
makes a fresh back-test.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from django.conf import settings

from beatbook.analysis.backtest import best_method, forecast_scores, run_backtest, summarise
from beatbook.analysis.forecast.area import area_grid, cells_in_area, cells_with_crime, to_bng
from beatbook.analysis.forecast.matrix import ALL_CRIME, CellMonthCounts, series_by_category
from beatbook.analysis.forecast.methods import METHODS, check_methods
from beatbook.analysis.forecast.months import add_months, check_month, month_range
from beatbook.analysis.grid import FloatArray, Grid, IntArray
from beatbook.analysis.harm import check_index
from beatbook.analytics.harm import harm_weights
from beatbook.analytics.selectors import crime_points
from beatbook.analytics.trends import months_held
from beatbook.opendata.models import SourceFile
from beatbook.places.geometry import from_geojson
from beatbook.places.models import Force, Lsoa

DEFAULT_CELL_SIZE = 250.0
HISTORY_MONTHS = 36
QUICK_BACKTEST_MONTHS = 6
SUMMARY_COVERAGE = 0.01
DEFAULT_METHOD = "poisson-gbm"


@dataclass(frozen=True)
class ForceData:
    force: Force
    grid: Grid
    cells: IntArray
    area_source: str
    observed: list[str]
    series: dict[str, CellMonthCounts]


@dataclass(frozen=True)
class Forecast:
    force: Force
    month: str
    category: str
    measure: str
    method: str
    grid: Grid
    cells: IntArray
    scores: FloatArray
    area_source: str
    backtest: dict[str, Any] | None

    def frame(self) -> pd.DataFrame:
        """Every study cell: BNG origin (lower-left), size in metres, score and rank."""
        xs, ys = self.grid.origins()
        order = np.argsort(-self.scores, kind="stable")
        rank = np.empty(order.size, dtype=np.int64)
        rank[order] = np.arange(1, order.size + 1)
        return pd.DataFrame(
            {
                "easting": xs[self.cells].astype(np.int64),
                "northing": ys[self.cells].astype(np.int64),
                "size_m": int(self.grid.cell_size),
                "score": self.scores,
                "rank": rank,
            }
        )


def force_get(force_id: str) -> Force:
    force = Force.objects.filter(pk=force_id).first()
    if force is None:
        known = ", ".join(Force.objects.order_by("pk").values_list("pk", flat=True)[:50])
        raise ValueError(f"There is no force {force_id!r}. Forces held: {known or 'none'}.")
    return force


def measure_name(harm: str | None) -> str:
    return "count" if harm is None else f"harm-{check_index(harm)}"


def force_data_load(
    *,
    force_id: str,
    month_from: str,
    month_to: str,
    categories: Sequence[str],
    cell_size: float = DEFAULT_CELL_SIZE,
    harm: str | None = None,
) -> ForceData:
    """The force's count matrices (``all-crime`` always among them) from ``month_from`` to
    ``month_to``, on its study area."""
    force = force_get(force_id)
    observed = [m for m in months_held(force_ids=[force.pk]) if month_from <= m <= month_to]
    if not observed:
        raise ValueError(
            f"No crime data is loaded for {force.name} from {month_from} to {month_to}."
        )
    crimes = crime_points(force_ids=[force.pk], month_from=month_from, month_to=month_to)
    grid, cells, source = _study_area(force.pk, crimes, cell_size)
    weights = None if harm is None else harm_weights().table(check_index(harm))
    wanted = list(dict.fromkeys([ALL_CRIME, *categories]))
    series = series_by_category(
        crimes,
        grid=grid,
        cells=cells,
        months=month_range(month_from, month_to),
        observed_months=observed,
        categories=wanted,
        harm_weights=weights,
    )
    return ForceData(force, grid, cells, source, observed, series)


def _study_area(
    force_id: str, crimes: pd.DataFrame, cell_size: float
) -> tuple[Grid, IntArray, str]:
    boundaries = [
        from_geojson(b)
        for b in Lsoa.objects.filter(force_id=force_id)
        .exclude(boundary=None)
        .values_list("boundary", flat=True)
    ]
    polygons = [p for p in to_bng(boundaries) if not shapely.is_empty(p)]
    if polygons:
        grid = area_grid(polygons, cell_size)
        return grid, cells_in_area(grid, polygons), "the force's LSOA boundaries"
    located = crimes.dropna(subset=["easting", "northing"])
    if located.empty:
        raise ValueError("There are no crimes with a location to forecast from.")
    # Without boundaries, keep to the middle 99% of points: forces record a few crimes
    # hundreds of miles away, which would stretch the grid across the country.
    xs, ys = located["easting"], located["northing"]
    bounds = (xs.quantile(0.005), ys.quantile(0.005), xs.quantile(0.995), ys.quantile(0.995))
    grid = Grid.from_bounds(tuple(float(b) for b in bounds), cell_size)  # type: ignore[arg-type]
    return grid, cells_with_crime(grid, xs, ys), "cells with a crime in the months loaded"


def data_version(harm: str | None) -> str:
    newest = SourceFile.objects.order_by("-id").values_list("id", flat=True).first()
    return f"{newest}:{harm_weights().version if harm else ''}"


def _store_path(force_id: str, category: str, measure: str, cell_size: float) -> Path:
    name = f"{force_id}-{category}-{measure}-{int(cell_size)}m.json"
    return Path(settings.DATA_DIR) / "forecasts" / name


def backtest_stored(
    *, force_id: str, category: str, cell_size: float, harm: str | None = None
) -> dict[str, Any] | None:
    """The latest stored back-test for these settings, if the data has not changed since."""
    path = _store_path(force_id, category, measure_name(harm), cell_size)
    try:
        stored = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return stored if stored.get("data_version") == data_version(harm) else None


def backtest_run(
    *,
    force_id: str,
    month_from: str,
    month_to: str,
    methods: Sequence[str] | None = None,
    categories: Sequence[str] = (ALL_CRIME,),
    cell_size: float = DEFAULT_CELL_SIZE,
    harm: str | None = None,
    seed: int = 0,
    store: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rolling-origin back-test of ``methods`` over ``month_from``..``month_to``; per-month
    results and the summary (stored for forecasts to show when ``store``)."""
    check_month(month_from, label="first month")
    check_month(month_to, label="last month")
    chosen = check_methods(list(methods or METHODS))
    history_from = add_months(month_from, -HISTORY_MONTHS)
    data = force_data_load(
        force_id=force_id,
        month_from=history_from,
        month_to=month_to,
        categories=categories,
        cell_size=cell_size,
        harm=harm,
    )
    auxiliary = data.series[ALL_CRIME]
    if harm is not None:
        auxiliary = force_data_load(
            force_id=force_id,
            month_from=history_from,
            month_to=month_to,
            categories=[ALL_CRIME],
            cell_size=cell_size,
        ).series[ALL_CRIME]
    series = {c: data.series[c] for c in dict.fromkeys(categories)}
    results = run_backtest(
        series=series,
        methods=chosen,
        months=month_range(month_from, month_to),
        auxiliary=auxiliary,
        measure=measure_name(harm),
        seed=seed,
    )
    summary = summarise(results, seed=seed)
    if store and not summary.empty:
        _store(data, summary, month_from, month_to, cell_size, harm)
    return results, summary


def _store(
    data: ForceData,
    summary: pd.DataFrame,
    month_from: str,
    month_to: str,
    cell_size: float,
    harm: str | None,
) -> None:
    for category, rows in summary.groupby("category"):
        path = _store_path(data.force.pk, str(category), measure_name(harm), cell_size)
        path.parent.mkdir(parents=True, exist_ok=True)
        records = json.loads(rows.to_json(orient="records"))
        path.write_text(
            json.dumps(
                {
                    "force": data.force.pk,
                    "category": category,
                    "measure": measure_name(harm),
                    "cell_size": cell_size,
                    "month_from": month_from,
                    "month_to": month_to,
                    "data_version": data_version(harm),
                    "area_source": data.area_source,
                    "rows": records,
                },
                indent=1,
            )
        )


def backtest_for_forecast(
    *, force_id: str, category: str, month: str, cell_size: float, harm: str | None
) -> dict[str, Any] | None:
    """The stored back-test, or a quick one (the last few months before ``month``) made now."""
    stored = backtest_stored(force_id=force_id, category=category, cell_size=cell_size, harm=harm)
    if stored is not None:
        return stored
    held = [m for m in months_held(force_ids=[force_id]) if m < month]
    if len(held) < 3:
        return None
    backtest_run(
        force_id=force_id,
        month_from=held[-min(QUICK_BACKTEST_MONTHS, len(held) - 2)],
        month_to=held[-1],
        categories=[category],
        cell_size=cell_size,
        harm=harm,
    )
    return backtest_stored(force_id=force_id, category=category, cell_size=cell_size, harm=harm)


def backtest_row(stored: dict[str, Any] | None, method: str) -> dict[str, Any] | None:
    """The stored summary of ``method`` at the headline coverage (1% of the area)."""
    if stored is None:
        return None
    for row in stored["rows"]:
        if row["method"] == method and math.isclose(row["coverage"], SUMMARY_COVERAGE):
            return dict(row)
    return None


def forecast_make(
    *,
    force_id: str,
    month: str,
    category: str = ALL_CRIME,
    method: str | None = None,
    cell_size: float = DEFAULT_CELL_SIZE,
    harm: str | None = None,
    seed: int = 0,
) -> Forecast:
    """The forecast for ``month`` from the months before it only; the method is the best one
    by back-test unless named."""
    check_month(month, label="forecast month")
    if method is not None:
        check_methods([method])
    stored = backtest_for_forecast(
        force_id=force_id, category=category, month=month, cell_size=cell_size, harm=harm
    )
    if method is None:
        summary = pd.DataFrame(stored["rows"]) if stored else pd.DataFrame()
        method = (
            best_method(
                summary, category=category, coverage=SUMMARY_COVERAGE, measure=measure_name(harm)
            )
            if not summary.empty
            else None
        ) or DEFAULT_METHOD
    last = add_months(month, -1)
    data = force_data_load(
        force_id=force_id,
        month_from=add_months(month, -HISTORY_MONTHS),
        month_to=last,
        categories=[category],
        cell_size=cell_size,
        harm=harm,
    )
    if not data.observed:
        raise ValueError(f"There is no data before {month} to forecast from.")
    series = _extend(data.series[category], month)
    auxiliary = None
    if category != ALL_CRIME:
        auxiliary = _extend(data.series[ALL_CRIME], month)
    scores = forecast_scores(
        series=series, method=method, month=month, auxiliary=auxiliary, seed=seed
    )
    return Forecast(
        force=data.force,
        month=month,
        category=category,
        measure=measure_name(harm),
        method=method,
        grid=data.grid,
        cells=data.cells,
        scores=scores,
        area_source=data.area_source,
        backtest=backtest_row(stored, method),
    )


def _extend(series: CellMonthCounts, month: str) -> CellMonthCounts:
    """The series with an empty row for ``month``, so ``before(month)`` can be asked for."""
    counts = np.vstack([series.counts, np.full((1, series.n_cells), np.nan)])
    return CellMonthCounts(
        grid=series.grid,
        cells=series.cells,
        months=(*series.months, month),
        counts=counts,
        dropped=series.dropped,
    )
