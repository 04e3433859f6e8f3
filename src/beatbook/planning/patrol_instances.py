"""Patrol instances and plans to and from JSON, and the checks that make an instance well
formed. The format is documented field by field in ``docs/planning.md``.

Every error is a ``ValueError`` whose message names the field, as a path into the JSON
(``places[3].value must be a number at least 0``). Missing optional keys take the defaults of
``docs/planning.md``; an unknown key is an error, so a misspelt one is never silently ignored.

A pure module: no Django.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from beatbook.planning.patrol_bounds import plan_bound
from beatbook.planning.patrol_checks import plan_objective
from beatbook.planning.patrol_types import (
    Interval,
    OfficerRoute,
    PatrolInstance,
    PatrolOfficer,
    PatrolPlace,
    PatrolPlan,
    PatrolRules,
    PlannedVisit,
)

_INSTANCE_KEYS = ({"shift", "officers", "places"}, {"rules"})
_SHIFT_KEYS = ({"start", "end"}, set[str]())
_OFFICER_KEYS = ({"id", "base"}, {"skills", "available"})
_BASE_KEYS = ({"lat", "lng"}, set[str]())
_PLACE_KEYS = ({"id", "lat", "lng", "value"}, {"skills", "windows", "min_visits", "max_visits"})
_RULE_KEYS = (
    set[str](),
    {"visit_minutes", "min_gap_minutes", "speed_kmh", "return_to_base", "repeat_value"},
)
_PLAN_KEYS = (
    {"routes"},
    {"objective", "bound", "gap", "seed", "stopped_by_clock", "greedy", "visits"},
)
_ROUTE_KEYS = ({"officer", "visits"}, set[str]())
_VISIT_KEYS = ({"place", "start", "end"}, set[str]())


# --- instances --------------------------------------------------------------------------------


def instance_from_json(data: Any) -> PatrolInstance:
    """The instance the parsed JSON ``data`` describes, checked."""
    _keys(data, _INSTANCE_KEYS, "the instance")
    shift = data["shift"]
    _keys(shift, _SHIFT_KEYS, "shift")
    start, end = _moment(shift["start"], "shift.start"), _moment(shift["end"], "shift.end")
    whole_shift = ((start, end),)
    instance = PatrolInstance(
        shift_start=start,
        shift_end=end,
        officers=tuple(
            _officer(item, f"officers[{i}]", whole_shift)
            for i, item in enumerate(_list(data["officers"], "officers"))
        ),
        places=tuple(
            _place(item, f"places[{i}]", whole_shift)
            for i, item in enumerate(_list(data["places"], "places"))
        ),
        rules=_rules(data.get("rules", {})),
    )
    check_instance(instance)
    return instance


def _officer(data: Any, where: str, whole_shift: tuple[Interval, ...]) -> PatrolOfficer:
    _keys(data, _OFFICER_KEYS, where)
    base = data["base"]
    _keys(base, _BASE_KEYS, f"{where}.base")
    return PatrolOfficer(
        id=_text(data["id"], f"{where}.id"),
        lat=_number(base["lat"], f"{where}.base.lat", "between -90 and 90"),
        lng=_number(base["lng"], f"{where}.base.lng", "between -180 and 180"),
        skills=_skills(data.get("skills", []), f"{where}.skills"),
        available=_intervals(data["available"], f"{where}.available")
        if "available" in data
        else whole_shift,
    )


def _place(data: Any, where: str, whole_shift: tuple[Interval, ...]) -> PatrolPlace:
    _keys(data, _PLACE_KEYS, where)
    return PatrolPlace(
        id=_text(data["id"], f"{where}.id"),
        lat=_number(data["lat"], f"{where}.lat", "between -90 and 90"),
        lng=_number(data["lng"], f"{where}.lng", "between -180 and 180"),
        value=_number(data["value"], f"{where}.value", "at least 0"),
        skills=_skills(data.get("skills", []), f"{where}.skills"),
        windows=_intervals(data["windows"], f"{where}.windows")
        if "windows" in data
        else whole_shift,
        min_visits=_whole(data.get("min_visits", 0), f"{where}.min_visits"),
        max_visits=_whole(data.get("max_visits", 1), f"{where}.max_visits"),
    )


def _rules(data: Any) -> PatrolRules:
    _keys(data, _RULE_KEYS, "rules")
    defaults = PatrolRules()
    return PatrolRules(
        visit_minutes=_whole(
            data.get("visit_minutes", defaults.visit_minutes), "rules.visit_minutes"
        ),
        min_gap_minutes=_whole(
            data.get("min_gap_minutes", defaults.min_gap_minutes), "rules.min_gap_minutes"
        ),
        speed_kmh=_number(data.get("speed_kmh", defaults.speed_kmh), "rules.speed_kmh", "above 0"),
        return_to_base=_flag(
            data.get("return_to_base", defaults.return_to_base), "rules.return_to_base"
        ),
        repeat_value=tuple(
            _number(v, f"rules.repeat_value[{i}]", "at least 0")
            for i, v in enumerate(
                _list(data.get("repeat_value", list(defaults.repeat_value)), "rules.repeat_value")
            )
        ),
    )


def check_instance(instance: PatrolInstance) -> None:
    """Raise ``ValueError`` naming the first field that is not well formed."""
    _check_moment(instance.shift_start, "shift.start")
    _check_moment(instance.shift_end, "shift.end")
    if instance.shift_end <= instance.shift_start:
        raise ValueError("shift.end must be after shift.start.")
    _check_rules(instance.rules)
    _check_unique([o.id for o in instance.officers], "officers")
    _check_unique([p.id for p in instance.places], "places")
    for i, officer in enumerate(instance.officers):
        where = f"officers[{i}]"
        _check_place_on_earth(officer.lat, officer.lng, f"{where}.base")
        _check_intervals(officer.available, f"{where}.available")
    for i, place in enumerate(instance.places):
        where = f"places[{i}]"
        _check_place_on_earth(place.lat, place.lng, where)
        if not (math.isfinite(place.value) and place.value >= 0):
            raise ValueError(f"{where}.value must be a number at least 0.")
        _check_intervals(place.windows, f"{where}.windows")
        if place.min_visits < 0 or place.max_visits < 0:
            raise ValueError(f"{where}.min_visits and max_visits must be whole numbers at least 0.")
        if place.min_visits > place.max_visits:
            raise ValueError(
                f"{where}.min_visits ({place.min_visits}) is more than its max_visits "
                f"({place.max_visits})."
            )


def _check_rules(rules: PatrolRules) -> None:
    if rules.visit_minutes < 1:
        raise ValueError("rules.visit_minutes must be a whole number at least 1.")
    if rules.min_gap_minutes < 0:
        raise ValueError("rules.min_gap_minutes must be a whole number at least 0.")
    if not (math.isfinite(rules.speed_kmh) and rules.speed_kmh > 0):
        raise ValueError("rules.speed_kmh must be a number above 0.")
    if not rules.repeat_value:
        raise ValueError("rules.repeat_value must list at least one number.")
    for i, v in enumerate(rules.repeat_value):
        if not (math.isfinite(v) and v >= 0):
            raise ValueError(f"rules.repeat_value[{i}] must be a number at least 0.")


def _check_unique(ids: list[str], where: str) -> None:
    seen: set[str] = set()
    for i, identifier in enumerate(ids):
        if not identifier:
            raise ValueError(f"{where}[{i}].id must be a non-empty string.")
        if identifier in seen:
            raise ValueError(f"{where}[{i}].id {identifier!r} is used twice.")
        seen.add(identifier)


def _check_place_on_earth(lat: float, lng: float, where: str) -> None:
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        raise ValueError(f"{where}.lat must be a number between -90 and 90.")
    if not (math.isfinite(lng) and -180 <= lng <= 180):
        raise ValueError(f"{where}.lng must be a number between -180 and 180.")


def _check_intervals(intervals: Sequence[Interval], where: str) -> None:
    for i, (start, end) in enumerate(intervals):
        _check_moment(start, f"{where}[{i}][0]")
        _check_moment(end, f"{where}[{i}][1]")
        if end <= start:
            raise ValueError(f"{where}[{i}] must end after it starts.")


def _check_moment(moment: datetime, where: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{where} must carry an offset from UTC, such as +00:00.")


def instance_to_json(instance: PatrolInstance) -> dict[str, Any]:
    """The instance as JSON-ready data, every key written out."""
    rules = instance.rules
    return {
        "shift": {"start": instance.shift_start.isoformat(), "end": instance.shift_end.isoformat()},
        "officers": [
            {
                "id": o.id,
                "base": {"lat": o.lat, "lng": o.lng},
                "skills": sorted(o.skills),
                "available": [[a.isoformat(), b.isoformat()] for a, b in o.available],
            }
            for o in instance.officers
        ],
        "places": [
            {
                "id": p.id,
                "lat": p.lat,
                "lng": p.lng,
                "value": p.value,
                "skills": sorted(p.skills),
                "windows": [[a.isoformat(), b.isoformat()] for a, b in p.windows],
                "min_visits": p.min_visits,
                "max_visits": p.max_visits,
            }
            for p in instance.places
        ],
        "rules": {
            "visit_minutes": rules.visit_minutes,
            "min_gap_minutes": rules.min_gap_minutes,
            "speed_kmh": rules.speed_kmh,
            "return_to_base": rules.return_to_base,
            "repeat_value": list(rules.repeat_value),
        },
    }


# --- plans ------------------------------------------------------------------------------------


def plan_to_json(plan: PatrolPlan) -> dict[str, Any]:
    """The plan as JSON-ready data: its figures, then every officer's visits in time order."""
    return {
        "objective": plan.objective,
        "bound": plan.bound,
        "gap": plan.gap,
        "greedy": plan.greedy,
        "seed": plan.seed,
        "stopped_by_clock": plan.stopped_by_clock,
        "visits": plan.visits,
        "routes": [
            {
                "officer": route.officer,
                "visits": [
                    {"place": v.place, "start": v.start.isoformat(), "end": v.end.isoformat()}
                    for v in route.visits
                ],
            }
            for route in plan.routes
        ],
    }


def plan_from_json(data: Any, instance: PatrolInstance) -> PatrolPlan:
    """A plan read back (a saved one, or a sergeant's edit of it). Its objective and bound are
    worked out again for ``instance``, never taken from the file; whether it keeps the rules
    is ``plan_violations``'s business."""
    _keys(data, _PLAN_KEYS, "the plan")
    routes = tuple(
        _route(item, f"routes[{i}]") for i, item in enumerate(_list(data["routes"], "routes"))
    )
    seed = data.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValueError("seed must be a whole number.")
    greedy = data.get("greedy")
    return PatrolPlan(
        objective=plan_objective(instance, routes),
        bound=plan_bound(instance),
        routes=routes,
        seed=seed,
        stopped_by_clock=_flag(data.get("stopped_by_clock", False), "stopped_by_clock"),
        greedy=None if greedy is None else _number(greedy, "greedy", "at least 0"),
    )


def _route(data: Any, where: str) -> OfficerRoute:
    _keys(data, _ROUTE_KEYS, where)
    visits = []
    for i, item in enumerate(_list(data["visits"], f"{where}.visits")):
        at = f"{where}.visits[{i}]"
        _keys(item, _VISIT_KEYS, at)
        visits.append(
            PlannedVisit(
                place=_text(item["place"], f"{at}.place"),
                start=_moment(item["start"], f"{at}.start"),
                end=_moment(item["end"], f"{at}.end"),
            )
        )
    return OfficerRoute(officer=_text(data["officer"], f"{where}.officer"), visits=tuple(visits))


# --- fields -----------------------------------------------------------------------------------


def _keys(data: Any, keys: tuple[set[str], set[str]], where: str) -> None:
    required, optional = keys
    if not isinstance(data, dict):
        raise ValueError(f"{where} must be a JSON object.")
    missing = sorted(required - data.keys())
    if missing:
        raise ValueError(f"{where} has no {missing[0]!r}, which is required.")
    unknown = sorted(set(data) - required - optional)
    if unknown:
        raise ValueError(f"{where} has an unknown key {unknown[0]!r}.")


def _list(data: Any, where: str) -> list[Any]:
    if not isinstance(data, list):
        raise ValueError(f"{where} must be a list.")
    return data


def _text(data: Any, where: str) -> str:
    if not isinstance(data, str) or not data:
        raise ValueError(f"{where} must be a non-empty string.")
    return data


def _number(data: Any, where: str, meaning: str) -> float:
    """A finite number; the range (``meaning``) is checked by ``check_instance``, but a value
    of the wrong type gets the same message."""
    if isinstance(data, bool) or not isinstance(data, int | float) or not math.isfinite(data):
        raise ValueError(f"{where} must be a number {meaning}.")
    return float(data)


def _whole(data: Any, where: str) -> int:
    if isinstance(data, bool) or not isinstance(data, int) or data < 0:
        raise ValueError(f"{where} must be a whole number at least 0.")
    return data


def _flag(data: Any, where: str) -> bool:
    if not isinstance(data, bool):
        raise ValueError(f"{where} must be true or false.")
    return data


def _skills(data: Any, where: str) -> frozenset[str]:
    return frozenset(_text(item, f"{where}[{i}]") for i, item in enumerate(_list(data, where)))


def _intervals(data: Any, where: str) -> tuple[Interval, ...]:
    out = []
    for i, item in enumerate(_list(data, where)):
        if not isinstance(item, list) or len(item) != 2:
            raise ValueError(f"{where}[{i}] must be a pair [start, end].")
        out.append((_moment(item[0], f"{where}[{i}][0]"), _moment(item[1], f"{where}[{i}][1]")))
    return tuple(out)


def _moment(data: Any, where: str) -> datetime:
    example = "such as 2026-12-07T07:00:00+00:00"
    if not isinstance(data, str):
        raise ValueError(f"{where} must be an ISO 8601 date and time with an offset, {example}.")
    try:
        moment = datetime.fromisoformat(data)
    except ValueError:
        raise ValueError(
            f"{where} must be an ISO 8601 date and time with an offset, {example}: "
            f"{data!r} is not one."
        ) from None
    _check_moment(moment, where)
    return moment
