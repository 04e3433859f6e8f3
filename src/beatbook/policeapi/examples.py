"""Example requests for the API's page, filled from whatever data this server holds."""

from __future__ import annotations

from dataclasses import dataclass, replace

from beatbook.opendata.models import Crime, StopAndSearch
from beatbook.places.models import Neighbourhood, Postcode
from beatbook.policeapi.selectors.held_months import latest_held_month
from beatbook.records.models import SourceKind


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    summary: str
    example: str


@dataclass(frozen=True)
class Samples:
    """Real values to put in the examples: a force, a neighbourhood, a point, a month."""

    force: str = "staffordshire"
    neighbourhood: str = "NEIGHBOURHOOD"
    month: str = "2025-01"
    lat: str = "52.988000"
    lng: str = "-2.128000"
    location_id: int = 0
    stop_location_id: int = 0
    persistent_id: str = "PERSISTENT-ID"
    postcode: str = "ST31AA"


def samples() -> Samples:
    month = latest_held_month(SourceKind.STREET) or Samples.month
    crime = (
        Crime.objects.filter(month=month, location__isnull=False)
        .exclude(persistent_id="")
        .values_list(
            "force_id", "location_id", "location__latitude", "location__longitude", "persistent_id"
        )
        .order_by("id")
        .first()
    )
    # A neighbourhood whose team is on record, if any, so that its examples show something.
    neighbourhoods = Neighbourhood.objects.order_by("force_id", "name").values_list(
        "force_id", "code"
    )
    neighbourhood = (
        neighbourhoods.filter(team_members__isnull=False).first() or neighbourhoods.first()
    )
    stop_location = (
        StopAndSearch.objects.filter(location__isnull=False)
        .values_list("location_id", flat=True)
        .first()
    )
    postcode = Postcode.objects.exclude(latitude=None).values_list("postcode", flat=True).first()
    found = Samples(month=month)
    if crime is not None:
        force, location_id, lat, lng, persistent_id = crime
        found = Samples(
            force=force,
            month=month,
            lat=f"{lat:.6f}",
            lng=f"{lng:.6f}",
            location_id=location_id,
            persistent_id=persistent_id,
        )
    if neighbourhood is not None:
        found = replace(found, force=neighbourhood[0], neighbourhood=neighbourhood[1])
    if stop_location is not None:
        found = replace(found, stop_location_id=stop_location)
    if postcode:
        found = replace(found, postcode=postcode.replace(" ", ""))
    return found


def routes(s: Samples) -> list[Route]:
    d = 0.01
    lat, lng = float(s.lat), float(s.lng)
    poly = f"{lat + d:.3f},{lng - d:.3f}:{lat + d:.3f},{lng + d:.3f}:{lat - d:.3f},{lng:.3f}"
    point = f"lat={s.lat}&lng={s.lng}"
    n = f"{s.force}/{s.neighbourhood}"
    return [
        Route("GET", "forces", "Every force", "forces"),
        Route("GET", "forces/{force}", "A force", f"forces/{s.force}"),
        Route(
            "GET", "forces/{force}/people", "A force's senior officers", f"forces/{s.force}/people"
        ),
        Route(
            "GET, POST",
            "crimes-street/{category}",
            "Crimes within a mile of a point",
            f"crimes-street/all-crime?{point}&date={s.month}",
        ),
        Route(
            "GET, POST",
            "crimes-street/{category}",
            "Crimes inside a polygon (POST it form-encoded when long)",
            f"crimes-street/all-crime?poly={poly}&date={s.month}",
        ),
        Route(
            "GET",
            "crimes-at-location",
            "Crimes at one published location",
            f"crimes-at-location?location_id={s.location_id}&date={s.month}",
        ),
        Route(
            "GET",
            "crimes-no-location",
            "Crimes with no location",
            f"crimes-no-location?category=all-crime&force={s.force}&date={s.month}",
        ),
        Route(
            "GET",
            "crime-categories",
            "Crime categories for a month",
            f"crime-categories?date={s.month}",
        ),
        Route("GET", "crime-last-updated", "The latest month held", "crime-last-updated"),
        Route("GET", "crimes-street-dates", "The months held, newest first", "crimes-street-dates"),
        Route(
            "GET",
            "outcomes-for-crime/{persistent_id}",
            "A crime's case history",
            f"outcomes-for-crime/{s.persistent_id}",
        ),
        Route(
            "GET, POST",
            "outcomes-at-location",
            "Outcomes at a location, near a point or in a polygon",
            f"outcomes-at-location?location_id={s.location_id}&date={s.month}",
        ),
        Route(
            "GET", "{force}/neighbourhoods", "A force's neighbourhoods", f"{s.force}/neighbourhoods"
        ),
        Route("GET", "{force}/{neighbourhood}", "A neighbourhood", n),
        Route("GET", "{force}/{neighbourhood}/boundary", "Its boundary", f"{n}/boundary"),
        Route("GET", "{force}/{neighbourhood}/people", "Its team", f"{n}/people"),
        Route("GET", "{force}/{neighbourhood}/events", "Its upcoming events", f"{n}/events"),
        Route("GET", "{force}/{neighbourhood}/priorities", "Its priorities", f"{n}/priorities"),
        Route(
            "GET",
            "locate-neighbourhood",
            "The neighbourhood covering a point",
            f"locate-neighbourhood?q={s.lat},{s.lng}",
        ),
        Route(
            "GET, POST",
            "stops-street",
            "Stop and search near a point or in a polygon",
            f"stops-street?{point}",
        ),
        Route(
            "GET",
            "stops-at-location",
            "Stop and search at a location",
            f"stops-at-location?location_id={s.stop_location_id}",
        ),
        Route(
            "GET",
            "stops-no-location",
            "Stop and search with no location",
            f"stops-no-location?force={s.force}",
        ),
        Route("GET", "stops-force", "A force's stop and search", f"stops-force?force={s.force}"),
        Route(
            "GET",
            "postcodes/{postcode}",
            "A postcode's position (postcodes.io's shape)",
            f"postcodes/{s.postcode}",
        ),
    ]
