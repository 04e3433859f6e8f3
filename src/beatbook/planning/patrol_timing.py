"""An instance in whole seconds, as the solver, the greedy baseline and the bound see it.

Each officer's availability intervals become **periods**: a period starts at the officer's
base at the interval's start and must be over by its end, back at base when
``return_to_base``. (So an officer with two intervals goes out twice; where they are between
the two is no business of the plan.) Each place's windows become the ranges a visit may
*start* in: a window [a, b] lets a visit start in [a, b - visit]. Times are rounded inward and
travel up, so a plan made here always passes the checker, which works in exact seconds.

A pure module: no Django.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from beatbook.planning.patrol_types import (
    PatrolInstance,
    TravelTimes,
    availability_seconds,
    can_visit,
    travel_times,
    whole,
    window_seconds,
)

Ranges = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Period:
    """One availability interval of one officer (the solver's vehicle)."""

    officer: int
    start: int
    end: int


@dataclass(frozen=True)
class Timing:
    instance: PatrolInstance
    visit: int
    gap: int
    periods: tuple[Period, ...]
    starts: tuple[Ranges, ...]
    travel: TravelTimes
    eligible: npt.NDArray[np.bool_]
    copies: tuple[int, ...]

    def back(self, period: Period, place: int) -> int:
        """Seconds to get home from ``place`` at the end of ``period`` (0 if not returning)."""
        if not self.instance.rules.return_to_base:
            return 0
        return int(self.travel.from_base[period.officer, place])

    def reachable(self, period: Period, place: int) -> Ranges:
        """The start times at which ``period``'s officer could visit ``place`` straight from
        base and still be home in time: the place's start ranges cut to the period."""
        if not self.eligible[period.officer, place]:
            return ()
        low = period.start + int(self.travel.from_base[period.officer, place])
        high = period.end - self.back(period, place) - self.visit
        return cut(self.starts[place], low, high)

    def spacing(self) -> int:
        """The least time between the starts of two visits to one place."""
        return self.visit + self.gap


def timing(instance: PatrolInstance) -> Timing:
    rules = instance.rules
    visit = rules.visit_minutes * 60
    periods = tuple(
        Period(officer=o, start=whole(a, up=True), end=whole(b, up=False))
        for o, officer in enumerate(instance.officers)
        for a, b in availability_seconds(instance, officer)
        if whole(b, up=False) - whole(a, up=True) >= visit
    )
    starts = tuple(
        tuple(
            (whole(a, up=True), whole(b, up=False) - visit)
            for a, b in window_seconds(instance, place)
            if whole(b, up=False) - visit >= whole(a, up=True)
        )
        for place in instance.places
    )
    eligible = np.array(
        [[can_visit(o, p) for p in instance.places] for o in instance.officers], dtype=bool
    ).reshape(len(instance.officers), len(instance.places))
    draft = Timing(
        instance=instance,
        visit=visit,
        gap=rules.min_gap_minutes * 60,
        periods=periods,
        starts=starts,
        travel=travel_times(instance),
        eligible=eligible,
        copies=(),
    )
    copies = tuple(
        min(wanted_visits(instance, p), most_visits(draft, p)) for p in range(len(instance.places))
    )
    return replace(draft, copies=copies)


def wanted_visits(instance: PatrolInstance, place: int) -> int:
    """The visits worth planning at a place: its required ones, or up to the last visit that
    still earns something, whichever is more, never above ``max_visits``."""
    spot = instance.places[place]
    earning = 0
    if spot.value > 0:
        for k in range(1, spot.max_visits + 1):
            if instance.rules.multiplier(k) > 0:
                earning = k
    return min(spot.max_visits, max(spot.min_visits, earning))


def most_visits(timing: Timing, place: int) -> int:
    """The most visits the place could have at all: starts packed as early as they can go,
    a visit and a gap apart, in the union of the times any eligible officer could start one.
    (Packing earliest first is optimal for points on a line with a least spacing.)"""
    ranges = union([r for period in timing.periods for r in timing.reachable(period, place)])
    count, at = 0, None
    for low, high in ranges:
        start = low if at is None else max(low, at + timing.spacing())
        while start <= high:
            count, at = count + 1, start
            start = at + timing.spacing()
    return count


def cut(ranges: Ranges, low: int, high: int) -> Ranges:
    """``ranges`` (sorted, disjoint, inclusive) cut to [low, high]."""
    return tuple((max(a, low), min(b, high)) for a, b in ranges if max(a, low) <= min(b, high))


def union(ranges: Sequence[tuple[int, int]]) -> Ranges:
    """Inclusive integer ranges sorted and joined where they overlap or touch."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return tuple(out)


def earliest(ranges: Ranges, at: int) -> int | None:
    """The first time at or after ``at`` inside ``ranges``, or None."""
    for low, high in ranges:
        if high >= at:
            return max(low, at)
    return None
