"""Patrol plans from what Beatbook knows (issue 15, items 3 and 4): making a shift's plan,
changing it by hand, issuing it.

A plan for one shift of one unit (the tasking team, or one neighbourhood team) is made from:

- **officers**: those of the unit on duty in the shift (``Duty``), each from their station,
  with their skills;
- **places**: the most valuable 250 m cells (``plan_places``: forecast harm per shift), in a
  neighbourhood team's plan only those in its neighbourhood, and every cell of the approved
  requests that fall in the shift, which must get their visits within the request's hours;
- **fairness**: a cell gets at most ``PATROL_SHIFT_CAP`` visits in a shift, and no more than
  what ``PATROL_WEEK_CAP`` leaves after the visits the force's other plans give it that week;
- **rules**: ``PATROL_*`` settings, kept with the plan so a hand change is judged by them.

The pure planner (``planning.patrol``) chooses the visits; this module reads the database for
it and stores its answer. Officers are named to the planner by collar number, places by cell
key, so its messages ("Officer 1234's visit to E398000N345250 at 14:30 ...") read as they are.
"""

from __future__ import annotations

import math
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count

from beatbook.accounts.models import User
from beatbook.places.models import Force, Neighbourhood
from beatbook.planning.patrol import (
    OfficerRoute,
    PatrolInstance,
    PatrolOfficer,
    PatrolPlace,
    PatrolRules,
    PlanInfeasible,
    PlannedVisit,
    patrol_plan,
    plan_objective,
    plan_violations,
)
from beatbook.tasking import selectors
from beatbook.tasking.models import (
    Duty,
    Officer,
    PatrolPlan,
    PlanPlace,
    PlanStatus,
    PlanVisit,
    RequestStatus,
    ShiftKind,
    Tactic,
    TaskingRequest,
    Unit,
    VisitResult,
)
from beatbook.tasking.patrol_cells import cell_parse
from beatbook.tasking.plan_places import (
    CellWorth,
    cell_worths,
    cells_within,
    neighbourhood_shape,
    reasons_add,
)
from beatbook.tasking.shifts import LONDON, shift_times

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


def _officers_on_duty(
    *,
    force: Force,
    starts: datetime,
    ends: datetime,
    unit: str,
    neighbourhood: Neighbourhood | None,
) -> dict[Officer, list[tuple[datetime, datetime]]]:
    """The unit's active officers with a duty overlapping the shift, and those duties' hours.
    (Resources' ``officers_available`` takes its place once it is written.)"""
    duties = Duty.objects.filter(
        officer__force=force,
        officer__active=True,
        officer__unit=unit,
        starts__lt=ends,
        ends__gt=starts,
    ).select_related("officer__station")
    if neighbourhood is not None:
        duties = duties.filter(officer__neighbourhood=neighbourhood)
    found: dict[Officer, list[tuple[datetime, datetime]]] = defaultdict(list)
    for duty in duties.order_by("officer__collar_number", "starts"):
        found[duty.officer].append((duty.starts.astimezone(LONDON), duty.ends.astimezone(LONDON)))
    return dict(found)


def _planner_officers(
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
    """The request's hours that fall in [starts, ends], and the share of a day's hours they
    are (so a request whose evening runs into the night shares its minutes between shifts).
    (Requests' ``request_windows`` takes its place once it is written.)"""
    first = max(request.first_day, starts.astimezone(LONDON).date() - timedelta(days=1))
    last = min(request.last_day, ends.astimezone(LONDON).date())
    windows: list[tuple[datetime, datetime]] = []
    share = 0.0
    day = first
    while day <= last:
        opens = datetime.combine(day, request.hours_from, tzinfo=LONDON)
        end_day = day if request.hours_to > request.hours_from else day + timedelta(days=1)
        closes = datetime.combine(end_day, request.hours_to, tzinfo=LONDON)
        low, high = max(opens, starts), min(closes, ends)
        if high > low:
            windows.append((low.astimezone(LONDON), high.astimezone(LONDON)))
            share += (high - low) / (closes - opens)
        day += timedelta(days=1)
    return windows, share


def _approved_requests(*, force: Force, starts: datetime, ends: datetime) -> list[TaskingRequest]:
    """The force's approved requests with hours in the shift, most urgent first.
    (Requests' ``approved_requests_for`` takes its place once it is written.)"""
    urgency = {"high": 0, "medium": 1, "low": 2}
    found = TaskingRequest.objects.filter(
        force=force,
        status=RequestStatus.APPROVED,
        first_day__lte=ends.astimezone(LONDON).date(),
        last_day__gte=starts.astimezone(LONDON).date() - timedelta(days=1),
    ).prefetch_related("skills")
    applying = [r for r in found if request_windows(r, starts, ends)[0]]
    return sorted(applying, key=lambda r: (urgency.get(r.urgency, 3), r.pk))


def _week_visits(*, force: Force, day: date, other_than: PatrolPlan | None) -> dict[str, int]:
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
class _Place:
    cell: CellWorth
    min_visits: int = 0
    max_visits: int = 1
    skills: frozenset[str] = frozenset()
    windows: tuple[tuple[datetime, datetime], ...] = ()
    request: TaskingRequest | None = None


def _request_places(
    requests: Sequence[TaskingRequest],
    worths: dict[str, CellWorth],
    *,
    starts: datetime,
    ends: datetime,
    rules: PlanSettings,
) -> dict[str, _Place]:
    """Each approved request's cells as required places: the minutes wanted in this shift as
    visits, spread over its cells (the more valuable first)."""
    places: dict[str, _Place] = {}
    for request in requests:
        windows, share = request_windows(request, starts, ends)
        minutes = request.minutes_wanted * share
        visits = max(1, math.ceil(minutes / rules.visit_minutes - 1e-9))
        cells = []
        for key in request.cells:
            cell = cell_parse(str(key))
            if cell.key not in worths:
                worths[cell.key] = CellWorth(cell.key, cell.easting, cell.northing, 0.0, 0.0)
            cells.append(worths[cell.key])
        cells.sort(key=lambda c: (-c.value, c.key))
        skills = {s.slug for s in request.skills.all()}
        if request.tactic in TACTIC_SKILLS:
            skills.add(TACTIC_SKILLS[request.tactic])
        for i, cell in enumerate(cells):
            wanted = visits // len(cells) + (1 if i < visits % len(cells) else 0)
            place = places.get(cell.key)
            if place is None:
                places[cell.key] = _Place(
                    cell, wanted, 0, frozenset(skills), tuple(windows), request
                )
            else:
                # A cell two requests share keeps the first's hours and adds the visits.
                place.min_visits += wanted
                place.skills = place.skills | frozenset(skills)
    return places


def _caps(places: dict[str, _Place], week: dict[str, int], rules: PlanSettings) -> list[str]:
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


def _instance(
    starts: datetime,
    ends: datetime,
    officers: tuple[PatrolOfficer, ...],
    places: Sequence[_Place],
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


def _named(reasons: Sequence[str], places: dict[str, _Place]) -> list[str]:
    """The planner's reasons, with each required cell's request named after it."""
    out = []
    for reason in reasons:
        for key, place in places.items():
            if place.request is not None and key in reason:
                reason = reason.replace(key, f"{key} (the request “{place.request.title}”)", 1)
        out.append(reason)
    return out


# --- Making a plan ------------------------------------------------------------------------


def _check_may_make(
    user: User, force: Force, unit: str, neighbourhood: Neighbourhood | None
) -> None:
    if selectors.is_tasking_sergeant(user=user, force_id=force.pk):
        return
    if (
        unit == Unit.NPT
        and neighbourhood is not None
        and selectors.team_neighbourhoods(user=user).filter(pk=neighbourhood.pk).exists()
    ):
        return
    raise PermissionDenied("Only the tasking sergeants, or the team itself, make this plan.")


def _check_unit(force: Force, shift_kind: ShiftKind, unit: str, nb: Neighbourhood | None) -> None:
    if shift_kind.force_id != force.pk:
        raise ValidationError({"shift_kind": "Choose one of this force's shifts."})
    if unit not in Unit.values:
        raise ValidationError({"unit": "Choose whose plan this is."})
    if unit == Unit.NPT and (nb is None or nb.force_id != force.pk):
        raise ValidationError(
            {"unit": "A neighbourhood team's plan needs one of this force's neighbourhoods."}
        )
    if unit != Unit.NPT and nb is not None:
        raise ValidationError({"unit": "Only a neighbourhood team's plan has a neighbourhood."})


def plan_make(
    *,
    user: User,
    force: Force,
    date: date,
    shift_kind: ShiftKind,
    unit: str,
    neighbourhood: Neighbourhood | None = None,
    rules: PlanSettings | None = None,
    seed: int | None = None,
    time_limit: float | None = None,
) -> PatrolPlan:
    """Plan the unit's shift and store it (see the module's docstring). A draft plan of the
    same shift is made again, its visits replaced; an issued one is refused: the sergeant
    changes it by hand, or withdraws it first. ValidationError, saying why, when no plan can
    be made; PermissionDenied for someone who may not make it."""
    _check_may_make(user, force, unit, neighbourhood)
    _check_unit(force, shift_kind, unit, neighbourhood)
    rules = rules or default_settings()
    starts, ends = shift_times(kind=shift_kind, day=date)
    existing = PatrolPlan.objects.filter(
        force=force, unit=unit, neighbourhood=neighbourhood, date=date, shift_kind=shift_kind
    ).first()
    if existing is not None and existing.status == PlanStatus.ISSUED:
        raise ValidationError(
            "This shift's plan has been issued to officers, so it is not made again: change "
            "it by hand instead."
        )
    if VisitResult.objects.filter(visit__plan=existing).exists():
        raise ValidationError("Results have been logged on this plan, so it is not made again.")
    on_duty = _officers_on_duty(
        force=force, starts=starts, ends=ends, unit=unit, neighbourhood=neighbourhood
    )
    if not on_duty:
        raise ValidationError(
            "No officers of this team are on duty in this shift: add their duties first."
        )
    shifts_per_day = ShiftKind.objects.filter(force=force).count() or 1
    worths = cell_worths(force=force, month=f"{date:%Y-%m}", shifts_per_day=shifts_per_day)
    candidates = worths.cells
    if neighbourhood is not None:
        outline = neighbourhood_shape(neighbourhood)
        if outline is None:
            raise ValidationError(
                {
                    "unit": f"We hold no boundary for {neighbourhood.name}, so cannot tell which "
                    "places are in it."
                }
            )
        candidates = cells_within(candidates, outline)
    week = _week_visits(force=force, day=date, other_than=existing)
    # The most valuable cells the week's caps still allow visits to.
    open_cells = [c for c in candidates if week.get(c.key, 0) < rules.week_cap]
    chosen = {c.key: c for c in open_cells[: rules.places]}
    requests = _approved_requests(force=force, starts=starts, ends=ends) if unit == Unit.NTT else []
    every = {c.key: c for c in worths.cells}
    required = _request_places(requests, every, starts=starts, ends=ends, rules=rules)
    places = {key: _Place(cell, windows=((starts, ends),)) for key, cell in chosen.items()}
    places.update(required)
    problems = _caps(places, week, rules)
    if problems:
        raise ValidationError(problems)
    # Cells the week has used up are left out: they could only be planned nothing.
    kept = [p for p in places.values() if p.max_visits > 0]
    reasons_add(worths, [p.cell for p in kept])
    instance = _instance(starts, ends, _planner_officers(on_duty), kept, rules)
    seed = secrets.randbelow(2**31) if seed is None else seed
    try:
        result = patrol_plan(
            instance, time_limit=time_limit or settings.PATROL_TIME_LIMIT, seed=seed
        )
    except PlanInfeasible as error:
        raise ValidationError(_named(error.reasons, places)) from None
    except ValueError as error:  # an instance the planner finds malformed: say so plainly
        raise ValidationError(str(error)) from None
    with transaction.atomic():
        plan = existing or PatrolPlan(
            force=force, unit=unit, neighbourhood=neighbourhood, date=date, shift_kind=shift_kind
        )
        plan.starts, plan.ends = starts, ends
        plan.rules = rules.as_json()
        plan.seed = seed
        plan.objective, plan.bound = result.objective, result.bound
        plan.forecast_month, plan.value_source = worths.month, worths.source
        plan.edited, plan.made_by, plan.status = False, user, PlanStatus.DRAFT
        plan.save()
        plan.places.all().delete()  # their visits go with them
        stored = _places_save(plan, kept, neighbourhood)
        officers = {o.collar_number: o for o in on_duty}
        _visits_save(plan, result.routes, officers, stored)
    return plan


def _places_save(
    plan: PatrolPlan, places: Sequence[_Place], neighbourhood: Neighbourhood | None
) -> dict[str, PlanPlace]:
    rows = []
    for p in places:
        reasons = dict(p.cell.reasons)
        if p.request is not None:
            reasons["requests"] = [
                {
                    "id": p.request.pk,
                    "title": p.request.title,
                    "tactic": p.request.get_tactic_display(),
                    "minutes": p.request.minutes_wanted,
                }
            ]
        nb_id = neighbourhood.pk if neighbourhood is not None else p.cell.neighbourhood_id
        if p.request is not None:
            nb_id = p.request.neighbourhood_id
        rows.append(
            PlanPlace(
                plan=plan,
                key=p.cell.key,
                easting=p.cell.easting,
                northing=p.cell.northing,
                latitude=p.cell.latitude,
                longitude=p.cell.longitude,
                value=max(p.cell.value, 0.0),
                skills=sorted(p.skills),
                windows=[[a.isoformat(), b.isoformat()] for a, b in p.windows],
                min_visits=p.min_visits,
                max_visits=p.max_visits,
                request=p.request,
                neighbourhood_id=nb_id,
                reasons=reasons,
            )
        )
    PlanPlace.objects.bulk_create(rows)
    return {row.key: row for row in PlanPlace.objects.filter(plan=plan)}


def _visits_save(
    plan: PatrolPlan,
    routes: Sequence[OfficerRoute],
    officers: dict[str, Officer],
    places: dict[str, PlanPlace],
) -> None:
    PlanVisit.objects.bulk_create(
        PlanVisit(
            plan=plan,
            officer=officers[route.officer],
            place=places[visit.place],
            order=order,
            starts=visit.start,
            ends=visit.end,
        )
        for route in routes
        for order, visit in enumerate(sorted(route.visits, key=lambda v: v.start), start=1)
    )


# --- Changing a plan by hand, and issuing it ---------------------------------------------------


@dataclass(frozen=True)
class HandVisit:
    """One visit as the sergeant sets it: the officer (by id), the place (by cell key) and
    when it starts; it lasts the plan's visit length."""

    officer_id: int
    place_key: str
    starts: datetime


def plan_instance(plan: PatrolPlan) -> tuple[PatrolInstance, dict[str, Officer]]:
    """The planner's instance of a stored plan: its places and rules as made, and the officers
    on duty now (with those already on it), by collar number."""
    rules = PlanSettings.from_json(plan.rules)
    on_duty = _officers_on_duty(
        force=plan.force,
        starts=plan.starts,
        ends=plan.ends,
        unit=plan.unit,
        neighbourhood=plan.neighbourhood,
    )
    places = tuple(
        PatrolPlace(
            id=p.key,
            lat=p.latitude,
            lng=p.longitude,
            value=p.value,
            skills=frozenset(p.skills),
            windows=tuple(
                (datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in p.windows
            ),
            min_visits=p.min_visits,
            max_visits=p.max_visits,
        )
        for p in plan.places.order_by("key")
    )
    instance = PatrolInstance(
        shift_start=plan.starts.astimezone(LONDON),
        shift_end=plan.ends.astimezone(LONDON),
        officers=_planner_officers(on_duty),
        places=places,
        rules=rules.planner_rules(),
    )
    return instance, {o.collar_number: o for o in on_duty}


def _check_may_change(user: User, plan: PatrolPlan) -> None:
    if not selectors.may_change_plan(user=user, plan=plan):
        raise PermissionDenied("Only the tasking sergeants, or the team itself, change this plan.")


def plan_change(*, user: User, plan: PatrolPlan, routes: Sequence[HandVisit]) -> PatrolPlan:
    """Replace the plan's visits with ``routes`` if they keep every rule the plan was made
    with (``plan_violations``); otherwise a ValidationError listing what they break, and
    nothing changes. A visit whose result is logged must stay as it is."""
    _check_may_change(user, plan)
    instance, officers = plan_instance(plan)
    by_pk = {o.pk: o for o in officers.values()}
    length = timedelta(minutes=instance.rules.visit_minutes)
    problems: list[str] = []
    grouped: dict[str, list[PlannedVisit]] = defaultdict(list)
    for visit in routes:
        officer = by_pk.get(visit.officer_id)
        if officer is None:
            problems.append("One of the officers chosen is not on duty in this shift.")
            continue
        starts = visit.starts.astimezone(LONDON)
        grouped[officer.collar_number].append(
            PlannedVisit(visit.place_key, starts, starts + length)
        )
    planned = [
        OfficerRoute(officer=collar, visits=tuple(sorted(visits, key=lambda v: v.start)))
        for collar, visits in sorted(grouped.items())
    ]
    problems += plan_violations(instance, planned)
    kept = set()
    for officer_collar, visits in grouped.items():
        for v in visits:
            kept.add((officers[officer_collar].pk, v.place, v.start))
    logged = [
        visit
        for visit in plan.visits.filter(result__isnull=False).select_related("officer", "place")
        if (visit.officer_id, visit.place.key, visit.starts.astimezone(LONDON)) not in kept
    ]
    problems += [
        f"The result of {v.officer.collar_number}'s visit to {v.place.key} is logged, so the "
        "visit must stay as it is."
        for v in logged
    ]
    if problems:
        raise ValidationError(problems)
    places = {p.key: p for p in plan.places.all()}
    with transaction.atomic():
        locked = PatrolPlan.objects.select_for_update().get(pk=plan.pk)
        existing = {
            (v.officer_id, v.place.key, v.starts.astimezone(LONDON)): v
            for v in locked.visits.select_related("place")
        }
        # Visits that stay keep their rows (and any result); the rest are made again. Those that
        # stay are first moved out of the way of the new order numbers (unique per officer).
        stay = {k: v for k, v in existing.items() if k in kept}
        PlanVisit.objects.filter(plan=locked).exclude(pk__in=[v.pk for v in stay.values()]).delete()
        for aside, row in enumerate(stay.values(), start=10_000):
            PlanVisit.objects.filter(pk=row.pk).update(order=aside)
        for route in planned:
            officer = officers[route.officer]
            for order, visit in enumerate(route.visits, start=1):
                row = stay.get((officer.pk, visit.place, visit.start))
                if row is None:
                    PlanVisit.objects.create(
                        plan=locked,
                        officer=officer,
                        place=places[visit.place],
                        order=order,
                        starts=visit.start,
                        ends=visit.end,
                    )
                else:
                    PlanVisit.objects.filter(pk=row.pk).update(order=order)
        locked.objective = plan_objective(instance, planned)
        locked.edited = True
        locked.save(update_fields=["objective", "edited", "updated_at"])
    plan.refresh_from_db()
    return plan


def plan_issue(*, user: User, plan: PatrolPlan) -> PatrolPlan:
    """Issue the plan to its officers: their shift pages show it from now on."""
    _check_may_change(user, plan)
    if plan.status == PlanStatus.ISSUED:
        raise ValidationError("This plan has already been issued.")
    if not plan.visits.exists():
        raise ValidationError("This plan has no visits to issue.")
    PatrolPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.ISSUED)
    plan.refresh_from_db()
    return plan


def hand_visit_start(plan: PatrolPlan, clock: time) -> datetime:
    """The moment in the plan's shift at the London clock time ``clock``: on the shift's first
    day, or the next day for a night shift's small hours."""
    start = plan.starts.astimezone(LONDON)
    moment = datetime.combine(start.date(), clock, tzinfo=LONDON)
    if moment < start:
        moment = datetime.combine(start.date() + timedelta(days=1), clock, tzinfo=LONDON)
    return moment
