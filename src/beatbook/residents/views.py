"""The residents' pages: find your neighbourhood, the neighbourhood page, its calendar feeds,
its crime chart and its map of crime locations. Thin: each view calls finders and selectors.

The page and the feeds show the team's events and the public activities of the operations
covering the neighbourhood (read through ``operations.selectors.public_activities`` only)."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from beatbook.operations.models import Activity
from beatbook.places.models import Neighbourhood
from beatbook.records.versions import cached_for_version, data_version
from beatbook.residents import crime, find, ical, selectors
from beatbook.residents.crime_chart import crime_chart_svg
from beatbook.residents.geocode import Position
from beatbook.surveys.selectors import surveys_for_neighbourhood

# The residents' questions helper provides this template; the page includes it if it exists.
QUESTIONS_TEMPLATE = "enquiries/includes/neighbourhood_questions.html"
# Versioned URLs (``?v=``) make these safe to keep for a day: an import changes the URL.
LONG_CACHE = "public, max-age=86400"


def _to_neighbourhood(neighbourhood: Neighbourhood) -> HttpResponseRedirect:
    return redirect(selectors.neighbourhood_url(neighbourhood))


def _find_page(request: HttpRequest, **context: Any) -> HttpResponse:
    errors = [
        (field, context[f"{field}_error"])
        for field in ("postcode", "q", "map")
        if context.get(f"{field}_error")
    ]
    context.update(
        errors=errors,
        boundaries_url=reverse("residents:boundaries") + f"?v={data_version()}",
        forces=selectors.neighbourhoods_by_force(),
        police_uk_find=find.POLICE_UK_FIND,
    )
    return render(request, "residents/find.html", context)


@require_GET
def find_neighbourhood(request: HttpRequest) -> HttpResponse:
    """Find by postcode (``?postcode=``) or by name (``?q=``); or show the empty forms."""
    if "postcode" in request.GET:
        postcode = request.GET["postcode"]
        try:
            return _to_neighbourhood(find.find_by_postcode(text=postcode))
        except find.FindError as error:
            return _find_page(
                request,
                postcode=postcode,
                postcode_error=str(error),
                outside_area=error.outside_area,
            )
    if "q" in request.GET:
        text = request.GET["q"]
        try:
            matches = find.find_by_name(text=text)
        except find.FindError as error:
            return _find_page(request, q=text, q_error=str(error), outside_area=error.outside_area)
        if len(matches) == 1:
            return _to_neighbourhood(matches[0].neighbourhood)
        return _find_page(request, q=text, matches=matches, max_matches=find.MAX_MATCHES)
    return _find_page(request)


@require_GET
def locate(request: HttpRequest) -> HttpResponse:
    """A position chosen on the map or given by the browser: to its neighbourhood's page."""
    try:
        latitude, longitude = find.parse_point(
            request.GET.get("lat", ""), request.GET.get("lng", "")
        )
        return _to_neighbourhood(find.find_by_point(latitude=latitude, longitude=longitude))
    except find.FindError as error:
        return _find_page(request, map_error=str(error), outside_area=error.outside_area)


@require_GET
def boundaries(request: HttpRequest) -> HttpResponse:
    body = selectors.boundaries_feature_collection(version=data_version())
    response = HttpResponse(body, content_type="application/geo+json")
    response["Cache-Control"] = LONG_CACHE
    return response


def _questions_template() -> str | None:
    try:
        select_template([QUESTIONS_TEMPLATE])
    except TemplateDoesNotExist:
        return None
    return QUESTIONS_TEMPLATE


def _ask_url(neighbourhood: Neighbourhood) -> str | None:
    try:
        return reverse("enquiries:ask", args=[neighbourhood.force_id, neighbourhood.code])
    except NoReverseMatch:
        return None


def _event_points(
    listed: list[selectors.PlacedEvent | selectors.PlacedActivity],
) -> list[dict[str, Any]]:
    points = []
    for placed in listed:
        if placed.position is None:
            continue
        if isinstance(placed, selectors.PlacedEvent):
            title, anchor = placed.event.title, f"event-{placed.event.pk}"
        else:
            title, anchor = placed.activity.title, f"activity-{placed.activity.pk}"
        points.append(
            {"lat": placed.position[0], "lng": placed.position[1], "title": title, "anchor": anchor}
        )
    return points


def _webcal(request: HttpRequest, path: str) -> str:
    absolute = request.build_absolute_uri(path)
    return "webcal://" + absolute.split("://", 1)[1]


@require_GET
def neighbourhood_page(request: HttpRequest, force_id: str, neighbourhood_id: str) -> HttpResponse:
    neighbourhood = selectors.neighbourhood_get(force_id=force_id, code=neighbourhood_id)
    version = data_version()
    now = timezone.now()
    events = selectors.upcoming_events(neighbourhood, now=now)
    activities = selectors.upcoming_activities(neighbourhood, now=now)
    listed = selectors.soonest_first(events, activities)
    args = [neighbourhood.force_id, neighbourhood.code]
    feed_path = reverse("residents:calendar", args=args)
    questions = _questions_template()
    context = {
        "neighbourhood": neighbourhood,
        "force": neighbourhood.force,
        "team": selectors.team_of(neighbourhood),
        "priorities": selectors.priorities_of(neighbourhood),
        "surveys": surveys_for_neighbourhood(neighbourhood=neighbourhood),
        "events": events,
        "activities": activities,
        "listed": listed,
        "event_points": _event_points(listed),
        "operations": selectors.operations_of(neighbourhood, today=timezone.localdate(now)),
        "links": selectors.links_of(neighbourhood),
        "locations": selectors.locations_of(neighbourhood),
        "crime": crime.crime_summary(neighbourhood, version=version),
        "stops": crime.stop_summary(neighbourhood, version=version),
        "boundary": selectors.boundary_geojson(neighbourhood),
        "chart_url": reverse("residents:crime-chart", args=args) + f"?v={version}",
        "crime_places_url": reverse("residents:crime-places", args=args) + f"?v={version}",
        "feed_url": feed_path,
        "webcal_url": _webcal(request, feed_path),
        "ask_url": _ask_url(neighbourhood),
        "questions_template": questions,
        "has_questions": questions is not None,
    }
    return render(request, "residents/neighbourhood.html", context)


def _chart_title(neighbourhood: Neighbourhood) -> str:
    return f"Crimes by category in {neighbourhood.name}"


@require_GET
def crime_chart(request: HttpRequest, force_id: str, neighbourhood_id: str) -> HttpResponse:
    neighbourhood = selectors.neighbourhood_get(force_id=force_id, code=neighbourhood_id)
    version = data_version()
    summary = crime.crime_summary(neighbourhood, version=version)
    if summary is None or not summary.categories:
        return HttpResponse("No crime is held for this neighbourhood.", status=404)
    # The page asks for the narrow drawing on a phone (a <picture> source).
    narrow = request.GET.get("size") == "narrow"
    svg = cached_for_version(
        f"crime-chart:{neighbourhood.pk}:{'narrow' if narrow else 'wide'}",
        version=version,
        build=lambda: crime_chart_svg(summary, title=_chart_title(neighbourhood), narrow=narrow),
    )
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = LONG_CACHE
    return response


def _place_feature(place: crime.CrimePlace) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [place.longitude, place.latitude]},
        "properties": {
            "name": place.name,
            "count": place.count,
            "categories": [[name, n] for name, n in place.categories],
        },
    }


@require_GET
def crime_places(request: HttpRequest, force_id: str, neighbourhood_id: str) -> HttpResponse:
    """The published crime locations of the latest 12 months, with counts, as GeoJSON."""
    neighbourhood = selectors.neighbourhood_get(force_id=force_id, code=neighbourhood_id)
    version = data_version()
    body = cached_for_version(
        f"crime-places-json:{neighbourhood.pk}",
        version=version,
        build=lambda: json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    _place_feature(p) for p in crime.crime_places(neighbourhood, version=version)
                ],
            }
        ).encode(),
    )
    response = HttpResponse(body, content_type="application/geo+json")
    response["Cache-Control"] = LONG_CACHE
    return response


def _calendar_response(body: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _event_url(request: HttpRequest, neighbourhood: Neighbourhood, event_id: int) -> str:
    page = selectors.neighbourhood_url(neighbourhood)
    return request.build_absolute_uri(f"{page}#event-{event_id}")


def _activity_url(request: HttpRequest, activity: Activity) -> str:
    """An activity's page: its operation's public page."""
    return request.build_absolute_uri(reverse("operations:public", args=[activity.operation_id]))


def _activity_rows(
    request: HttpRequest, placed: list[selectors.PlacedActivity]
) -> list[tuple[Activity, str, Position | None]]:
    return [(p.activity, _activity_url(request, p.activity), p.position) for p in placed]


@require_GET
def calendar_feed(request: HttpRequest, force_id: str, neighbourhood_id: str) -> HttpResponse:
    """Every current event of the neighbourhood, and the public activities of the operations
    covering it: subscribable (webcal) or downloadable."""
    neighbourhood = selectors.neighbourhood_get(force_id=force_id, code=neighbourhood_id)
    now = timezone.now()
    placed = selectors.feed_events(neighbourhood, now=now)
    activities = selectors.feed_activities(neighbourhood, now=now)
    body = ical.events_calendar(
        neighbourhood=neighbourhood,
        events=[
            (p.event, _event_url(request, neighbourhood, p.event.pk), p.position) for p in placed
        ],
        activities=_activity_rows(request, activities),
        now=now,
    )
    filename = f"{neighbourhood.force_id}-{neighbourhood.code}-events.ics"
    return _calendar_response(body, filename, attachment=False)


@require_GET
def event_calendar(
    request: HttpRequest, force_id: str, neighbourhood_id: str, event_id: int
) -> HttpResponse:
    """One event, to add to a calendar."""
    neighbourhood = selectors.neighbourhood_get(force_id=force_id, code=neighbourhood_id)
    placed = selectors.event_get(neighbourhood, event_id)
    body = ical.events_calendar(
        neighbourhood=neighbourhood,
        events=[(placed.event, _event_url(request, neighbourhood, event_id), placed.position)],
        now=timezone.now(),
    )
    return _calendar_response(body, f"event-{event_id}.ics", attachment=True)


@require_GET
def activity_calendar(
    request: HttpRequest, force_id: str, neighbourhood_id: str, activity_id: int
) -> HttpResponse:
    """One public activity of an operation covering the neighbourhood, to add to a calendar."""
    neighbourhood = selectors.neighbourhood_get(force_id=force_id, code=neighbourhood_id)
    placed = selectors.activity_get(neighbourhood, activity_id)
    body = ical.events_calendar(
        neighbourhood=neighbourhood,
        events=[],
        activities=_activity_rows(request, [placed]),
        now=timezone.now(),
    )
    return _calendar_response(body, f"activity-{activity_id}.ics", attachment=True)
