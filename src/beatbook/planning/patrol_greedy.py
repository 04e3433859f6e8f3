"""The greedy patrol plan: the benchmark's baseline and the solver's starting point.

Exactly, in whole seconds (``patrol_timing``):

1. **Required visits first, as appointments.** Places with ``min_visits`` are taken in the
   order of the instance; each required visit goes to the period (officer and availability
   interval), and the time, at which it can start earliest, fitted between the appointments
   already made (travel to and from them counted) and a visit and a gap after the place's
   previous required visit. A required visit that fits nowhere is left out (``greedy_plan``
   then reports the instance infeasible for the greedy method).
2. **Then each officer in turn takes the best reachable place.** The period whose clock is
   earliest (ties: the earlier period in the instance's order of officers and intervals)
   takes, among the places it may visit that have visits left, the one worth most per
   minute spent: ``value x repeat_value[visits so far]`` over the minutes from now to the
   end of that visit (travel and any wait for a window included), at the earliest time it
   can start there keeping every rule and still reaching its next appointment (ties: the
   place first in the instance). Its clock moves to that visit's end. When no place earns
   anything, it goes to its next appointment, or its period is over.

With ``per_minute=False`` step 2 takes the place worth most outright, ``value x
repeat_value[visits so far]``, travel counting only in that it must be reachable keeping every
rule: the issue's "each officer in turn takes the best reachable place" read literally, the
benchmark's second, weaker baseline.

A pure module: no Django.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from beatbook.planning.patrol_timing import Period, Timing, cut, earliest

# A period's visits: (start second, place index), in time order.
Schedule = list[tuple[int, int]]


@dataclass
class _State:
    timing: Timing
    visits_at: list[list[int]]  # per place, the start of each visit planned there
    schedules: list[Schedule] = field(default_factory=list)


def greedy_schedules(timing: Timing, *, per_minute: bool = True) -> list[Schedule]:
    """Each period's visits, by the greedy method of the module's docstring; with
    ``per_minute`` false, step 2 takes the place worth most outright (its travel counts only
    in that it must be reachable keeping every rule): the issue's words read literally."""
    places = len(timing.instance.places)
    state = _State(timing, [[] for _ in range(places)], [[] for _ in timing.periods])
    _appointments(state)
    appointments = [list(schedule) for schedule in state.schedules]
    clocks = [(period.start, i, -1) for i, period in enumerate(timing.periods)]
    heapq.heapify(clocks)
    filled: list[Schedule] = [[] for _ in timing.periods]
    while clocks:
        now, i, here = heapq.heappop(clocks)
        step = _best_step(state, i, now, here, appointments[i], per_minute=per_minute)
        if step is None:
            if not appointments[i]:
                continue
            start, place = appointments[i].pop(0)
        else:
            start, place = step
            state.visits_at[place].append(start)
        filled[i].append((start, place))
        heapq.heappush(clocks, (start + timing.visit, i, place))
    return filled


def _appointments(state: _State) -> None:
    timing = state.timing
    for place, spot in enumerate(timing.instance.places):
        for _ in range(spot.min_visits):
            after = max(state.visits_at[place], default=None)
            best: tuple[int, int] | None = None
            for i, period in enumerate(timing.periods):
                start = _fitted(state, period, state.schedules[i], place, after)
                if start is not None and (best is None or start < best[0]):
                    best = (start, i)
            if best is None:
                break
            state.visits_at[place].append(best[0])
            state.schedules[best[1]].append((best[0], place))
            state.schedules[best[1]].sort()


def _fitted(
    state: _State, period: Period, schedule: Schedule, place: int, after: int | None
) -> int | None:
    """The earliest start for ``place`` in a gap between ``period``'s appointments."""
    timing = state.timing
    reachable = timing.reachable(period, place)
    floor = 0 if after is None else after + timing.spacing()
    stops = [(period.start - timing.visit, -1), *schedule, (period.end, -1)]
    for (start, before), (end, following) in zip(stops, stops[1:], strict=False):
        low = start + timing.visit + _leg(timing, period, before, place)
        high = end - timing.visit - _leg(timing, period, place, following)
        if following == -1:
            high = end - timing.visit - timing.back(period, place)
        found = earliest(cut(reachable, low, high), max(low, floor))
        if found is not None:
            return found
    return None


def _leg(timing: Timing, period: Period, a: int, b: int) -> int:
    """Travel seconds between places ``a`` and ``b``, where -1 is the officer's base."""
    if a == -1 and b == -1:
        return 0
    if a == -1 or b == -1:
        return int(timing.travel.from_base[period.officer, b if a == -1 else a])
    return int(timing.travel.between[a, b])


def _best_step(
    state: _State, i: int, now: int, here: int, appointments: Schedule, *, per_minute: bool
) -> tuple[int, int] | None:
    timing = state.timing
    period = timing.periods[i]
    rules = timing.instance.rules
    best: tuple[float, int, int] | None = None
    for place, spot in enumerate(timing.instance.places):
        done = len(state.visits_at[place])
        worth = spot.value * rules.multiplier(done + 1)
        if worth <= 0 or done >= timing.copies[place]:
            continue
        start = _earliest_free(state, period, place, now + _leg(timing, period, here, place))
        if start is None or not _keeps_appointment(timing, period, place, start, appointments):
            continue
        rate = worth / (start + timing.visit - now) if per_minute else worth
        if best is None or rate > best[0]:
            best = (rate, start, place)
    return None if best is None else (best[1], best[2])


def _earliest_free(state: _State, period: Period, place: int, at: int) -> int | None:
    """The earliest start at or after ``at`` in reach of ``period`` that keeps a visit and a
    gap from every visit already planned at ``place``."""
    timing = state.timing
    reachable = timing.reachable(period, place)
    start = earliest(reachable, at)
    while start is not None:
        clash = [s for s in state.visits_at[place] if abs(s - start) < timing.spacing()]
        if not clash:
            return start
        start = earliest(reachable, max(clash) + timing.spacing())
    return None


def _keeps_appointment(
    timing: Timing, period: Period, place: int, start: int, appointments: Schedule
) -> bool:
    if not appointments:
        return True
    at, following = appointments[0]
    return start + timing.visit + _leg(timing, period, place, following) <= at
