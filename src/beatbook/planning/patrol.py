"""Patrol plans for one shift (issue 15): which officer visits which place, when, and in what
order, to prevent the most harm.

Each place is worth ``value`` (forecast risk x harm, from the caller). Officers make visits of
``visit_minutes`` (Koper's dosage); a place's k-th visit in time earns ``value x
repeat_value[k-1]``, needs ``min_gap_minutes`` after the end of the one before, and a place has
at most ``max_visits`` visits (the caller lowers it to keep a weekly cap) and at least
``min_visits`` (approved requests). Officers travel in straight lines at ``speed_kmh`` from and
back to their base, inside their availability; a place's skills must all be the visitor's; a
visit lies wholly inside one of the place's windows. ``patrol_types`` gives the exact reading
of every rule, and ``patrol_checks`` checks it.

How (see each module's docstring):

1. the instance is checked and put in whole seconds (``patrol_timing``);
2. quick necessary conditions name what cannot be met, if anything (``patrol_bounds``);
3. the greedy plan is made (``patrol_greedy``): it is the baseline, and where the search
   starts;
4. an iterated local search improves it: step by step, some visits are taken out (a stretch
   of a route, the visits nearest a place, a few at random, or a whole route) and the routes
   refilled by cheapest insertion of the best worth per extra minute, a worse plan sometimes
   kept (simulated annealing), with seeded noise on the values and a deterministic number of
   steps (``patrol_search``);
5. the plan is checked against every rule; the better of it and the greedy plan by the true
   values is returned, with a proven upper bound on the best possible objective
   (``patrol_bounds``).

The same instance, seed and time limit give the same plan, byte for byte, unless the clock
struck first (``PatrolPlan.stopped_by_clock``).

A pure module: no Django.
"""

from __future__ import annotations

from collections.abc import Sequence

from beatbook.planning.patrol_bounds import infeasibility_reasons, plan_bound
from beatbook.planning.patrol_checks import plan_objective, plan_violations
from beatbook.planning.patrol_greedy import Schedule, greedy_schedules
from beatbook.planning.patrol_instances import (
    check_instance,
    instance_from_json,
    instance_to_json,
    plan_from_json,
    plan_to_json,
)
from beatbook.planning.patrol_search import search
from beatbook.planning.patrol_timing import Timing, timing
from beatbook.planning.patrol_types import (
    OfficerRoute,
    PatrolInstance,
    PatrolOfficer,
    PatrolPlace,
    PatrolPlan,
    PatrolRules,
    PlanInfeasible,
    PlannedVisit,
    moment_at,
)

__all__ = [
    "OfficerRoute",
    "PatrolInstance",
    "PatrolOfficer",
    "PatrolPlace",
    "PatrolPlan",
    "PatrolRules",
    "PlanInfeasible",
    "PlannedVisit",
    "greedy_plan",
    "instance_from_json",
    "instance_to_json",
    "patrol_plan",
    "plan_bound",
    "plan_from_json",
    "plan_objective",
    "plan_to_json",
    "plan_violations",
]


def patrol_plan(instance: PatrolInstance, *, time_limit: float = 10.0, seed: int = 0) -> PatrolPlan:
    """The best plan the search finds (see the module's docstring).

    Raises ``ValueError`` for an instance that is not well formed and ``PlanInfeasible``
    when the required visits cannot all be made.
    """
    if not time_limit > 0:
        raise ValueError("The time limit must be a positive number of seconds.")
    frame = _checked_timing(instance)
    greedy = greedy_schedules(frame)
    found = search(frame, greedy, time_limit=time_limit, seed=seed)
    routes = _routes(frame, found.schedules)
    baseline = _routes(frame, greedy)
    objective, greedy_objective = (
        plan_objective(instance, routes),
        plan_objective(instance, baseline),
    )
    if _missing(instance, routes) or (
        greedy_objective > objective and not _missing(instance, baseline)
    ):
        routes, objective = baseline, greedy_objective
    _raise_if_missing(instance, routes)
    return _finished(
        instance, routes, seed=seed, stopped=found.stopped_by_clock, greedy=greedy_objective
    )


def greedy_plan(instance: PatrolInstance, *, per_minute: bool = True) -> PatrolPlan:
    """The benchmark's baseline: each officer in turn takes the best reachable place
    (``patrol_greedy`` says exactly how): by default the place worth most per minute spent
    getting there and visiting (the search's start); with ``per_minute=False`` the place worth
    most outright, as the issue words it. Raises ``PlanInfeasible`` where the greedy method
    cannot fit the required visits."""
    frame = _checked_timing(instance)
    routes = _routes(frame, greedy_schedules(frame, per_minute=per_minute))
    _raise_if_missing(instance, routes)
    objective = plan_objective(instance, routes)
    return _finished(instance, routes, seed=0, stopped=False, greedy=objective)


def _checked_timing(instance: PatrolInstance) -> Timing:
    check_instance(instance)
    frame = timing(instance)
    reasons = infeasibility_reasons(frame)
    if reasons:
        raise PlanInfeasible(reasons)
    return frame


def _routes(frame: Timing, schedules: Sequence[Schedule]) -> tuple[OfficerRoute, ...]:
    """Every officer's route (in the instance's order), their periods' visits in time."""
    instance = frame.instance
    visits: list[list[tuple[int, int]]] = [[] for _ in instance.officers]
    for period, schedule in zip(frame.periods, schedules, strict=True):
        visits[period.officer] += schedule
    return tuple(
        OfficerRoute(
            officer=officer.id,
            visits=tuple(
                PlannedVisit(
                    place=instance.places[place].id,
                    start=moment_at(instance, start),
                    end=moment_at(instance, start + frame.visit),
                )
                for start, place in sorted(visits[o])
            ),
        )
        for o, officer in enumerate(instance.officers)
    )


def _missing(instance: PatrolInstance, routes: Sequence[OfficerRoute]) -> list[str]:
    """The required visits the routes do not make, one line a place."""
    made: dict[str, int] = {}
    for route in routes:
        for visit in route.visits:
            made[visit.place] = made.get(visit.place, 0) + 1
    return [
        f"{place.id} needs {place.min_visits} visit(s) and no plan found makes more than "
        f"{made.get(place.id, 0)}."
        for place in instance.places
        if made.get(place.id, 0) < place.min_visits
    ]


def _raise_if_missing(instance: PatrolInstance, routes: Sequence[OfficerRoute]) -> None:
    missing = _missing(instance, routes)
    if missing:
        raise PlanInfeasible(missing)


def _finished(
    instance: PatrolInstance,
    routes: tuple[OfficerRoute, ...],
    *,
    seed: int,
    stopped: bool,
    greedy: float,
) -> PatrolPlan:
    """The plan, checked: a broken rule here is the planner's bug, never the caller's."""
    problems = plan_violations(instance, routes)
    if problems:
        raise RuntimeError(
            "The patrol planner made a plan that breaks its rules: " + "; ".join(problems)
        )
    objective = plan_objective(instance, routes)
    bound = plan_bound(instance)
    if objective > bound * (1 + 1e-9) + 1e-9:
        raise RuntimeError(f"The plan's objective {objective} is above the bound {bound}.")
    return PatrolPlan(
        objective=objective,
        bound=bound,
        routes=routes,
        seed=seed,
        stopped_by_clock=stopped,
        greedy=greedy,
    )
