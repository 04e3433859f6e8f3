"""What a patrol plan is worth, and every rule it breaks, in plain English.

The checker is the planner's referee: it is run on every plan the solver returns, and on a
sergeant's hand edits before they are saved. It works in exact seconds from the datetimes
given, not in the solver's rounded ones, and reads the rules as ``patrol_types`` describes:

- each visit lasts exactly ``visit_minutes``, lies wholly inside one of its place's windows and
  one of its officer's availability intervals, and the officer holds the place's skills;
- an officer's visits are in time order and do not overlap; within one availability interval,
  the officer leaves base at the interval's start at the earliest, has the travel time between
  one visit's end and the next one's start, and (with ``return_to_base``) is home by the
  interval's end;
- a place has at most ``max_visits`` and at least ``min_visits`` visits, and between the end of
  one visit to it and the start of the next, by any officer, at least ``min_gap_minutes``.

A pure module: no Django.
"""

from __future__ import annotations

from collections.abc import Sequence

from beatbook.planning.patrol_types import (
    OfficerRoute,
    PatrolInstance,
    PatrolOfficer,
    PatrolPlace,
    Seconds,
    availability_seconds,
    can_visit,
    moment_at,
    seconds_after,
    travel_seconds,
    window_seconds,
)

# Float noise allowed in the exact checks: a microsecond.
_SLACK = 1e-6

# One visit as the checker sees it: (start, end) seconds, place, officer.
_Visit = tuple[float, float, PatrolPlace, PatrolOfficer]


def plan_objective(instance: PatrolInstance, routes: Sequence[OfficerRoute]) -> float:
    """The harm the routes are expected to prevent: each place's k-th visit in time earns its
    value times ``repeat_value[k-1]`` (0 beyond the list). Unknown places earn nothing."""
    places = {place.id: place for place in instance.places}
    starts: dict[str, list[float]] = {}
    for route in routes:
        for visit in route.visits:
            if visit.place in places:
                starts.setdefault(visit.place, []).append(seconds_after(instance, visit.start))
    total = 0.0
    for place_id, times in sorted(starts.items()):
        value = places[place_id].value
        total += sum(value * instance.rules.multiplier(k) for k in range(1, len(times) + 1))
    return total


def plan_violations(instance: PatrolInstance, routes: Sequence[OfficerRoute]) -> list[str]:
    """Every rule the routes break, one sentence each; an empty list when all hold."""
    officers = {officer.id: officer for officer in instance.officers}
    places = {place.id: place for place in instance.places}
    problems: list[str] = []
    seen: set[str] = set()
    visits: list[_Visit] = []
    for route in routes:
        officer = officers.get(route.officer)
        if officer is None:
            problems.append(f"There is no officer {route.officer!r} in this shift.")
            continue
        if officer.id in seen:
            problems.append(f"Officer {officer.id} has more than one route.")
        seen.add(officer.id)
        own: list[_Visit] = []
        for visit in route.visits:
            place = places.get(visit.place)
            if place is None:
                problems.append(f"Officer {officer.id} visits {visit.place!r}: no such place.")
                continue
            start, end = seconds_after(instance, visit.start), seconds_after(instance, visit.end)
            own.append((start, end, place, officer))
        problems += _route_problems(instance, officer, own)
        visits += own
    problems += _place_problems(instance, visits)
    return problems


def _route_problems(
    instance: PatrolInstance, officer: PatrolOfficer, visits: list[_Visit]
) -> list[str]:
    problems: list[str] = []
    intervals = availability_seconds(instance, officer)
    previous: tuple[_Visit, int] | None = None
    for visit in visits:
        problems += _visit_problems(instance, visit)
        interval = _inside(intervals, visit[0], visit[1])
        if interval is None:
            problems.append(f"{_name(instance, visit)} is outside the officer's availability.")
            continue
        if previous is not None and visit[0] < previous[0][1] - _SLACK:
            problems.append(
                f"{_name(instance, visit)} starts before the officer's previous visit "
                f"({previous[0][2].id}) ends: visits must be in time order and not overlap."
            )
        elif previous is not None and previous[1] == interval:
            problems += _leg_problem(instance, officer, previous[0], visit)
        else:
            problems += _first_leg_problem(instance, officer, visit, intervals[interval][0])
        if previous is not None and previous[1] != interval:
            problems += _home_problem(instance, officer, previous[0], intervals[previous[1]][1])
        previous = (visit, interval)
    if previous is not None:
        problems += _home_problem(instance, officer, previous[0], intervals[previous[1]][1])
    return problems


def _visit_problems(instance: PatrolInstance, visit: _Visit) -> list[str]:
    start, end, place, officer = visit
    problems: list[str] = []
    minutes = instance.rules.visit_minutes
    if abs((end - start) - minutes * 60) > _SLACK:
        problems.append(
            f"{_name(instance, visit)} lasts {(end - start) / 60:g} minutes; a visit lasts "
            f"{minutes}."
        )
    if not can_visit(officer, place):
        missing = ", ".join(sorted(place.skills - officer.skills))
        problems.append(f"{_name(instance, visit)} needs skills the officer lacks: {missing}.")
    if _inside(window_seconds(instance, place), start, end) is None:
        problems.append(f"{_name(instance, visit)} is outside the place's windows.")
    return problems


def _leg_problem(
    instance: PatrolInstance, officer: PatrolOfficer, before: _Visit, after: _Visit
) -> list[str]:
    needed = travel_seconds(instance.rules, _at(before[2]), _at(after[2]))
    allowed = after[0] - before[1]
    if allowed + _SLACK >= needed:
        return []
    return [
        f"Officer {officer.id} cannot get from {before[2].id} to {after[2].id} in time: the "
        f"journey takes {needed / 60:.1f} minutes and the plan allows {allowed / 60:.1f}."
    ]


def _first_leg_problem(
    instance: PatrolInstance, officer: PatrolOfficer, visit: _Visit, leaves: float
) -> list[str]:
    needed = travel_seconds(instance.rules, (officer.lat, officer.lng), _at(visit[2]))
    allowed = visit[0] - leaves
    if allowed + _SLACK >= needed:
        return []
    return [
        f"{_name(instance, visit)} is too soon: the journey from base takes {needed / 60:.1f} "
        f"minutes and the officer is free from {_clock(instance, leaves)}."
    ]


def _home_problem(
    instance: PatrolInstance, officer: PatrolOfficer, visit: _Visit, until: float
) -> list[str]:
    if not instance.rules.return_to_base:
        return []
    needed = travel_seconds(instance.rules, _at(visit[2]), (officer.lat, officer.lng))
    if until - visit[1] + _SLACK >= needed:
        return []
    return [
        f"After {_name(instance, visit)} the officer cannot be back at base by "
        f"{_clock(instance, until)}: the journey takes {needed / 60:.1f} minutes."
    ]


def _place_problems(instance: PatrolInstance, visits: list[_Visit]) -> list[str]:
    problems: list[str] = []
    gap = instance.rules.min_gap_minutes * 60
    for place in instance.places:
        own = sorted((v for v in visits if v[2].id == place.id), key=lambda v: v[0])
        if len(own) > place.max_visits:
            problems.append(
                f"{place.id} has {len(own)} visits; at most {place.max_visits} are allowed."
            )
        if len(own) < place.min_visits:
            problems.append(
                f"{place.id} must have at least {place.min_visits} visits and has {len(own)}."
            )
        for before, after in zip(own, own[1:], strict=False):
            if after[0] - before[1] + _SLACK < gap:
                problems.append(
                    f"{_name(instance, before)} and {_name(instance, after)} are "
                    f"{(after[0] - before[1]) / 60:g} minutes apart; a place's visits must be "
                    f"at least {instance.rules.min_gap_minutes} minutes apart."
                )
    return problems


def _inside(intervals: list[Seconds], start: float, end: float) -> int | None:
    """The index of the interval holding [start, end] whole, or None."""
    for i, (low, high) in enumerate(intervals):
        if low - _SLACK <= start and end <= high + _SLACK:
            return i
    return None


def _at(place: PatrolPlace) -> tuple[float, float]:
    return (place.lat, place.lng)


def _name(instance: PatrolInstance, visit: _Visit) -> str:
    start, _, place, officer = visit
    return f"Officer {officer.id}'s visit to {place.id} at {_clock(instance, start)}"


def _clock(instance: PatrolInstance, seconds: float) -> str:
    moment = moment_at(instance, seconds)
    return moment.strftime("%H:%M" if moment.second == 0 else "%H:%M:%S")
