"""A small, hand-made crime world for the analytics tests, built with the ORM.

Staffordshire with two LSOAs of Stoke-on-Trent and one of Newcastle-under-Lyme, two
neighbourhoods (Longton, Hanley), and crimes placed on British National Grid points with their
WGS84 coordinates from pyproj: a burglary cluster on Market Street in Longton, scattered thefts,
a crime without a location, one far outside the force (as police.uk files do carry), and one
Cheshire crime that Staffordshire users must never see.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from beatbook.common.projection import bng_to_wgs84
from beatbook.opendata.models import Crime, Location
from beatbook.places.models import Force, Lsoa, Neighbourhood
from beatbook.records.models import SourceFile, SourceKind, SourceStatus

MARKET = (391_120.0, 342_630.0)
UTTOXETER = (391_560.0, 342_890.0)
HANLEY_BUS = (388_330.0, 347_560.0)
FAR_AWAY = (530_000.0, 180_000.0)  # London: a force recording a crime far outside its area


@dataclass
class AnalyticsWorld:
    force: Force
    cheshire: Force
    longton: Neighbourhood
    hanley: Neighbourhood
    crimes_by_month: dict[str, int]


def _source(force: Force, month: str) -> SourceFile:
    return SourceFile.objects.create(
        kind=SourceKind.STREET,
        path=f"/data/{month}-{force.id}-street.csv",
        sha256=f"{force.id}{month}".ljust(64, "0")[:64],
        force=force,
        month=month,
        status=SourceStatus.LOADED,
        started_at=timezone.now(),
    )


_next_location = [5000]


def _location(point: tuple[float, float], name: str) -> Location:
    lat, lng = bng_to_wgs84(easting=np.array([point[0]]), northing=np.array([point[1]]))
    _next_location[0] += 1
    return Location.objects.create(
        id=_next_location[0],
        latitude=float(lat[0]),
        longitude=float(lng[0]),
        name=name,
        easting=int(point[0]),
        northing=int(point[1]),
    )


def _crime(
    source: SourceFile,
    location: Location | None,
    category: str,
    lsoa: Lsoa | None,
    neighbourhood: Neighbourhood | None,
) -> Crime:
    return Crime.objects.create(
        force=source.force,
        falls_within=source.force,
        month=source.month,
        category=category,
        location=location,
        latitude=location.latitude if location else None,
        longitude=location.longitude if location else None,
        easting=location.easting if location else None,
        northing=location.northing if location else None,
        lsoa_code=lsoa.code if lsoa else "",
        lsoa_name=lsoa.name if lsoa else "",
        neighbourhood=neighbourhood,
        source=source,
    )


def boundary_around(point: tuple[float, float], half_side: float) -> dict[str, object]:
    """A square boundary (WGS84) of ``2 * half_side`` metres centred on a BNG point."""
    xs = np.array([point[0] - half_side, point[0] + half_side])
    ys = np.array([point[1] - half_side, point[1] + half_side])
    lat, lng = bng_to_wgs84(easting=xs, northing=ys)
    min_lat, max_lat = float(lat.min()), float(lat.max())
    min_lng, max_lng = float(lng.min()), float(lng.max())
    ring = [
        [min_lng, min_lat],
        [max_lng, min_lat],
        [max_lng, max_lat],
        [min_lng, max_lat],
        [min_lng, min_lat],
    ]
    return {
        "boundary": {"type": "Polygon", "coordinates": [ring]},
        "min_lat": min_lat,
        "max_lat": max_lat,
        "min_lng": min_lng,
        "max_lng": max_lng,
        "centre_lat": (min_lat + max_lat) / 2,
        "centre_lng": (min_lng + max_lng) / 2,
    }


def _lsoa(code: str, name: str, la: str, population: int, force: Force) -> Lsoa:
    return Lsoa.objects.create(
        code=code,
        name=name,
        census_year=2011,
        local_authority_name=la,
        population_2011=population - 50,
        population_2021=population,
        force=force,
    )


def build_analytics_world() -> AnalyticsWorld:
    force, _ = Force.objects.update_or_create(
        id="staffordshire", defaults={"name": "Staffordshire Police"}
    )
    cheshire, _ = Force.objects.update_or_create(
        id="cheshire", defaults={"name": "Cheshire Constabulary"}
    )
    longton_lsoa = _lsoa("E01014213", "Stoke-on-Trent 012A", "Stoke-on-Trent", 1500, force)
    hanley_lsoa = _lsoa("E01014100", "Stoke-on-Trent 001B", "Stoke-on-Trent", 2000, force)
    _lsoa("E01029900", "Newcastle-under-Lyme 003C", "Newcastle-under-Lyme", 1700, force)
    longton = Neighbourhood.objects.create(
        force=force,
        code="SOT.LONGTON",
        name="Longton",
        population=21_000,
        **boundary_around(MARKET, 1500.0),
    )
    hanley = Neighbourhood.objects.create(
        force=force, code="SOT.HANLEY", name="Hanley", **boundary_around(HANLEY_BUS, 1500.0)
    )
    longton.lsoas.add(longton_lsoa)
    hanley.lsoas.add(hanley_lsoa)

    market = _location(MARKET, "On or near Market Street")
    uttoxeter = _location(UTTOXETER, "On or near Uttoxeter Road")
    bus = _location(HANLEY_BUS, "On or near Hanley Bus Station")
    far = _location(FAR_AWAY, "On or near Whitehall")

    counts: dict[str, int] = {}
    for month, burglaries in (("2024-01", 1), ("2024-02", 1), ("2025-01", 4), ("2025-02", 5)):
        source = _source(force, month)
        for _ in range(burglaries):
            _crime(source, market, "burglary", longton_lsoa, longton)
        _crime(source, uttoxeter, "other-theft", longton_lsoa, longton)
        _crime(source, bus, "shoplifting", hanley_lsoa, hanley)
        counts[month] = burglaries + 2
    february = SourceFile.objects.get(force=force, month="2025-02")
    _crime(february, None, "bicycle-theft", None, None)
    _crime(february, far, "robbery", None, None)
    counts["2025-02"] += 2
    _crime(_source(cheshire, "2025-02"), market, "drugs", None, None)
    return AnalyticsWorld(
        force=force, cheshire=cheshire, longton=longton, hanley=hanley, crimes_by_month=counts
    )
