"""A proven ceiling on any patrol plan's objective, and the quick reasons an instance has no
plan at all.

**The bound** is a linear relaxation, made valid whatever the LP solver's accuracy by weak
duality. Number each place's visits in time order: visit k of place p is an *item* worth
``value_p x repeat_value[k-1]``. In any plan, each visit sits in one *period* (an officer's
availability interval) and uses, inside it, its own minutes plus the journey just before it.
That journey is at least the shortest way into p from the officer's base or from any *other*
place for p's first visit, and at least 0 for a later one (the officer may have waited there).
The journeys home are not anyone's, so a period's minutes, less its shortest journey home
(with ``return_to_base``), hold the items it takes. So every plan is a 0-1 solution of:

    maximise   sum over (item i, period s) of worth_i x[i, s]
    subject to sum over s of x[i, s] <= 1                       for each item
               sum over i of minutes_{i,s} x[i, s] <= free_s     for each period
               sum over k of x[(p, k), s] <= fits_{p,s}           for each place and period
               x[i, s] = 0 where the officer lacks p's skills or cannot reach p in a window

where ``fits_{p,s}`` is the most visits to p, a visit and a gap apart, that fit in the times
period s could start one. Its LP relaxation is bounded by the dual value of any non-negative
prices on the periods and the place-period caps (weak duality); GLOP's duals are taken as the
prices and the dual value is worked out here in plain arithmetic, so a slightly inexact LP
answer makes the bound a little looser, never wrong. Everything here is in exact seconds, like
the checker, so the bound holds for hand-edited plans too.

A pure module: no Django.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from beatbook.planning.patrol_timing import Timing, most_visits
from beatbook.planning.patrol_types import (
    FloatArray,
    PatrolInstance,
    Seconds,
    availability_seconds,
    can_visit,
    great_circle_m,
    window_seconds,
)


@dataclass(frozen=True)
class _Column:
    item: int
    period: int
    place: int
    worth: float
    minutes: float


def plan_bound(instance: PatrolInstance) -> float:
    """A proven upper bound on the objective of any plan that keeps every rule."""
    relaxation = _Relaxation(instance)
    columns = relaxation.columns()
    if not columns:
        return 0.0
    prices, caps = _dual_prices(relaxation, columns)
    return relaxation.dual_value(columns, prices, caps)


class _Relaxation:
    """The relaxation of the module's docstring, in exact seconds."""

    def __init__(self, instance: PatrolInstance) -> None:
        rules = instance.rules
        self.instance = instance
        self.visit = rules.visit_minutes * 60.0
        self.spacing = self.visit + rules.min_gap_minutes * 60.0
        places = np.array([(p.lat, p.lng) for p in instance.places], dtype=float).reshape(-1, 2)
        bases = np.array([(o.lat, o.lng) for o in instance.officers], dtype=float).reshape(-1, 2)
        speed = rules.speed_kmh / 3.6
        self.between: FloatArray = _distances(places, places) / speed
        self.from_base: FloatArray = _distances(bases, places) / speed
        # The shortest way into each place from another place (inf when there is none).
        others = self.between + np.diag(np.full(len(places), np.inf))
        self.from_other: FloatArray = (
            others.min(axis=0) if len(places) > 1 else np.full(len(places), np.inf)
        )
        self.periods = [
            (o, interval)
            for o, officer in enumerate(instance.officers)
            for interval in availability_seconds(instance, officer)
        ]
        self.windows = [window_seconds(instance, place) for place in instance.places]
        self.free: list[float] = []
        self.fits: dict[tuple[int, int], int] = {}

    def columns(self) -> list[_Column]:
        out: list[_Column] = []
        item = 0
        instance = self.instance
        self.free = [self._free(o, interval) for o, interval in self.periods]
        for p, place in enumerate(instance.places):
            worths = [
                place.value * instance.rules.multiplier(k) for k in range(1, place.max_visits + 1)
            ]
            for s, (o, interval) in enumerate(self.periods):
                if not can_visit(instance.officers[o], place):
                    continue
                fits = self._fits(o, interval, p)
                if fits:
                    self.fits[p, s] = fits
            for k, worth in enumerate(worths):
                if worth > 0:
                    out += self._item_columns(item, p, worth, first=k == 0)
                    item += 1
        return out

    def _item_columns(self, item: int, p: int, worth: float, *, first: bool) -> list[_Column]:
        out = []
        for s, (o, _) in enumerate(self.periods):
            if (p, s) not in self.fits:
                continue
            journey = min(self.from_base[o, p], self.from_other[p]) if first else 0.0
            out.append(_Column(item, s, p, worth, self.visit + journey))
        return out

    def _free(self, officer: int, interval: Seconds) -> float:
        home = 0.0
        if self.instance.rules.return_to_base and len(self.instance.places):
            home = float(self.from_base[officer].min())
        return max(0.0, interval[1] - interval[0] - home)

    def _fits(self, officer: int, interval: Seconds, p: int) -> int:
        """The most visits to p, a visit and a gap apart, that period could start."""
        home = self.from_base[officer, p] if self.instance.rules.return_to_base else 0.0
        low = interval[0] + self.from_base[officer, p]
        high = interval[1] - home - self.visit
        count, last = 0, -math.inf
        for a, b in self.windows[p]:
            start = max(a, low, last + self.spacing)
            end = min(b - self.visit, high)
            while start <= end:
                count, last = count + 1, start
                start = last + self.spacing
        return count

    def dual_value(
        self, columns: list[_Column], prices: list[float], caps: dict[tuple[int, int], float]
    ) -> float:
        """Weak duality: for prices y >= 0 on the periods and z >= 0 on the caps, each item's
        best reduced worth (at least 0) plus the priced capacities bounds the LP from above."""
        reduced: dict[int, float] = {}
        for c in columns:
            slack = c.worth - c.minutes * prices[c.period] - caps.get((c.place, c.period), 0.0)
            reduced[c.item] = max(reduced.get(c.item, 0.0), slack)
        total = sum(reduced.values())
        total += sum(price * free for price, free in zip(prices, self.free, strict=True))
        total += sum(caps.get(key, 0.0) * fits for key, fits in self.fits.items())
        return float(total)


def _distances(a: FloatArray, b: FloatArray) -> FloatArray:
    return great_circle_m(a[:, None, 0], a[:, None, 1], b[None, :, 0], b[None, :, 1])


def _dual_prices(
    relaxation: _Relaxation, columns: list[_Column]
) -> tuple[list[float], dict[tuple[int, int], float]]:
    """GLOP's shadow prices of the period and cap rows, clipped at 0 (zero prices, a valid
    if loose choice, if GLOP gives no optimal answer)."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    x = [solver.NumVar(0.0, 1.0, "") for _ in columns]
    items: dict[int, list[int]] = {}
    periods: dict[int, list[int]] = {}
    caps: dict[tuple[int, int], list[int]] = {}
    for j, c in enumerate(columns):
        items.setdefault(c.item, []).append(j)
        periods.setdefault(c.period, []).append(j)
        caps.setdefault((c.place, c.period), []).append(j)
    for js in items.values():
        solver.Add(sum(x[j] for j in js) <= 1)
    period_rows = {
        s: solver.Add(sum(columns[j].minutes * x[j] for j in js) <= relaxation.free[s])
        for s, js in periods.items()
    }
    cap_rows = {
        key: solver.Add(sum(x[j] for j in js) <= relaxation.fits[key]) for key, js in caps.items()
    }
    solver.Maximize(sum(c.worth * x[j] for j, c in enumerate(columns)))
    prices = [0.0] * len(relaxation.periods)
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return prices, {}
    for s, row in period_rows.items():
        prices[s] = max(0.0, row.dual_value())
    return prices, {key: max(0.0, row.dual_value()) for key, row in cap_rows.items()}


def infeasibility_reasons(timing: Timing) -> list[str]:
    """Quick necessary conditions on the required visits, each failure named."""
    reasons: list[str] = []
    instance = timing.instance
    needed = 0
    for p, place in enumerate(instance.places):
        if place.min_visits == 0:
            continue
        if not any(can_visit(officer, place) for officer in instance.officers):
            skills = ", ".join(sorted(place.skills))
            reasons.append(
                f"{place.id} needs {place.min_visits} visit(s) but no officer holds the skills "
                f"it needs ({skills})."
            )
        elif not any(timing.reachable(period, p) for period in timing.periods):
            reasons.append(
                f"{place.id} needs {place.min_visits} visit(s) but no officer who may visit it "
                "can get there inside its windows and their availability (travel from and back "
                "to base included)."
            )
        elif (fits := most_visits(timing, p)) < place.min_visits:
            reasons.append(
                f"{place.id} needs {place.min_visits} visits but at most {fits} fit inside its "
                f"windows and the officers' availability, {instance.rules.min_gap_minutes} "
                "minutes apart."
            )
        needed += place.min_visits * timing.visit
    available = sum(period.end - period.start for period in timing.periods)
    if needed > available:
        reasons.append(
            f"The required visits need at least {needed // 60} officer-minutes and the officers "
            f"have {available // 60} between them."
        )
    return reasons
