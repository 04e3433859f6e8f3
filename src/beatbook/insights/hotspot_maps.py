"""Hotspots for a force: its crimes from the database, its study area (``study_area_cache``: the
cells overlapping its LSOAs, as forecasts use, or else its neighbourhoods), and the harm weights
in force, handed to ``beatbook.analysis.hotspots``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from beatbook.analysis.harm import HARM_INDEXES, check_index
from beatbook.analysis.hotspots import (
    HotspotMap,
    HotspotOptions,
    hotspot_map,
    to_csv,
    to_geojson,
)
from beatbook.analysis.study_area import area_bounds, area_mask
from beatbook.insights.harm_in_force import harm_weights
from beatbook.insights.selectors import crime_points, data_version
from beatbook.insights.stored_results import ResultSpec
from beatbook.insights.study_area_cache import hotspot_study_area
from beatbook.places.models import Force


@dataclass(frozen=True)
class HotspotRequest:
    force_id: str
    month_from: str
    month_to: str
    categories: tuple[str, ...] = ()
    harm: str | None = None
    options: HotspotOptions = HotspotOptions()


@dataclass(frozen=True)
class ForceHotspots:
    request: HotspotRequest
    force: Force
    result: HotspotMap
    harm_version: str | None
    area_source: str

    def metadata(self) -> dict[str, object]:
        return {
            "force": self.force.pk,
            "from": self.request.month_from,
            "to": self.request.month_to,
            "categories": list(self.request.categories) or "all",
            "harm": None
            if self.request.harm is None
            else HARM_INDEXES[check_index(self.request.harm)].name,
            "harm_weights_version": self.harm_version,
            "study_area": self.area_source,
        }


def force_hotspots(*, request: HotspotRequest) -> ForceHotspots:
    """The hotspot map of one force; ValueError (plain words) for an unknown force or bad input."""
    force = Force.objects.filter(pk=request.force_id).first()
    if force is None:
        raise ValueError(f"There is no force {request.force_id!r}.")
    crimes = crime_points(
        force_ids=[force.pk],
        month_from=request.month_from,
        month_to=request.month_to,
        categories=list(request.categories) or None,
    )
    weights = None
    version = None
    if request.harm is not None:
        table = harm_weights()
        weights = table.weights_for(crimes["category"].to_numpy(), check_index(request.harm))
        version = table.version
    area = hotspot_study_area(force.pk, request.options.cell_size)
    if area is None and not crimes["easting"].notna().any():
        raise ValueError(
            f"{force.name} has no crimes with a location from {request.month_from} to "
            f"{request.month_to}, and no boundaries to draw an empty map on."
        )
    if area is None:
        result = hotspot_map(crimes, options=request.options, weights=weights)
        source = "the box holding the middle 98% of the force's crimes (no boundaries loaded)"
    else:
        grid, cells, source = area
        result = hotspot_map(
            crimes,
            options=request.options,
            weights=weights,
            bounds=area_bounds(grid),
            mask=lambda on: area_mask(on, (grid, cells)),
        )
    return ForceHotspots(
        request=request, force=force, result=result, harm_version=version, area_source=source
    )


def hotspot_params(request: HotspotRequest) -> dict[str, Any]:
    """The request as the plain settings a stored result is keyed by and the worker reads."""
    return {
        "force": request.force_id,
        "month_from": request.month_from,
        "month_to": request.month_to,
        "categories": list(request.categories),
        "harm": request.harm,
        "method": request.options.method,
        "cell_size": request.options.cell_size,
    }


def hotspot_request_from(params: dict[str, Any]) -> HotspotRequest:
    return HotspotRequest(
        force_id=str(params["force"]),
        month_from=str(params["month_from"]),
        month_to=str(params["month_to"]),
        categories=tuple(params.get("categories") or ()),
        harm=params.get("harm") or None,
        options=HotspotOptions(method=params["method"], cell_size=float(params["cell_size"])),
    )


def hotspot_result_spec(params: dict[str, Any]) -> ResultSpec:
    """The stored result's spec: the force's data, and the harm table when weighed by harm."""
    request = hotspot_request_from(params)
    version = data_version(force_ids=[request.force_id])
    if request.harm is not None:
        version += f":h{harm_weights().version}"
    return ResultSpec("hotspots", hotspot_params(request), (request.force_id,), version)


def hotspot_result_make(params: dict[str, Any]) -> dict[str, Any]:
    """The hotspot page's table and both downloads (the map draws the GeoJSON one)."""
    hotspots = force_hotspots(request=hotspot_request_from(params))
    result = hotspots.result
    return {
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
        "geojson": to_geojson(result, metadata=hotspots.metadata()).decode(),
        "csv": to_csv(result),
    }
