"""What a patrol plan is made from, read from the database for the pure planner
(``planning.patrol``): the rules, the officers on duty, the approved requests and their hours,
the week's visits so far, and the places with their caps (``patrol_plans`` puts them together).

Officers are named to the planner by collar number, places by cell key.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count

from beatbook.places.models import Force, Neighbourhood
from beatbook.planning.patrol import PatrolInstance, PatrolOfficer, PatrolPlace, PatrolRules
from beatbook.tasking import request_services, rosters
from beatbook.tasking.models import (
    Officer,
    PatrolPlan,
    PlanVisit,
    Tactic,
    TaskingRequest,
)
from beatbook.tasking.patrol_cells import cell_parse
from beatbook.tasking.plan_places import CellWorth
from beatbook.tasking.shifts import LONDON

# The skill a tactic needs of every officer who carries it out, beyond the request's own.
TACTIC_SKILLS: dict[str, str] = {Tactic.PLAIN_CLOTHES: "plain-clothes", Tactic.ANPR: "anpr"}


@dataclass(frozen=True)
class PlanSettings:
    """The rules a plan is made with: the planner's, and the caps and number of places."""

    visit_minutes: int
    min_gap_minutes: int
    speed_kmh: float
    return_to_base: bool
    repeat_value: tuple[float, ...]
    shift_cap: int
    week_cap: int
    places: int

    def planner_rules(self) -> PatrolRules:
        return PatrolRules(
            visit_minutes=self.visit_minutes,
            min_gap_minutes=self.min_gap_minutes,
            speed_kmh=self.speed_kmh,
            return_to_base=self.return_to_base,
            repeat_value=tuple(self.repeat_value),
        )

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "repeat_value": list(self.repeat_value)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlanSettings:
        made = default_settings()
        known = {k: v for k, v in data.items() if k in made.as_json()}
        merged = {**made.as_json(), **known}
        merged["repeat_value"] = tuple(float(v) for v in merged["repeat_value"])
        return cls(**merged)


def default_settings() -> PlanSettings:
    return PlanSettings(
        visit_minutes=settings.PATROL_VISIT_MINUTES,
        min_gap_minutes=settings.PATROL_MIN_GAP_MINUTES,
        speed_kmh=settings.PATROL_SPEED_KMH,
        return_to_base=True,
        repeat_value=tuple(settings.PATROL_REPEAT_VALUES),
        shift_cap=settings.PATROL_SHIFT_CAP,
        week_cap=settings.PATROL_WEEK_CAP,
        places=settings.PATROL_PLACES,
    )


# --- What the planner is given ---------------------------------------------------------------


def officers_on_duty(
    *,
    force: Force,
    starts: datetime,
    ends: datetime,
    unit: str,
    neighbourhood: Neighbourhood | None,
) -> dict[Officer, list[tuple[datetime, datetime]]]:
    """The unit's active officers free during the shift, and their free hours in it: their
    duties less their abstractions (``rosters.officers_available``)."""
    available = rosters.officers_available(
        force=force, starts=starts, ends=ends, unit=unit, neighbourhood=neighbourhood
    )
    return {
        officer: [(start.astimezone(LONDON), end.astimezone(LONDON)) for start, end in intervals]
        for officer, intervals in available
    }


def planner_officers(
    found: dict[Officer, list[tuple[datetime, datetime]]],
) -> tuple[PatrolOfficer, ...]:
    skills: dict[int, set[str]] = defaultdict(set)
    through = Officer.skills.through.objects.filter(officer__in=list(found))
    for officer_id, slug in through.values_list("officer_id", "skill__slug"):
        skills[officer_id].add(slug)
    return tuple(
        PatrolOfficer(
            id=officer.collar_number,
            lat=officer.station.latitude,
            lng=officer.station.longitude,
            skills=frozenset(skills[officer.pk]),
            available=tuple(intervals),
        )
        for officer, intervals in found.items()
    )


def request_windows(
    request: TaskingRequest, starts: datetime, ends: datetime
) -> tuple[list[tuple[datetime, datetime]], float]:
    """The request's hours that fall in [starts, ends] (``request_services.request_windows``),
    and the share of one day's hours they are, so a request whose evening runs into the night
    shares its minutes between the shifts. Lengths are real durations (UTC), so a window on
    the night the clocks change is as long as it really is."""
    windows = request_services.request_windows(request, starts, ends)
    daily = request_services.window_minutes(request.hours_from, request.hours_to)
    minutes = sum((end - start).total_seconds() / 60 for start, end in windows)
    share = minutes / daily if daily else 0.0
    return [(start.astimezone(LONDON), end.astimezone(LONDON)) for start, end in windows], share


def approved_requests(*, force: Force, starts: datetime, ends: datetime) -> list[TaskingRequest]:
    """The force's approved requests with hours in the shift, most urgent first."""
    return request_services.approved_requests_for(force=force, starts=starts, ends=ends)


def week_visits(*, force: Force, day: date, other_than: PatrolPlan | None) -> dict[str, int]:
    """Visits already planned to each cell in the ISO week of ``day`` by the force's plans."""
    monday = day - timedelta(days=day.weekday())
    visits = PlanVisit.objects.filter(
        plan__force=force, plan__date__gte=monday, plan__date__lte=monday + timedelta(days=6)
    )
    if other_than is not None:
        visits = visits.exclude(plan=other_than)
    rows = visits.values("place__key").annotate(n=Count("id")).values_list("place__key", "n")
    return dict(rows)


@dataclass
class PlaceInput:
    cell: CellWorth
    min_visits: int = 0
    max_visits: int = 1
    skills: frozenset[str] = frozenset()
    windows: tuple[tuple[datetime, datetime], ...] = ()
    request: TaskingRequest | None = None


def request_places(
    requests: Sequence[TaskingRequest],
    worths: dict[str, CellWorth],
    *,
    starts: datetime,
    ends: datetime,
    rules: PlanSettings,
) -> dict[str, PlaceInput]:
    """Each approved request's cells as required places: the minutes wanted in this shift as
    visits, spread over its cells (the more valuable first)."""
    places: dict[str, PlaceInput] = {}
    for request in requests:
        windows, share = request_windows(request, starts, ends)
        minutes = request.minutes_wanted * share
        visits = max(1, math.ceil(minutes / rules.visit_minutes - 1e-9))
        cells: list[CellWorth] = []
        for key in request.cells:
            parsed = cell_parse(str(key))
            if parsed.key not in worths:
                worths[parsed.key] = CellWorth(
                    parsed.key, parsed.easting, parsed.northing, 0.0, 0.0
                )
            cells.append(worths[parsed.key])
        cells.sort(key=lambda c: (-c.value, c.key))
        skills = {s.slug for s in request.skills.all()}
        if request.tactic in TACTIC_SKILLS:
            skills.add(TACTIC_SKILLS[request.tactic])
        for i, cell in enumerate(cells):
            wanted = visits // len(cells) + (1 if i < visits % len(cells) else 0)
            place = places.get(cell.key)
            if place is None:
                places[cell.key] = PlaceInput(
                    cell, wanted, 0, frozenset(skills), tuple(windows), request
                )
            else:
                # A cell two requests share keeps the first's hours and adds the visits.
                place.min_visits += wanted
                place.skills = place.skills | frozenset(skills)
    return places


def caps_apply(
    places: dict[str, PlaceInput], week: dict[str, int], rules: PlanSettings
) -> list[str]:
    """Set each place's most visits (the shift's cap, less what the week has had); the
    requests whose visits the caps cannot allow, as messages."""
    problems = []
    for key, place in places.items():
        left = max(0, rules.week_cap - week.get(key, 0))
        place.max_visits = min(rules.shift_cap, left)
        if place.request is not None and place.min_visits > place.max_visits:
            problems.append(
                f"The request “{place.request.title}” wants {place.min_visits} visits to "
                f"{key} in this shift, but the caps allow {place.max_visits} (at most "
                f"{rules.shift_cap} a shift and {rules.week_cap} a week; the week's other "
                f"plans already visit it {week.get(key, 0)} times)."
            )
    return problems


def planner_instance(
    starts: datetime,
    ends: datetime,
    officers: tuple[PatrolOfficer, ...],
    places: Sequence[PlaceInput],
    rules: PlanSettings,
) -> PatrolInstance:
    return PatrolInstance(
        shift_start=starts,
        shift_end=ends,
        officers=officers,
        places=tuple(
            PatrolPlace(
                id=p.cell.key,
                lat=p.cell.latitude,
                lng=p.cell.longitude,
                value=max(p.cell.value, 0.0),
                skills=p.skills,
                windows=p.windows or ((starts, ends),),
                min_visits=p.min_visits,
                max_visits=p.max_visits,
            )
            for p in places
        ),
        rules=rules.planner_rules(),
    )


def reasons_named(reasons: Sequence[str], places: dict[str, PlaceInput]) -> list[str]:
    """The planner's reasons, with each required cell's request named after it."""
    out = []
    for reason in reasons:
        for key, place in places.items():
            if place.request is not None and key in reason:
                reason = reason.replace(key, f"{key} (the request “{place.request.title}”)", 1)
        out.append(reason)
    return out
