"""Real places for the demo's sample events, found in the demo's own data.

police.uk publishes each crime at an anonymised point named after a street ("On or near Baths
Road") or a kind of public place ("On or near Supermarket", "On or near Shopping Area"). The
public places inside a neighbourhood are real ones, at their real positions: a venue is one
of them, named by its kind and the street beside it ("Supermarket car park, Baths Road"), with
the postcode (OS Code-Point Open, in the bundled data) nearest to it. So every neighbourhood's
events go to distinct places that exist, in the neighbourhood, and show on its map.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from beatbook.opendata.models import Crime
from beatbook.places.models import Neighbourhood, Postcode

PREFIX = "On or near "
# police.uk's names for kinds of public place, and how a meeting place there reads.
# In order of preference for a surgery or a meeting point.
PLACE_KINDS = {
    "Shopping Area": "Shopping area",
    "Supermarket": "Supermarket car park",
    "Sports/Recreation Area": "Sports ground",
    "Park/Open Space": "Park",
    "Conference/Exhibition Centre": "Conference centre",
    "Theatre/Concert Hall": "Theatre",
    "Bus/Coach Station": "Bus station",
    "Parking Area": "Car park",
    "Further/Higher Educational Building": "College",
    "Hospital": "Hospital",
}
_PREFERENCE = {kind: rank for rank, kind in enumerate(PLACE_KINDS)}
# Not streets: police.uk's other kinds of point, never used to name the street beside a venue.
_NOT_STREETS = {
    "Nightclub",
    "Pedestrian Subway",
    "Police Station",
    "Prison",
    "Airport/Airfield",
    "Petrol Station",
}
# Degrees around a venue in which to look for its postcode (about 550 m: country places can be
# that far from the nearest postcode's centre).
_POSTCODE_RADIUS = 0.005


@dataclass(frozen=True)
class Venue:
    name: str
    street: str
    latitude: float
    longitude: float
    postcode: str

    @property
    def address(self) -> str:
        parts = [self.name, self.street, self.postcode]
        return ", ".join(part for part in parts if part)


@dataclass(frozen=True)
class _Point:
    name: str
    latitude: float
    longitude: float
    crimes: int


def venues_by_neighbourhood(neighbourhoods: list[Neighbourhood]) -> dict[int, list[Venue]]:
    """For each neighbourhood, its public places, busiest first (one query for the points)."""
    points: dict[int, list[_Point]] = defaultdict(list)
    rows = (
        Crime.objects.filter(neighbourhood__in=neighbourhoods, location__isnull=False)
        .values_list(
            "neighbourhood_id", "location__name", "location__latitude", "location__longitude"
        )
        .annotate(crimes=Count("id"))
        .order_by()  # no default ordering in the GROUP BY
    )
    for neighbourhood_id, name, latitude, longitude, crimes in rows:
        if str(name).startswith(PREFIX):
            # police.uk capitalises after an apostrophe ("St Martin'S Lane").
            clean = re.sub(r"'S\b", "'s", str(name).removeprefix(PREFIX))
            point = _Point(clean, latitude, longitude, crimes)
            points[neighbourhood_id].append(point)
    return {key: _venues(found) for key, found in points.items()}


def _venues(points: list[_Point]) -> list[Venue]:
    """The public places first (by kind, then busiest first), then the busiest streets as
    meeting points; no two at one street."""
    places = sorted(
        (p for p in points if p.name in PLACE_KINDS),
        key=lambda p: (_PREFERENCE[p.name], -p.crimes),
    )
    streets = [p for p in points if p.name not in PLACE_KINDS and p.name not in _NOT_STREETS]
    venues: list[Venue] = []
    used: set[str] = set()
    for place in places:
        street = min(streets, key=lambda s: _distance(s, place), default=None)
        name = street.name if street is not None else ""
        if name in used:
            continue
        used.add(name)
        venues.append(_venue(PLACE_KINDS[place.name], name, place))
        # The busiest few are enough: two sample events a neighbourhood, and Longton's week.
        if len(venues) == 3:
            return venues
    for street in sorted(streets, key=lambda s: -s.crimes):
        if street.name not in used:
            used.add(street.name)
            venues.append(_venue("", street.name, street))
        if len(venues) == 3:
            break
    return venues


def _venue(name: str, street: str, point: _Point) -> Venue:
    postcode = nearest_postcode(latitude=point.latitude, longitude=point.longitude)
    return Venue(name, street, point.latitude, point.longitude, postcode)


def _distance(a: _Point, b: _Point) -> float:
    return (a.latitude - b.latitude) ** 2 + ((a.longitude - b.longitude) * 0.6) ** 2


def nearest_postcode(*, latitude: float, longitude: float) -> str:
    """The postcode whose centre is nearest the point, within about 550 m; "" if none."""
    near = Postcode.objects.filter(
        latitude__range=(latitude - _POSTCODE_RADIUS, latitude + _POSTCODE_RADIUS),
        longitude__range=(longitude - 2 * _POSTCODE_RADIUS, longitude + 2 * _POSTCODE_RADIUS),
    ).values_list("postcode", "latitude", "longitude")
    placed = [(str(code), float(lat), float(lng)) for code, lat, lng in near if lat and lng]
    best = min(
        placed,
        key=lambda row: (row[1] - latitude) ** 2 + ((row[2] - longitude) * 0.6) ** 2,
        default=None,
    )
    return "" if best is None else best[0]
