"""The forecast page: next month's forecast on a map with its back-test score, and the
back-test table and chart. Staff only, and only the forces the person works in."""

from __future__ import annotations

import hashlib
import math
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from beatbook.accounts.access import staff_required
from beatbook.accounts.models import User
from beatbook.accounts.selectors import forces_for_user
from beatbook.analysis.forecast.export import cells_csv, cells_geojson
from beatbook.analysis.forecast.matrix import ALL_CRIME
from beatbook.analysis.forecast.methods import BASELINES, DESCRIPTIONS
from beatbook.analysis.forecast.months import add_months
from beatbook.analytics.backtest_store import (
    DEFAULT_CELL_SIZE,
    BacktestState,
    backtest_note,
    backtest_state,
)
from beatbook.analytics.forecast_charts import backtest_chart_svg
from beatbook.analytics.forecast_services import Forecast, forecast_make
from beatbook.analytics.forms import ForecastForm
from beatbook.analytics.selectors import months_held

CACHE_SECONDS = 60 * 60
MAP_SHARE = 0.02  # the top 2% of cells go on the map
TABLE_COVERAGES = (0.01, 0.05)


def _forces(request: HttpRequest) -> list[tuple[str, str]]:
    user = request.user
    assert isinstance(user, User)
    return [(force.pk, force.name) for force in forces_for_user(user=user).order_by("name")]


def _settings(data: dict[str, Any]) -> tuple[str, str, str | None]:
    return data["force"], data.get("category") or ALL_CRIME, data.get("harm") or None


def _outputs(force_id: str, category: str, harm: str | None) -> dict[str, Any]:
    """Next month's forecast and its back-test, once per settings, data version and stored
    back-test (a fresh one from the worker can name another method)."""
    state = backtest_state(
        force_id=force_id, category=category, cell_size=DEFAULT_CELL_SIZE, harm=harm
    )
    made = state.summary["made_at"] if state.summary else None
    key_text = f"{force_id}|{category}|{harm}|{DEFAULT_CELL_SIZE}|{state.version}|{made}"
    key = "analytics:forecast:" + hashlib.sha256(key_text.encode()).hexdigest()
    outputs: dict[str, Any] | None = cache.get(key)
    if outputs is None:
        held = months_held(force_ids=[force_id])
        if not held:
            raise ValueError("No crime data is loaded for this force.")
        month = add_months(held[-1], 1)
        forecast = forecast_make(force_id=force_id, month=month, category=category, harm=harm)
        outputs = _describe(forecast)
        cache.set(key, outputs, CACHE_SECONDS)
    return outputs


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
        "top_cells": top.sort_values("rank").head(20).to_dict("records"),
        "rows": rows,
        "chart": backtest_chart_svg(_frame(rows)) if rows else "",
        "map_geojson": cells_geojson(top, meta).decode(),
        "csv": cells_csv(cells),
        "geojson": cells_geojson(cells, meta),
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
    forces = _forces(request)
    submitted = "force" in request.GET
    initial = {"force": forces[0][0]} if forces else {}
    form = ForecastForm(request.GET if submitted else None, forces=forces, initial=initial)
    context: dict[str, Any] = {"nav_analysis": True, "form": form, "forces": forces}
    chosen = form.cleaned_data if submitted and form.is_valid() else None
    if chosen is None and not submitted and forces:
        chosen = {"force": forces[0][0]}
    if chosen is not None:
        force_id, category, harm = _settings(chosen)
        try:
            outputs = _outputs(force_id, category, harm)
        except ValueError as error:
            if not form.is_bound:  # the first visit: the error is about the default force
                form = ForecastForm(chosen, forces=forces, initial=initial)
                context["form"] = form
            form.is_valid()
            form.add_error(None, str(error))
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
                outputs=outputs,
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
    form = ForecastForm(request.GET, forces=_forces(request))
    kind = request.GET.get("format", "csv")
    if kind not in {"csv", "geojson"} or not form.is_valid():
        return HttpResponse(
            "The download needs a force you work in and a format of csv or geojson.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    force_id, category, harm = _settings(form.cleaned_data)
    try:
        outputs = _outputs(force_id, category, harm)
    except ValueError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    name = f"forecast-{force_id}-{category}-{outputs['month']}"
    if kind == "csv":
        response = HttpResponse(outputs["csv"], content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(outputs["geojson"], content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response
