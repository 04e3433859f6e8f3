"""The patrol planner's search: OR-Tools' routing solver on a prize-collecting model.

**The model.** Each period (one officer's availability interval) is a vehicle that leaves the
officer's base at the period's start and must be done by its end (back at base with
``return_to_base``). Each place has one optional node per visit worth planning
(``Timing.copies``): node k stands for the place's k-th visit in time, so leaving it out costs
``value x repeat_value[k-1]``, and the solver minimises what is left out. A time dimension
(seconds; a visit's length is added on leaving its node, the journey rounded up to the second)
holds visits inside the windows and periods, with waiting allowed. Node k+1 may be visited only
if node k is, and starts at least a visit and ``min_gap_minutes`` after it, whoever makes either
visit. Skills and reach limit the vehicles a node may be on. Required visits (the first
``min_visits`` nodes of a place) cost more to leave out than every other visit together, so the
search keeps them whenever it can; a plan still without them means the instance is infeasible.

**Unpredictable but reproducible.** Each node's worth is multiplied by seeded noise, uniform in
``1 +/- VALUE_NOISE``, before the search, so different seeds steer to different plans of much
the same worth; the plan's objective is always worked out again from the true values. Journeys
cost a little too (``TRAVEL_COST``), which guides the local search towards compact routes.

**Deterministic.** The search starts from the greedy plan and improves it by guided local
search until it has found ``SOLUTIONS_PER_SECOND x time_limit`` solutions: a count, so the same
instance, seed and time limit give the same plan on any machine, however busy. The time limit
is also a safety cap on the clock; a plan where the clock struck first is marked
``stopped_by_clock``, as a less busy machine would have searched further.

A pure module: no Django.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from beatbook.planning.patrol_greedy import Schedule
from beatbook.planning.patrol_timing import Timing

VALUE_NOISE = 0.03
SOLUTIONS_PER_SECOND = 300
# What leaving out the best visit costs, in the solver's integer units; a second of travel
# costs TRAVEL_COST of them, so an hour's journey weighs as much as a few hundredths of the
# best visit: enough to prefer the shorter of two routes of equal worth, too little to drop a
# visit that is worth anything to save the drive.
VALUE_UNITS = 10_000_000
TRAVEL_COST = 1


@dataclass(frozen=True)
class SearchResult:
    schedules: list[Schedule]
    stopped_by_clock: bool


@dataclass(frozen=True)
class _Nodes:
    """Node numbering: copy nodes first (``place_of[node]``, ``visit_of[node]`` counting
    from 1), then each period's start node and end node."""

    place_of: list[int]
    visit_of: list[int]
    periods: int

    @property
    def copies(self) -> int:
        return len(self.place_of)

    def start(self, period: int) -> int:
        return self.copies + 2 * period

    def end(self, period: int) -> int:
        return self.copies + 2 * period + 1

    @property
    def count(self) -> int:
        return self.copies + 2 * self.periods


def search(timing: Timing, start: list[Schedule], *, time_limit: float, seed: int) -> SearchResult:
    """Improve ``start`` (the greedy schedules); see the module's docstring."""
    nodes = _numbering(timing)
    if not timing.periods or nodes.copies == 0:
        return SearchResult(schedules=start, stopped_by_clock=False)
    manager = pywrapcp.RoutingIndexManager(
        nodes.count,
        len(timing.periods),
        [nodes.start(s) for s in range(len(timing.periods))],
        [nodes.end(s) for s in range(len(timing.periods))],
    )
    routing = pywrapcp.RoutingModel(manager)
    _build(timing, nodes, manager, routing, seed)
    parameters = _parameters(time_limit)
    routing.CloseModelWithParameters(parameters)
    initial = routing.ReadAssignmentFromRoutes(_warm_routes(timing, nodes, manager, start), True)
    began = time.perf_counter()
    if initial is None:  # the greedy plan always fits the model; this is a safety net
        solution = routing.SolveWithParameters(parameters)
    else:
        solution = routing.SolveFromAssignmentWithParameters(initial, parameters)
    stopped = time.perf_counter() - began >= 0.95 * time_limit
    if solution is None:
        return SearchResult(schedules=start, stopped_by_clock=stopped)
    return SearchResult(_schedules(timing, nodes, manager, routing, solution), stopped)


def _numbering(timing: Timing) -> _Nodes:
    place_of, visit_of = [], []
    for place, copies in enumerate(timing.copies):
        for k in range(1, copies + 1):
            place_of.append(place)
            visit_of.append(k)
    return _Nodes(place_of=place_of, visit_of=visit_of, periods=len(timing.periods))


def _transit(timing: Timing, nodes: _Nodes, *, visits: bool) -> list[list[int]]:
    """Seconds from node to node: the journey, plus the visit left (``visits``)."""
    between = timing.travel.between[np.ix_(nodes.place_of, nodes.place_of)]
    matrix = np.zeros((nodes.count, nodes.count), dtype=np.int64)
    matrix[: nodes.copies, : nodes.copies] = between + (timing.visit if visits else 0)
    for s, period in enumerate(timing.periods):
        out = timing.travel.from_base[period.officer, nodes.place_of]
        matrix[nodes.start(s), : nodes.copies] = out
        home = out if timing.instance.rules.return_to_base else np.zeros_like(out)
        matrix[: nodes.copies, nodes.end(s)] = home + (timing.visit if visits else 0)
    rows: list[list[int]] = matrix.tolist()
    return rows


def _build(
    timing: Timing,
    nodes: _Nodes,
    manager: pywrapcp.RoutingIndexManager,
    routing: pywrapcp.RoutingModel,
    seed: int,
) -> None:
    clock = routing.RegisterTransitMatrix(_transit(timing, nodes, visits=True))
    horizon = max(period.end for period in timing.periods)
    routing.AddDimension(clock, horizon, horizon, False, "time")
    time_dimension = routing.GetDimensionOrDie("time")
    travel = routing.RegisterTransitMatrix(
        [
            [TRAVEL_COST * seconds for seconds in row]
            for row in _transit(timing, nodes, visits=False)
        ]
    )
    routing.SetArcCostEvaluatorOfAllVehicles(travel)
    for s, period in enumerate(timing.periods):
        for index in (routing.Start(s), routing.End(s)):
            time_dimension.CumulVar(index).SetRange(period.start, period.end)
    _visit_nodes(timing, nodes, manager, routing, time_dimension, seed)


def _visit_nodes(
    timing: Timing,
    nodes: _Nodes,
    manager: pywrapcp.RoutingIndexManager,
    routing: pywrapcp.RoutingModel,
    time_dimension: pywrapcp.RoutingDimension,
    seed: int,
) -> None:
    places = timing.instance.places
    rules = timing.instance.rules
    noise = np.random.default_rng(seed).uniform(1 - VALUE_NOISE, 1 + VALUE_NOISE, nodes.copies)
    worths = [
        places[p].value * rules.multiplier(k)
        for p, k in zip(nodes.place_of, nodes.visit_of, strict=True)
    ]
    scale = VALUE_UNITS / max(max(worths), 1e-12)
    required = VALUE_UNITS * (nodes.copies + 1)
    for node, (p, k) in enumerate(zip(nodes.place_of, nodes.visit_of, strict=True)):
        index = manager.NodeToIndex(node)
        penalty = (
            required if k <= places[p].min_visits else round(worths[node] * noise[node] * scale)
        )
        routing.AddDisjunction([index], int(penalty))
        # (SetAllowedVehiclesForIndex would say the same, but its Python binding is broken in
        # OR-Tools 9.15: it accepts no list.)
        routing.VehicleVar(index).RemoveValues(
            [s for s, period in enumerate(timing.periods) if not timing.reachable(period, p)]
        )
        cumul = time_dimension.CumulVar(index)
        ranges = timing.starts[p]
        cumul.SetRange(ranges[0][0], ranges[-1][1])
        for (_, high), (low, _) in zip(ranges, ranges[1:], strict=False):
            cumul.RemoveInterval(high + 1, low - 1)
        # Every two visits to a place a visit and a gap apart, in the order of their nodes,
        # when both are made. (A precedence of the time dimension: the search's filters see it,
        # so no move that breaks it is ever tried in the slower constraint propagation.)
        for earlier in range(node - k + 1, node):
            time_dimension.AddNodePrecedence(manager.NodeToIndex(earlier), index, timing.spacing())


def _parameters(time_limit: float) -> pywrapcp.RoutingSearchParameters:
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    parameters.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    parameters.solution_limit = max(1, round(SOLUTIONS_PER_SECOND * time_limit))
    parameters.time_limit.FromMilliseconds(max(1, int(time_limit * 1000)))
    return parameters


def _warm_routes(
    timing: Timing, nodes: _Nodes, manager: pywrapcp.RoutingIndexManager, start: list[Schedule]
) -> list[list[int]]:
    """The greedy schedules as routes of node indices, each place's visits numbered in time."""
    first = {}
    for node, (p, k) in enumerate(zip(nodes.place_of, nodes.visit_of, strict=True)):
        if k == 1:
            first[p] = node
    timed = sorted((at, place, s) for s, schedule in enumerate(start) for at, place in schedule)
    seen = [0] * len(timing.instance.places)
    node_of: dict[tuple[int, int], int] = {}
    for at, place, _ in timed:
        node_of[at, place] = first[place] + seen[place]
        seen[place] += 1
    return [
        [manager.NodeToIndex(node_of[at, place]) for at, place in schedule] for schedule in start
    ]


def _schedules(
    timing: Timing,
    nodes: _Nodes,
    manager: pywrapcp.RoutingIndexManager,
    routing: pywrapcp.RoutingModel,
    solution: pywrapcp.Assignment,
) -> list[Schedule]:
    time_dimension = routing.GetDimensionOrDie("time")
    schedules: list[Schedule] = []
    for s in range(len(timing.periods)):
        schedule: Schedule = []
        index = solution.Value(routing.NextVar(routing.Start(s)))
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            schedule.append((solution.Value(time_dimension.CumulVar(index)), nodes.place_of[node]))
            index = solution.Value(routing.NextVar(index))
        schedules.append(schedule)
    return schedules
