"""The analyst pages: hotspots, trends and harm weights. Staff only, and only the forces the
person works in. Thin: each view checks its form, calls one service and renders."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from beatbook.accounts.access import staff_required
from beatbook.analysis.harm import HARM_INDEXES
from beatbook.analysis.hotspots import HotspotOptions
from beatbook.common.months import add_months
from beatbook.insights.area_trends import trends_params, trends_result_spec
from beatbook.insights.areas import area_resolve
from beatbook.insights.forms import HotspotForm, TrendsForm
from beatbook.insights.harm_in_force import harm_weights
from beatbook.insights.hotspot_maps import HotspotRequest, hotspot_params, hotspot_result_spec
from beatbook.insights.page_results import (
    STOP_REFRESH,
    AnalysisForces,
    analysis_forces_for,
    not_ready_download,
    preparing,
)
from beatbook.insights.selectors import months_held
from beatbook.insights.stored_results import Outcome, result_obtain

DEFAULT_HOTSPOT_MONTHS = 6


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "analytics/index.html", {"nav_analysis": True})


@staff_required
def harm_weights_page(request: HttpRequest) -> HttpResponse:
    weights = harm_weights()
    return render(
        request,
        "analytics/harm_weights.html",
        {
            "nav_analysis": True,
            "weights": weights,
            "rows": sorted(weights.categories, key=lambda row: -row.cchi),
            "indexes": list(HARM_INDEXES.values()),
            "local_file": bool(settings.HARM_WEIGHTS_FILE),
        },
    )


def _hotspot_defaults(forces: AnalysisForces) -> dict[str, Any]:
    """The form's first settings: the default force's latest six months, kernel density."""
    if forces.default is None:
        return {}
    held = months_held(force_ids=[forces.default])
    last = held[-1] if held else ""
    first = add_months(last, 1 - DEFAULT_HOTSPOT_MONTHS) if last else ""
    return {
        "force": forces.default,
        "month_from": first,
        "month_to": last,
        "cell_size": "250",
        "method": "kde",
        "harm": "",
    }


def _hotspot_request(data: dict[str, Any]) -> HotspotRequest:
    return HotspotRequest(
        force_id=data["force"],
        month_from=data["month_from"],
        month_to=data["month_to"],
        categories=(data["category"],) if data.get("category") else (),
        harm=data.get("harm") or None,
        options=HotspotOptions(method=data["method"], cell_size=float(data["cell_size"])),
    )


def _hotspot_outcome(hotspot_request: HotspotRequest, forces: AnalysisForces) -> Outcome:
    """The page's table and both downloads: made once for every process, per data version."""
    spec = hotspot_result_spec(hotspot_params(hotspot_request))
    return result_obtain(spec, allowed_force_ids=forces.allowed_ids)


@staff_required
def hotspots_page(request: HttpRequest) -> HttpResponse:
    forces = analysis_forces_for(request)
    submitted = "force" in request.GET
    form = HotspotForm(
        request.GET if submitted else None, forces=forces.choices, initial=_hotspot_defaults(forces)
    )
    context: dict[str, Any] = {"nav_analysis": True, "form": form, "forces": forces}
    if submitted and form.is_valid():
        hotspot_request = _hotspot_request(form.cleaned_data)
        outcome = _hotspot_outcome(hotspot_request, forces)
        if outcome.error:
            form.add_error(None, outcome.error)
        elif outcome.payload is None:
            context["preparing"] = preparing(request, outcome)
        else:
            query = request.GET.copy()
            query.pop(STOP_REFRESH, None)
            download = reverse("analytics:hotspots-download")
            context.update(
                outputs=outcome.payload,
                request_made=hotspot_request,
                harm_index=HARM_INDEXES.get(hotspot_request.harm or ""),  # type: ignore[call-overload]
                geojson_url=f"{download}?{query.urlencode()}&format=geojson",
                csv_url=f"{download}?{query.urlencode()}&format=csv",
                map_tile_url=settings.MAP_TILE_URL,
                map_tile_attribution=settings.MAP_TILE_ATTRIBUTION,
            )
    status = 400 if submitted and form.errors else 200
    return render(request, "analytics/hotspots.html", context, status=status)


@staff_required
def hotspots_download(request: HttpRequest) -> HttpResponse:
    forces = analysis_forces_for(request)
    form = HotspotForm(request.GET, forces=forces.choices)
    kind = request.GET.get("format", "geojson")
    if kind not in {"geojson", "csv"} or not form.is_valid():
        return HttpResponse(
            "The download needs a force you work in that holds crime data, two months "
            "(YYYY-MM) and a format of geojson or csv.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    hotspot_request = _hotspot_request(form.cleaned_data)
    outcome = _hotspot_outcome(hotspot_request, forces)
    if outcome.payload is None:
        return not_ready_download(outcome)
    outputs = outcome.payload
    name = "-".join(
        ("hotspots", hotspot_request.force_id, hotspot_request.month_from, hotspot_request.month_to)
    )
    if kind == "csv":
        response = HttpResponse(outputs["csv"], content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(outputs["geojson"], content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


@staff_required
def trends_page(request: HttpRequest) -> HttpResponse:
    forces = analysis_forces_for(request)
    submitted = "area" in request.GET
    default_area = dict(forces.choices).get(forces.default or "", "")
    form = TrendsForm(
        request.GET if submitted else None,
        initial={"area": default_area},
        example=default_area,
    )
    context: dict[str, Any] = {"nav_analysis": True, "form": form, "forces": forces}
    if submitted and form.is_valid():
        try:
            area = area_resolve(text=form.cleaned_data["area"], force_ids=forces.allowed_ids)
        except ValueError as error:
            form.add_error("area", str(error))
        else:
            spec = trends_result_spec(
                trends_params(area, form.cleaned_data["month_from"], form.cleaned_data["month_to"])
            )
            outcome = result_obtain(spec, allowed_force_ids=forces.allowed_ids)
            if outcome.error:
                form.add_error("area", outcome.error)
            elif outcome.payload is None:
                context["preparing"] = preparing(request, outcome)
            else:
                context.update(outcome.payload)
    status = 400 if submitted and form.errors else 200
    return render(request, "analytics/trends.html", context, status=status)
