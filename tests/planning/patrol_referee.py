"""An independent referee for the patrol tests: the rules of docs/planning.md checked again
from scratch (its own distance formula, no code shared with the planner), so a test never only
trusts ``plan_violations``. It also makes small instances near Stoke-on-Trent."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from beatbook.planning.patrol import (
    OfficerRoute,
    PatrolInstance,
    PatrolOfficer,
    PatrolPlace,
    PatrolRules,
    PlannedVisit,
)

SHIFT_START = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
SHIFT_END = SHIFT_START + timedelta(hours=8)
HANLEY = (53.0232, -2.1745)


def at(minutes: float) -> datetime:
    return SHIFT_START + timedelta(minutes=minutes)


def metres_away(origin: tuple[float, float], east: float, north: float) -> tuple[float, float]:
    """The point ``east`` and ``north`` metres from ``origin`` (flat earth: fine for km)."""
    lat = origin[0] + north / 111_195.0
    lng = origin[1] + east / (111_195.0 * math.cos(math.radians(origin[0])))
    return lat, lng


def officer(
    name: str,
    *,
    where: tuple[float, float] = HANLEY,
    skills: frozenset[str] = frozenset(),
    available: tuple[tuple[datetime, datetime], ...] = ((SHIFT_START, SHIFT_END),),
) -> PatrolOfficer:
    return PatrolOfficer(name, where[0], where[1], skills, available)


def place(
    name: str,
    east: float,
    north: float,
    value: float,
    *,
    skills: frozenset[str] = frozenset(),
    windows: tuple[tuple[datetime, datetime], ...] = ((SHIFT_START, SHIFT_END),),
    min_visits: int = 0,
    max_visits: int = 1,
) -> PatrolPlace:
    lat, lng = metres_away(HANLEY, east, north)
    return PatrolPlace(name, lat, lng, value, skills, windows, min_visits, max_visits)


def instance(
    officers: list[PatrolOfficer], places: list[PatrolPlace], **rules: object
) -> PatrolInstance:
    return PatrolInstance(
        SHIFT_START,
        SHIFT_END,
        tuple(officers),
        tuple(places),
        PatrolRules(**rules),  # type: ignore[arg-type]
    )


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    # Spherical law of cosines: another formula than the planner's haversine.
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dl = math.radians(b[1] - a[1])
    c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6_371_008.8 * math.acos(max(-1.0, min(1.0, c)))


def referee(problem: PatrolInstance, routes: tuple[OfficerRoute, ...]) -> list[str]:
    """What the routes break, checked independently. The tolerance is 50 ms: the law of
    cosines loses precision for short distances (acos near 1), up to a few centimetres, a
    hundredth of a second at 20 km/h."""
    broken: list[str] = []
    by_place: dict[str, list[tuple[datetime, datetime]]] = {}
    for route in routes:
        broken += _route(problem, route, by_place)
    for spot in problem.places:
        times = sorted(by_place.get(spot.id, []))
        if not spot.min_visits <= len(times) <= spot.max_visits:
            broken.append(f"count {spot.id}: {len(times)}")
        for (_, end), (start, _) in zip(times, times[1:], strict=False):
            if start - end + SLACK < timedelta(minutes=problem.rules.min_gap_minutes):
                broken.append(f"gap {spot.id}")
    return broken


SLACK = timedelta(milliseconds=50)


def _journey(problem: PatrolInstance, a: tuple[float, float], b: tuple[float, float]) -> timedelta:
    return timedelta(seconds=_metres(a, b) / (problem.rules.speed_kmh / 3.6))


def _route(
    problem: PatrolInstance,
    route: OfficerRoute,
    by_place: dict[str, list[tuple[datetime, datetime]]],
) -> list[str]:
    who = next(o for o in problem.officers if o.id == route.officer)
    home = (who.lat, who.lng)
    intervals = [(max(a, SHIFT_START), min(b, problem.shift_end)) for a, b in sorted(who.available)]
    broken: list[str] = []
    previous: tuple[int, tuple[float, float], datetime] | None = None
    for visit in route.visits:
        spot = next(p for p in problem.places if p.id == visit.place)
        here = (spot.lat, spot.lng)
        by_place.setdefault(spot.id, []).append((visit.start, visit.end))
        broken += _visit(problem, visit, spot.skills <= who.skills, spot.windows)
        inside = [i for i, (a, b) in enumerate(intervals) if a <= visit.start and visit.end <= b]
        if not inside:
            broken.append(f"availability {visit}")
            continue
        if previous is not None and previous[0] == inside[0]:
            if visit.start - previous[2] + SLACK < _journey(problem, previous[1], here):
                broken.append(f"travel {visit}")
        else:
            if previous is not None:
                broken += _home(problem, previous[1], home, intervals[previous[0]][1] - previous[2])
            if visit.start - intervals[inside[0]][0] + SLACK < _journey(problem, home, here):
                broken.append(f"from base {visit}")
        previous = (inside[0], here, visit.end)
    if previous is not None:
        broken += _home(problem, previous[1], home, intervals[previous[0]][1] - previous[2])
    return broken


def _visit(
    problem: PatrolInstance,
    visit: PlannedVisit,
    skilled: bool,
    windows: tuple[tuple[datetime, datetime], ...],
) -> list[str]:
    broken = []
    if visit.end - visit.start != timedelta(minutes=problem.rules.visit_minutes):
        broken.append(f"length {visit}")
    if not skilled:
        broken.append(f"skills {visit}")
    if not any(a <= visit.start and visit.end <= b for a, b in windows):
        broken.append(f"window {visit}")
    return broken


def _home(
    problem: PatrolInstance, here: tuple[float, float], home: tuple[float, float], left: timedelta
) -> list[str]:
    if problem.rules.return_to_base and left + SLACK < _journey(problem, here, home):
        return [f"cannot get home from {here}"]
    return []


def worth(problem: PatrolInstance, routes: tuple[OfficerRoute, ...]) -> float:
    """The objective, worked out again: the k-th visit in time earns value x repeat_value."""
    counts: dict[str, int] = {}
    for route in routes:
        for visit in route.visits:
            counts[visit.place] = counts.get(visit.place, 0) + 1
    values = {p.id: p.value for p in problem.places}
    repeat = problem.rules.repeat_value
    return sum(values[name] * sum(repeat[:count]) for name, count in counts.items())
