"""An operation's area: neighbourhoods, LSOAs or a drawn polygon, always turned into LSOAs.

The evaluation and the door-to-door lists work on LSOAs, so whichever way the area is chosen,
``area_lsoas`` gives the LSOAs it covers, and ``area_shape`` the outline that a venue must lie
in. An LSOA is in a drawn area or a neighbourhood without linked LSOAs when its centre is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import shapely
from django.core.exceptions import ValidationError
from shapely.geometry import shape

from beatbook.common.projection import to_british_grid
from beatbook.operations.models import AreaChoice
from beatbook.places.models import Lsoa, Neighbourhood

_LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
# A venue on the far side of a boundary road is still in the area.
VENUE_TOLERANCE_METRES = 150


def lsoa_codes_parse(text: str) -> list[str]:
    """LSOA codes from text separated by commas, spaces or new lines, upper-cased, in order."""
    codes = [code.strip().upper() for code in re.split(r"[\s,;]+", text) if code.strip()]
    wrong = [code for code in codes if not _LSOA_CODE.match(code)]
    if wrong:
        raise ValidationError(
            {"lsoa_codes": f"These are not LSOA codes (like E01014200): {', '.join(wrong[:5])}"}
        )
    return list(dict.fromkeys(codes))


def polygon_parse(value: Any) -> dict[str, Any]:
    """A drawn area as a GeoJSON Polygon in WGS84, checked to be a simple, closed shape."""
    try:
        geometry = shape(value)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException):
        raise ValidationError({"area_polygon": "Draw the area on the map as one shape"}) from None
    if geometry.geom_type != "Polygon" or geometry.is_empty:
        raise ValidationError({"area_polygon": "Draw the area on the map as one shape"})
    if not geometry.is_valid:
        raise ValidationError(
            {"area_polygon": "The drawn area crosses itself: draw it again without crossing"}
        )
    min_lng, min_lat, max_lng, max_lat = geometry.bounds
    if not (min_lat > 49 and max_lat < 61 and min_lng > -9 and max_lng < 2.5):
        raise ValidationError({"area_polygon": "The drawn area is not in Great Britain"})
    return dict(shapely.geometry.mapping(geometry))


def _centres_in(geometry: shapely.Geometry, candidates: Iterable[Lsoa]) -> list[Lsoa]:
    shapely.prepare(geometry)
    return [
        lsoa
        for lsoa in candidates
        if lsoa.centre_lat is not None
        and lsoa.centre_lng is not None
        and geometry.contains(shapely.Point(lsoa.centre_lng, lsoa.centre_lat))
    ]


def _lsoas_in_outline(geometry: shapely.Geometry) -> list[Lsoa]:
    min_lng, min_lat, max_lng, max_lat = geometry.bounds
    candidates = Lsoa.objects.filter(
        centre_lat__range=(min_lat, max_lat), centre_lng__range=(min_lng, max_lng)
    ).defer("boundary")
    return _centres_in(geometry, candidates)


def _lsoas_of_neighbourhoods(neighbourhoods: Sequence[Neighbourhood]) -> list[Lsoa]:
    found: dict[str, Lsoa] = {}
    for neighbourhood in neighbourhoods:
        linked = list(neighbourhood.lsoas.defer("boundary"))
        if not linked and neighbourhood.boundary:
            linked = _lsoas_in_outline(shape(neighbourhood.boundary))
        found.update((lsoa.code, lsoa) for lsoa in linked)
    return sorted(found.values(), key=lambda lsoa: lsoa.code)


def area_lsoas(
    *,
    area_choice: str,
    neighbourhoods: Sequence[Neighbourhood] = (),
    lsoa_codes: Sequence[str] = (),
    polygon: dict[str, Any] | None = None,
) -> list[Lsoa]:
    """The LSOAs an area covers, or a ``ValidationError`` saying why it covers none."""
    if area_choice == AreaChoice.NEIGHBOURHOODS:
        if not neighbourhoods:
            raise ValidationError({"neighbourhoods": "Choose at least one neighbourhood"})
        found = _lsoas_of_neighbourhoods(neighbourhoods)
        if not found:
            raise ValidationError(
                {
                    "neighbourhoods": "We hold no LSOAs for these neighbourhoods: choose the "
                    "area by LSOA codes or draw it instead"
                }
            )
        return found
    if area_choice == AreaChoice.LSOAS:
        if not lsoa_codes:
            raise ValidationError({"lsoa_codes": "Enter at least one LSOA code"})
        held = {
            lsoa.code: lsoa for lsoa in Lsoa.objects.filter(code__in=lsoa_codes).defer("boundary")
        }
        unknown = [code for code in lsoa_codes if code not in held]
        if unknown:
            raise ValidationError(
                {"lsoa_codes": f"We do not hold these LSOAs: {', '.join(unknown[:5])}"}
            )
        return [held[code] for code in lsoa_codes]
    if area_choice == AreaChoice.POLYGON:
        if polygon is None:
            raise ValidationError({"area_polygon": "Draw the area on the map"})
        found = _lsoas_in_outline(shape(polygon_parse(polygon)))
        if not found:
            raise ValidationError(
                {"area_polygon": "The drawn area holds the centre of no LSOA: draw a larger area"}
            )
        return found
    raise ValidationError({"area_choice": "Choose how to give the area"})


def area_shape(*, lsoas: Sequence[Lsoa], polygon: dict[str, Any] | None) -> shapely.Geometry | None:
    """The outline a venue must lie in, in WGS84; None where no boundary is held to check."""
    if polygon is not None:
        return shape(polygon)
    outlines = [shape(lsoa.boundary) for lsoa in lsoas if lsoa.boundary]
    if not outlines:
        return None
    return shapely.union_all(outlines)


def metres_outside(geometry: shapely.Geometry, *, latitude: float, longitude: float) -> float:
    """How far a point is outside an outline, in metres (0 inside)."""
    to_grid = to_british_grid().transform
    area = shapely.transform(geometry, to_grid, interleaved=False)
    point = shapely.Point(to_grid(longitude, latitude))
    return float(area.distance(point))
