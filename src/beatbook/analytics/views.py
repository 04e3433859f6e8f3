"""The analyst pages: hotspots, trends and harm weights. Staff only, and only the forces the
person works in. Thin: each view checks its form, calls one service and renders."""

from __future__ import annotations

import calendar
import hashlib
import math
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from beatbook.accounts.access import staff_required
from beatbook.accounts.models import User
from beatbook.accounts.selectors import forces_for_user
from beatbook.analysis.harm import HARM_INDEXES
from beatbook.analysis.hotspots import HotspotOptions, to_csv, to_geojson
from beatbook.analysis.trends import shift_months
from beatbook.analytics.areas import area_resolve
from beatbook.analytics.charts import monthly_chart_svg, seasonality_chart_svg
from beatbook.analytics.forms import HotspotForm, TrendsForm
from beatbook.analytics.harm import harm_weights
from beatbook.analytics.hotspots import HotspotRequest, force_hotspots
from beatbook.analytics.selectors import months_held
from beatbook.analytics.trends import area_trends
from beatbook.opendata.models import SourceFile

CACHE_SECONDS = 60 * 60
DEFAULT_HOTSPOT_MONTHS = 6


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _force_choices(user: User) -> list[tuple[str, str]]:
    return [(force.pk, force.name) for force in forces_for_user(user=user).order_by("name")]


def _allowed_force_ids(user: User) -> list[str] | None:
    """None means every force (a superuser); otherwise the forces the person works in."""
    if user.is_superuser:
        return None
    return [force_id for force_id, _ in _force_choices(user)]


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


def _hotspot_defaults(forces: list[tuple[str, str]]) -> dict[str, Any]:
    if not forces:
        return {}
    held = months_held(force_ids=[forces[0][0]])
    last = held[-1] if held else ""
    first = shift_months(last, 1 - DEFAULT_HOTSPOT_MONTHS) if last else ""
    return {
        "force": forces[0][0],
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


def _data_version() -> str:
    newest = SourceFile.objects.order_by("-id").values_list("id", flat=True).first()
    return f"{newest}:{harm_weights().version}"


def _hotspot_outputs(hotspot_request: HotspotRequest) -> dict[str, Any]:
    """The page's table and both downloads, computed once per request and data version."""
    key = (
        "analytics:hotspots:"
        + hashlib.sha256(f"{hotspot_request!r}|{_data_version()}".encode()).hexdigest()
    )
    outputs: dict[str, Any] | None = cache.get(key)
    if outputs is None:
        hotspots = force_hotspots(request=hotspot_request)
        result = hotspots.result
        outputs = {
            "places": result.top_places.to_dict("records"),
            "description": result.options.describe(),
            "score_label": result.score_label,
            "weighted": result.weighted,
            "crimes_used": result.crimes_used,
            "without_location": result.crimes_without_location,
            "outside_area": result.crimes_outside_area,
            "hot_cells": int(result.hot.sum()),
            "area_source": hotspots.area_source,
            "harm_version": hotspots.harm_version,
            "geojson": to_geojson(result, metadata=hotspots.metadata()),
            "csv": to_csv(result),
        }
        cache.set(key, outputs, CACHE_SECONDS)
    return outputs


@staff_required
def hotspots_page(request: HttpRequest) -> HttpResponse:
    forces = _force_choices(_user(request))
    submitted = "force" in request.GET
    form = HotspotForm(
        request.GET if submitted else None, forces=forces, initial=_hotspot_defaults(forces)
    )
    context: dict[str, Any] = {"nav_analysis": True, "form": form, "forces": forces}
    if submitted and form.is_valid():
        hotspot_request = _hotspot_request(form.cleaned_data)
        try:
            outputs = _hotspot_outputs(hotspot_request)
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            query = request.GET.urlencode()
            download = reverse("analytics:hotspots-download")
            context.update(
                outputs=outputs,
                request_made=hotspot_request,
                harm_index=HARM_INDEXES.get(hotspot_request.harm or ""),  # type: ignore[call-overload]
                geojson_url=f"{download}?{query}&format=geojson",
                csv_url=f"{download}?{query}&format=csv",
                map_tile_url=settings.MAP_TILE_URL,
                map_tile_attribution=settings.MAP_TILE_ATTRIBUTION,
            )
    status = 400 if submitted and form.errors else 200
    return render(request, "analytics/hotspots.html", context, status=status)


@staff_required
def hotspots_download(request: HttpRequest) -> HttpResponse:
    forces = _force_choices(_user(request))
    form = HotspotForm(request.GET, forces=forces)
    kind = request.GET.get("format", "geojson")
    if kind not in {"geojson", "csv"} or not form.is_valid():
        return HttpResponse(
            "The download needs a force you work in, two months (YYYY-MM) and a format of "
            "geojson or csv.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    hotspot_request = _hotspot_request(form.cleaned_data)
    try:
        outputs = _hotspot_outputs(hotspot_request)
    except ValueError as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
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
    user = _user(request)
    submitted = "area" in request.GET
    form = TrendsForm(request.GET if submitted else None)
    context: dict[str, Any] = {"nav_analysis": True, "form": form}
    if submitted and form.is_valid():
        try:
            area = area_resolve(text=form.cleaned_data["area"], force_ids=_allowed_force_ids(user))
            trends = area_trends(
                area=area,
                month_from=form.cleaned_data["month_from"] or None,
                month_to=form.cleaned_data["month_to"] or None,
            )
        except ValueError as error:
            form.add_error("area", str(error))
        else:
            report = trends.report
            context.update(
                trends=trends,
                report=report,
                monthly_rows=_monthly_rows(report.monthly),
                totals_rows=_totals_rows(report),
                monthly_svg=monthly_chart_svg(report.monthly),
                seasonality_svg=seasonality_chart_svg(report.seasonality),
                seasonality_rows=_seasonality_rows(report.seasonality),
                repeat_rows=report.repeat_locations.to_dict("records"),
                repeat_percent=report.repeat_share * 100,
            )
    status = 400 if submitted and form.errors else 200
    return render(request, "analytics/trends.html", context, status=status)


def _number(value: Any) -> float | None:
    """A finite number, or None (shown as a dash) for a rate with no population."""
    number = float(value)
    return number if math.isfinite(number) else None


def _monthly_rows(monthly: Any) -> list[dict[str, Any]]:
    return [
        {"month": month, "crimes": None if _number(value) is None else int(value)}
        for month, value in monthly["all-crime"].items()
    ]


def _totals_rows(report: Any) -> list[dict[str, Any]]:
    changes = {change.category: change for change in report.changes}
    labels = {row.slug: row.label for row in harm_weights().categories}
    rows = []
    for category, row in report.totals.iterrows():
        rows.append(
            {
                "category": "All crime"
                if category == "all-crime"
                else labels.get(str(category), str(category)),
                "crimes": int(row["crimes"]),
                "per_1000": _number(row["per_1000"]),
                "per_1000_a_year": _number(row["per_1000_a_year"]),
                "change": changes.get(category) if report.compared_months else None,
            }
        )
    return rows


MONTH_NAMES = [calendar.month_name[number] for number in range(1, 13)]


def _seasonality_rows(profile: Any) -> list[dict[str, Any]]:
    return [
        {
            "month": MONTH_NAMES[int(calendar_month) - 1],
            "mean": _number(row["mean_crimes"]),
            "index": _number(row["index"]),
            "years": int(row["months"]),
        }
        for calendar_month, row in profile.iterrows()
    ]
