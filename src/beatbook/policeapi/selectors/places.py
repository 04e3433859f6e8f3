"""Forces, neighbourhoods and what the teams publish about them, with the public activities
of the operations covering a neighbourhood (through ``operations.selectors.public_activities``
only: enforcement and warrants never reach the API)."""

from __future__ import annotations

from typing import Any

import orjson
import shapely
from django.utils import timezone

from beatbook.operations.models import Activity
from beatbook.operations.selectors import public_activities
from beatbook.places.models import Force, Neighbourhood, Postcode
from beatbook.places.postcode import normalise_postcode
from beatbook.places.selectors import LocateError, neighbourhood_of_point
from beatbook.policeapi.errors import NotFoundError
from beatbook.policeapi.params import Point
from beatbook.teams.models import (
    EngagementMethod,
    Event,
    NeighbourhoodLink,
    NeighbourhoodLocation,
    Priority,
    SeniorOfficer,
    TeamMember,
)


def listed_forces() -> list[tuple[str, str]]:
    """(id, name) of the forces police.uk lists (British Transport Police is not)."""
    return list(Force.objects.filter(listed=True).order_by("id").values_list("id", "name"))


def listed_force_or_404(force_id: str) -> Force:
    force = Force.objects.filter(pk=force_id, listed=True).first()
    if force is None:
        raise NotFoundError(f"no force {force_id!r}")
    return force


def force_exists(force_id: str) -> bool:
    return Force.objects.filter(pk=force_id).exists()


def engagement_methods(force: Force) -> list[EngagementMethod]:
    return list(EngagementMethod.objects.filter(force=force).order_by("order", "title"))


def senior_officers(force_id: str) -> list[SeniorOfficer]:
    force = listed_force_or_404(force_id)
    return list(SeniorOfficer.objects.filter(force=force).order_by("order", "name"))


def neighbourhoods_of(force_id: str) -> list[tuple[str, str]]:
    if not force_exists(force_id):
        raise NotFoundError(f"no force {force_id!r}")
    rows = Neighbourhood.objects.filter(force_id=force_id).order_by("name", "code")
    return list(rows.values_list("code", "name"))


def neighbourhood_or_404(force_id: str, code: str, *, with_boundary: bool = False) -> Neighbourhood:
    """A neighbourhood by police.uk's (case-sensitive) ids, with its team's contact details.

    The boundary (GeoJSON, often the largest thing in the row) is read only when asked for.
    """
    queryset = Neighbourhood.objects.select_related("team_contact").filter(
        force_id=force_id, code=code
    )
    neighbourhood = (queryset if with_boundary else queryset.defer("boundary")).first()
    # Some databases compare text case-insensitively; police.uk ids are case-sensitive.
    if neighbourhood is None or neighbourhood.code != code or neighbourhood.force_id != force_id:
        raise NotFoundError(f"no neighbourhood {code!r} in force {force_id!r}")
    return neighbourhood


def neighbourhood_links(neighbourhood: Neighbourhood) -> list[NeighbourhoodLink]:
    return list(
        NeighbourhoodLink.objects.filter(neighbourhood=neighbourhood).order_by("order", "title")
    )


def neighbourhood_locations(neighbourhood: Neighbourhood) -> list[NeighbourhoodLocation]:
    rows = NeighbourhoodLocation.objects.filter(neighbourhood=neighbourhood)
    return list(rows.order_by("order", "name"))


def team_members(neighbourhood: Neighbourhood) -> list[TeamMember]:
    return list(TeamMember.objects.filter(neighbourhood=neighbourhood).order_by("order", "name"))


def upcoming_events(neighbourhood: Neighbourhood) -> list[Event]:
    """Events not yet over, soonest first (police.uk lists upcoming events only)."""
    now = timezone.now()
    events = Event.objects.filter(neighbourhood=neighbourhood).exclude(end__lt=now)
    events = events.exclude(end__isnull=True, start__lt=now)
    return list(events.order_by("start", "id"))


def upcoming_listings(neighbourhood: Neighbourhood) -> list[Event | Activity]:
    """The team's events and the public activities of operations covering the neighbourhood,
    not yet over, soonest first (an event before an activity starting at the same moment)."""
    now = timezone.now()
    activities = public_activities(neighbourhood=neighbourhood, starting_from=now)

    def start(item: Event | Activity) -> tuple[Any, int, int]:
        return (item.start, 0 if isinstance(item, Event) else 1, item.pk)

    return sorted([*upcoming_events(neighbourhood), *activities], key=start)


def priorities(neighbourhood: Neighbourhood) -> list[Priority]:
    return list(Priority.objects.filter(neighbourhood=neighbourhood).order_by("-issue_date", "id"))


def boundary_ring(neighbourhood: Neighbourhood) -> list[tuple[float, float]]:
    """The outer ring (lat, lng) of the neighbourhood's boundary, first vertex repeated last.

    police.uk gives one ring; for a boundary in several parts we give the largest.
    """
    geometry: Any = neighbourhood.boundary
    if not geometry:
        return []
    text = geometry if isinstance(geometry, str) else orjson.dumps(geometry).decode()
    shape = shapely.from_geojson(text)
    parts = [part for part in shapely.get_parts(shape) if part.geom_type == "Polygon"]
    if not parts:
        return []
    largest = max(parts, key=lambda part: part.area)
    return [(lat, lng) for lng, lat in largest.exterior.coords]


def locate_neighbourhood(point: Point) -> tuple[str, str]:
    """(force id, neighbourhood code) of the neighbourhood containing a point; 404 if none."""
    try:
        found = neighbourhood_of_point(latitude=point.latitude, longitude=point.longitude)
    except LocateError as exc:
        raise NotFoundError(str(exc)) from None
    if found is None:
        raise NotFoundError("no neighbourhood covers that point")
    return found.force_id, found.code


def postcode_or_404(postcode: str) -> Postcode:
    normalised = normalise_postcode(postcode)
    found = Postcode.objects.filter(pk=normalised).first() if normalised else None
    if found is None or found.latitude is None or found.longitude is None:
        raise NotFoundError("Postcode not found")
    return found
