"""Door-to-door lists and routes: the postcodes of an operation's area, with households
estimated, split into walking routes for the pairs of visitors (issue 14, ADR 18).

**Households are an estimate.** OS Code-Point Open, the postcode file Beatbook imports, has no
count of delivery points (the paid Code-Point product has; the open one gives a position and
area codes only). So each postcode's households are estimated: the 2011 census households of
the LSOA it lies in (``Lsoa.households_2011``), shared evenly across that LSOA's postcodes
with a position in Beatbook. Where an LSOA has no households figure, its population (2021 if
held, else 2011) over ``PERSONS_PER_HOUSEHOLD`` stands in. Every postcode gets its LSOA's
average, so a block of flats and a business postcode get the same figure; the total for an
area is right (to 2011), its spread between postcodes is not. Code-Point Open holds live
postcodes only, so a postcode that has been withdrawn since takes no share.

The routing is ``beatbook.planning.door_routes``; this module reads the database for it and
stores its routes as ``VisitRoute`` rows.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import reduce

import numpy as np
from django.db import transaction
from django.db.models import Q

from beatbook.operations.models import Activity, ActivityType, DoorVisit, VisitRoute
from beatbook.places.models import Lsoa, Postcode
from beatbook.places.spatial import PolygonIndex
from beatbook.planning.door_routes import DoorRoutesError, Stop, door_routes_plan

# Persons per household in England and Wales at the 2011 census (ONS, "Households and
# household composition in England and Wales: 2001-11": 2.4). Used only for an LSOA without
# a households figure.
PERSONS_PER_HOUSEHOLD = 2.4

VISITORS_MAX_LENGTH = VisitRoute._meta.get_field("visitors").max_length or 300

FROM_CENSUS_HOUSEHOLDS = "census-2011-households"
FROM_POPULATION = "population-over-2.4"


class DoorListError(ValueError):
    """The door-to-door list or routes cannot be made; the message says why in plain English."""


@dataclass(frozen=True)
class VisitPostcode:
    """A postcode to call at, where it is, and its estimated households (and how estimated)."""

    postcode: str
    latitude: float
    longitude: float
    easting: int
    northing: int
    lsoa_code: str
    households: int
    estimated_from: str


def visit_list_for_lsoas(*, lsoa_codes: Iterable[str]) -> list[VisitPostcode]:
    """The postcodes whose position lies inside these LSOAs' boundaries, in postcode order,
    each with its estimated households (see the module's docstring).

    Postcodes without a position cannot be placed and are left out. Raises ``DoorListError``
    for no LSOAs, LSOAs not known or without a boundary, or an LSOA with neither households
    nor population.
    """
    codes = sorted(set(lsoa_codes))
    if not codes:
        raise DoorListError("No LSOAs were given, so there is no area to list postcodes for.")
    lsoas = list(Lsoa.objects.filter(code__in=codes).exclude(boundary=None).order_by("code"))
    missing = sorted(set(codes) - {lsoa.code for lsoa in lsoas})
    if missing:
        raise DoorListError(
            f"These LSOAs are not known or have no boundary, so their postcodes cannot be "
            f"found: {', '.join(missing)}."
        )
    rows = _postcodes_near(lsoas)
    if not rows:
        return []
    latitude = np.array([row[1] for row in rows], dtype=float)
    longitude = np.array([row[2] for row in rows], dtype=float)
    index = PolygonIndex.from_geojson([(lsoa.code, lsoa.boundary) for lsoa in lsoas])
    inside = index.lookup(latitude, longitude)
    by_lsoa: dict[str, list[tuple[str, float, float, int, int]]] = {}
    for row, code in zip(rows, inside, strict=True):
        if code is not None:
            by_lsoa.setdefault(str(code), []).append(row)
    found = [stop for lsoa in lsoas for stop in _share_households(lsoa, by_lsoa.get(lsoa.code, []))]
    return sorted(found, key=lambda stop: stop.postcode)


def _postcodes_near(lsoas: list[Lsoa]) -> list[tuple[str, float, float, int, int]]:
    """Postcodes with a position inside any of the LSOAs' bounding boxes (the indexed cut)."""
    boxes = reduce(
        operator.or_,
        (
            Q(
                latitude__gte=lsoa.min_lat,
                latitude__lte=lsoa.max_lat,
                longitude__gte=lsoa.min_lng,
                longitude__lte=lsoa.max_lng,
            )
            for lsoa in lsoas
        ),
    )
    rows = (
        Postcode.objects.filter(boxes)
        .order_by("postcode")
        .values_list("postcode", "latitude", "longitude", "easting", "northing")
    )
    # A postcode without a grid reference (Code-Point's quality 90) cannot be walked to.
    return [
        (postcode, lat, lng, easting, northing)
        for postcode, lat, lng, easting, northing in rows
        if lat is not None and lng is not None and easting is not None and northing is not None
    ]


def lsoa_households(lsoa: Lsoa) -> tuple[int, str]:
    """The LSOA's households and where the figure comes from (see the module's docstring)."""
    if lsoa.households_2011 is not None:
        return lsoa.households_2011, FROM_CENSUS_HOUSEHOLDS
    if lsoa.population is not None:
        return round(lsoa.population / PERSONS_PER_HOUSEHOLD), FROM_POPULATION
    raise DoorListError(
        f"LSOA {lsoa.code} has neither a households count nor a population, so its "
        "households cannot be estimated: import the 2011 census population table."
    )


def _share_households(
    lsoa: Lsoa, rows: list[tuple[str, float, float, int, int]]
) -> list[VisitPostcode]:
    """The LSOA's households shared across its postcodes (in postcode order) as whole numbers
    that add up to the LSOA's figure: each gets the quotient, the first few one more."""
    if not rows:
        return []
    total, source = lsoa_households(lsoa)
    share, extra = divmod(total, len(rows))
    return [
        VisitPostcode(
            postcode=postcode,
            latitude=latitude,
            longitude=longitude,
            easting=easting,
            northing=northing,
            lsoa_code=lsoa.code,
            households=share + (1 if position < extra else 0),
            estimated_from=source,
        )
        for position, (postcode, latitude, longitude, easting, northing) in enumerate(rows)
    ]


def visit_routes_build(
    *, activity: Activity, pairs: int, visitors: Sequence[str] = ()
) -> list[VisitRoute]:
    """Replace the door-to-door activity's routes with ``pairs`` new ones over its operation's
    LSOAs, balanced by estimated households; ``visitors`` names each pair, in route order.

    Raises ``DoorListError``, changing nothing, when the activity is not door-to-door, the
    area has no postcodes, the visitors do not match the pairs, or visits have already been
    logged on its routes (replacing the routes would delete them).
    """
    if activity.type != ActivityType.DOOR_TO_DOOR:
        raise DoorListError(
            f"{activity.title!r} is not a door-to-door activity "
            f"({activity.get_type_display()}), so it has no visit routes."
        )
    if visitors and len(visitors) != pairs:
        raise DoorListError(
            f"{len(visitors)} pairs of visitors are named for {pairs} routes: name one per route."
        )
    too_long = [name for name in visitors if len(name) > VISITORS_MAX_LENGTH]
    if too_long:
        raise DoorListError(
            f"A pair's names are at most {VISITORS_MAX_LENGTH} characters: {too_long[0][:40]}..."
        )
    codes = list(activity.operation.lsoas.values_list("code", flat=True))
    if not codes:
        raise DoorListError("The operation's area has no LSOAs, so there is nowhere to visit.")
    postcodes = visit_list_for_lsoas(lsoa_codes=codes)
    if not postcodes:
        raise DoorListError(
            "No postcodes lie inside the operation's area (is the postcode file imported?)."
        )
    routes = _plan(postcodes, pairs=pairs, visitors=visitors, activity=activity)
    with transaction.atomic():
        Activity.objects.select_for_update().filter(pk=activity.pk).first()
        logged = DoorVisit.objects.filter(route__activity=activity).count()
        if logged:
            raise DoorListError(
                f"{logged} door visit(s) are already logged on this activity's routes; "
                "replacing the routes would lose them, so they are kept."
            )
        VisitRoute.objects.filter(activity=activity).delete()
        return VisitRoute.objects.bulk_create(routes)


def _plan(
    postcodes: list[VisitPostcode], *, pairs: int, visitors: Sequence[str], activity: Activity
) -> list[VisitRoute]:
    where = {postcode.postcode: postcode for postcode in postcodes}
    stops = [
        Stop(
            postcode=p.postcode,
            easting=float(p.easting),
            northing=float(p.northing),
            households=p.households,
        )
        for p in postcodes
    ]
    try:
        plan = door_routes_plan(stops, pairs=pairs)
    except DoorRoutesError as error:
        raise DoorListError(str(error)) from error
    return [
        VisitRoute(
            activity=activity,
            number=route.number,
            visitors=visitors[route.number - 1] if visitors else "",
            stops=[
                {
                    "postcode": stop.postcode,
                    "latitude": where[stop.postcode].latitude,
                    "longitude": where[stop.postcode].longitude,
                    "households": stop.households,
                }
                for stop in route.stops
            ],
            households=route.households,
            length_m=round(route.length_m),
            nearest_neighbour_length_m=round(route.nearest_neighbour_length_m),
        )
        for route in plan.routes
    ]
