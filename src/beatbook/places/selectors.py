"""Reads about places: which force, neighbourhood and LSOA a point or a postcode is in."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from beatbook.places.models import Force, Lsoa, Neighbourhood, Postcode
from beatbook.places.postcode import normalise_postcode
from beatbook.places.spatial import lsoa_at, neighbourhood_at

# Generous bounds of the United Kingdom (Northern Ireland to Lowestoft, the Scillies to Shetland).
UK_LATITUDE = (49.8, 60.9)
UK_LONGITUDE = (-8.7, 1.8)


class LocateError(ValueError):
    """The place asked about cannot be located: the message says why, in one line."""


@dataclass(frozen=True)
class Located:
    """Where a point is: its force, and its neighbourhood and LSOA where we hold them.

    ``lsoa`` is looked up only when it was asked for (``with_lsoa``) or when no neighbourhood
    holds the point (then the LSOA names the force): otherwise it is None.
    """

    force: Force
    neighbourhood: Neighbourhood | None
    lsoa: Lsoa | None
    latitude: float
    longitude: float
    postcode: str = ""


def locate_point(*, latitude: float, longitude: float, with_lsoa: bool = False) -> Located | None:
    """The force and neighbourhood (and LSOA, see ``Located``) of a WGS84 point; None if it is
    in no force we hold.

    Each lookup reads only the few boundaries whose bounding box holds the point, so it costs
    the same on the first request of a process as on any other. Raises ``LocateError`` for a
    point outside the UK.
    """
    _check_in_uk(latitude, longitude)
    neighbourhood = neighbourhood_at(latitude=latitude, longitude=longitude)
    lsoa = None
    if with_lsoa or neighbourhood is None:
        lsoa = lsoa_at(latitude=latitude, longitude=longitude)
    force = neighbourhood.force if neighbourhood is not None else (lsoa.force if lsoa else None)
    if force is None:
        return None
    return Located(
        force=force, neighbourhood=neighbourhood, lsoa=lsoa, latitude=latitude, longitude=longitude
    )


def neighbourhood_of_point(*, latitude: float, longitude: float) -> Neighbourhood | None:
    """Only the neighbourhood (with its force) of a WGS84 point, or None: for answers that need
    nothing else, such as police.uk's ``locate-neighbourhood``.

    Raises ``LocateError`` for a point outside the UK.
    """
    _check_in_uk(latitude, longitude)
    return neighbourhood_at(latitude=latitude, longitude=longitude)


def locate_postcode(*, postcode: str, with_lsoa: bool = False) -> Located | None:
    """As ``locate_point`` for a postcode's position (Code-Point Open).

    Raises ``LocateError`` for text that is not a postcode, a postcode we do not hold, or one
    that Code-Point Open gives no position for.
    """
    normalised = normalise_postcode(postcode)
    if normalised is None:
        raise LocateError(
            f"{postcode.strip()!r} is not a postcode (expected something like ST3 2AA)"
        )
    row = Postcode.objects.filter(pk=normalised).values_list("latitude", "longitude").first()
    if row is None:
        raise LocateError(
            f"{normalised} is not a postcode we hold: import Code-Point Open for its area"
        )
    latitude, longitude = row
    if latitude is None or longitude is None:
        raise LocateError(f"{normalised} has no position in Code-Point Open")
    located = locate_point(latitude=latitude, longitude=longitude, with_lsoa=with_lsoa)
    if located is None:
        return None
    return Located(
        force=located.force,
        neighbourhood=located.neighbourhood,
        lsoa=located.lsoa,
        latitude=latitude,
        longitude=longitude,
        postcode=normalised,
    )


def postcode_district_held(*, postcode: str) -> bool:
    """Whether we hold any postcode of this postcode's district ("L1" of "L1 8JQ").

    Code-Point Open is loaded for the areas a site covers, so a district we hold nothing of is
    outside them. A range over the primary key, so its index answers on either database.
    """
    normalised = normalise_postcode(postcode)
    if normalised is None:
        return False
    outward = normalised.split(" ")[0]
    # Normalised postcodes are "OUTWARD INWARD": every one of the district sorts between
    # "L1 " and "L1!" ("!" follows the space).
    return Postcode.objects.filter(postcode__gte=f"{outward} ", postcode__lt=f"{outward}!").exists()


def parse_coordinates(latitude: str, longitude: str) -> tuple[float, float]:
    """Two numbers as typed; raises ``LocateError`` if they are not numbers in the UK."""
    try:
        lat, lng = float(latitude), float(longitude)
    except ValueError:
        raise LocateError(
            f"{latitude} {longitude} are not coordinates (expected LAT LNG, e.g. 52.98 -2.13)"
        ) from None
    _check_in_uk(lat, lng)
    return lat, lng


def _check_in_uk(latitude: float, longitude: float) -> None:
    if not (np.isfinite(latitude) and np.isfinite(longitude)):
        raise LocateError(f"{latitude}, {longitude} are not coordinates")
    if not (
        UK_LATITUDE[0] <= latitude <= UK_LATITUDE[1]
        and UK_LONGITUDE[0] <= longitude <= UK_LONGITUDE[1]
    ):
        raise LocateError(
            f"{latitude}, {longitude} is outside the United Kingdom "
            "(latitude first, then longitude: are they swapped?)"
        )
