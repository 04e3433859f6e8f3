"""Where an event is: the position of the postcode in its address, from Code-Point Open.

An address without a postcode (or with one we do not hold) has no position: the event is
listed but not drawn on the map, rather than put in a guessed place.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from beatbook.places.models import Postcode
from beatbook.places.postcode import INWARD, OUTWARD, normalise_postcode

# A postcode inside free text: word boundaries either side, the space optional.
_IN_TEXT = re.compile(rf"\b({OUTWARD})\s*({INWARD})\b", re.IGNORECASE)

Position = tuple[float, float]


def postcode_in(address: str) -> str | None:
    """The last postcode written in an address, normalised ("ST3 2AA"), or None."""
    found = _IN_TEXT.findall(address.upper())
    if not found:
        return None
    outward, inward = found[-1]
    return normalise_postcode(outward + inward)


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
