"""What came of tasking's patrols (issue 15, item 5): officers log each visit's result, tasking
sergeants record each request's outcome, and the pages read back dosage (minutes planned
against minutes delivered) and the team's results.

A visit has one result: logging it again replaces the one before (the page says so). Minutes
delivered are the logged minutes in place of visits done; minutes planned are each visit's
planned length.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from beatbook.accounts.models import User
from beatbook.common.months import month_name
from beatbook.places.models import Force, Neighbourhood
from beatbook.tasking.models import (
    NotDoneReason,
    PatrolPlan,
    PlanVisit,
    RequestOutcome,
    RequestStatus,
    TaskingRequest,
    Unit,
    VisitResult,
)
from beatbook.tasking.selectors import may_decide_request, may_log_result
from beatbook.tasking.shifts import LONDON

# Minutes in place may run past the visit's planned length (an arrest, a long conversation),
# but not by more than this: more is a typing slip.
MINUTES_OVER = 240
# The most of each count one visit can sensibly log; a larger figure is refused as a slip.
MOST: dict[str, int] = {
    "stop_searches": 50,
    "arrests": 50,
    "anpr_hits": 200,
    "intelligence_submitted": 50,
    "people_engaged": 500,
    "repeat_victims_contacted": 50,
}
COUNT_LABELS: dict[str, str] = {
    "stop_searches": "Stop and searches",
    "arrests": "Arrests",
    "anpr_hits": "ANPR hits",
    "intelligence_submitted": "Intelligence submitted",
    "people_engaged": "People engaged",
    "repeat_victims_contacted": "Repeat victims contacted",
}
NOTE_LENGTH = 300
OUTCOME_NOTE_LENGTH = 2000


@dataclass(frozen=True)
class VisitResultDetails:
    done: bool
    not_done_reason: str = ""
    not_done_note: str = ""
    minutes_in_place: int = 0
    stop_searches: int = 0
    arrests: int = 0
    anpr_hits: int = 0
    intelligence_submitted: int = 0
    people_engaged: int = 0
    repeat_victims_contacted: int = 0


def visit_minutes(visit: PlanVisit) -> int:
    """The visit's planned length in whole minutes."""
    return int((visit.ends - visit.starts).total_seconds() // 60)


def _checked(visit: PlanVisit, details: VisitResultDetails, now: datetime) -> None:
    errors = {**_done_errors(visit, details, now), **_count_errors(details)}
    if len(details.not_done_note) > NOTE_LENGTH:
        errors["not_done_note"] = f"Keep the reason to {NOTE_LENGTH} characters or fewer"
    if errors:
        raise ValidationError(errors)


def _done_errors(visit: PlanVisit, details: VisitResultDetails, now: datetime) -> dict[str, str]:
    errors: dict[str, str] = {}
    most_minutes = visit_minutes(visit) + MINUTES_OVER
    if details.done:
        if visit.starts > now:
            errors["done"] = "This visit has not started yet: it cannot be logged as done"
        if not 0 <= details.minutes_in_place <= most_minutes:
            errors["minutes_in_place"] = (
                f"Minutes in place must be between 0 and {most_minutes} for this visit"
            )
        return errors
    if details.not_done_reason not in NotDoneReason.values:
        errors["not_done_reason"] = "Select why the visit was not done"
    elif details.not_done_reason == NotDoneReason.OTHER and not details.not_done_note.strip():
        errors["not_done_note"] = "Say why the visit was not done"
    if details.minutes_in_place != 0:
        errors["minutes_in_place"] = "A visit not done has 0 minutes in place"
    return errors


def _count_errors(details: VisitResultDetails) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name, most in MOST.items():
        count = getattr(details, name)
        label = COUNT_LABELS[name]
        if not isinstance(count, int) or count < 0:
            errors[name] = f"{label} must be 0 or more"
        elif count > most:
            errors[name] = f"{label} must be {most} or fewer for one visit"
    return errors


@transaction.atomic
def visit_result_log(
    *, user: User, visit: PlanVisit, details: VisitResultDetails, now: datetime | None = None
) -> VisitResult:
    """Log what came of ``visit``, replacing any result logged before (one per visit).

    PermissionDenied unless ``tasking.selectors.may_log_result``; ValidationError, by field,
    for bad input, and nothing changes."""
    if not may_log_result(user=user, visit=visit):
        raise PermissionDenied("You may not log this visit's result")
    _checked(visit, details, now or timezone.now())
    values = {f.name: getattr(details, f.name) for f in fields(details)}
    if details.done:
        values["not_done_reason"] = ""
        values["not_done_note"] = ""
    else:
        values["not_done_note"] = details.not_done_note.strip()
    result, _ = VisitResult.objects.update_or_create(
        visit=visit, defaults={**values, "logged_by": user}
    )
    return result


@transaction.atomic
def request_outcome_set(
    *, user: User, request: TaskingRequest, outcome: str, note: str
) -> TaskingRequest:
    """Record what came of an approved request. Only the force's tasking sergeants may
    (``may_decide_request``); a request partly or not met needs a note saying why."""
    if not may_decide_request(user=user, request=request):
        raise PermissionDenied("Only the force's tasking sergeants record a request's outcome")
    errors: dict[str, str] = {}
    if request.status != RequestStatus.APPROVED:
        errors["outcome"] = "Only an approved request has an outcome"
    elif outcome not in RequestOutcome.values:
        errors["outcome"] = "Select the request's outcome"
    note = note.strip()
    if outcome in {RequestOutcome.PARTLY_MET, RequestOutcome.NOT_MET} and not note:
        errors["note"] = "Say what was not done, and why"
    if len(note) > OUTCOME_NOTE_LENGTH:
        errors["note"] = f"Keep the note to {OUTCOME_NOTE_LENGTH} characters or fewer"
    if errors:
        raise ValidationError(errors)
    request.outcome = outcome
    request.outcome_note = note
    request.save(update_fields=["outcome", "outcome_note", "updated_at"])
    return request


# --- Reads ------------------------------------------------------------------------------------


def day_start(day: date) -> datetime:
    """Midnight in London at the start of ``day``, as an aware time."""
    return datetime.combine(day, time(0), tzinfo=LONDON)


def visits_in(
    *,
    plans: QuerySet[PatrolPlan] | None = None,
    force: Force | None = None,
    since: date | None = None,
    until: date | None = None,
    neighbourhood: Neighbourhood | None = None,
) -> QuerySet[PlanVisit]:
    """The visits of ``plans`` (or of the force's plans) starting from ``since`` to ``until``
    (London days, both included), at places in ``neighbourhood`` or in its team's own plans."""
    if plans is None and force is None:
        raise ValueError("Name the plans or the force.")
    visits = PlanVisit.objects.all()
    if plans is not None:
        visits = visits.filter(plan__in=plans)
    if force is not None:
        visits = visits.filter(plan__force=force)
    if since is not None:
        visits = visits.filter(starts__gte=day_start(since))
    if until is not None:
        visits = visits.filter(starts__lt=day_start(until + timedelta(days=1)))
    if neighbourhood is not None:
        visits = visits.filter(
            Q(place__neighbourhood=neighbourhood) | Q(plan__neighbourhood=neighbourhood)
        )
    return visits.select_related(
        "plan__neighbourhood", "place__request", "officer", "result"
    ).order_by("starts", "pk")


@dataclass(frozen=True)
class DosageRow:
    key: str
    label: str
    planned: int  # minutes
    delivered: int  # minutes in place of visits done
    visits: int
    done: int

    @property
    def share(self) -> float | None:
        """Delivered as a share of planned (None when nothing was planned)."""
        return self.delivered / self.planned if self.planned else None

    @property
    def percent(self) -> int | None:
        share = self.share
        return None if share is None else round(share * 100)


@dataclass(frozen=True)
class Dosage:
    total: DosageRow
    places: tuple[DosageRow, ...]
    requests: tuple[DosageRow, ...]
    officers: tuple[DosageRow, ...]
    teams: tuple[DosageRow, ...]
    months: tuple[DosageRow, ...]


def team_label(plan: PatrolPlan) -> str:
    if plan.unit == Unit.NPT and plan.neighbourhood is not None:
        return f"{plan.neighbourhood.name} neighbourhood team"
    return "Tasking team (NTT)" if plan.unit == Unit.NTT else "Response"


def _delivered(visit: PlanVisit) -> tuple[int, bool]:
    result = getattr(visit, "result", None)
    if result is None or not result.done:
        return 0, False
    return result.minutes_in_place, True


def dosage(
    *,
    plans: QuerySet[PatrolPlan] | None = None,
    force: Force | None = None,
    since: date | None = None,
    until: date | None = None,
    neighbourhood: Neighbourhood | None = None,
) -> Dosage:
    """Minutes planned against minutes delivered, in all and per place, request, officer, team
    and month (of the visit's start, London time)."""
    visits = visits_in(
        plans=plans, force=force, since=since, until=until, neighbourhood=neighbourhood
    )
    groups: dict[str, dict[tuple[str, str], list[int]]] = defaultdict(dict)
    for visit in visits:
        planned = visit_minutes(visit)
        delivered, done = _delivered(visit)
        request = visit.place.request
        keys = {
            "total": ("all", "All visits"),
            "places": (visit.place.key, visit.place.key),
            "officers": (str(visit.officer_id), str(visit.officer)),
            "teams": (team_label(visit.plan), team_label(visit.plan)),
            "months": (
                month := f"{timezone.localtime(visit.starts, LONDON):%Y-%m}",
                month_name(month),
            ),
        }
        if request is not None:
            keys["requests"] = (str(request.pk), request.title)
        for group, key in keys.items():
            row = groups[group].setdefault(key, [0, 0, 0, 0])
            row[0] += planned
            row[1] += delivered
            row[2] += 1
            row[3] += int(done)
    total = _rows(groups["total"]) or (DosageRow("all", "All visits", 0, 0, 0, 0),)
    return Dosage(
        total=total[0],
        places=_rows(groups["places"], by_planned=True),
        requests=_rows(groups["requests"], by_planned=True),
        officers=_rows(groups["officers"]),
        teams=_rows(groups["teams"]),
        months=tuple(sorted(_rows(groups["months"]), key=lambda row: row.key)),
    )


def _rows(
    group: dict[tuple[str, str], list[int]], *, by_planned: bool = False
) -> tuple[DosageRow, ...]:
    rows = [DosageRow(key, label, *figures) for (key, label), figures in group.items()]
    if by_planned:
        rows.sort(key=lambda row: (-row.planned, row.label))
    else:
        rows.sort(key=lambda row: row.label)
    return tuple(rows)


@dataclass(frozen=True)
class PeriodResults:
    """The counts logged in a period, and the visits planned and done."""

    label: str
    counts: dict[str, int]
    planned: int
    done: int
    logged: int


@dataclass(frozen=True)
class TeamResults:
    total: PeriodResults
    months: tuple[PeriodResults, ...]
    requests_by_outcome: tuple[tuple[str, int], ...]


def _period(label: str, visits: Iterable[PlanVisit]) -> PeriodResults:
    counts = dict.fromkeys(MOST, 0)
    planned = done = logged = 0
    for visit in visits:
        planned += 1
        result = getattr(visit, "result", None)
        if result is None:
            continue
        logged += 1
        done += int(result.done)
        for name in MOST:
            counts[name] += getattr(result, name)
    return PeriodResults(label=label, counts=counts, planned=planned, done=done, logged=logged)


def team_results(
    *, force: Force, since: date, until: date, neighbourhood: Neighbourhood | None = None
) -> TeamResults:
    """What the force's patrols (or those in ``neighbourhood``) achieved from ``since`` to
    ``until``: the counts logged, visits planned and done, in all and by month, and the
    approved requests whose days fall in the period, by outcome."""
    visits = list(visits_in(force=force, since=since, until=until, neighbourhood=neighbourhood))
    by_month: dict[str, list[PlanVisit]] = defaultdict(list)
    for visit in visits:
        by_month[f"{timezone.localtime(visit.starts, LONDON):%Y-%m}"].append(visit)
    requests = TaskingRequest.objects.filter(
        force=force, status=RequestStatus.APPROVED, first_day__lte=until, last_day__gte=since
    )
    if neighbourhood is not None:
        requests = requests.filter(neighbourhood=neighbourhood)
    outcomes = dict.fromkeys(RequestOutcome.values, 0) | {"": 0}
    for outcome in requests.values_list("outcome", flat=True):
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    labels = dict(RequestOutcome.choices) | {"": "No outcome recorded yet"}
    return TeamResults(
        total=_period("All", visits),
        months=tuple(_period(month, by_month[month]) for month in sorted(by_month)),
        requests_by_outcome=tuple((labels[key], count) for key, count in outcomes.items()),
    )
