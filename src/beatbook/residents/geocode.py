"""Where an event is: the position of the postcode in its address, from Code-Point Open.

An address without a postcode (or with one we do not hold) has no position: the event is
listed but not drawn on the map, rather than put in a guessed place.
"""

from __future__ import annotations

from collections.abc import Iterable

from beatbook.places.models import Postcode

# The same reading of an address as the check that its postcode is in or near the event's
# neighbourhood: the postcode drawn on the map is the postcode that was checked.
from beatbook.teams.venue import postcode_in

Position = tuple[float, float]


def positions_of_addresses(addresses: Iterable[str]) -> dict[str, Position]:
    """address -> (latitude, longitude) for the addresses whose postcode we hold, in one query."""
    postcodes = {address: postcode_in(address) for address in addresses}
    wanted = {code for code in postcodes.values() if code}
    if not wanted:
        return {}
    rows = Postcode.objects.filter(pk__in=wanted, latitude__isnull=False).values_list(
        "postcode", "latitude", "longitude"
    )
    where = {code: (lat, lng) for code, lat, lng in rows if lat is not None and lng is not None}
    return {address: where[code] for address, code in postcodes.items() if code and code in where}
