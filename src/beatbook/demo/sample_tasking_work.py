"""The tasking team's work for the demo (issue 15): the whole loop, from a neighbourhood team's
request to the results logged after a shift.

- **Requests** from three of Staffordshire's neighbourhood teams, made and decided through
  ``tasking.request_services`` as the pages would: evening patrols of Longton's busiest cell
  in the latest month of crime data (computed, so it follows the data) and reassurance patrols
  during Longton's community action week, both approved; school-closing anti-social behaviour
  linked to a team's priority, and visits to a repeat victim, both waiting for a decision; and
  a plain-clothes request declined with the sergeant's reason.
- **Tomorrow's late shift**: the tasking team's plan, made with ``patrol_plans.plan_make`` and
  issued, so the tasking constable's "My shift" page shows a route (the rota puts her on it).
- **Yesterday's late shift**: a plan issued the same way, with most of its visits' results
  logged (a seeded mix: done for 12 to 20 minutes, a few not done, and low counts of stop and
  searches, arrests, intelligence and people engaged), so the results pages have something.
  Requests cannot start in the past (``request_create`` takes no date), so no request was
  answered yesterday and none has an outcome yet.

Everything is flagged ``sample``. A refresh deletes the previous sample requests and plans
(their visits and results go with them) and makes them again from today; nothing staff entered
is touched. Plans are made with a short solver time limit so that a demo start stays quick.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import strip_tags

from beatbook.accounts.models import Organisation, OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.demo.people import POLICE
from beatbook.demo.sample_tasking import SERGEANT_USERNAME, npt_neighbourhoods
from beatbook.opendata.models import Crime
from beatbook.operations.models import Operation
from beatbook.places.models import Force, Neighbourhood
from beatbook.tasking.models import (
    NotDoneReason,
    PatrolPlan,
    ProblemLink,
    ShiftKind,
    Tactic,
    TaskingRequest,
    Unit,
    Urgency,
)
from beatbook.tasking.patrol_cells import CELL_SIZE_M, cell_at
from beatbook.tasking.patrol_plans import plan_issue, plan_make
from beatbook.tasking.request_services import (
    RequestDetails,
    request_approve,
    request_create,
    request_decline,
)
from beatbook.tasking.visit_results import VisitResultDetails, visit_result_log
from beatbook.teams.models import Priority, TeamMember

logger = logging.getLogger(__name__)

# The solver's time for a demo plan: a near-optimal plan is found in a second or two on the
# demo's data; the default (``PATROL_TIME_LIMIT``) is for plans officers will walk.
DEMO_TIME_LIMIT = 2.0
# About one visit in eight of yesterday's plan is left without a result (not logged yet).
UNLOGGED_SHARE = 0.12
NOT_DONE_SHARE = 0.12
# Most visits not done were called away to an incident.
NOT_DONE_REASONS = (NotDoneReason.CALLED_AWAY,) * 2 + (
    NotDoneReason.ARREST_IN_PROGRESS,
    NotDoneReason.NO_TIME,
)
CATEGORY_WORDS = {
    "anti-social-behaviour": "anti-social behaviour",
    "vehicle-crime": "vehicle crime",
    "violent-crime": "violence and sexual offences",
    "criminal-damage-arson": "criminal damage and arson",
    "drugs": "drugs offences",
}


@dataclass(frozen=True)
class DemoTaskingWorkSummary:
    requests: int
    plans: int
    visits: int
    results: int

    def __str__(self) -> str:
        return (
            f"Tasking's work: {self.requests} requests, {self.plans} patrol plans with "
            f"{self.visits} visits, {self.results} visit results (sample content)"
        )


@dataclass(frozen=True)
class Hotspot:
    """The busiest 250 m cell of a neighbourhood in a month, and what was recorded there."""

    key: str
    month: str
    crimes: int
    categories: tuple[tuple[str, int], ...]
    nearby: tuple[str, ...]  # the next busiest cells, for a patrol of more than one street

    def top(self) -> str:
        category = self.categories[0][0] if self.categories else "other-crime"
        return CATEGORY_WORDS.get(category, category.replace("-", " "))


def hotspot_of(neighbourhood: Neighbourhood, *, month: str | None = None) -> Hotspot | None:
    """The cell holding most of the neighbourhood's crimes in ``month`` (the latest month the
    force's data holds), with the two next busiest; None when it has no located crimes."""
    crimes = Crime.objects.filter(force_id=neighbourhood.force_id)
    month = month or crimes.aggregate(latest=Max("month"))["latest"]
    if month is None:
        return None
    rows = crimes.filter(
        month=month, neighbourhood=neighbourhood, easting__isnull=False, northing__isnull=False
    ).values_list("easting", "northing", "category")
    by_cell: dict[str, Counter[str]] = {}
    for easting, northing, category in rows:
        east, north = (int(v or 0) // CELL_SIZE_M * CELL_SIZE_M for v in (easting, northing))
        key = f"E{east}N{north}"
        by_cell.setdefault(key, Counter())[category] += 1
    if not by_cell:
        return None
    ranked = sorted(by_cell, key=lambda key: (-sum(by_cell[key].values()), key))
    best = by_cell[ranked[0]]
    return Hotspot(
        key=ranked[0],
        month=month,
        crimes=sum(best.values()),
        categories=tuple(best.most_common()),
        nearby=tuple(ranked[1:3]),
    )


def _requester(neighbourhood: Neighbourhood, police: Organisation) -> User:
    """A neighbourhood sergeant who asks for help: named as the team's sample sergeant, without
    a password (like the demo's other named people), a member for this neighbourhood only."""
    username = f"demo-npt-{neighbourhood.code.lower()}"[:150]
    user = User.objects.filter(username=username).first()
    if user is None:
        member = TeamMember.objects.filter(
            neighbourhood=neighbourhood, rank__icontains="sergeant"
        ).first()
        first, _, last = (member.name if member else "Neighbourhood Sergeant").partition(" ")
        user = user_create(
            username=username, password=None, first_name=first, last_name=last, is_staff=True
        )
        membership_grant(
            user=user,
            organisation=police,
            role=Role.NEIGHBOURHOOD_OFFICER,
            neighbourhoods=[neighbourhood],
        )
    return user


def _priority(neighbourhood: Neighbourhood) -> Priority | None:
    return neighbourhood.priorities.order_by("-issue_date", "pk").first()


def _month_words(month: str) -> str:
    return date.fromisoformat(f"{month}-01").strftime("%B %Y")


def _hotspot_request(
    longton: Neighbourhood, spot: Hotspot, today: date
) -> tuple[Neighbourhood, RequestDetails]:
    counts = ", ".join(
        f"{n} {CATEGORY_WORDS.get(c, c.replace('-', ' '))}" for c, n in spot.categories[:3]
    )
    return longton, RequestDetails(
        title=f"Evening patrols at {longton.name}'s busiest crime hotspot",
        problem=(
            f"The 250 m square {spot.key} had more recorded crime than anywhere else in "
            f"{longton.name} in {_month_words(spot.month)}, most often {spot.top()}. Residents and "
            "traders say it is worst in the evening after the shops close. We want visible "
            "patrols there, and in the two next busiest squares, in the evenings."
        ),
        link=ProblemLink.HOTSPOT,
        hotspot_cell=spot.key,
        cells=(spot.key, *spot.nearby),
        first_day=today,
        last_day=today + timedelta(days=13),
        hours_from=time(17),
        hours_to=time(22),
        tactic=Tactic.HIGH_VISIBILITY,
        officers_wanted=2,
        minutes_wanted=45,
        urgency=Urgency.HIGH,
        evidence=(
            f"{spot.crimes} crimes recorded in {spot.key} in {_month_words(spot.month)} "
            f"({counts}); police.uk street-level data."
        ),
    )


def _operation_request(
    longton: Neighbourhood, week: Operation, cells: list[str]
) -> tuple[Neighbourhood, RequestDetails]:
    return longton, RequestDetails(
        title=f"Reassurance patrols during {week.name}",
        problem=(
            "The mobile police station and the deputy commander's surgery bring people into "
            "Longton's centre all week. We want high-visibility patrols around the venues in "
            "the afternoon and early evening, so people see officers on foot and can talk to "
            "them, and to back up the week's enforcement."
        ),
        link=ProblemLink.OPERATION,
        operation=week,
        cells=cells,
        first_day=week.first_day,
        last_day=week.last_day,
        hours_from=time(15),
        hours_to=time(19),
        tactic=Tactic.HIGH_VISIBILITY,
        officers_wanted=2,
        minutes_wanted=60,
        urgency=Urgency.MEDIUM,
        evidence=(
            "The week's plan is agreed with Stoke-on-Trent City Council; last year's action "
            "week saw footfall in the town centre double on market days."
        ),
    )


def _school_request(
    hood: Neighbourhood, priority: Priority, cells: list[str], today: date
) -> tuple[Neighbourhood, RequestDetails]:
    monday = today + timedelta(days=(7 - today.weekday()) % 7 or 7)
    return hood, RequestDetails(
        title="Anti-social behaviour at school closing time",
        problem=(
            f"Our priority: {strip_tags(priority.issue).strip()} Groups of young people gather "
            "at the shops near the secondary school when it closes, and there have been fights "
            "and damage to the bus shelter. We would like a visible presence for the hour "
            "after the school day ends, every weekday for a week."
        ),
        link=ProblemLink.PRIORITY,
        priority=priority,
        cells=cells,
        first_day=monday,
        last_day=monday + timedelta(days=4),
        hours_from=time(14, 45),
        hours_to=time(16, 15),
        tactic=Tactic.HIGH_VISIBILITY,
        officers_wanted=2,
        minutes_wanted=60,
        urgency=Urgency.MEDIUM,
        evidence=(
            "Eleven calls about groups and two reports of damage in the last four weeks, all "
            "between 3pm and 4pm on school days; the school has asked for help."
        ),
    )


def _repeat_victim_request(
    hood: Neighbourhood, cells: list[str], today: date
) -> tuple[Neighbourhood, RequestDetails]:
    year = f"{today:%y}"
    return hood, RequestDetails(
        title="Visits to a repeat victim of criminal damage",
        problem=(
            "An older resident's car and windows have been damaged four times in two months. "
            "We want an officer to call in the evening, reassure them and see the street, "
            "while we work with housing on a camera."
        ),
        link=ProblemLink.REPEAT_VICTIM,
        repeat_victim_reference=f"CRI/40213/{year}",
        cells=cells[:1],
        first_day=today + timedelta(days=2),
        last_day=today + timedelta(days=9),
        hours_from=time(18),
        hours_to=time(21),
        tactic=Tactic.REPEAT_VICTIM,
        officers_wanted=1,
        minutes_wanted=20,
        urgency=Urgency.HIGH,
        evidence=f"Four crimes in two months, the latest CRI/40213/{year}; a vulnerable victim.",
    )


def _declined_request(
    hood: Neighbourhood, priority: Priority | None, cells: list[str], today: date
) -> tuple[Neighbourhood, RequestDetails]:
    linked = {"link": ProblemLink.PRIORITY, "priority": priority} if priority else {}
    if not linked:
        linked = {"link": ProblemLink.HOTSPOT, "hotspot_cell": cells[0]}
    return hood, RequestDetails(
        title="Plain-clothes patrol for shoplifting in the town centre",
        problem=(
            "Shoplifting from the town-centre shops is up, and some of it is organised. We "
            "would like plain-clothes officers to watch the shops on Saturday afternoons."
        ),
        cells=cells,
        first_day=today + timedelta(days=(5 - today.weekday()) % 7 or 7),
        last_day=today + timedelta(days=(5 - today.weekday()) % 7 or 7) + timedelta(days=7),
        hours_from=time(12),
        hours_to=time(17),
        tactic=Tactic.PLAIN_CLOTHES,
        officers_wanted=2,
        minutes_wanted=120,
        urgency=Urgency.LOW,
        evidence="Shop staff report the same faces; the stores have not yet shared footage.",
        **linked,  # type: ignore[arg-type]
    )


DECLINE_REASON = (
    "Our plain-clothes officers are committed to the Longton action week on those days. Please "
    "ask the stores for their footage first, then bring this to the next tasking meeting."
)


def _cells(hood: Neighbourhood, spot: Hotspot | None) -> list[str]:
    if spot is not None:
        return [spot.key, *spot.nearby]
    if hood.centre_lat is None or hood.centre_lng is None:
        return []
    return [cell_at(latitude=float(hood.centre_lat), longitude=float(hood.centre_lng)).key]


def _week_cells(week: Operation, fallback: list[str]) -> list[str]:
    """The cells of the week's venues (those with a place), else ``fallback``."""
    keys = [
        cell_at(latitude=float(a.latitude), longitude=float(a.longitude)).key
        for a in week.activities.all()
        if a.latitude is not None and a.longitude is not None
    ]
    return list(dict.fromkeys(keys))[:6] or fallback


def _requests(force: Force, sergeant: User, today: date) -> list[TaskingRequest]:
    police = Organisation.objects.filter(name=POLICE).first() or organisation_create(
        name=POLICE, kind=OrganisationKind.POLICE_FORCE, force=force
    )
    hoods = npt_neighbourhoods(force)
    if not hoods:
        return []
    longton, second, third = (hoods * 3)[:3]
    spots = {hood.pk: hotspot_of(hood) for hood in {longton, second, third}}
    wanted: list[tuple[tuple[Neighbourhood, RequestDetails], str]] = []
    spot = spots[longton.pk]
    if spot is not None:
        wanted.append((_hotspot_request(longton, spot, today), "approve"))
    week = (
        Operation.objects.filter(force=force, sample=True, neighbourhoods=longton)
        .filter(first_day__gte=today)
        .order_by("first_day")
        .first()
    )
    if week is not None:
        cells = _week_cells(week, _cells(longton, spot))
        wanted.append((_operation_request(longton, week, cells), "approve"))
    priority = _priority(second)
    second_cells = _cells(second, spots[second.pk])
    if priority is not None and second_cells:
        wanted.append((_school_request(second, priority, second_cells, today), ""))
    third_cells = _cells(third, spots[third.pk])
    if third_cells:
        wanted.append((_repeat_victim_request(third, third_cells, today), ""))
        declined = _declined_request(third, _priority(third), third_cells, today)
        wanted.append((declined, "decline"))
    made = []
    for (hood, details), decision in wanted:
        try:
            request = request_create(
                user=_requester(hood, police), neighbourhood=hood, details=details
            )
            if decision == "approve":
                request_approve(user=sergeant, request=request, reason="Approved at tasking.")
            elif decision == "decline":
                request_decline(user=sergeant, request=request, reason=DECLINE_REASON)
        except ValidationError as error:
            logger.warning("Sample request %r not made: %s", details.title, error)
            continue
        made.append(request)
    TaskingRequest.objects.filter(pk__in=[r.pk for r in made]).update(sample=True)
    return made


def _plan(
    sergeant: User, force: Force, day: date, late: ShiftKind, seed: int, time_limit: float
) -> PatrolPlan | None:
    try:
        plan = plan_make(
            user=sergeant,
            force=force,
            date=day,
            shift_kind=late,
            unit=Unit.NTT,
            seed=seed,
            time_limit=time_limit,
        )
        plan = plan_issue(user=sergeant, plan=plan)
    except ValidationError as error:
        logger.warning("Sample patrol plan for %s not made: %s", day, error)
        return None
    PatrolPlan.objects.filter(pk=plan.pk).update(sample=True)
    plan.sample = True
    return plan


def _results(plan: PatrolPlan, sergeant: User, seed: str) -> int:
    """Log a seeded, realistic mix of results on most of the plan's visits: each by the officer
    on it where they have an account, else by the sergeant."""
    rng = random.Random(seed)  # noqa: S311 - sample figures
    logged = 0
    for visit in plan.visits.select_related("officer__user", "plan").order_by("starts", "pk"):
        if rng.random() < UNLOGGED_SHARE:
            continue
        if rng.random() < NOT_DONE_SHARE:
            details = VisitResultDetails(done=False, not_done_reason=rng.choice(NOT_DONE_REASONS))
        else:
            details = VisitResultDetails(
                done=True,
                minutes_in_place=rng.randint(12, 20),
                stop_searches=int(rng.random() < 0.08),
                arrests=int(rng.random() < 0.05),
                intelligence_submitted=int(rng.random() < 0.15),
                people_engaged=rng.choice((0, 0, 1, 2, 2, 3, 4, 6)),
                repeat_victims_contacted=int(
                    visit.place.request_id is not None and rng.random() < 0.3
                ),
            )
        user = visit.officer.user or sergeant
        visit_result_log(user=user, visit=visit, details=details)
        logged += 1
    return logged


def demo_tasking_requests_fresh(*, force_id: str, today: date | None = None) -> bool:
    """Whether the sample requests were made today (so their days are still to come)."""
    today = today or timezone.localdate()
    return TaskingRequest.objects.filter(
        sample=True, force_id=force_id, created_at__date=today
    ).exists()


def demo_tasking_plans_fresh(*, force_id: str, today: date | None = None) -> bool:
    """Whether the sample plans were made today (so "tomorrow" is still tomorrow): tomorrow's,
    made last, is there (a worker stopped half-way leaves it to the next start)."""
    today = today or timezone.localdate()
    return PatrolPlan.objects.filter(
        sample=True,
        force_id=force_id,
        date=today + timedelta(days=1),
        created_at__date=today,
    ).exists()


@transaction.atomic
def demo_tasking_requests_refresh(*, force_id: str, today: date | None = None) -> int:
    """Replace the sample requests (see the module's docstring); how many were made. Needs the
    tasking team (``sample_tasking.demo_tasking_refresh``) made first."""
    today = today or timezone.localdate()
    force = Force.objects.get(pk=force_id)
    TaskingRequest.objects.filter(force=force, sample=True).delete()
    sergeant = User.objects.filter(username=SERGEANT_USERNAME).first()
    if sergeant is None:
        return 0
    return len(_requests(force, sergeant, today))


def demo_tasking_plans_refresh(
    *, force_id: str, today: date | None = None, time_limit: float = DEMO_TIME_LIMIT
) -> DemoTaskingWorkSummary:
    """Replace the sample plans of yesterday's and tomorrow's late shifts, and yesterday's
    results (see the module's docstring), after the requests of the same day.

    Not one transaction: the first plan may make the month's harm forecast (half a minute or
    more on the demo's data, in the background worker), and a SQLite database must not stay
    locked for writing all that time. Each plan is stored in a transaction of its own."""
    today = today or timezone.localdate()
    force = Force.objects.get(pk=force_id)
    PatrolPlan.objects.filter(force=force, sample=True).delete()
    requests = TaskingRequest.objects.filter(force=force, sample=True).count()
    sergeant = User.objects.filter(username=SERGEANT_USERNAME).first()
    late = ShiftKind.objects.filter(force=force, slug="late").first()
    if sergeant is None or late is None:
        return DemoTaskingWorkSummary(requests, 0, 0, 0)
    plans = []
    results = 0
    yesterday = _plan(sergeant, force, today - timedelta(days=1), late, 1, time_limit)
    if yesterday is not None:
        plans.append(yesterday)
        with transaction.atomic():
            results = _results(yesterday, sergeant, f"results/{today}")
    tomorrow = _plan(sergeant, force, today + timedelta(days=1), late, 2, time_limit)
    if tomorrow is not None:
        plans.append(tomorrow)
    visits = sum(plan.visits.count() for plan in plans)
    return DemoTaskingWorkSummary(requests, len(plans), visits, results)
