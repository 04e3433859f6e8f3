"""The patrol planner's search: large neighbourhood search, each step a small routing model
solved by OR-Tools.

**A step.** Two periods (one officer's availability interval each) are chosen: one at random
and one whose officer's base is nearest its own. A random two-hour stretch of each of their
routes is emptied (the *ruin*), and OR-Tools' routing solver, started from what is left, refills
and reorders those routes by local search until no move improves them (the *recreate*). The
new plan is kept if it is worth more. The other periods' visits stay fixed: a visit planned in
the small model keeps a visit and a gap away from them (times cut out of its node's domain).

**The small model.** Each chosen period is a vehicle that leaves the officer's base at the
period's start and must be done by its end (back at base with ``return_to_base``). Each place
has one optional node per visit it may still have; leaving one out costs what that visit would
earn (the objective depends only on how many visits a place has, so a visit's worth is known:
``value x repeat_value[k-1]`` for its k-th). A time dimension (seconds; a visit's length added
on leaving its node, journeys rounded up) keeps visits inside windows and periods, waiting
allowed; precedences on it keep any two visits to a place a visit and a gap apart, and are
seen by the solver's filters. Required visits cost more to leave out than all others together.
Journeys cost a little (``TRAVEL_COST``) so that, of plans worth the same, the compact one wins,
leaving room for more.

**Unpredictable but reproducible.** Each visit's worth is multiplied by seeded noise, uniform in
``1 +/- VALUE_NOISE``, and the seed chooses the periods and stretches to ruin, so different
seeds give different plans of much the same worth; the plan's objective is always worked out
again from the true values.

**Deterministic.** The search makes ``STEPS_PER_SECOND x time_limit`` steps, and each step's
local search runs until it finds no improving move: a count and a fixed point, not a moment on
the clock, so the same instance, seed and time limit give the same plan on any machine. The time
limit is also a safety cap; a plan where it struck first is marked ``stopped_by_clock``, as a
less busy machine would have searched further.

A pure module: no Django.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2
from ortools.util.optional_boolean_pb2 import BOOL_FALSE

from beatbook.planning.patrol_greedy import Schedule
from beatbook.planning.patrol_timing import Ranges, Timing, cut

VALUE_NOISE = 0.03
# Steps a second of time limit. On this project's two-core machine, shared with other jobs
# (load average about 4), a shift of 20 officers and 200 places made 6 to 7 steps a second;
# 4 leaves room for a busier machine before the clock strikes (docs/benchmarks.md).
STEPS_PER_SECOND = 4
PERIODS_PER_STEP = 2
# A step's model holds the places nearest the chosen periods' bases and visits, this many (and
# any place they visit now): small enough for its local search to settle in a fraction of a
# second, large enough to reach anything an officer of theirs could go to next.
PLACES_PER_STEP = 40
RUIN_SECONDS = 2 * 3600
# The solver's integer units: leaving out the best visit costs VALUE_UNITS; a second of travel
# costs TRAVEL_COST, so an hour's journey weighs as much as a third of a thousandth of it:
# enough to prefer the shorter of two plans of equal worth, far too little to drop a visit.
VALUE_UNITS = 10_000_000
TRAVEL_COST = 1


@dataclass(frozen=True)
class SearchResult:
    schedules: list[Schedule]
    stopped_by_clock: bool
    steps: int


@dataclass(frozen=True)
class _Step:
    """One small model: the chosen periods, the nodes (``place_of[node]``; ``rank_of[node]``
    is the visit's number k at its place), and what the fixed periods do at each place."""

    periods: list[int]
    place_of: list[int]
    rank_of: list[int]
    fixed: list[list[int]]

    def start(self, vehicle: int) -> int:
        return len(self.place_of) + 2 * vehicle

    def end(self, vehicle: int) -> int:
        return len(self.place_of) + 2 * vehicle + 1


def search(timing: Timing, start: list[Schedule], *, time_limit: float, seed: int) -> SearchResult:
    """Improve ``start`` (the greedy schedules); see the module's docstring."""
    rng = np.random.default_rng(seed)
    worth = _noisy_worths(timing, rng)
    current = [list(schedule) for schedule in start]
    score = _score(timing, worth, current)
    began = time.perf_counter()
    steps = max(1, round(STEPS_PER_SECOND * time_limit))
    for step in range(steps if timing.periods else 0):
        left = time_limit - (time.perf_counter() - began)
        chosen = _choose(timing, rng)
        kept = _ruin(timing, current, chosen, rng)
        rebuilt = _rebuild(timing, worth, current, chosen, kept, max(left, 0.001))
        if rebuilt is None or time.perf_counter() - began >= time_limit:
            return SearchResult(current, stopped_by_clock=True, steps=step)
        rebuilt_score = _score(timing, worth, rebuilt)
        if rebuilt_score > score * (1 + 1e-12):
            current, score = rebuilt, rebuilt_score
    return SearchResult(current, stopped_by_clock=False, steps=steps)


def _noisy_worths(timing: Timing, rng: np.random.Generator) -> list[list[float]]:
    """What each place's k-th visit earns in the search's eyes (index k-1), noise applied."""
    rules = timing.instance.rules
    out = []
    for place, copies in zip(timing.instance.places, timing.copies, strict=True):
        noise = rng.uniform(1 - VALUE_NOISE, 1 + VALUE_NOISE, copies)
        out.append([place.value * rules.multiplier(k + 1) * noise[k] for k in range(copies)])
    return out


def _score(timing: Timing, worth: list[list[float]], schedules: list[Schedule]) -> float:
    """The noisy objective, with each required visit made worth more than all the rest."""
    counts = [0] * len(worth)
    for schedule in schedules:
        for _, place in schedule:
            counts[place] += 1
    required = 1.0 + sum(sum(w) for w in worth)
    return sum(
        sum(worth[p][:count]) + required * min(count, timing.instance.places[p].min_visits)
        for p, count in enumerate(counts)
    )


def _choose(timing: Timing, rng: np.random.Generator) -> list[int]:
    """A random period and those whose bases are nearest its own (random among equals)."""
    periods = timing.periods
    first = int(rng.integers(len(periods)))
    base = periods[first].officer
    instance = timing.instance
    here = (instance.officers[base].lat, instance.officers[base].lng)
    ties = rng.random(len(periods))
    others = sorted(
        (i for i in range(len(periods)) if i != first),
        key=lambda i: (
            abs(instance.officers[periods[i].officer].lat - here[0])
            + abs(instance.officers[periods[i].officer].lng - here[1]),
            ties[i],
        ),
    )
    return [first, *others[: PERIODS_PER_STEP - 1]]


def _ruin(
    timing: Timing, current: list[Schedule], chosen: list[int], rng: np.random.Generator
) -> list[Schedule]:
    """The chosen periods' schedules less a random stretch of RUIN_SECONDS each."""
    kept = []
    for i in chosen:
        period = timing.periods[i]
        cut = int(rng.integers(period.start - RUIN_SECONDS, period.end + 1))
        kept.append([(at, p) for at, p in current[i] if not cut <= at < cut + RUIN_SECONDS])
    return kept


def _rebuild(
    timing: Timing,
    worth: list[list[float]],
    current: list[Schedule],
    chosen: list[int],
    kept: list[Schedule],
    seconds: float,
) -> list[Schedule] | None:
    """The plan with the chosen periods refilled by OR-Tools, or None if the clock struck."""
    step = _step(timing, current, chosen)
    if not step.place_of:
        return current
    manager = pywrapcp.RoutingIndexManager(
        len(step.place_of) + 2 * len(chosen),
        len(chosen),
        [step.start(v) for v in range(len(chosen))],
        [step.end(v) for v in range(len(chosen))],
    )
    routing = pywrapcp.RoutingModel(manager)
    _model(timing, worth, step, manager, routing)
    parameters = _parameters(seconds)
    routing.CloseModelWithParameters(parameters)
    initial = routing.ReadAssignmentFromRoutes(_warm_routes(step, manager, kept), True)
    began = time.perf_counter()
    solution = routing.SolveFromAssignmentWithParameters(initial, parameters)
    if solution is None or time.perf_counter() - began >= 0.95 * seconds:
        return None
    out = [list(schedule) for schedule in current]
    time_dimension = routing.GetDimensionOrDie("time")
    for vehicle, i in enumerate(chosen):
        out[i] = []
        index = solution.Value(routing.NextVar(routing.Start(vehicle)))
        while not routing.IsEnd(index):
            at = solution.Value(time_dimension.CumulVar(index))
            out[i].append((at, step.place_of[manager.IndexToNode(index)]))
            index = solution.Value(routing.NextVar(index))
    return out


def _step(timing: Timing, current: list[Schedule], chosen: list[int]) -> _Step:
    """The nodes of a small model: each place the chosen periods could reach gets one node
    per visit it may still have beside the fixed periods' visits."""
    fixed: list[list[int]] = [[] for _ in timing.instance.places]
    for i, schedule in enumerate(current):
        if i not in chosen:
            for at, place in schedule:
                fixed[place].append(at)
    place_of, rank_of = [], []
    for place in _nearby(timing, current, chosen):
        copies = timing.copies[place]
        reach = any(timing.reachable(timing.periods[i], place) for i in chosen)
        if reach and _free(timing, place, fixed[place]):
            for k in range(len(fixed[place]) + 1, copies + 1):
                place_of.append(place)
                rank_of.append(k)
    return _Step(periods=chosen, place_of=place_of, rank_of=rank_of, fixed=fixed)


def _nearby(timing: Timing, current: list[Schedule], chosen: list[int]) -> list[int]:
    """The places a step may plan: those the chosen periods visit now, and the
    ``PLACES_PER_STEP`` nearest their bases or their visits (ties to the earlier place)."""
    visited = sorted({place for i in chosen for _, place in current[i]})
    officers = sorted({timing.periods[i].officer for i in chosen})
    near = timing.travel.from_base[officers].min(axis=0)
    if visited:
        near = np.minimum(near, timing.travel.between[visited].min(axis=0))
    nearest = np.argsort(near, kind="stable")[:PLACES_PER_STEP]
    return sorted(set(visited) | {int(p) for p in nearest})


def _model(
    timing: Timing,
    worth: list[list[float]],
    step: _Step,
    manager: pywrapcp.RoutingIndexManager,
    routing: pywrapcp.RoutingModel,
) -> None:
    clock = routing.RegisterTransitMatrix(_transit(timing, step, visits=True))
    horizon = max(period.end for period in timing.periods)
    routing.AddDimension(clock, horizon, horizon, False, "time")
    time_dimension = routing.GetDimensionOrDie("time")
    travel = routing.RegisterTransitMatrix(_transit(timing, step, visits=False, cost=TRAVEL_COST))
    routing.SetArcCostEvaluatorOfAllVehicles(travel)
    for vehicle, i in enumerate(step.periods):
        for index in (routing.Start(vehicle), routing.End(vehicle)):
            time_dimension.CumulVar(index).SetRange(timing.periods[i].start, timing.periods[i].end)
    scale = VALUE_UNITS / max(max((max(w, default=0.0) for w in worth), default=0.0), 1e-12)
    required = VALUE_UNITS * (len(step.place_of) + 1)
    places = timing.instance.places
    for node, (p, k) in enumerate(zip(step.place_of, step.rank_of, strict=True)):
        index = manager.NodeToIndex(node)
        penalty = required if k <= places[p].min_visits else round(worth[p][k - 1] * scale)
        routing.AddDisjunction([index], int(penalty))
        # (SetAllowedVehiclesForIndex would say the same, but its Python binding is broken in
        # OR-Tools 9.15: it accepts no list.)
        routing.VehicleVar(index).RemoveValues(
            [v for v, i in enumerate(step.periods) if not timing.reachable(timing.periods[i], p)]
        )
        _domain(time_dimension.CumulVar(index), _free(timing, p, step.fixed[p]))
        # Any two visits to a place a visit and a gap apart, in the order of their nodes, when
        # both are made: a precedence the solver's filters see, so no move breaking it is tried.
        for earlier in range(node - (k - len(step.fixed[p])) + 1, node):
            time_dimension.AddNodePrecedence(manager.NodeToIndex(earlier), index, timing.spacing())


def _free(timing: Timing, place: int, fixed: list[int]) -> Ranges:
    """When a visit to ``place`` may start: inside its start ranges, a visit and a gap from
    the fixed periods' visits there."""
    ranges = timing.starts[place]
    for at in sorted(fixed):
        low, high = at - timing.spacing() + 1, at + timing.spacing() - 1
        ranges = (
            cut(ranges, ranges[0][0], low - 1) + cut(ranges, high + 1, ranges[-1][1])
            if ranges
            else ()
        )
    return ranges


def _domain(cumul: pywrapcp.IntVar, ranges: Ranges) -> None:
    cumul.SetRange(ranges[0][0], ranges[-1][1])
    for (_, high), (low, _) in zip(ranges, ranges[1:], strict=False):
        cumul.RemoveInterval(high + 1, low - 1)


def _transit(timing: Timing, step: _Step, *, visits: bool, cost: int = 1) -> list[list[int]]:
    """Seconds (times ``cost``) from node to node: the journey, plus the visit (``visits``)."""
    count = len(step.place_of)
    stay = timing.visit if visits else 0
    matrix = np.zeros((count + 2 * len(step.periods),) * 2, dtype=np.int64)
    matrix[:count, :count] = timing.travel.between[np.ix_(step.place_of, step.place_of)] + stay
    for vehicle, i in enumerate(step.periods):
        out = timing.travel.from_base[timing.periods[i].officer, step.place_of]
        matrix[step.start(vehicle), :count] = out
        home = out if timing.instance.rules.return_to_base else np.zeros_like(out)
        matrix[:count, step.end(vehicle)] = home + stay
    rows: list[list[int]] = (matrix * cost).tolist()
    return rows


def _parameters(seconds: float) -> pywrapcp.RoutingSearchParameters:
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    # Local search to a fixed point: it ends by itself, at the same plan on any machine.
    parameters.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GREEDY_DESCENT
    )
    # The operators that rebuild whole routes by insertion are slow on a model this size and
    # find little the simple moves do not.
    operators = parameters.local_search_operators
    for name in (
        "use_cross",
        "use_lin_kernighan",
        "use_relocate_expensive_chain",
        "use_make_chain_inactive",
        "use_shortest_path_swap_active",
        "use_shortest_path_two_opt",
        "use_swap_active_chain",
        "use_relocate_subtrip",
        "use_exchange_subtrip",
        "use_global_cheapest_insertion_path_lns",
        "use_local_cheapest_insertion_path_lns",
        "use_relocate_path_global_cheapest_insertion_insert_unperformed",
        "use_global_cheapest_insertion_visit_types_lns",
        "use_local_cheapest_insertion_visit_types_lns",
    ):
        setattr(operators, name, BOOL_FALSE)
    parameters.time_limit.FromMilliseconds(max(1, int(seconds * 1000)))
    return parameters


def _warm_routes(
    step: _Step, manager: pywrapcp.RoutingIndexManager, kept: list[Schedule]
) -> list[list[int]]:
    """The kept visits as routes of node indices, each place's numbered in time."""
    first: dict[int, int] = {}
    for node, place in enumerate(step.place_of):
        first.setdefault(place, node)
    timed = sorted((at, place) for schedule in kept for at, place in schedule)
    seen: dict[int, int] = {}
    node_of: dict[tuple[int, int], int] = {}
    for at, place in timed:
        node_of[at, place] = first[place] + seen.get(place, 0)
        seen[place] = seen.get(place, 0) + 1
    return [[manager.NodeToIndex(node_of[key]) for key in schedule] for schedule in kept]
