"""The patrol planner's vocabulary (issue 15): an instance, the rules, a plan, and the one
reading of time and travel that the solver, the greedy baseline, the checker and the bound
share.

**Time.** Every time is an aware ``datetime``; inside, times are seconds after the shift's
start. A route must lie inside the shift and inside its officer's availability intervals;
a visit must lie wholly inside one of its place's windows. Intervals and windows are clipped
to the shift, and those that overlap or touch are joined (a window of 08:00-09:00 and one of
09:00-10:00 are one window of 08:00-10:00).

**Travel.** Straight lines on the globe (the haversine great-circle distance on a sphere of the
Earth's mean radius) at ``rules.speed_kmh``. The speed stands for the whole journey, detours
and traffic included: a lower speed is the way to allow for them. The solver and the greedy
baseline round each leg's seconds up, so their plans always allow at least the time the
checker asks for.

A pure module: no Django.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

# The mean radius of the Earth (IUGG), metres: the haversine distance on this sphere differs
# from the ellipsoid's by under 0.5%, far less than a road's detour.
EARTH_RADIUS_M = 6_371_008.8

Interval = tuple[datetime, datetime]
Seconds = tuple[float, float]
FloatArray = npt.NDArray[np.float64]


class PlanInfeasible(ValueError):  # noqa: N818 (the name issue 15 fixed for every caller)
    """No plan can keep every hard rule; ``reasons`` says, one line each, what cannot be met."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = list(reasons)
        super().__init__("No patrol plan can meet every rule: " + "; ".join(self.reasons))


@dataclass(frozen=True)
class PatrolOfficer:
    """An officer: their base (where each period of availability starts and, with
    ``return_to_base``, ends), skills, and the intervals they are free to patrol."""

    id: str
    lat: float
    lng: float
    skills: frozenset[str]
    available: tuple[Interval, ...]


@dataclass(frozen=True)
class PatrolPlace:
    """A place to patrol: the harm a visit is expected to prevent (``value``, forecast risk x
    harm, worked out by the caller), the skills a visitor needs, the windows visits must fit
    in, and how many visits it must have and may have this shift."""

    id: str
    lat: float
    lng: float
    value: float
    skills: frozenset[str]
    windows: tuple[Interval, ...]
    min_visits: int = 0
    max_visits: int = 1


@dataclass(frozen=True)
class PatrolRules:
    """How visits count. ``visit_minutes``: each visit's length (Koper's dosage).
    ``min_gap_minutes``: between the end of one visit to a place and the start of the next
    visit there, by anyone. ``repeat_value``: the k-th visit (in time) to a place earns
    ``value x repeat_value[k-1]``, and 0 beyond the list."""

    visit_minutes: int = 15
    min_gap_minutes: int = 60
    speed_kmh: float = 20.0
    return_to_base: bool = True
    repeat_value: tuple[float, ...] = (1.0, 0.5, 0.25)

    def multiplier(self, k: int) -> float:
        """What the ``k``-th visit (from 1) to a place is worth, as a share of its value."""
        return self.repeat_value[k - 1] if 1 <= k <= len(self.repeat_value) else 0.0


@dataclass(frozen=True)
class PatrolInstance:
    shift_start: datetime
    shift_end: datetime
    officers: tuple[PatrolOfficer, ...]
    places: tuple[PatrolPlace, ...]
    rules: PatrolRules


@dataclass(frozen=True)
class PlannedVisit:
    place: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class OfficerRoute:
    """An officer's visits in time order (an officer with none may be left out)."""

    officer: str
    visits: tuple[PlannedVisit, ...]


@dataclass(frozen=True)
class PatrolPlan:
    """A plan and what it is worth. ``objective``: the harm it is expected to prevent, by the
    true values (never the perturbed ones the search used). ``bound``: a proven ceiling on
    any plan's objective. ``stopped_by_clock``: the search met its safety time cap before its
    deterministic budget, so a less busy machine might give another plan. ``greedy``: the
    greedy baseline's objective on the same instance."""

    objective: float
    bound: float
    routes: tuple[OfficerRoute, ...]
    seed: int
    stopped_by_clock: bool
    greedy: float | None = None

    @property
    def gap(self) -> float:
        """How far the objective may be from the best possible, as a share of the bound."""
        if self.bound <= 0:
            return 0.0
        return max(0.0, (self.bound - self.objective) / self.bound)

    @property
    def visits(self) -> int:
        return sum(len(route.visits) for route in self.routes)


# --- time -------------------------------------------------------------------------------------


def seconds_after(instance: PatrolInstance, moment: datetime) -> float:
    """Seconds from the shift's start to ``moment`` (negative before it)."""
    return (moment - instance.shift_start).total_seconds()


def moment_at(instance: PatrolInstance, seconds: float) -> datetime:
    """The moment ``seconds`` after the shift's start, in the shift start's offset."""
    return instance.shift_start + timedelta(seconds=seconds)


def joined(intervals: Iterable[Seconds], *, low: float, high: float) -> list[Seconds]:
    """``intervals`` clipped to [low, high], sorted, with overlapping or touching ones joined;
    empty ones dropped."""
    clipped = sorted((max(a, low), min(b, high)) for a, b in intervals)
    out: list[Seconds] = []
    for a, b in clipped:
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def shift_length(instance: PatrolInstance) -> float:
    return seconds_after(instance, instance.shift_end)


def availability_seconds(instance: PatrolInstance, officer: PatrolOfficer) -> list[Seconds]:
    """The officer's availability in seconds, clipped to the shift and joined."""
    raw = ((seconds_after(instance, a), seconds_after(instance, b)) for a, b in officer.available)
    return joined(raw, low=0.0, high=shift_length(instance))


def window_seconds(instance: PatrolInstance, place: PatrolPlace) -> list[Seconds]:
    """The place's windows in seconds, clipped to the shift and joined."""
    raw = ((seconds_after(instance, a), seconds_after(instance, b)) for a, b in place.windows)
    return joined(raw, low=0.0, high=shift_length(instance))


# --- travel -----------------------------------------------------------------------------------


def great_circle_m(
    lat1: FloatArray, lng1: FloatArray, lat2: FloatArray, lng2: FloatArray
) -> FloatArray:
    """Haversine distances in metres, broadcasting like numpy."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi = phi2 - phi1
    dlambda = np.radians(lng2) - np.radians(lng1)
    h = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlambda / 2) ** 2
    distance: FloatArray = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return distance


def travel_seconds(rules: PatrolRules, a: tuple[float, float], b: tuple[float, float]) -> float:
    """The exact (unrounded) seconds to go from (lat, lng) ``a`` to ``b``."""
    metres = float(great_circle_m(np.array(a[0]), np.array(a[1]), np.array(b[0]), np.array(b[1])))
    return metres / (rules.speed_kmh / 3.6)


@dataclass(frozen=True)
class TravelTimes:
    """Seconds of travel, rounded up to whole seconds: ``between[p, q]`` from place p to q,
    ``from_base[o, p]`` from officer o's base to place p (the same both ways)."""

    between: npt.NDArray[np.int64]
    from_base: npt.NDArray[np.int64]


def travel_times(instance: PatrolInstance) -> TravelTimes:
    places = np.array([(p.lat, p.lng) for p in instance.places], dtype=float).reshape(-1, 2)
    bases = np.array([(o.lat, o.lng) for o in instance.officers], dtype=float).reshape(-1, 2)
    speed = instance.rules.speed_kmh / 3.6
    between = (
        great_circle_m(
            places[:, None, 0], places[:, None, 1], places[None, :, 0], places[None, :, 1]
        )
        / speed
    )
    from_base = (
        great_circle_m(bases[:, None, 0], bases[:, None, 1], places[None, :, 0], places[None, :, 1])
        / speed
    )
    return TravelTimes(between=_round_up(between), from_base=_round_up(from_base))


def _round_up(seconds: FloatArray) -> npt.NDArray[np.int64]:
    # A tenth of a microsecond off before rounding up keeps a leg of exactly 60 s, computed
    # as 60.00000000001 s, at 60; the checker allows a microsecond of such noise.
    return np.ceil(np.maximum(seconds - 1e-7, 0.0)).astype(np.int64)


def can_visit(officer: PatrolOfficer, place: PatrolPlace) -> bool:
    """The officer holds every skill the place needs."""
    return place.skills <= officer.skills


def whole(seconds: float, *, up: bool) -> int:
    """Seconds as a whole number, rounded inward by the caller's choice (``up`` for the start
    of an interval, down for its end), tolerant of float noise of a microsecond."""
    return math.ceil(seconds - 1e-6) if up else math.floor(seconds + 1e-6)
