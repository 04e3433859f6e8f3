"""The patrol planner's search: iterated local search by ruin and recreate, written directly on
the plan's arrays (the classic method for the team orienteering problem with time windows).

**The state.** Each period (one officer's availability interval) has its route: places in
order, each visit at the earliest second it can start (*left-justified*): after the journey
from the visit before, inside the place's start ranges within the period's reach, a visit and a
gap from every other visit to that place. Earliest is dominant (waiting is allowed, and every
rule only asks a start to be late enough or to sit in a set), so a route that can be timed at
all is timed this way.

**A step.** One of four *ruins*, chosen at random: a stretch of one route (1 to
``RUIN_MOST`` consecutive visits), the visits nearest a random visited place (across routes),
a few visits at random, or a whole route. Then the *recreate*: over the routes touched and
one more at random, every place that may still have a visit is priced at every position of
every such route: the extra seconds it takes there (the journeys in and out less the one it
replaces, waiting included), and whether the visits after it can absorb the delay (each
visit's *slack*, worked backwards along the route). The best worth per extra second is tried
exactly (the route timed again from scratch, all other routes fixed) and made if it keeps
every rule, until nothing fits. Required visits are worth more than all others together, so
they go first, and a step that loses one is never kept.

**Acceptance.** A step's plan is kept if it is worth more, or by simulated annealing if worth
less: with probability ``exp(delta / temperature)``, the temperature falling linearly from
``TEMPERATURE`` times the mean worth of a visit to 0 over the search. The best plan seen is
returned.

**Unpredictable but reproducible.** Each visit's worth is multiplied by seeded noise, uniform
in ``1 +/- VALUE_NOISE``, and the seed drives the ruins and the acceptance, so different seeds
give different plans of much the same worth; the plan's objective is always worked out again
from the true values.

**Deterministic.** The search makes ``STEPS_PER_SECOND x time_limit`` steps, each a fixed
computation: a count, not a moment on the clock, so the same instance, seed and time limit give
the same plan on any machine. The time limit is also a safety cap; a plan where it struck first
is marked ``stopped_by_clock``, as a less busy machine would have searched further.

A pure module: no Django.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from beatbook.planning.patrol_greedy import Schedule
from beatbook.planning.patrol_timing import Ranges, Timing, earliest

VALUE_NOISE = 0.03
# Steps a second of time limit. On this project's two-core machine, shared with other jobs
# (load average about 5), a shift of 20 officers and 200 places made about 90 steps a second;
# 60 leaves room for a busier machine before the clock strikes (docs/benchmarks.md).
STEPS_PER_SECOND = 60
# A ruin takes out at most this many visits (the nearest-place ruin one more), or one route.
RUIN_MOST = 10
# The kinds of ruin: a stretch of a route, the visits nearest a place, visits at random, and a
# whole route.
RUINS = 4
# Routes a step's recreate may insert into besides those the ruin touched, chosen at random.
EXTRA_ROUTES = 1
# The starting temperature, as a share of the mean worth of a visit in the starting plan.
TEMPERATURE = 1.0
# Insertions found not to fit on the exact check before a recreate gives up.
TRIES = 12
# How often (in steps) the clock is read.
CLOCK_EVERY = 8
# A time long before any shift: padding for "no visit".
NOWHEN = -(10**12)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SearchResult:
    schedules: list[Schedule]
    stopped_by_clock: bool
    steps: int


class _Frame:
    """What the search reads and never changes: travel, reach and worth as arrays."""

    def __init__(self, timing: Timing, worth: list[list[float]]) -> None:
        instance = timing.instance
        self.timing = timing
        self.visit = timing.visit
        self.spacing = timing.spacing()
        self.places = len(instance.places)
        self.between: IntArray = np.asarray(timing.travel.between, dtype=np.int64)
        self.between_rows: list[list[int]] = self.between.tolist()
        self.periods = timing.periods
        self.out: list[IntArray] = []
        self.back: list[IntArray] = []
        self.reach: list[list[Ranges]] = []
        self.low: list[IntArray] = []
        self.high: list[IntArray] = []
        for period in timing.periods:
            out = np.asarray(timing.travel.from_base[period.officer], dtype=np.int64)
            self.out.append(out)
            self.back.append(out if instance.rules.return_to_base else np.zeros_like(out))
            reach = [timing.reachable(period, p) for p in range(self.places)]
            self.reach.append(reach)
            self.low.append(np.array([r[0][0] if r else 0 for r in reach], dtype=np.int64))
            self.high.append(np.array([r[-1][1] if r else -1 for r in reach], dtype=np.int64))
        self.out_rows = [out.tolist() for out in self.out]
        # Per period, journeys into a place (row ``places`` from base) and on from it (row
        # ``places`` home), so a route's rows are one indexing.
        self.inward = [np.vstack((self.between, out[None, :])) for out in self.out]
        self.onward = [np.vstack((self.between, back[None, :])) for back in self.back]
        self.copies = timing.copies
        self.required = [place.min_visits for place in instance.places]
        # Each required visit is worth more than all the others together.
        self.premium = 1.0 + sum(sum(w) for w in worth)
        self.gains: list[list[float]] = [
            [w + (self.premium if k < self.required[p] else 0.0) for k, w in enumerate(row)]
            for p, row in enumerate(worth)
        ]


class _Plan:
    """Routes (places in order), their left-justified starts, and each place's visits."""

    def __init__(self, frame: _Frame, routes: list[list[int]], starts: list[list[int]]) -> None:
        self.frame = frame
        self.routes = routes
        self.starts = starts
        self.at: list[list[tuple[int, int]]] = [[] for _ in range(frame.places)]
        for i, (route, times) in enumerate(zip(routes, starts, strict=True)):
            for p, t in zip(route, times, strict=True):
                self.at[p].append((t, i))
        self.score = sum(
            sum(frame.gains[p][: len(self.at[p])]) for p in range(frame.places) if self.at[p]
        )
        self.next_gain = np.array([self._gain(p) for p in range(frame.places)])
        # Each place's visit starts, ascending, after NOWHEN padding (for the screen).
        self.visits_at = np.full((frame.places, max(frame.copies, default=0) + 1), NOWHEN)
        for p in range(frame.places):
            self._mark(p)

    def copy(self) -> _Plan:
        out = object.__new__(_Plan)
        out.frame = self.frame
        out.routes = [list(r) for r in self.routes]
        out.starts = [list(s) for s in self.starts]
        out.at = [list(a) for a in self.at]
        out.score = self.score
        out.next_gain = self.next_gain.copy()
        out.visits_at = self.visits_at.copy()
        return out

    def _mark(self, place: int) -> None:
        times = sorted(t for t, _ in self.at[place])
        row = self.visits_at[place]
        row[:] = NOWHEN
        if times:
            row[-len(times) :] = times

    def _gain(self, place: int) -> float:
        """What one more visit to ``place`` earns (0 if it may have no more)."""
        done = len(self.at[place])
        if done >= self.frame.copies[place]:
            return 0.0
        return self.frame.gains[place][done]

    def timed(self, i: int, route: list[int]) -> list[int] | None:
        """The earliest starts of ``route`` in period ``i``, every other period's visits
        fixed, or None if it cannot be timed so (see the module's docstring)."""
        frame = self.frame
        period = frame.periods[i]
        spacing = frame.spacing
        out: list[int] = []
        free, here = period.start, -1
        last: dict[int, int] = {}
        reach = frame.reach[i]
        for q in route:
            at = free + (frame.out_rows[i][q] if here == -1 else frame.between_rows[here][q])
            if q in last:
                at = max(at, last[q] + spacing)
            start = earliest(reach[q], at)
            others = [t for t, k in self.at[q] if k != i]
            while start is not None:
                clash = [t for t in others if abs(t - start) < spacing]
                if not clash:
                    break
                start = earliest(reach[q], max(clash) + spacing)
            if start is None:
                return None
            out.append(start)
            last[q] = start
            free, here = start + frame.visit, q
        return out

    def put(self, i: int, route: list[int], times: list[int]) -> None:
        """Make ``route`` (timed ``times``) period ``i``'s, keeping ``at`` and ``score``."""
        frame = self.frame
        old = set(zip(self.routes[i], self.starts[i], strict=True))
        new = set(zip(route, times, strict=True))
        for p in sorted({p for p, _ in old ^ new}):
            before = len(self.at[p])
            self.at[p] = [(t, k) for t, k in self.at[p] if k != i]
            self.at[p] += [(t, i) for q, t in zip(route, times, strict=True) if q == p]
            after = len(self.at[p])
            if after != before:
                gains = frame.gains[p]
                self.score += sum(gains[min(before, after) : max(before, after)]) * (
                    1 if after > before else -1
                )
                self.next_gain[p] = self._gain(p)
            self._mark(p)
        self.routes[i] = route
        self.starts[i] = times

    def slack(self, i: int) -> list[int]:
        """How much later each visit of period ``i`` could start with the visits after it
        still on time (an estimate: other visits to the same places and the edge of a start
        range are counted, a later range is not)."""
        frame = self.frame
        route, times = self.routes[i], self.starts[i]
        out = [0] * len(route)
        following = 1 << 60
        for j in range(len(route) - 1, -1, -1):
            q, t = route[j], times[j]
            latest = next((high for low, high in frame.reach[i][q] if low <= t <= high), t)
            for other, k in self.at[q]:
                if other > t and (k != i or other != t):
                    latest = min(latest, other - frame.spacing)
            out[j] = min(max(latest - t, 0), following)
            if j:
                wait = t - (times[j - 1] + frame.visit + frame.between_rows[route[j - 1]][q])
                following = wait + out[j]
        return out


def search(timing: Timing, start: list[Schedule], *, time_limit: float, seed: int) -> SearchResult:
    """Improve ``start`` (the greedy schedules); see the module's docstring."""
    rng = np.random.default_rng(seed)
    worth = _noisy_worths(timing, rng)
    frame = _Frame(timing, worth)
    plan = _Plan(
        frame,
        [[p for _, p in sorted(s)] for s in start],
        [[t for t, _ in sorted(s)] for s in start],
    )
    best = plan.copy()
    warm = TEMPERATURE * _mean_visit_worth(plan, worth)
    began = time.perf_counter()
    steps = max(1, round(STEPS_PER_SECOND * time_limit))
    if not timing.periods:
        return SearchResult(_schedules(best), stopped_by_clock=False, steps=0)
    for step in range(steps):
        if step % CLOCK_EVERY == 0 and time.perf_counter() - began >= time_limit:
            return SearchResult(_schedules(best), stopped_by_clock=True, steps=step)
        trial = plan.copy()
        touched = _ruin(trial, rng)
        for _ in range(EXTRA_ROUTES):
            touched.add(int(rng.integers(len(timing.periods))))
        _recreate(trial, sorted(touched))
        temperature = warm * (1 - step / steps)
        delta = trial.score - plan.score
        draw = rng.random()
        if delta >= 0 or (temperature > 0 and draw < math.exp(delta / temperature)):
            plan = trial
            if plan.score > best.score * (1 + 1e-12):
                best = plan.copy()
    return SearchResult(_schedules(best), stopped_by_clock=False, steps=steps)


def _mean_visit_worth(plan: _Plan, worth: list[list[float]]) -> float:
    made = [(p, k) for p, visits in enumerate(plan.at) for k in range(len(visits))]
    if not made:
        return max((max(w, default=0.0) for w in worth), default=0.0)
    return sum(worth[p][k] for p, k in made) / len(made)


def _noisy_worths(timing: Timing, rng: np.random.Generator) -> list[list[float]]:
    """What each place's k-th visit earns in the search's eyes (index k-1), noise applied."""
    rules = timing.instance.rules
    out = []
    for place, copies in zip(timing.instance.places, timing.copies, strict=True):
        noise = rng.uniform(1 - VALUE_NOISE, 1 + VALUE_NOISE, copies)
        out.append([place.value * rules.multiplier(k + 1) * noise[k] for k in range(copies)])
    return out


def _schedules(plan: _Plan) -> list[Schedule]:
    return [
        [(t, p) for p, t in zip(route, times, strict=True)]
        for route, times in zip(plan.routes, plan.starts, strict=True)
    ]


def _ruin(plan: _Plan, rng: np.random.Generator) -> set[int]:
    """Take some visits out (see the module's docstring); the periods touched."""
    frame = plan.frame
    made = [(i, j) for i, route in enumerate(plan.routes) for j in range(len(route))]
    if not made:
        return set()
    kind = int(rng.integers(RUINS))
    if kind == 3:
        i = made[int(rng.integers(len(made)))][0]
        gone = {(i, k) for k in range(len(plan.routes[i]))}
    elif kind == 0:
        i, j = made[int(rng.integers(len(made)))]
        length = int(rng.integers(1, RUIN_MOST + 1))
        gone = {(i, k) for k in range(j, min(j + length, len(plan.routes[i])))}
    elif kind == 1:
        i, j = made[int(rng.integers(len(made)))]
        centre = plan.routes[i][j]
        count = int(rng.integers(2, RUIN_MOST + 2))
        near = sorted(made, key=lambda v: (frame.between_rows[centre][plan.routes[v[0]][v[1]]], v))
        gone = set(near[:count])
    else:
        count = min(len(made), int(rng.integers(1, RUIN_MOST + 1)))
        picks = rng.choice(len(made), size=count, replace=False)
        gone = {made[int(k)] for k in picks}
    touched = {i for i, _ in gone}
    for i in sorted(touched):
        route = [p for j, p in enumerate(plan.routes[i]) if (i, j) not in gone]
        times = plan.timed(i, route)
        if times is None:  # cannot happen (removing visits only frees time); keep it as it was
            continue
        plan.put(i, route, times)
    return touched


def _recreate(plan: _Plan, periods: list[int]) -> None:
    """Insert the best worth per extra minute, tried exactly, until nothing fits. Each
    period's prices are kept between insertions: the period that took a visit is priced
    again, the others only for the place it took."""
    frame = plan.frame
    legs = {i: _Legs(plan, i) for i in periods}
    prices = {i: legs[i].priced(plan) for i in periods}
    failures = 0
    while failures < TRIES:
        best = max((float(prices[i].max()), -i) for i in periods)
        if best[0] <= 0:
            return
        i = -best[1]
        j, p = divmod(int(prices[i].argmax()), frame.places)
        route = plan.routes[i][:j] + [p] + plan.routes[i][j:]
        times = plan.timed(i, route)
        if times is None:
            prices[i][j, p] = -1.0
            failures += 1
            continue
        plan.put(i, route, times)
        legs[i] = _Legs(plan, i)
        prices[i] = legs[i].priced(plan)
        for k in periods:
            if k != i:
                prices[k][:, p] = legs[k].priced(plan, p)[:, 0] if plan.next_gain[p] > 0 else -1.0


class _Legs:
    """Period ``i``'s route as the insertion screen sees it: position j (0 to n) lies between
    the visit before (or base) and visit j (or home)."""

    def __init__(self, plan: _Plan, i: int) -> None:
        frame = plan.frame
        self.i = i
        route, times = plan.routes[i], plan.starts[i]
        n = len(route)
        self.n = n
        self.before = np.array([frame.places, *route], dtype=np.int64)
        self.after = np.array([*route, frame.places], dtype=np.int64)
        starts = np.asarray(times, dtype=np.int64)
        self.free = np.concatenate(([frame.periods[i].start], starts + frame.visit))
        self.due = starts
        self.slack = np.asarray(plan.slack(i), dtype=np.int64)
        if n:
            replaced = frame.inward[i][self.before[:-1], route]
            self.replaced = np.concatenate((replaced, [frame.back[i][route[-1]]]))
        else:
            self.replaced = np.array([0])

    def priced(self, plan: _Plan, place: int | None = None) -> FloatArray:
        """Worth per extra second of every place (or only ``place``: one column) at each
        position (-1 where it does not fit): an optimistic screen (a later start range may
        still rule an insertion out; ``_Plan.timed`` decides)."""
        frame = plan.frame
        i, n = self.i, self.n
        if place is None:
            inward = frame.inward[i][self.before]
            onward = frame.onward[i][self.after]
            low, high = frame.low[i], frame.high[i]
            visits = plan.visits_at[:, 1:]
            gains = plan.next_gain
        else:
            inward = frame.inward[i][self.before, place][:, None]
            onward = frame.onward[i][self.after, place][:, None]
            low, high = frame.low[i][place : place + 1], frame.high[i][place : place + 1]
            visits = plan.visits_at[place : place + 1, 1:]
            gains = plan.next_gain[place : place + 1]
        start = np.maximum(self.free[:, None] + inward, low)
        for column in visits.T:
            if column.max() == NOWHEN:
                continue
            start = np.where(np.abs(start - column) < frame.spacing, column + frame.spacing, start)
        finish = start + frame.visit + onward
        fits = (start <= high) & (gains > 0)
        fits[:n] &= finish[:n] - self.due[:, None] <= self.slack[:, None]
        extra = finish - (self.free + self.replaced)[:, None]
        ratio: FloatArray = np.where(fits, gains / np.maximum(extra, 1), -1.0)
        return ratio
