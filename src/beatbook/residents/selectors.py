"""Reads for the residents' pages: a neighbourhood, its team, priorities and events, the public
activities of the operations covering it, and the boundaries the find-your-neighbourhood map
draws.

Activities are read only through ``operations.selectors.public_activities`` (ADR 18): a
restricted one (enforcement, warrants) never reaches a page or a feed, before or after it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import shapely
from django.db.models import Count, Max
from django.http import Http404
from django.urls import reverse

from beatbook.operations.activity_place import activity_position
from beatbook.operations.models import Activity, Operation
from beatbook.operations.selectors import (
    public_activities,
    public_operations_covering,
    public_what_we_did_headline,
)
from beatbook.places.models import Neighbourhood
from beatbook.records.versions import cached_for_version
from beatbook.residents.geocode import Position, positions_of_addresses
from beatbook.teams.contact import ordered_contact_details
from beatbook.teams.models import (
    Event,
    NeighbourhoodContact,
    NeighbourhoodLink,
    NeighbourhoodLocation,
    Priority,
    TeamMember,
)

# Boundaries on the find map are drawn at street scale at most: about 30 m of detail is plenty
# and keeps the file small enough for a phone.
SIMPLIFY_DEGREES = 0.0003
# A subscribed calendar keeps events of the last month, so one just held does not vanish.
FEED_PAST = timedelta(days=31)
# The page lists operations that are on now, coming, or ended in the last three months.
RECENT_OPERATIONS = timedelta(days=92)


def neighbourhood_get(*, force_id: str, code: str) -> Neighbourhood:
    """The neighbourhood with its force, or 404."""
    neighbourhood = (
        Neighbourhood.objects.select_related("force").filter(force_id=force_id, code=code).first()
    )
    if neighbourhood is None:
        raise Http404("No such neighbourhood")
    return neighbourhood


def neighbourhood_url(neighbourhood: Neighbourhood) -> str:
    return reverse("residents:neighbourhood", args=[neighbourhood.force_id, neighbourhood.code])


@dataclass(frozen=True)
class Team:
    members: list[TeamMember]
    contact: dict[str, str]  # the team's shared channels, in police.uk's order

    @property
    def named_officer(self) -> TeamMember | None:
        """The first member listed who can be contacted directly, else the first listed."""
        for member in self.members:
            if member.contact_details:
                return member
        return self.members[0] if self.members else None


def team_of(neighbourhood: Neighbourhood) -> Team:
    members = list(TeamMember.objects.filter(neighbourhood=neighbourhood).order_by("order", "name"))
    contact = NeighbourhoodContact.objects.filter(neighbourhood=neighbourhood).first()
    details = ordered_contact_details(contact.contact_details) if contact else {}
    return Team(members=members, contact=details)


def priorities_of(neighbourhood: Neighbourhood) -> list[Priority]:
    """Newest first, as residents read "you said, we did"."""
    rows = Priority.objects.filter(neighbourhood=neighbourhood)
    return list(rows.order_by("-issue_date", "id"))


def _not_over(neighbourhood: Neighbourhood, since: datetime) -> Any:
    events = Event.objects.filter(neighbourhood=neighbourhood).exclude(end__lt=since)
    return events.exclude(end__isnull=True, start__lt=since).order_by("start", "id")


@dataclass(frozen=True)
class PlacedEvent:
    event: Event
    position: Position | None


def _placed(events: list[Event]) -> list[PlacedEvent]:
    positions = positions_of_addresses({event.address for event in events if event.address})
    return [PlacedEvent(event=e, position=positions.get(e.address)) for e in events]


def upcoming_events(neighbourhood: Neighbourhood, *, now: datetime) -> list[PlacedEvent]:
    """Events not yet over, soonest first, with positions where the address has a postcode."""
    return _placed(list(_not_over(neighbourhood, now)))


def feed_events(neighbourhood: Neighbourhood, *, now: datetime) -> list[PlacedEvent]:
    """Events for the calendar feed: upcoming ones and those of the last month."""
    return _placed(list(_not_over(neighbourhood, now - FEED_PAST)))


def event_get(neighbourhood: Neighbourhood, event_id: int) -> PlacedEvent:
    event = Event.objects.filter(neighbourhood=neighbourhood, pk=event_id).first()
    if event is None:
        raise Http404("No such event")
    return _placed([event])[0]


@dataclass(frozen=True)
class PlacedActivity:
    """A public activity of an operation covering the neighbourhood, with its position."""

    activity: Activity
    position: Position | None

    @property
    def sample(self) -> bool:
        return self.activity.sample


def _placed_activities(activities: Any) -> list[PlacedActivity]:
    rows: list[Activity] = list(activities)
    unplaced = {a.venue_address for a in rows if not a.online and activity_position(a) is None}
    positions = positions_of_addresses(address for address in unplaced if address)
    return [
        PlacedActivity(
            activity=a,
            position=activity_position(a) or (None if a.online else positions.get(a.venue_address)),
        )
        for a in rows
    ]


def upcoming_activities(neighbourhood: Neighbourhood, *, now: datetime) -> list[PlacedActivity]:
    """Public activities not yet over, of the operations covering the neighbourhood."""
    return _placed_activities(public_activities(neighbourhood=neighbourhood, starting_from=now))


def feed_activities(neighbourhood: Neighbourhood, *, now: datetime) -> list[PlacedActivity]:
    """Public activities for the calendar feed: upcoming ones and those of the last month."""
    found = public_activities(neighbourhood=neighbourhood, starting_from=now - FEED_PAST)
    return _placed_activities(found)


def activity_get(neighbourhood: Neighbourhood, activity_id: int) -> PlacedActivity:
    """A public activity of an operation covering the neighbourhood, or 404."""
    activity = public_activities(neighbourhood=neighbourhood).filter(pk=activity_id).first()
    if activity is None:
        raise Http404("No such activity")
    return _placed_activities([activity])[0]


def soonest_first(
    events: list[PlacedEvent], activities: list[PlacedActivity]
) -> list[PlacedEvent | PlacedActivity]:
    """The team's events and the operations' activities in one list, soonest first."""

    def start(item: PlacedEvent | PlacedActivity) -> tuple[datetime, int, int]:
        if isinstance(item, PlacedEvent):
            return (item.event.start, 0, item.event.pk)
        return (item.activity.start, 1, item.activity.pk)

    return sorted([*events, *activities], key=start)


@dataclass(frozen=True)
class OperationShown:
    """A public operation on the neighbourhood page, with what it did once it is over."""

    operation: Operation
    what_we_did: str

    @property
    def sample(self) -> bool:
        """Whether it is the demo's sample content (for the page's one notice)."""
        return bool(self.operation.sample)


def operations_of(neighbourhood: Neighbourhood, *, today: date) -> list[OperationShown]:
    """Public operations covering the neighbourhood that are on, coming, or recently over; the
    ones that are over say in a sentence what they did."""
    since = today - RECENT_OPERATIONS
    covering = public_operations_covering(neighbourhood=neighbourhood, ending_from=since)
    return [
        OperationShown(operation, public_what_we_did_headline(operation, today=today))
        for operation in covering
    ]


def links_of(neighbourhood: Neighbourhood) -> list[NeighbourhoodLink]:
    return list(NeighbourhoodLink.objects.filter(neighbourhood=neighbourhood))


def locations_of(neighbourhood: Neighbourhood) -> list[NeighbourhoodLocation]:
    return list(NeighbourhoodLocation.objects.filter(neighbourhood=neighbourhood))


def boundary_geojson(neighbourhood: Neighbourhood) -> dict[str, Any] | None:
    """The neighbourhood's boundary as a GeoJSON geometry, simplified for the map."""
    if not neighbourhood.boundary:
        return None
    return _simplified(neighbourhood.boundary)


def _simplified(boundary: Any) -> dict[str, Any]:
    text = boundary if isinstance(boundary, str) else json.dumps(boundary)
    shape = shapely.simplify(shapely.from_geojson(text), SIMPLIFY_DEGREES, preserve_topology=True)
    shape = shapely.set_precision(shape, 0.00001)
    geometry: dict[str, Any] = json.loads(shapely.to_geojson(shape))
    return geometry


def _boundaries() -> dict[str, Any]:
    rows = (
        Neighbourhood.objects.exclude(boundary=None)
        .select_related("force")
        .order_by("force__name", "name")
        .only("force__name", "code", "name", "boundary")
    )
    features = [
        {
            "type": "Feature",
            "geometry": _simplified(row.boundary),
            "properties": {
                "name": row.name,
                "force": row.force.name,
                "url": neighbourhood_url(row),
            },
        }
        for row in rows.iterator(chunk_size=200)
    ]
    return {"type": "FeatureCollection", "features": features}


def boundaries_feature_collection(*, version: str) -> bytes:
    """Every neighbourhood boundary as GeoJSON text, for the find map."""
    marker = Neighbourhood.objects.aggregate(n=Count("pk"), latest=Max("updated_at"))
    latest = marker["latest"]
    # A timestamp, not its text: cache keys must hold no spaces (memcached refuses them).
    key = f"boundaries:{marker['n']}:{latest.timestamp() if latest else 0}"
    return cached_for_version(
        key, version=version, build=lambda: json.dumps(_boundaries()).encode()
    )


def neighbourhoods_by_force() -> list[tuple[str, list[Neighbourhood]]]:
    """Every neighbourhood by force, for the list beside the map (the map needs JavaScript)."""
    grouped: dict[str, list[Neighbourhood]] = {}
    rows = Neighbourhood.objects.select_related("force").only(
        "force__name", "force_id", "code", "name"
    )
    for row in rows.order_by("force__name", "name"):
        grouped.setdefault(row.force.name, []).append(row)
    return list(grouped.items())
