"""The rota and what is taken from it: officers' duties, abstractions from neighbourhood duty,
the hours each officer is free to be planned, and the share of neighbourhood hours abstracted
(the Guarantee page's measure).

Writes (``duty_add``, ``roster_add``, ``abstraction_record``...) check everything before they
change anything, in one transaction, and raise ``ValidationError`` by field. Who may call them
is the caller's check (``tasking.selectors``).

**Abstractions are hours, not times.** A team records "4 hours of response cover on Tuesday",
not when. For planning, ``officers_available`` takes an abstraction's hours from the *start* of
the officer's first duty that day: an officer is most often pulled away at briefing (to cover
response, custody or an event) and comes back to neighbourhood work, so their later hours are
the ones to plan. Taking the hours from the start never plans a visit in hours the officer did
not have, whichever part of the shift they actually lost, once the plan is made on the day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from beatbook.accounts.models import User
from beatbook.places.models import Force, Neighbourhood
from beatbook.tasking.models import (
    Abstraction,
    AbstractionReason,
    Duty,
    Officer,
    ShiftKind,
    Unit,
)
from beatbook.tasking.shifts import shift_times

# The longest stretch one roster puts officers on in one go: about two four-week rota cycles.
ROSTER_MAX_DAYS = 62
HOUR = timedelta(hours=1)
Interval = tuple[datetime, datetime]


def _day(value: date) -> str:
    return f"{value:%A} {value.day} {value:%B %Y}"


# --- Duties ----------------------------------------------------------------------------------


def _duty_problem(officer: Officer, kind: ShiftKind, day: date) -> str | None:
    """Why the officer cannot be put on this shift on this day, or None."""
    if not officer.active:
        return f"{officer.name} has left, so cannot be put on the rota"
    if kind.force_id != officer.force_id:
        return f"The {kind.name.lower()} shift is another force's"
    starts, ends = shift_times(kind=kind, day=day)
    clash = (
        Duty.objects.filter(officer=officer, starts__lt=ends, ends__gt=starts)
        .select_related("shift_kind")
        .first()
    )
    if clash is None:
        return None
    if clash.shift_kind_id == kind.pk and clash.date == day:
        return f"{officer.name} is already on the {kind.name.lower()} shift on {_day(day)}"
    return (
        f"{officer.name} is on the {clash.shift_kind.name.lower()} shift from {_day(clash.date)}, "
        f"which overlaps the {kind.name.lower()} shift on {_day(day)}"
    )


@transaction.atomic
def duty_add(*, officer: Officer, kind: ShiftKind, day: date, sample: bool = False) -> Duty:
    """Put an officer on a shift on a day, with the times the force's shift has."""
    problem = _duty_problem(officer, kind, day)
    if problem is not None:
        raise ValidationError({"officer": problem})
    starts, ends = shift_times(kind=kind, day=day)
    return Duty.objects.create(
        officer=officer, date=day, shift_kind=kind, starts=starts, ends=ends, sample=sample
    )


@transaction.atomic
def duty_remove(*, duty: Duty) -> None:
    duty.delete()


def _roster_errors(
    officers: Sequence[Officer], first_day: date, last_day: date, days_of_week: set[int]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = defaultdict(list)
    if not officers:
        errors["officers"].append("Select at least one officer")
    if last_day < first_day:
        errors["last_day"].append("The last day must be the same as or after the first day")
    elif (last_day - first_day).days + 1 > ROSTER_MAX_DAYS:
        errors["last_day"].append(f"Put officers on at most {ROSTER_MAX_DAYS} days at once")
    if not days_of_week or not days_of_week <= set(range(7)):
        errors["weekdays"].append("Select at least one day of the week")
    return errors


@dataclass(frozen=True)
class RosterResult:
    made: int
    already_on: int


@transaction.atomic
def roster_add(
    *,
    officers: Sequence[Officer],
    kind: ShiftKind,
    first_day: date,
    last_day: date,
    weekdays: Iterable[int] = range(7),
    sample: bool = False,
) -> RosterResult:
    """Put officers on one shift for a run of days (only the ``weekdays`` given: 0 is Monday).

    A duty already on the rota is left as it is; any other clash (an overlapping shift, an
    officer who has left) refuses the whole roster, naming every clash, and makes nothing.
    """
    days_of_week = set(weekdays)
    errors = _roster_errors(officers, first_day, last_day, days_of_week)
    if errors:
        raise ValidationError(dict(errors))
    days = [
        first_day + timedelta(days=n)
        for n in range((last_day - first_day).days + 1)
        if (first_day + timedelta(days=n)).weekday() in days_of_week
    ]
    made = already = 0
    for officer in officers:
        for day in days:
            problem = _duty_problem(officer, kind, day)
            if problem is None:
                duty_add(officer=officer, kind=kind, day=day, sample=sample)
                made += 1
            elif Duty.objects.filter(officer=officer, date=day, shift_kind=kind).exists():
                already += 1
            else:
                errors["officers"].append(problem)
    if errors:
        # Raising leaves the transaction: the duties made above are not kept.
        shown = errors["officers"][:5]
        more = len(errors["officers"]) - len(shown)
        if more:
            shown.append(f"and {more} more clash{'es' if more > 1 else ''}")
        raise ValidationError({"officers": shown})
    return RosterResult(made=made, already_on=already)


def duty_hours_on(*, officer: Officer, day: date) -> Decimal | None:
    """The hours of the officer's duties starting on ``day``, or None if they have none."""
    duties = list(Duty.objects.filter(officer=officer, date=day).values_list("starts", "ends"))
    if not duties:
        return None
    seconds = sum((ends - starts).total_seconds() for starts, ends in duties)
    return Decimal(seconds) / Decimal(3600)


# --- Abstractions ----------------------------------------------------------------------------


@transaction.atomic
def abstraction_record(
    *,
    officer: Officer,
    day: date,
    reason: str,
    hours: Decimal,
    note: str = "",
    by: User | None = None,
    sample: bool = False,
) -> Abstraction:
    """Record hours a neighbourhood officer was taken from neighbourhood duty on a day.

    With everything already recorded for that day, they come to no more than the officer's
    duty hours that day when they are on the rota, or 24 hours when they are not (the rota
    may not be kept in Beatbook).
    """
    errors: dict[str, str] = {}
    if officer.unit != Unit.NPT:
        errors["officer"] = (
            f"{officer.name} is not on a neighbourhood team: only neighbourhood officers' "
            "abstractions are recorded"
        )
    if reason not in AbstractionReason.values:
        errors["reason"] = "Select why the officer was taken away"
    hours = Decimal(hours)
    if hours <= 0:
        errors["hours"] = "Enter the hours taken away, more than 0, like 4 or 2.5"
    elif hours != hours.quantize(Decimal("0.01")):
        errors["hours"] = "Enter hours to no more than two decimal places, like 2.25"
    else:
        duty = duty_hours_on(officer=officer, day=day)
        cap = duty if duty is not None else Decimal(24)
        before = officer.abstractions.filter(date=day).aggregate(total=Sum("hours"))["total"]
        before = before or Decimal(0)
        if before + hours > cap:
            what = f"{_hours(cap)} on duty" if duty is not None else "24 hours in a day"
            already = f" and {_hours(before)} are already recorded" if before else ""
            errors["hours"] = (
                f"{officer.name} has {what} on {_day(day)}{already}: enter "
                f"{_hours(cap - before)} or fewer"
            )
    if errors:
        raise ValidationError(errors)
    return Abstraction.objects.create(
        officer=officer,
        date=day,
        reason=reason,
        hours=hours,
        note=note.strip()[:300],
        recorded_by=by,
        sample=sample,
    )


def _hours(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return f"{text} hour{'' if value == 1 else 's'}"


@transaction.atomic
def abstraction_delete(*, abstraction: Abstraction) -> None:
    abstraction.delete()


# --- Availability, for the planner -----------------------------------------------------------


def _merge(intervals: list[Interval]) -> list[Interval]:
    """Sorted intervals, with those that touch or overlap joined (a late shift then a night)."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def officers_available(
    *,
    force: Force,
    starts: datetime,
    ends: datetime,
    unit: str,
    neighbourhood: Neighbourhood | None = None,
) -> list[tuple[Officer, list[Interval]]]:
    """The serving officers of a force's unit (one neighbourhood's team, if given) who are on
    duty in ``[starts, ends)``, each with the intervals they are free to be planned: their
    duties clipped to the window, less each day's abstracted hours taken from the start of that
    day's first duty (see the module's note). Officers with no free time are left out. Ordered
    by collar number; ``skills`` and ``station`` are fetched with them."""
    officers = Officer.objects.filter(force=force, unit=unit, active=True)
    if neighbourhood is not None:
        officers = officers.filter(neighbourhood=neighbourhood)
    overlapping = Duty.objects.filter(officer__in=officers, starts__lt=ends, ends__gt=starts)
    pairs = set(overlapping.values_list("officer_id", "date"))
    if not pairs:
        return []
    ids, days = {o for o, _ in pairs}, {d for _, d in pairs}
    # Every duty of those officers' days, not just those in the window: the abstracted hours
    # come off the day's first duty even when the window sees only a later one.
    by_day: dict[tuple[int, date], list[Interval]] = defaultdict(list)
    for officer_id, day, duty_starts, duty_ends in (
        Duty.objects.filter(officer_id__in=ids, date__in=days)
        .order_by("starts")
        .values_list("officer_id", "date", "starts", "ends")
    ):
        if (officer_id, day) in pairs:
            by_day[(officer_id, day)].append((duty_starts, duty_ends))
    abstracted = _abstracted_hours(list(ids), days)
    free: dict[int, list[Interval]] = defaultdict(list)
    for (officer_id, day), duties in by_day.items():
        lost = abstracted.get((officer_id, day), 0.0) * HOUR
        for duty_starts, duty_ends in duties:
            taken = min(lost, duty_ends - duty_starts)
            lost -= taken
            clipped = (max(duty_starts + taken, starts), min(duty_ends, ends))
            if clipped[0] < clipped[1]:
                free[officer_id].append(clipped)
    chosen = (
        officers.filter(pk__in=list(free))
        .select_related("station")
        .prefetch_related("skills")
        .order_by("collar_number")
    )
    return [(officer, _merge(free[officer.pk])) for officer in chosen]


def _abstracted_hours(officer_ids: list[int], days: set[date]) -> dict[tuple[int, date], float]:
    rows = (
        Abstraction.objects.filter(officer_id__in=officer_ids, date__in=days)
        .values("officer_id", "date")
        .annotate(total=Sum("hours"))
        .values_list("officer_id", "date", "total")
    )
    return {(officer_id, day): float(total) for officer_id, day, total in rows}


# --- The share of neighbourhood hours abstracted, per team and week ---------------------------


def recent_weeks(*, count: int = 8, today: date | None = None) -> list[date]:
    """The Mondays of the last ``count`` ISO weeks, this week last."""
    today = today or timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    return [this_monday - timedelta(weeks=n) for n in range(count - 1, -1, -1)]


@dataclass(frozen=True)
class AbstractionShare:
    """One neighbourhood team's week: the neighbourhood officers' rostered hours, the hours
    abstracted from them, and why. ``share`` is None when no duty hours are recorded."""

    neighbourhood_id: int
    neighbourhood_name: str
    week: date  # its Monday
    duty_hours: Decimal
    abstracted_hours: Decimal
    by_reason: dict[str, Decimal] = field(default_factory=dict)

    @property
    def week_label(self) -> str:
        year, number, _ = self.week.isocalendar()
        return f"{year}-W{number:02d}"

    @property
    def share(self) -> float | None:
        if not self.duty_hours:
            return None
        return float(self.abstracted_hours / self.duty_hours)

    @property
    def reasons(self) -> list[tuple[str, Decimal]]:
        """The reasons by their names, most hours first."""
        labels = dict(AbstractionReason.choices)
        ordered = sorted(self.by_reason.items(), key=lambda item: (-item[1], item[0]))
        return [(str(labels.get(reason, reason)), hours) for reason, hours in ordered]


def abstraction_shares(
    *, neighbourhoods: Iterable[Neighbourhood], weeks: Sequence[date]
) -> list[AbstractionShare]:
    """For each neighbourhood with any neighbourhood officer's duty or abstraction in the
    weeks, one row per week (weeks given by their Mondays): rostered hours are the duties
    starting that week of the officers now on its team; abstracted hours are theirs recorded
    for days of that week. Neighbourhoods with neither are left out: the page says so.
    Two queries, whatever the number of neighbourhoods."""
    by_id = {n.pk: n for n in neighbourhoods}
    mondays = sorted({w - timedelta(days=w.weekday()) for w in weeks})
    if not by_id or not mondays:
        return []
    first, last = mondays[0], mondays[-1] + timedelta(days=6)
    npt = Q(officer__unit=Unit.NPT, officer__neighbourhood_id__in=list(by_id))
    duty_hours: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
    for team, day, starts, ends in Duty.objects.filter(npt, date__range=(first, last)).values_list(
        "officer__neighbourhood_id", "date", "starts", "ends"
    ):
        seconds = Decimal((ends - starts).total_seconds())
        duty_hours[(team, day - timedelta(days=day.weekday()))] += seconds / 3600
    abstracted: dict[tuple[int, date], dict[str, Decimal]] = defaultdict(
        lambda: defaultdict(Decimal)
    )
    for team, day, reason, hours in Abstraction.objects.filter(
        npt, date__range=(first, last)
    ).values_list("officer__neighbourhood_id", "date", "reason", "hours"):
        abstracted[(team, day - timedelta(days=day.weekday()))][reason] += hours
    teams = {team for team, _ in duty_hours} | {team for team, _ in abstracted}
    rows = []
    for team in sorted(teams, key=lambda pk: (by_id[pk].name, pk)):
        for monday in mondays:
            reasons = dict(abstracted.get((team, monday), {}))
            rows.append(
                AbstractionShare(
                    neighbourhood_id=team,
                    neighbourhood_name=by_id[team].name,
                    week=monday,
                    duty_hours=duty_hours.get((team, monday), Decimal(0)),
                    abstracted_hours=sum(reasons.values(), Decimal(0)),
                    by_reason=reasons,
                )
            )
    return rows
