"""The forecast page: next month's forecast on a map with its back-test score, and the
back-test table and chart. Staff only, and only the forces the person works in."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from beatbook.accounts.access import staff_required
from beatbook.analysis.backtest_settings import DEFAULT_CELL_SIZE
from beatbook.analysis.forecast.export import cells_csv, cells_geojson
from beatbook.analysis.forecast.matrix import ALL_CRIME
from beatbook.analysis.forecast.methods import BASELINES, DESCRIPTIONS
from beatbook.common.months import add_months
from beatbook.insights.backtest_store import (
    BacktestState,
    backtest_note,
    backtest_state,
)
from beatbook.insights.forecast_charts import backtest_chart_svg
from beatbook.insights.forecast_services import Forecast, forecast_make
from beatbook.insights.forms import ForecastForm
from beatbook.insights.page_results import analysis_forces_for, not_ready_download, preparing
from beatbook.insights.selectors import months_held
from beatbook.insights.stored_results import ResultSpec, result_obtain

MAP_SHARE = 0.02  # the top 2% of cells go on the map
TABLE_COVERAGES = (0.01, 0.05)


def _settings(data: dict[str, Any]) -> tuple[str, str, str | None]:
    return data["force"], data.get("category") or ALL_CRIME, data.get("harm") or None


def forecast_params(force_id: str, category: str, harm: str | None) -> dict[str, Any]:
    return {"force": force_id, "category": category, "harm": harm}


def forecast_result_spec(params: dict[str, Any]) -> ResultSpec:
    """Next month's forecast for these settings, made from the force's data as held now and
    the stored back-test as it is now (a fresh one from the worker can name another method)."""
    force_id, category = str(params["force"]), str(params["category"])
    harm = params.get("harm") or None
    state = backtest_state(
        force_id=force_id, category=category, cell_size=DEFAULT_CELL_SIZE, harm=harm
    )
    made = state.summary["made_at"] if state.summary else None
    version = f"{state.version}|{DEFAULT_CELL_SIZE:g}|{made.isoformat() if made else ''}"
    return ResultSpec("forecast", forecast_params(force_id, category, harm), (force_id,), version)


def forecast_result_make(params: dict[str, Any]) -> dict[str, Any]:
    """The forecast page's map, tables, chart and downloads for next month."""
    force_id, category = str(params["force"]), str(params["category"])
    harm = params.get("harm") or None
    held = months_held(force_ids=[force_id])
    if not held:
        raise ValueError("No crime data is loaded for this force.")
    month = add_months(held[-1], 1)
    forecast = forecast_make(force_id=force_id, month=month, category=category, harm=harm)
    return _describe(forecast)


def _note(force_id: str, category: str, harm: str | None) -> str:
    """Said afresh on every view: whether a back-test is being re-run changes by the minute."""
    state: BacktestState = backtest_state(
        force_id=force_id, category=category, cell_size=DEFAULT_CELL_SIZE, harm=harm
    )
    return backtest_note(state)


def _describe(forecast: Forecast) -> dict[str, Any]:
    cells = forecast.frame()
    top = cells[cells["rank"] <= max(1, math.floor(MAP_SHARE * len(cells) + 0.5))]
    meta = {
        "force": forecast.force.pk,
        "month": forecast.month,
        "category": forecast.category,
        "measure": forecast.measure,
        "method": forecast.method,
    }
    rows = _backtest_rows(forecast)
    return {
        "force_name": forecast.force.name,
        "month": forecast.month,
        "category": forecast.category,
        "measure": forecast.measure,
        "method": forecast.method,
        "method_description": DESCRIPTIONS[forecast.method],
        "cells": len(cells),
        "map_cells": len(top),
        "cell_size": int(forecast.grid.cell_size),
        "area_source": forecast.area_source,
        "score": forecast.backtest,
        "evidence": forecast.evidence(),
        "top_cells": top.sort_values("rank").head(20).to_dict("records"),
        "rows": rows,
        "chart": backtest_chart_svg(_frame(rows)) if rows else "",
        "map_geojson": cells_geojson(top, meta).decode(),
        "csv": cells_csv(cells),
        "geojson": cells_geojson(cells, meta).decode(),
    }


def _backtest_rows(forecast: Forecast) -> list[dict[str, Any]]:
    stored = forecast.backtest_state.summary
    if stored is None:
        return []
    rows = [
        dict(r)
        for r in stored["rows"]
        if any(math.isclose(r["coverage"], c) for c in TABLE_COVERAGES)
    ]
    for row in rows:
        row["coverage_percent"] = f"{row['coverage'] * 100:g}%"
        row["baseline"] = row["method"] in BASELINES
        row["is_best_baseline"] = row["method"] == row["best_baseline"]
        row["months"] = f"{stored['month_from']} to {stored['month_to']}"
    return rows


def _frame(rows: list[dict[str, Any]]) -> Any:
    import pandas as pd

    return pd.DataFrame(rows)


@staff_required
def forecast_page(request: HttpRequest) -> HttpResponse:
    forces = analysis_forces_for(request)
    submitted = "force" in request.GET
    initial = {"force": forces.default} if forces.default else {}
    form = ForecastForm(request.GET if submitted else initial, forces=forces.choices)
    context: dict[str, Any] = {"nav_analysis": True, "form": form, "forces": forces}
    if (submitted or forces.default) and form.is_valid():
        force_id, category, harm = _settings(form.cleaned_data)
        spec = forecast_result_spec(forecast_params(force_id, category, harm))
        outcome = result_obtain(spec, allowed_force_ids=forces.allowed_ids)
        if outcome.error:
            form.add_error(None, outcome.error)
        elif outcome.payload is None:
            context["preparing"] = preparing(request, outcome)
        else:
            query = urlencode(
                {
                    "force": force_id,
                    "category": "" if category == ALL_CRIME else category,
                    "harm": harm or "",
                }
            )
            download = reverse("analytics:forecast-download")
            context.update(
                outputs=outcome.payload,
                backtest_note=_note(force_id, category, harm),
                csv_url=f"{download}?{query}&format=csv",
                geojson_url=f"{download}?{query}&format=geojson",
                map_tile_url=settings.MAP_TILE_URL,
                map_tile_attribution=settings.MAP_TILE_ATTRIBUTION,
            )
    status = 400 if submitted and form.errors else 200
    return render(request, "analytics/forecast_page.html", context, status=status)


@staff_required
def forecast_download(request: HttpRequest) -> HttpResponse:
    forces = analysis_forces_for(request)
    form = ForecastForm(request.GET, forces=forces.choices)
    kind = request.GET.get("format", "csv")
    if kind not in {"csv", "geojson"} or not form.is_valid():
        return HttpResponse(
            "The download needs a force you work in that holds crime data, and a format of "
            "csv or geojson.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    force_id, category, harm = _settings(form.cleaned_data)
    spec = forecast_result_spec(forecast_params(force_id, category, harm))
    outcome = result_obtain(spec, allowed_force_ids=forces.allowed_ids)
    if outcome.payload is None:
        return not_ready_download(outcome)
    outputs = outcome.payload
    name = f"forecast-{force_id}-{category}-{outputs['month']}"
    if kind == "csv":
        response = HttpResponse(outputs["csv"], content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(outputs["geojson"], content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response
