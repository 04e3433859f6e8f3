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

import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from beatbook.accounts.models import User
from beatbook.places.models import Force, Neighbourhood
from beatbook.planning.patrol import (
    OfficerRoute,
    PatrolInstance,
    PatrolPlace,
    PlanInfeasible,
    PlannedVisit,
    patrol_plan,
    plan_objective,
    plan_violations,
)
from beatbook.tasking import selectors
from beatbook.tasking.models import (
    Officer,
    PatrolPlan,
    PlanPlace,
    PlanStatus,
    PlanVisit,
    ShiftKind,
    Unit,
    VisitResult,
)
from beatbook.tasking.plan_inputs import (
    PlaceInput,
    PlanSettings,
    approved_requests,
    caps_apply,
    default_settings,
    officers_on_duty,
    planner_instance,
    planner_officers,
    reasons_named,
    request_places,
    week_visits,
)
from beatbook.tasking.plan_places import cell_worths, cells_within, neighbourhood_shape, reasons_add
from beatbook.tasking.shifts import LONDON, shift_times

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
    on_duty = officers_on_duty(
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
    week = week_visits(force=force, day=date, other_than=existing)
    # The most valuable cells the week's caps still allow visits to.
    open_cells = [c for c in candidates if week.get(c.key, 0) < rules.week_cap]
    chosen = {c.key: c for c in open_cells[: rules.places]}
    requests = approved_requests(force=force, starts=starts, ends=ends) if unit == Unit.NTT else []
    every = {c.key: c for c in worths.cells}
    required = request_places(requests, every, starts=starts, ends=ends, rules=rules)
    places = {key: PlaceInput(cell, windows=((starts, ends),)) for key, cell in chosen.items()}
    places.update(required)
    problems = caps_apply(places, week, rules)
    if problems:
        raise ValidationError(problems)
    # Cells the week has used up are left out: they could only be planned nothing.
    kept = [p for p in places.values() if p.max_visits > 0]
    reasons_add(worths, [p.cell for p in kept])
    instance = planner_instance(starts, ends, planner_officers(on_duty), kept, rules)
    seed = secrets.randbelow(2**31) if seed is None else seed
    try:
        result = patrol_plan(
            instance, time_limit=time_limit or settings.PATROL_TIME_LIMIT, seed=seed
        )
    except PlanInfeasible as error:
        raise ValidationError(reasons_named(error.reasons, places)) from None
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
        plan.stopped_by_clock = result.stopped_by_clock
        plan.forecast_month, plan.value_source = worths.month, worths.source
        plan.edited, plan.made_by, plan.status = False, user, PlanStatus.DRAFT
        plan.save()
        plan.places.all().delete()  # their visits go with them
        stored = _places_save(plan, kept, neighbourhood)
        officers = {o.collar_number: o for o in on_duty}
        _visits_save(plan, result.routes, officers, stored)
    return plan


def _places_save(
    plan: PatrolPlan, places: Sequence[PlaceInput], neighbourhood: Neighbourhood | None
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
    on_duty = officers_on_duty(
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
        officers=planner_officers(on_duty),
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
            for order, planned_visit in enumerate(route.visits, start=1):
                kept_row = stay.get((officer.pk, planned_visit.place, planned_visit.start))
                if kept_row is None:
                    PlanVisit.objects.create(
                        plan=locked,
                        officer=officer,
                        place=places[planned_visit.place],
                        order=order,
                        starts=planned_visit.start,
                        ends=planned_visit.end,
                    )
                else:
                    PlanVisit.objects.filter(pk=kept_row.pk).update(order=order)
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
