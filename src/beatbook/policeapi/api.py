"""The police.uk-compatible open API: the 22 routes of data.police.uk under ``/api/``.

Routes stay thin: parse (``params``), read (``selectors``), shape (``serialisers``). Query
parameters and form bodies are read by the tolerant parsing in ``params`` (the same text may
come from either), so routes declare only their path parameters; ``openapi`` documents the rest,
and every error answer. Specific paths are declared before ``/{force}/{neighbourhood}``, which
would match them too.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja.errors import ValidationError

from beatbook.policeapi import schemas, serialisers
from beatbook.policeapi.errors import ApiError, BadRequestError, NotFoundError
from beatbook.policeapi.openapi import PoliceApi
from beatbook.policeapi.params import (
    Point,
    first,
    merged_params,
    parse_location_id,
    parse_point,
    parse_poly,
    parse_q,
)
from beatbook.policeapi.responses import error_response, json_response
from beatbook.policeapi.selectors import crimes as crime_selectors
from beatbook.policeapi.selectors import places, stops
from beatbook.policeapi.selectors.held_months import availability, latest_held_month, resolve_month
from beatbook.policeapi.selectors.search_areas import Area, circle, polygon
from beatbook.records.models import SourceKind

api = PoliceApi(
    title="Beatbook open API (police.uk-compatible)",
    version="1",
    description=(
        "The routes of the police.uk data API (https://data.police.uk/docs/), answering from "
        "this server's data in police.uk's shapes. Point a police.uk client at this address."
    ),
    urls_namespace="policeapi",
    docs_url=None,
)


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(exc)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(BadRequestError("malformed parameters"))


def _area_limit() -> int:
    return int(settings.API_AREA_LIMIT)


# Crimes -------------------------------------------------------------------------------------


def _street_crimes(request: HttpRequest, category: str) -> HttpResponse:
    params = merged_params(request)
    month = resolve_month(first(params, "date"))
    location_id = parse_location_id(first(params, "location_id"))
    poly = parse_poly(params)
    point = parse_point(params)
    if location_id is None and poly is None and point is None:
        raise BadRequestError("give lat and lng, or poly (lat,lng:lat,lng:...)")
    if month is None:
        return json_response([])
    if location_id is not None:
        crime_selectors.location_or_404(location_id)
        found = crime_selectors.crimes_at_location(
            location_id=location_id, month=month, category=category
        )
    elif poly is not None:
        found = crime_selectors.crimes_in_polygon(
            area=polygon(poly), month=month, category=category
        )
    else:
        assert point is not None
        found = crime_selectors.crimes_near(point=point, month=month, category=category)
    return json_response(serialisers.crimes(found))


@api.get("/crimes-street/{category}", response=list[schemas.Crime], tags=["crimes"])
def crimes_street(request: HttpRequest, category: str) -> HttpResponse:
    """Crimes within a mile of a point, or inside a polygon, in a month (default the latest)."""
    return _street_crimes(request, category)


@api.post("/crimes-street/{category}", response=list[schemas.Crime], tags=["crimes"])
def crimes_street_form(request: HttpRequest, category: str) -> HttpResponse:
    """As the GET, with the parameters form-encoded in the body (for long polygons)."""
    return _street_crimes(request, category)


@api.get("/crimes-at-location", response=list[schemas.Crime], tags=["crimes"])
def crimes_at_location(request: HttpRequest) -> HttpResponse:
    """Crimes at one published location, or at the one nearest a point."""
    params = merged_params(request)
    month = resolve_month(first(params, "date"))
    wanted = parse_location_id(first(params, "location_id"))
    point = parse_point(params)
    if wanted is None and point is None:
        raise BadRequestError("give location_id, or lat and lng")
    if wanted is not None:
        crime_selectors.location_or_404(wanted)
    else:
        assert point is not None
        wanted = crime_selectors.nearest_location_id(point)
    if month is None or wanted is None:
        return json_response([])
    found = crime_selectors.crimes_at_location(location_id=wanted, month=month)
    return json_response(serialisers.crimes(found))


@api.get("/crimes-no-location", response=list[schemas.Crime], tags=["crimes"])
def crimes_no_location(request: HttpRequest) -> HttpResponse:
    """Crimes a force could not place on the map."""
    params = merged_params(request)
    month = resolve_month(first(params, "date"))
    force_id = first(params, "force")
    if force_id is None:
        raise BadRequestError("give force")
    if not places.force_exists(force_id):
        raise NotFoundError(f"no force {force_id!r}")
    if month is None:
        return json_response([])
    found = crime_selectors.crimes_without_location(
        force_id=force_id, month=month, category=first(params, "category")
    )
    return json_response(serialisers.crimes(found))


@api.get("/crime-categories", response=list[schemas.Category], tags=["crimes"])
def crime_categories(request: HttpRequest) -> HttpResponse:
    """The category slugs and names for a month."""
    month = resolve_month(first(merged_params(request), "date"))
    rows = crime_selectors.crime_categories(month=month)
    return json_response([{"url": slug, "name": name} for slug, name in rows])


@api.get("/crime-last-updated", response=schemas.LastUpdated, tags=["crimes"])
def crime_last_updated(request: HttpRequest) -> HttpResponse:
    """The latest month held, as the first day of that month."""
    latest = latest_held_month(SourceKind.STREET)
    return json_response({"date": f"{latest}-01" if latest else None})


@api.get(
    "/crimes-street-dates", response=list[schemas.Availability], tags=["crimes"], by_alias=True
)
def crimes_street_dates(request: HttpRequest) -> HttpResponse:
    """The months held, newest first, with the forces that published stop and search."""
    rows = availability()
    return json_response([{"date": month, "stop-and-search": forces} for month, forces in rows])


@api.get("/outcomes-for-crime/{persistent_id}", response=schemas.CrimeOutcomes, tags=["outcomes"])
def outcomes_for_crime(request: HttpRequest, persistent_id: str) -> HttpResponse:
    """A crime and its case history."""
    row, outcomes = crime_selectors.crime_with_outcomes(persistent_id=persistent_id)
    return json_response(serialisers.crime_outcomes(row, outcomes))


def _outcomes(request: HttpRequest) -> HttpResponse:
    params = merged_params(request)
    month = resolve_month(first(params, "date"))
    location_id = parse_location_id(first(params, "location_id"))
    poly = parse_poly(params)
    point = parse_point(params)
    if location_id is None and poly is None and point is None:
        raise BadRequestError("give location_id, lat and lng, or poly")
    if location_id is not None:
        crime_selectors.location_or_404(location_id)
    if month is None:
        return json_response([])
    if location_id is not None:
        rows = crime_selectors.outcomes_at_location(location_id=location_id, month=month)
    else:
        area, limit = _area(poly, point)
        rows = crime_selectors.outcomes_in_area(area=area, month=month, limit=limit)
    return json_response([serialisers.outcome_at_location(row) for row in rows])


def _area(poly: list[Point] | None, point: Point | None) -> tuple[Area, int | None]:
    if poly is not None:
        return polygon(poly), _area_limit()
    assert point is not None
    return circle(point), _area_limit()


@api.get("/outcomes-at-location", response=list[schemas.OutcomeAtLocation], tags=["outcomes"])
def outcomes_at_location(request: HttpRequest) -> HttpResponse:
    """Outcome events at a location, within a mile of a point, or inside a polygon."""
    return _outcomes(request)


@api.post("/outcomes-at-location", response=list[schemas.OutcomeAtLocation], tags=["outcomes"])
def outcomes_at_location_form(request: HttpRequest) -> HttpResponse:
    """As the GET, with the parameters form-encoded in the body."""
    return _outcomes(request)


# Stop and search ----------------------------------------------------------------------------


def _stops_street(request: HttpRequest) -> HttpResponse:
    params = merged_params(request)
    month = resolve_month(first(params, "date"), kind=SourceKind.STOP_AND_SEARCH)
    poly = parse_poly(params)
    point = parse_point(params)
    if poly is None and point is None:
        raise BadRequestError("give lat and lng, or poly")
    if month is None:
        return json_response([])
    area, limit = _area(poly, point)
    rows = stops.stops_in_area(area=area, month=month, limit=limit)
    return json_response([serialisers.stop(row) for row in rows])


@api.get("/stops-street", response=list[schemas.Stop], tags=["stop and search"])
def stops_street(request: HttpRequest) -> HttpResponse:
    """Stops and searches within a mile of a point, or inside a polygon."""
    return _stops_street(request)


@api.post("/stops-street", response=list[schemas.Stop], tags=["stop and search"])
def stops_street_form(request: HttpRequest) -> HttpResponse:
    """As the GET, with the parameters form-encoded in the body."""
    return _stops_street(request)


@api.get("/stops-at-location", response=list[schemas.Stop], tags=["stop and search"])
def stops_at_location(request: HttpRequest) -> HttpResponse:
    """Stops and searches at one published location (none for an unknown one)."""
    params = merged_params(request)
    month = resolve_month(first(params, "date"), kind=SourceKind.STOP_AND_SEARCH)
    wanted = parse_location_id(first(params, "location_id"))
    if wanted is None:
        raise BadRequestError("give location_id")
    if month is None:
        return json_response([])
    rows = stops.stops_at_location(location_id=wanted, month=month)
    return json_response([serialisers.stop(row) for row in rows])


def _force_stops(request: HttpRequest, *, located_too: bool) -> HttpResponse:
    params = merged_params(request)
    month = resolve_month(first(params, "date"), kind=SourceKind.STOP_AND_SEARCH)
    force_id = first(params, "force")
    if force_id is None:
        raise BadRequestError("give force")
    if month is None:
        return json_response([])
    if located_too:
        rows = stops.stops_by_force(force_id=force_id, month=month)
    else:
        rows = stops.stops_without_location(force_id=force_id, month=month)
    return json_response([serialisers.stop(row) for row in rows])


@api.get("/stops-no-location", response=list[schemas.Stop], tags=["stop and search"])
def stops_no_location(request: HttpRequest) -> HttpResponse:
    """A force's stops and searches that have no location."""
    return _force_stops(request, located_too=False)


@api.get("/stops-force", response=list[schemas.Stop], tags=["stop and search"])
def stops_force(request: HttpRequest) -> HttpResponse:
    """All of a force's stops and searches in a month, located or not."""
    return _force_stops(request, located_too=True)


# Forces -------------------------------------------------------------------------------------


@api.get("/forces", response=list[schemas.Named], tags=["forces"])
def forces(request: HttpRequest) -> HttpResponse:
    """Every force police.uk lists (not British Transport Police)."""
    return json_response([{"id": id_, "name": name} for id_, name in places.listed_forces()])


@api.get("/forces/{force}", response=schemas.ForceDetail, tags=["forces"])
def force_detail(request: HttpRequest, force: str) -> HttpResponse:
    """A force: its website, telephone and ways to follow it."""
    found = places.listed_force_or_404(force)
    return json_response(serialisers.force_detail(found, places.engagement_methods(found)))


@api.get("/forces/{force}/people", response=list[schemas.Person], tags=["forces"])
def force_people(request: HttpRequest, force: str) -> HttpResponse:
    """A force's senior officers."""
    return json_response([serialisers.person(p) for p in places.senior_officers(force)])


# Neighbourhoods -----------------------------------------------------------------------------


@api.get("/locate-neighbourhood", response=schemas.Located, tags=["neighbourhoods"])
def locate_neighbourhood(request: HttpRequest) -> HttpResponse:
    """The force and neighbourhood covering a point: ``q=lat,lng``."""
    point = parse_q(first(merged_params(request), "q"))
    force_id, code = places.locate_neighbourhood(point)
    return json_response({"force": force_id, "neighbourhood": code})


@api.get("/postcodes/{postcode}", response=schemas.PostcodeLookup, tags=["postcodes"])
def postcode_lookup(request: HttpRequest, postcode: str) -> HttpResponse:
    """postcodes.io's postcode lookup, from Code-Point Open (for clients that geocode first)."""
    return postcode_response(postcode)


def postcode_response(postcode: str) -> HttpResponse:
    try:
        found = places.postcode_or_404(postcode)
    except NotFoundError:
        return json_response({"status": 404, "error": "Postcode not found"}, status=404)
    return json_response(serialisers.postcode(found))


@api.get("/{force}/neighbourhoods", response=list[schemas.Named], tags=["neighbourhoods"])
def neighbourhoods(request: HttpRequest, force: str) -> HttpResponse:
    """A force's neighbourhoods."""
    rows = places.neighbourhoods_of(force)
    return json_response([{"id": code, "name": name} for code, name in rows])


@api.get(
    "/{force}/{neighbourhood}/boundary", response=list[schemas.Vertex], tags=["neighbourhoods"]
)
def neighbourhood_boundary(request: HttpRequest, force: str, neighbourhood: str) -> HttpResponse:
    """The neighbourhood's boundary as a ring of points."""
    found = places.neighbourhood_or_404(force, neighbourhood, with_boundary=True)
    return json_response(serialisers.boundary(places.boundary_ring(found)))


@api.get("/{force}/{neighbourhood}/people", response=list[schemas.Person], tags=["neighbourhoods"])
def neighbourhood_people(request: HttpRequest, force: str, neighbourhood: str) -> HttpResponse:
    """The neighbourhood's team."""
    found = places.neighbourhood_or_404(force, neighbourhood)
    return json_response([serialisers.person(member) for member in places.team_members(found)])


@api.get(
    "/{force}/{neighbourhood}/events",
    response=list[schemas.NeighbourhoodEvent],
    tags=["neighbourhoods"],
)
def neighbourhood_events(request: HttpRequest, force: str, neighbourhood: str) -> HttpResponse:
    """The team's upcoming events and the public activities of operations covering the
    neighbourhood, soonest first."""
    found = places.neighbourhood_or_404(force, neighbourhood)
    return json_response([serialisers.listing(item) for item in places.upcoming_listings(found)])


@api.get(
    "/{force}/{neighbourhood}/priorities",
    response=list[schemas.NeighbourhoodPriority],
    tags=["neighbourhoods"],
    by_alias=True,
)
def neighbourhood_priorities(request: HttpRequest, force: str, neighbourhood: str) -> HttpResponse:
    """The team's priorities and what it did about them, newest first."""
    found = places.neighbourhood_or_404(force, neighbourhood)
    return json_response([serialisers.priority(item) for item in places.priorities(found)])


@api.get("/{force}/{neighbourhood}", response=schemas.NeighbourhoodDetail, tags=["neighbourhoods"])
def neighbourhood_detail(request: HttpRequest, force: str, neighbourhood: str) -> HttpResponse:
    """A neighbourhood: its team's contact details, links, places to meet, centre, population."""
    found = places.neighbourhood_or_404(force, neighbourhood)
    body = serialisers.neighbourhood_detail(
        found, places.neighbourhood_links(found), places.neighbourhood_locations(found)
    )
    return json_response(body)
