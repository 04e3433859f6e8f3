"""Door-to-door visit routes: split an area's postcodes between pairs of visitors and put each
pair's postcodes in a short walking order (issue 14, ADR 18).

Two steps, cluster first and route second:

1. **Split.** The stops are cut in two across their principal axis (the direction they spread
   most along, weighted by households), at the point that gives each side its share of the
   households (``pairs_left / pairs``), and each side is cut again until there is one part per
   pair. Each part is the intersection of half-planes, so it is convex and compact (no route
   has to walk through another's streets), and each holds the mean households give or take
   about ``max households of one postcode x depth of the cutting``: each cut is made at the
   postcode boundary nearest its share.
2. **Order.** Each part is a path through its postcodes, open at both ends (the pair is dropped
   at the first and picked up at the last), found by OR-Tools' routing solver: a guided local
   search that starts from the nearest-neighbour path, so it never returns a longer walk than
   that baseline, which is reported beside it.

Distances are straight lines between postcode centres (British National Grid metres) times
``WALKING_DETOUR_FACTOR``. They do not count the walking done along each postcode's own doors.

**Deterministic.** Nothing is random: ties are broken by postcode, and the search stops after a
number of solutions proportional to the stops, not at a moment on the clock. The time limit
(scaled to size too) is a safety cap; a route where it struck first is marked
``stopped_by_clock``, as a busier machine might then give another order.

A pure module: no Django, plain data in and out.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

# Walking distance over straight-line distance. Studies of urban street networks put this
# "circuity" for walking at about 1.2 to 1.4 (e.g. Levinson and El-Geneidy 2009, circuity of
# about 1.2-1.3 in US metropolitan areas; on British estates of cul-de-sacs and closes it runs
# higher). 1.3 is the middle of that range. It multiplies every distance alike, so it changes
# no split and no order, only the metres reported; those are an estimate, not a measured walk.
WALKING_DETOUR_FACTOR = 1.3

# The search stops after max(MIN_SOLUTIONS, SOLUTIONS_PER_STOP x stops) solutions (the
# deterministic limit), or at the time limit, clamp(SECONDS_PER_STOP x stops, MIN_SECONDS,
# MAX_SECONDS), whichever comes first. On this project's 2-core machine, busy, the Longton
# benchmark's routes of 12-42 stops took about 0.15 s each and none met the clock; a search
# without the solution limit, 30 times as long, shortened the walk by 0.6% (docs/benchmarks.md).
SOLUTIONS_PER_STOP = 1
MIN_SOLUTIONS = 50
SECONDS_PER_STOP = 0.05
MIN_SECONDS = 1.0
MAX_SECONDS = 10.0

# Integer costs for the solver: centimetres, so rounding never decides between two orders.
_CENTIMETRES = 100.0

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class DoorRoutesError(ValueError):
    """The stops or the number of visitors cannot make routes; the message says why."""


@dataclass(frozen=True)
class Stop:
    """A postcode to call at: its centre in British National Grid metres and its households
    (delivery points, or an estimate of them)."""

    postcode: str
    easting: float | None
    northing: float | None
    households: int


@dataclass(frozen=True)
class Route:
    """One pair's walk: its stops in walking order, and the nearest-neighbour walk to compare."""

    number: int
    stops: tuple[Stop, ...]
    households: int
    length_m: float
    nearest_neighbour_length_m: float
    stopped_by_clock: bool = False


@dataclass(frozen=True)
class DoorRoutePlan:
    """Every route of an area, numbered from 1, with the detour factor their lengths used."""

    routes: tuple[Route, ...]
    detour_factor: float = WALKING_DETOUR_FACTOR

    @property
    def households(self) -> int:
        return sum(route.households for route in self.routes)

    @property
    def length_m(self) -> float:
        return sum(route.length_m for route in self.routes)

    @property
    def nearest_neighbour_length_m(self) -> float:
        return sum(route.nearest_neighbour_length_m for route in self.routes)


def door_routes_plan(
    stops: Sequence[Stop], *, pairs: int | None = None, households_per_route: int | None = None
) -> DoorRoutePlan:
    """Split ``stops`` into one compact route per pair of visitors, balanced by households,
    and order each. Give either ``pairs`` or ``households_per_route`` (the number of routes
    is then the households over it, rounded up, and at most one route per postcode).

    Raises ``DoorRoutesError`` for no stops, no visitors, stops without coordinates, a
    postcode given twice or negative households.
    """
    _check_stops(stops)
    routes = _route_count(stops, pairs=pairs, households_per_route=households_per_route)
    xy = np.array([(stop.easting, stop.northing) for stop in stops], dtype=float)
    households = np.array([stop.households for stop in stops], dtype=float)
    weights = households if households.sum() > 0 else np.ones(len(stops))
    tiebreak = np.argsort(np.argsort([stop.postcode for stop in stops], kind="stable"))
    parts = _split(np.arange(len(stops)), routes, xy=xy, weights=weights, tiebreak=tiebreak)
    return DoorRoutePlan(
        routes=tuple(
            _route(number, [stops[i] for i in part], xy[part])
            for number, part in enumerate(parts, start=1)
        )
    )


def _check_stops(stops: Sequence[Stop]) -> None:
    if not stops:
        raise DoorRoutesError("There are no postcodes to visit, so there is nothing to route.")
    unplaced = [s.postcode for s in stops if not _finite(s.easting) or not _finite(s.northing)]
    if unplaced:
        raise DoorRoutesError(
            f"{len(unplaced)} postcode(s) have no grid reference, so they cannot be put on a "
            f"walking route: {', '.join(unplaced[:5])}{' ...' if len(unplaced) > 5 else ''}."
        )
    negative = [stop.postcode for stop in stops if stop.households < 0]
    if negative:
        raise DoorRoutesError(f"Households cannot be negative: {', '.join(negative[:5])}.")
    seen: set[str] = set()
    for stop in stops:
        if stop.postcode in seen:
            raise DoorRoutesError(f"The postcode {stop.postcode} is listed twice.")
        seen.add(stop.postcode)


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _route_count(
    stops: Sequence[Stop], *, pairs: int | None, households_per_route: int | None
) -> int:
    if (pairs is None) == (households_per_route is None):
        raise DoorRoutesError(
            "Give either the number of pairs of visitors or the households per route, not both "
            "and not neither."
        )
    if households_per_route is not None:
        if households_per_route < 1:
            raise DoorRoutesError("A route needs at least one household to call at.")
        total = sum(stop.households for stop in stops)
        return max(1, min(len(stops), math.ceil(total / households_per_route)))
    assert pairs is not None
    if pairs < 1:
        raise DoorRoutesError("There are no visitors: at least one pair is needed to walk a route.")
    if pairs > len(stops):
        raise DoorRoutesError(
            f"There are {pairs} pairs of visitors but only {len(stops)} postcode(s) to visit: "
            f"send at most {len(stops)} pair(s)."
        )
    return pairs


# --- splitting -------------------------------------------------------------------------------


def _split(
    members: IntArray, parts: int, *, xy: FloatArray, weights: FloatArray, tiebreak: IntArray
) -> list[IntArray]:
    """``members`` cut into ``parts`` groups by recursive weighted cuts across the principal
    axis (see the module's docstring); leaves in order, so numbering is stable."""
    if parts == 1:
        return [members]
    left_parts = parts // 2
    along = _principal_projection(xy[members], weights[members])
    order = members[np.lexsort((tiebreak[members], along))]
    cumulative = np.cumsum(weights[order])
    target = cumulative[-1] * left_parts / parts
    # The cut leaves at least one stop for each part on either side.
    low, high = left_parts, len(order) - (parts - left_parts)
    candidates = np.arange(low, high + 1)
    cut = int(candidates[np.argmin(np.abs(cumulative[candidates - 1] - target))])
    return _split(order[:cut], left_parts, xy=xy, weights=weights, tiebreak=tiebreak) + _split(
        order[cut:], parts - left_parts, xy=xy, weights=weights, tiebreak=tiebreak
    )


def _principal_projection(xy: FloatArray, weights: FloatArray) -> FloatArray:
    """Each point's position along the weighted principal axis (the sign fixed, so the same
    input always gives the same order)."""
    w = weights if weights.sum() > 0 else np.ones(len(weights))
    centred = xy - np.average(xy, axis=0, weights=w)
    covariance = (centred * w[:, None]).T @ centred
    axis = np.linalg.eigh(covariance)[1][:, -1]
    if axis[np.argmax(np.abs(axis))] < 0:
        axis = -axis
    projection: FloatArray = centred @ axis
    return projection


# --- ordering --------------------------------------------------------------------------------


def _route(number: int, stops: list[Stop], xy: FloatArray) -> Route:
    distances = _walking_distances(xy)
    baseline = nearest_neighbour_order(distances)
    baseline_length = path_length(distances, baseline)
    order, stopped_by_clock = _solve(distances, baseline)
    length = path_length(distances, order)
    if length > baseline_length:  # cannot happen from a warm start, but never report worse
        order, length = baseline, baseline_length
    return Route(
        number=number,
        stops=tuple(stops[i] for i in order),
        households=sum(stop.households for stop in stops),
        length_m=length,
        nearest_neighbour_length_m=baseline_length,
        stopped_by_clock=stopped_by_clock,
    )


def _walking_distances(xy: FloatArray) -> FloatArray:
    difference = xy[:, None, :] - xy[None, :, :]
    straight: FloatArray = np.hypot(difference[..., 0], difference[..., 1])
    return straight * WALKING_DETOUR_FACTOR


def path_length(distances: FloatArray, order: Sequence[int]) -> float:
    """The length of an open path visiting ``order`` in turn."""
    if len(order) < 2:
        return 0.0
    index = np.asarray(order)
    return float(distances[index[:-1], index[1:]].sum())


def nearest_neighbour_order(distances: FloatArray) -> list[int]:
    """The baseline: start at the stop farthest from the others' middle (an end of the area)
    and always walk to the nearest stop not yet visited (the lower index on a tie)."""
    count = len(distances)
    if count == 0:
        return []
    current = int(np.argmax(distances.sum(axis=1)))
    order = [current]
    visited = np.zeros(count, dtype=bool)
    visited[current] = True
    for _ in range(count - 1):
        remaining = np.where(visited, np.inf, distances[current])
        current = int(np.argmin(remaining))
        visited[current] = True
        order.append(current)
    return order


def search_limits(stops: int) -> tuple[int, float]:
    """(solution limit, time limit in seconds) for a route of ``stops`` stops."""
    solutions = max(MIN_SOLUTIONS, SOLUTIONS_PER_STOP * stops)
    seconds = min(MAX_SECONDS, max(MIN_SECONDS, SECONDS_PER_STOP * stops))
    return solutions, seconds


def _solve(distances: FloatArray, start: list[int]) -> tuple[list[int], bool]:
    """The shortest open path OR-Tools finds from ``start``, and whether the clock stopped it.

    Node 0 is a dummy depot at no distance from every stop, so the walk may begin and end at
    any stop; stop ``i`` is node ``i + 1``.
    """
    count = len(distances)
    if count < 3:
        return start, False
    matrix = np.zeros((count + 1, count + 1), dtype=np.int64)
    matrix[1:, 1:] = np.rint(distances * _CENTIMETRES).astype(np.int64)
    manager = pywrapcp.RoutingIndexManager(count + 1, 1, 0)
    routing = pywrapcp.RoutingModel(manager)
    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitMatrix(matrix.tolist()))
    parameters = _parameters(count)
    routing.CloseModelWithParameters(parameters)
    initial = routing.ReadAssignmentFromRoutes([[i + 1 for i in start]], True)
    began = time.perf_counter()
    solution = routing.SolveFromAssignmentWithParameters(initial, parameters)
    elapsed = time.perf_counter() - began
    if solution is None:
        return start, False
    order = []
    index = solution.Value(routing.NextVar(routing.Start(0)))
    while not routing.IsEnd(index):
        order.append(manager.IndexToNode(index) - 1)
        index = solution.Value(routing.NextVar(index))
    return order, elapsed >= 0.95 * search_limits(count)[1]


def _parameters(count: int) -> pywrapcp.RoutingSearchParameters:
    solutions, seconds = search_limits(count)
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    parameters.solution_limit = solutions
    parameters.time_limit.FromMilliseconds(int(seconds * 1000))
    return parameters
