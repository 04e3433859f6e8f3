"""Door-to-door lists and routes from the database: postcodes found by polygon, households
estimated from the LSOA and shared out, routes replaced in one go or not at all."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from beatbook.accounts.models import Organisation, OrganisationKind, User
from beatbook.common.projection import to_british_grid
from beatbook.operations.door_lists import (
    FROM_CENSUS_HOUSEHOLDS,
    FROM_POPULATION,
    DoorListError,
    visit_list_for_lsoas,
    visit_routes_build,
)
from beatbook.operations.models import (
    Activity,
    ActivityType,
    DoorVisit,
    Operation,
    OperationKind,
    VisitRoute,
)
from beatbook.places.models import Lsoa, Postcode

pytestmark = pytest.mark.django_db

# Two neighbouring LSOAs in Longton, Stoke-on-Trent: A is a triangle (its bounding box holds
# more than it does), B the square east of it.
WEST, MIDDLE, EAST = -2.140, -2.130, -2.120
SOUTH, NORTH = 52.985, 52.995
TRIANGLE = [(WEST, SOUTH), (MIDDLE, SOUTH), (MIDDLE, NORTH), (WEST, SOUTH)]
SQUARE = [(MIDDLE, SOUTH), (EAST, SOUTH), (EAST, NORTH), (MIDDLE, NORTH), (MIDDLE, SOUTH)]


def make_lsoa(code: str, ring: list[tuple[float, float]], **figures: Any) -> Lsoa:
    lngs, lats = [p[0] for p in ring], [p[1] for p in ring]
    return Lsoa.objects.create(
        code=code,
        name=f"Stoke-on-Trent {code[-3:]}",
        census_year=2011,
        boundary={"type": "Polygon", "coordinates": [[list(p) for p in ring]]},
        min_lat=min(lats),
        max_lat=max(lats),
        min_lng=min(lngs),
        max_lng=max(lngs),
        **figures,
    )


def make_postcode(postcode: str, lng: float | None, lat: float | None) -> None:
    easting = northing = None
    if lng is not None and lat is not None:
        x, y = to_british_grid().transform(lng, lat)
        easting, northing = round(x), round(y)
    Postcode.objects.create(
        postcode=postcode,
        quality=10 if easting is not None else 90,
        easting=easting,
        northing=northing,
        latitude=lat,
        longitude=lng,
    )


@pytest.fixture
def area() -> None:
    make_lsoa("E01099001", TRIANGLE, households_2011=100, population_2011=230)
    # No households figure: 240 residents over 2.4 persons a household make 100.
    make_lsoa("E01099002", SQUARE, population_2011=250, population_2021=240)
    # In the triangle (south-east of its diagonal).
    make_postcode("ST3 1AA", -2.132, 52.987)
    make_postcode("ST3 1AB", -2.1315, 52.990)
    make_postcode("ST3 1AD", -2.134, 52.986)
    # In the triangle's bounding box but outside the triangle: not in either LSOA.
    make_postcode("ST3 1ZZ", -2.139, 52.994)
    # No position (Code-Point quality 90).
    make_postcode("ST3 1AE", None, None)
    # In the square.
    make_postcode("ST3 2BA", -2.128, 52.986)
    make_postcode("ST3 2BB", -2.125, 52.989)
    make_postcode("ST3 2BD", -2.122, 52.993)
    make_postcode("ST3 2BE", -2.127, 52.994)
    # Far away.
    make_postcode("ST1 1AA", -2.180, 53.020)


def test_it_lists_the_postcodes_inside_the_boundaries(area: None) -> None:
    found = visit_list_for_lsoas(lsoa_codes=["E01099002", "E01099001"])

    assert [(p.postcode, p.lsoa_code) for p in found] == [
        ("ST3 1AA", "E01099001"),
        ("ST3 1AB", "E01099001"),
        ("ST3 1AD", "E01099001"),
        ("ST3 2BA", "E01099002"),
        ("ST3 2BB", "E01099002"),
        ("ST3 2BD", "E01099002"),
        ("ST3 2BE", "E01099002"),
    ]
    first = found[0]
    assert first.latitude == 52.987
    assert first.longitude == -2.132
    assert (first.easting, first.northing) == Postcode.objects.values_list(
        "easting", "northing"
    ).get(postcode="ST3 1AA")


def test_households_are_the_lsoas_shared_evenly(area: None) -> None:
    found = visit_list_for_lsoas(lsoa_codes=["E01099001", "E01099002"])

    # 100 households over three postcodes: 34, 33, 33 (the first in postcode order takes the
    # one left over); 240 residents / 2.4 = 100 over four postcodes: 25 each.
    assert [(p.households, p.estimated_from) for p in found] == [
        (34, FROM_CENSUS_HOUSEHOLDS),
        (33, FROM_CENSUS_HOUSEHOLDS),
        (33, FROM_CENSUS_HOUSEHOLDS),
        (25, FROM_POPULATION),
        (25, FROM_POPULATION),
        (25, FROM_POPULATION),
        (25, FROM_POPULATION),
    ]


def test_one_lsoa_lists_only_its_own_postcodes(area: None) -> None:
    found = visit_list_for_lsoas(lsoa_codes=["E01099001"])

    assert [p.postcode for p in found] == ["ST3 1AA", "ST3 1AB", "ST3 1AD"]


def test_an_lsoa_without_postcodes_lists_nothing(area: None) -> None:
    make_lsoa("E01099003", [(0.0, 51.0), (0.01, 51.0), (0.01, 51.01), (0.0, 51.0)])

    assert visit_list_for_lsoas(lsoa_codes=["E01099003"]) == []


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        ([], "No LSOAs were given"),
        (["E01099001", "E01000404"], "not known or have no boundary.*E01000404"),
    ],
)
def test_it_says_which_lsoas_it_cannot_use(area: None, codes: list[str], message: str) -> None:
    with pytest.raises(DoorListError, match=message):
        visit_list_for_lsoas(lsoa_codes=codes)


def test_it_says_when_an_lsoa_has_nothing_to_estimate_from(area: None) -> None:
    Lsoa.objects.filter(code="E01099002").update(population_2011=None, population_2021=None)

    with pytest.raises(DoorListError, match="E01099002 has neither a households count"):
        visit_list_for_lsoas(lsoa_codes=["E01099002"])


# --- routes ----------------------------------------------------------------------------------


def make_activity(
    type: str = ActivityType.DOOR_TO_DOOR, lsoas: list[str] | None = None
) -> Activity:
    organisation = Organisation.objects.create(
        name="Staffordshire Police", kind=OrganisationKind.POLICE_FORCE, force_id="staffordshire"
    )
    operation = Operation.objects.create(
        name="Longton community action week",
        kind=OperationKind.objects.get(slug="community-action-week"),
        force_id="staffordshire",
        lead_organisation=organisation,
        lead=User.objects.create_user("inspector"),
        first_day=dt.date(2026, 12, 7),
        last_day=dt.date(2026, 12, 13),
    )
    operation.lsoas.set(Lsoa.objects.filter(code__in=lsoas or ["E01099001", "E01099002"]))
    start = timezone.make_aware(dt.datetime(2026, 12, 8, 10))
    return Activity.objects.create(
        operation=operation,
        type=type,
        title="Door-to-door in Longton",
        start=start,
        end=start + dt.timedelta(hours=3),
    )


def snapshot() -> list[tuple[Any, ...]]:
    return list(
        VisitRoute.objects.order_by("activity", "number").values_list(
            "activity", "number", "visitors", "stops", "households", "length_m"
        )
    )


PAIRS = ["PC Shah and Ali Khan (fire)", "PCSO Jones and Cllr Patel"]


def test_it_builds_balanced_routes_over_the_area(area: None) -> None:
    activity = make_activity()

    routes = visit_routes_build(activity=activity, pairs=2, visitors=PAIRS)

    stored = list(activity.routes.order_by("number"))
    assert [route.pk for route in routes] == [route.pk for route in stored]
    assert [(route.number, route.visitors) for route in stored] == [(1, PAIRS[0]), (2, PAIRS[1])]
    postcodes = sorted(stop["postcode"] for route in stored for stop in route.stops)
    assert postcodes == [
        "ST3 1AA",
        "ST3 1AB",
        "ST3 1AD",
        "ST3 2BA",
        "ST3 2BB",
        "ST3 2BD",
        "ST3 2BE",
    ]
    assert sum(route.households for route in stored) == 200
    for route in stored:
        assert route.households == sum(stop["households"] for stop in route.stops)
        assert set(route.stops[0]) == {"postcode", "latitude", "longitude", "households"}
        assert 0 < route.length_m <= route.nearest_neighbour_length_m
    # Balanced: each within one postcode's households (34 at most) of half the 200.
    assert all(abs(route.households - 100) <= 34 for route in stored)


def test_building_again_replaces_the_routes(area: None) -> None:
    activity = make_activity()
    visit_routes_build(activity=activity, pairs=2, visitors=PAIRS)

    visit_routes_build(activity=activity, pairs=1)

    (route,) = activity.routes.all()
    assert (route.number, route.visitors, route.households, len(route.stops)) == (1, "", 200, 7)


def test_the_stored_routes_round_trip_through_the_database(area: None) -> None:
    activity = make_activity()
    visit_routes_build(activity=activity, pairs=1)

    route = VisitRoute.objects.get(activity=activity)

    assert route.stops[0]["latitude"] == pytest.approx(
        Postcode.objects.get(postcode=route.stops[0]["postcode"]).latitude
    )


def test_it_refuses_an_activity_that_is_not_door_to_door(area: None) -> None:
    activity = make_activity(type=ActivityType.LITTER_PICK)
    before = snapshot()

    with pytest.raises(DoorListError, match="not a door-to-door activity"):
        visit_routes_build(activity=activity, pairs=2)

    assert snapshot() == before == []


def test_an_area_without_postcodes_changes_nothing(area: None) -> None:
    make_lsoa("E01099003", [(0.0, 51.0), (0.01, 51.0), (0.01, 51.01), (0.0, 51.0)])
    activity = make_activity()
    visit_routes_build(activity=activity, pairs=2)
    before = snapshot()
    activity.operation.lsoas.set(Lsoa.objects.filter(code="E01099003"))

    with pytest.raises(DoorListError, match="No postcodes lie inside"):
        visit_routes_build(activity=activity, pairs=2)

    assert snapshot() == before
    assert len(before) == 2


def test_an_operation_without_an_area_is_refused(area: None) -> None:
    activity = make_activity()
    activity.operation.lsoas.clear()

    with pytest.raises(DoorListError, match="has no LSOAs"):
        visit_routes_build(activity=activity, pairs=1)


@pytest.mark.parametrize(
    ("pairs", "visitors", "message"),
    [
        (2, ["PC Shah"], "1 pairs of visitors are named for 2 routes"),
        (0, [], "no visitors"),
        (8, [], "8 pairs of visitors but only 7 postcode"),
        (1, ["x" * 301], "at most 300 characters"),
    ],
)
def test_bad_visitors_change_nothing(
    area: None, pairs: int, visitors: list[str], message: str
) -> None:
    activity = make_activity()
    visit_routes_build(activity=activity, pairs=1)
    before = snapshot()

    with pytest.raises(DoorListError, match=message):
        visit_routes_build(activity=activity, pairs=pairs, visitors=visitors)

    assert snapshot() == before


def test_routes_with_logged_visits_are_kept(area: None) -> None:
    activity = make_activity()
    (route,) = visit_routes_build(activity=activity, pairs=1)
    DoorVisit.objects.create(
        route=route, postcode="ST3 1AA", answered=True, visited_at=timezone.now()
    )
    before = snapshot()

    with pytest.raises(DoorListError, match="1 door visit"):
        visit_routes_build(activity=activity, pairs=2)

    assert snapshot() == before
    assert DoorVisit.objects.count() == 1


def test_a_failure_while_writing_leaves_the_old_routes(
    area: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    activity = make_activity()
    visit_routes_build(activity=activity, pairs=2, visitors=PAIRS)
    before = snapshot()

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk is full")

    # The old rows are deleted first, then the new ones fail to be written.
    monkeypatch.setattr(VisitRoute.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError, match="disk is full"):
        visit_routes_build(activity=activity, pairs=1)

    assert snapshot() == before
