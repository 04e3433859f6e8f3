"""Door-to-door routes: every stop once, balanced, compact, never longer than the
nearest-neighbour baseline, optimal on small cases checked by brute force, and clear errors."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest
import shapely

from beatbook.planning.door_routes import (
    WALKING_DETOUR_FACTOR,
    DoorRoutesError,
    Stop,
    door_routes_plan,
    nearest_neighbour_order,
    path_length,
)


def random_stops(count: int, seed: int, *, spread: float = 2000.0) -> list[Stop]:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, spread, (count, 2)) + (388_000, 345_000)
    households = rng.integers(1, 40, count)
    return [
        Stop(postcode=f"ST{seed} {i:03d}", easting=float(x), northing=float(y), households=int(h))
        for i, ((x, y), h) in enumerate(zip(xy, households, strict=True))
    ]


def walk(stops: tuple[Stop, ...] | list[Stop]) -> float:
    return WALKING_DETOUR_FACTOR * sum(
        math.dist((a.easting or 0, a.northing or 0), (b.easting or 0, b.northing or 0))
        for a, b in itertools.pairwise(stops)
    )


CASES = [(count, pairs, seed) for seed in range(6) for count, pairs in ((12, 1), (40, 3), (90, 6))]


@pytest.mark.parametrize(("count", "pairs", "seed"), CASES)
def test_every_stop_is_on_exactly_one_route(count: int, pairs: int, seed: int) -> None:
    stops = random_stops(count, seed)

    plan = door_routes_plan(stops, pairs=pairs)

    assert len(plan.routes) == pairs
    assert [route.number for route in plan.routes] == list(range(1, pairs + 1))
    visited = [stop for route in plan.routes for stop in route.stops]
    assert sorted(visited, key=lambda s: s.postcode) == sorted(stops, key=lambda s: s.postcode)
    assert plan.households == sum(stop.households for stop in stops)
    for route in plan.routes:
        assert route.households == sum(stop.households for stop in route.stops)


@pytest.mark.parametrize(("count", "pairs", "seed"), CASES)
def test_the_solver_is_never_longer_than_nearest_neighbour(
    count: int, pairs: int, seed: int
) -> None:
    plan = door_routes_plan(random_stops(count, seed), pairs=pairs)

    for route in plan.routes:
        # The lengths reported are the walks of the stops in the order given.
        assert route.length_m == pytest.approx(walk(route.stops), rel=1e-9)
        assert route.length_m <= route.nearest_neighbour_length_m + 1e-9
        assert not route.stopped_by_clock
    assert plan.length_m <= plan.nearest_neighbour_length_m


def test_it_gains_on_nearest_neighbour_over_many_stops() -> None:
    # Not a bound the method promises, a sanity check: on 60 random stops nearest neighbour's
    # long jumps back are worth a few per cent.
    gains = [
        door_routes_plan(random_stops(60, seed), pairs=1).length_m
        / door_routes_plan(random_stops(60, seed), pairs=1).nearest_neighbour_length_m
        for seed in range(5)
    ]
    assert max(gains) <= 1.0
    assert min(gains) < 0.97


@pytest.mark.parametrize("seed", range(8))
def test_a_small_route_is_the_shortest_open_path(seed: int) -> None:
    # Brute force over every order of seven stops (reversals counted once).
    stops = random_stops(7, seed)
    best = min(walk([stops[i] for i in order]) for order in itertools.permutations(range(7)))

    (route,) = door_routes_plan(stops, pairs=1).routes

    assert route.length_m == pytest.approx(best, rel=1e-6)


def test_nearest_neighbour_worked_by_hand() -> None:
    # Stops on a line at 0, 1, 3 and 7 m. The stop farthest from the rest (7) starts; then
    # 3, 1, 0: 4 + 2 + 1 = 7 m.
    at = np.array([0.0, 1.0, 3.0, 7.0])
    distances = np.abs(at[:, None] - at[None, :])

    order = nearest_neighbour_order(distances)

    assert order == [3, 2, 1, 0]
    assert path_length(distances, order) == 7.0


@pytest.mark.parametrize(("count", "pairs", "seed"), CASES)
def test_routes_are_balanced_by_households(count: int, pairs: int, seed: int) -> None:
    stops = random_stops(count, seed)
    plan = door_routes_plan(stops, pairs=pairs)

    mean = plan.households / pairs
    # Each cut lands within half a postcode of its share; the errors add along the cuts.
    allowed = max(stop.households for stop in stops) * max(1, math.ceil(math.log2(pairs)))
    for route in plan.routes:
        assert abs(route.households - mean) <= allowed


def test_balance_follows_households_not_postcodes() -> None:
    # One dense block of flats (10 postcodes of 50 households) and 40 houses' postcodes of 5.
    flats = [Stop(f"ST4 1F{i}", 100.0 + i, 100.0, 50) for i in range(10)]
    houses = [Stop(f"ST4 2H{i:02d}", 1000.0 + 20 * i, 100.0, 5) for i in range(40)]

    plan = door_routes_plan(flats + houses, pairs=2)

    assert sorted(route.households for route in plan.routes) == [350, 350]
    assert sorted(len(route.stops) for route in plan.routes) == [7, 43]


@pytest.mark.parametrize("seed", range(4))
def test_routes_are_compact_their_areas_do_not_overlap(seed: int) -> None:
    plan = door_routes_plan(random_stops(120, seed), pairs=6)

    hulls = [
        shapely.MultiPoint([(s.easting, s.northing) for s in route.stops]).convex_hull
        for route in plan.routes
    ]
    for a, b in itertools.combinations(hulls, 2):
        assert a.intersection(b).area == pytest.approx(0.0, abs=1e-6)


def test_households_per_route_sets_the_number_of_routes() -> None:
    stops = random_stops(50, 1)
    total = sum(stop.households for stop in stops)

    plan = door_routes_plan(stops, households_per_route=200)

    assert len(plan.routes) == math.ceil(total / 200)


def test_a_target_below_one_postcode_gives_a_route_per_postcode() -> None:
    stops = random_stops(5, 2)

    plan = door_routes_plan(stops, households_per_route=1)

    assert [len(route.stops) for route in plan.routes] == [1] * 5
    assert all(route.length_m == 0 for route in plan.routes)


def test_the_same_stops_give_the_same_routes_in_any_input_order() -> None:
    stops = random_stops(80, 3)
    shuffled = list(stops)
    random.Random(5).shuffle(shuffled)

    first = door_routes_plan(stops, pairs=4)

    assert door_routes_plan(stops, pairs=4) == first
    assert door_routes_plan(shuffled, pairs=4) == first


def test_postcodes_without_households_are_balanced_by_count() -> None:
    stops = [Stop(f"ST3 {i:03d}", float(i * 10), 0.0, 0) for i in range(10)]

    plan = door_routes_plan(stops, pairs=2)

    assert [len(route.stops) for route in plan.routes] == [5, 5]


@pytest.mark.parametrize(
    ("stops", "options", "message"),
    [
        ([], {"pairs": 2}, "no postcodes to visit"),
        ([Stop("ST3 1AA", 1.0, 2.0, 5)], {"pairs": 0}, "no visitors"),
        ([Stop("ST3 1AA", 1.0, 2.0, 5)], {}, "either the number of pairs"),
        ([Stop("ST3 1AA", 1.0, 2.0, 5)], {"pairs": 1, "households_per_route": 9}, "not both"),
        ([Stop("ST3 1AA", 1.0, 2.0, 5)], {"households_per_route": 0}, "at least one household"),
        (
            [Stop("ST3 1AA", 1.0, 2.0, 5), Stop("ST3 1AB", None, None, 5)],
            {"pairs": 1},
            r"1 postcode\(s\) have no grid reference.*ST3 1AB",
        ),
        ([Stop("ST3 1AB", float("nan"), 1.0, 5)], {"pairs": 1}, "no grid reference"),
        (
            [Stop("ST3 1AA", 1.0, 2.0, 5), Stop("ST3 1AA", 3.0, 2.0, 5)],
            {"pairs": 1},
            "ST3 1AA is listed twice",
        ),
        ([Stop("ST3 1AA", 1.0, 2.0, -1)], {"pairs": 1}, "cannot be negative"),
        ([Stop("ST3 1AA", 1.0, 2.0, 5)], {"pairs": 3}, "3 pairs of visitors but only 1"),
    ],
)
def test_it_says_plainly_what_is_wrong(
    stops: list[Stop], options: dict[str, int], message: str
) -> None:
    with pytest.raises(DoorRoutesError, match=message) as caught:
        door_routes_plan(stops, **options)
    assert isinstance(caught.value, ValueError)
