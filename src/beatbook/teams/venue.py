"""Where an event is held: in person, at a postcode in or near its neighbourhood, or online.

The rules every way of keeping events applies (the workspace, the admin, the services):

- an online event has no address or postcode, and says how to join;
- an event held in person has no joining details, and is not of a type always held online;
- the postcode of an event held in person lies in its neighbourhood, or within ``NEAR_METRES``
  of its boundary (a venue just over the road from it is fine; one in Liverpool, for a team in
  Stoke-on-Trent, is not). The message names where the postcode is.

A postcode is placed with the postcode look-up the residents' find page uses
(``places.selectors.locate_postcode``). Where that look-up cannot place it, the postcode is
refused only if we hold postcodes around the neighbourhood (so it is mistyped or far away);
where we hold none there (Code-Point Open not imported for the area), it cannot be checked
and is accepted, as a postcode without a position is simply not drawn on the map.
"""

from __future__ import annotations

import re

import shapely
from shapely.geometry import shape

from beatbook.common.projection import to_british_grid
from beatbook.places.models import Neighbourhood, Postcode
from beatbook.places.postcode import INWARD, OUTWARD, normalise_postcode
from beatbook.places.selectors import Located, LocateError, locate_postcode
from beatbook.teams.models import ONLINE_TYPES

# Neighbourhoods in towns are 1-3 km across: 2 km takes in a venue in the next neighbourhood
# (the police station a team shares with its neighbours), and nothing in another town.
NEAR_METRES = 2_000
# Degrees around a neighbourhood's box in which to look for postcodes we hold: at least
# NEAR_METRES at British latitudes (a degree of longitude is about 65 km there).
_NEARBY_DEGREES = 0.035
# A postcode inside free text: word boundaries either side, the space optional.
_IN_TEXT = re.compile(rf"\b({OUTWARD})\s*({INWARD})\b", re.IGNORECASE)


def postcode_in(text: str) -> str | None:
    """The last postcode written in a line of text, normalised ("ST3 2AA"), or None."""
    found = _IN_TEXT.findall(text.upper())
    if not found:
        return None
    outward, inward = found[-1]
    return normalise_postcode(outward + inward)


def metres_from_boundary(
    neighbourhood: Neighbourhood, *, latitude: float, longitude: float
) -> float:
    """How far a point is from the neighbourhood's boundary (0 inside), in metres."""
    to_grid = to_british_grid().transform
    area = shapely.transform(shape(neighbourhood.boundary), to_grid, interleaved=False)
    point = shapely.Point(to_grid(longitude, latitude))
    return float(area.distance(point))


def _postcodes_held_around(neighbourhood: Neighbourhood) -> bool:
    box = (
        neighbourhood.min_lat,
        neighbourhood.max_lat,
        neighbourhood.min_lng,
        neighbourhood.max_lng,
    )
    if any(edge is None for edge in box):
        return Postcode.objects.exists()
    min_lat, max_lat, min_lng, max_lng = (float(edge or 0) for edge in box)
    return Postcode.objects.filter(
        latitude__range=(min_lat - _NEARBY_DEGREES, max_lat + _NEARBY_DEGREES),
        longitude__range=(min_lng - _NEARBY_DEGREES, max_lng + _NEARBY_DEGREES),
    ).exists()


def _where(located: Located) -> str:
    if located.neighbourhood is None:
        return f"the {located.force.name} area"
    return f"{located.neighbourhood.name} ({located.force.name})"


def _is_near(neighbourhood: Neighbourhood, located: Located) -> bool:
    if located.neighbourhood is not None and located.neighbourhood.pk == neighbourhood.pk:
        return True
    if neighbourhood.boundary is None:
        # Without a boundary nearness cannot be measured: the force is what can be checked.
        return located.force.pk == neighbourhood.force_id
    distance = metres_from_boundary(
        neighbourhood, latitude=located.latitude, longitude=located.longitude
    )
    return distance <= NEAR_METRES


def postcode_problem(*, neighbourhood: Neighbourhood, postcode: str) -> str | None:
    """Why an event of ``neighbourhood`` cannot be held at ``postcode``; None if it can."""
    name = neighbourhood.name
    try:
        located = locate_postcode(postcode=postcode)
    except LocateError:
        if not _postcodes_held_around(neighbourhood):
            return None
        shown = normalise_postcode(postcode) or postcode.strip()
        return (
            f"We cannot find the postcode {shown} in or near {name}. Check it, or leave the "
            "postcode out"
        )
    shown = normalise_postcode(postcode) or postcode.strip()
    if located is None:
        return (
            f"{shown} is outside the areas Beatbook covers, not in or near {name}. Enter the "
            f"postcode of the place in or near {name} where the event is"
        )
    if _is_near(neighbourhood, located):
        return None
    return (
        f"{shown} is in {_where(located)}, not in or near {name}. Enter the postcode of the "
        f"place in or near {name} where the event is, or add the event to the team of the "
        "neighbourhood it is in"
    )


def event_place_errors(
    *,
    neighbourhood: Neighbourhood,
    type: str,  # noqa: A002 - police.uk's field name
    online: bool,
    address: str,
    joining_details: str,
) -> dict[str, str]:
    """What is wrong with where an event is, by field (``postcode`` for the postcode in the
    address); empty if nothing is."""
    if online:
        errors = {}
        if address.strip():
            errors["address"] = "An online event has no address or postcode: leave them blank"
        if not joining_details.strip():
            errors["joining_details"] = (
                "Say how residents join the online event, like a link to the meeting or "
                "'Email the team for the link'"
            )
        return errors
    errors = {}
    if joining_details.strip():
        errors["joining_details"] = (
            "Only an online event has joining details: choose online, or leave them blank"
        )
    if type in ONLINE_TYPES:
        errors["type"] = "An online surgery is held online: choose online, or another type"
    postcode = postcode_in(address)
    problem = postcode_problem(neighbourhood=neighbourhood, postcode=postcode) if postcode else None
    if problem:
        errors["postcode"] = problem
    return errors
