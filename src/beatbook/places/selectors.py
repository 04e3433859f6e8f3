"""Reads about places: which force, neighbourhood and LSOA a point or a postcode is in."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from beatbook.places.models import Force, Lsoa, Neighbourhood, Postcode
from beatbook.places.postcode import normalise_postcode
from beatbook.places.spatial import lsoa_index, neighbourhood_ids_for_points

# Generous bounds of the United Kingdom (Northern Ireland to Lowestoft, the Scillies to Shetland).
UK_LATITUDE = (49.8, 60.9)
UK_LONGITUDE = (-8.7, 1.8)


class LocateError(ValueError):
    """The place asked about cannot be located: the message says why, in one line."""


@dataclass(frozen=True)
class Located:
    """Where a point is: its force, and its neighbourhood and LSOA where we hold them."""

    force: Force
    neighbourhood: Neighbourhood | None
    lsoa: Lsoa | None
    latitude: float
    longitude: float
    postcode: str = ""


def locate_point(*, latitude: float, longitude: float) -> Located | None:
    """The force, neighbourhood and LSOA of a WGS84 point; None if it is in no force we hold.

    Raises ``LocateError`` for a point outside the UK.
    """
    _check_in_uk(latitude, longitude)
    lat, lng = np.array([latitude]), np.array([longitude])
    neighbourhood_id = neighbourhood_ids_for_points(lat=lat, lng=lng)[0]
    lsoa_code = lsoa_index().lookup(lat, lng)[0]
    neighbourhood = (
        Neighbourhood.objects.select_related("force").get(pk=neighbourhood_id)
        if neighbourhood_id is not None
        else None
    )
    lsoa = Lsoa.objects.select_related("force").get(pk=lsoa_code) if lsoa_code is not None else None
    force = (
        neighbourhood.force
        if neighbourhood is not None
        else (lsoa.force if lsoa is not None else None)
    )
    if force is None:
        return None
    return Located(
        force=force, neighbourhood=neighbourhood, lsoa=lsoa, latitude=latitude, longitude=longitude
    )


def locate_postcode(*, postcode: str) -> Located | None:
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
    located = locate_point(latitude=latitude, longitude=longitude)
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
