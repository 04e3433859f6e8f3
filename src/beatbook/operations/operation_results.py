"""What an operation achieved: recording each activity's figures, and rolling them up with one
figure per partner (issue 14, ADR 18).

**Recording.** ``activity_results_record`` replaces one organisation's figures for one activity
with the counts given: a measure left out, or given as zero, has no row. It refuses, changing
nothing, a negative or non-whole count, an unknown measure, and an organisation that may not be
credited with the activity's results: one assigned to the activity, or, for an activity that is
not restricted, the operation's lead organisation.

**Door visits.** Entries logged at the door (``DoorVisit`` on the activity's routes) count by
themselves: each is one visit, an answered one is a door answered, and each referral ticked
counts towards its measure (``REFERRAL_MEASURES``). An entry is credited to the organisation of
the person who logged it: one of theirs assigned to the activity, else one of theirs taking part
in the operation, else the lead organisation (the lowest id where there are several).
**A figure recorded by hand replaces the door log, never adds to it**: for one activity,
organisation and measure, a recorded figure is the whole count (the visits on paper *and* on the
phone); where none is recorded, the door log's count is used. So nothing is counted twice, and a
visitor whose phone died can still give the total.

**Restricted activities** (enforcement, warrants). Their figures count in the totals ("12
arrests"), but no text or table ever names, places or times them. Until the operation's last day
has passed (in Europe/London) they are left out of everything that may be published (the "what
we did" texts, the PDF, the posts) and of the staff roll-up of anyone who may not see them; the
public "what we did" section shows nothing at all until then (``selectors.public_results``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from beatbook.accounts.models import Membership, Organisation, User
from beatbook.operations.models import (
    REFERRAL_MEASURES,
    RESTRICTED_TYPES,
    Activity,
    ActivityResult,
    DoorVisit,
    Measure,
    Operation,
)

LONDON = ZoneInfo("Europe/London")
# A count above this is a typing slip, not a week's work (and would overflow the column).
MOST = 1_000_000
MEASURES: tuple[str, ...] = tuple(Measure.values)
# The measures a door log can give; a hand figure for one of these replaces the log's.
DOOR_MEASURES: frozenset[str] = frozenset(
    {Measure.VISITS, Measure.DOORS_ANSWERED, *REFERRAL_MEASURES.values()}
)


# --- recording -------------------------------------------------------------------------------


def organisations_crediting(activity: Activity) -> QuerySet[Organisation]:
    """The organisations an activity's results may be credited to: those assigned to it, and the
    lead organisation unless the activity is restricted."""
    assigned = activity.organisations.values("pk")
    if activity.restricted:
        return Organisation.objects.filter(pk__in=assigned).order_by("name")
    lead = activity.operation.lead_organisation_id
    return Organisation.objects.filter(Q(pk__in=assigned) | Q(pk=lead)).order_by("name")


def _checked_count(measure: str, count: object) -> int:
    label = Measure(measure).label
    if isinstance(count, bool) or not isinstance(count, int):
        raise ValidationError({measure: f"{label} must be a whole number, like 3"})
    if count < 0:
        raise ValidationError({measure: f"{label} cannot be negative"})
    if count > MOST:
        raise ValidationError({measure: f"{label} must be {MOST:,} or fewer"})
    return count


def _checked_counts(counts: Mapping[str, object]) -> dict[str, int]:
    unknown = sorted(set(counts) - set(MEASURES))
    if unknown:
        raise ValidationError(f"Not a measure of results: {', '.join(unknown)}")
    errors: dict[str, list[str]] = {}
    checked: dict[str, int] = {}
    for measure, count in counts.items():
        try:
            checked[measure] = _checked_count(measure, count)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return checked


@transaction.atomic
def activity_results_record(
    *,
    activity: Activity,
    organisation: Organisation,
    counts: Mapping[str, object],
    by: User | None,
) -> list[ActivityResult]:
    """Replace ``organisation``'s figures for ``activity`` with ``counts`` (measure to count).

    Every count is checked before anything is written, so bad input changes nothing. A zero
    removes the row, as does a measure left out. Returns the rows now held, in measure order.
    """
    checked = _checked_counts(counts)
    if not organisations_crediting(activity).filter(pk=organisation.pk).exists():
        raise ValidationError(
            f"{organisation} is not assigned to this activity, so it cannot record its results"
        )
    mine = ActivityResult.objects.filter(activity=activity, organisation=organisation)
    kept = {measure: count for measure, count in checked.items() if count > 0}
    mine.exclude(measure__in=sorted(kept)).delete()
    for measure, count in kept.items():
        mine.update_or_create(
            activity=activity,
            organisation=organisation,
            measure=measure,
            defaults={"count": count, "recorded_by": by},
        )
    return sorted(mine, key=lambda row: MEASURES.index(row.measure))


# --- rolling up ------------------------------------------------------------------------------


class Figure(NamedTuple):
    """One count: of a measure, for an activity, credited to an organisation."""

    activity_id: int
    organisation_id: int
    measure: str
    number: int


def choose(recorded: Iterable[Figure], logged: Iterable[Figure]) -> dict[tuple[int, int, str], int]:
    """The figures that count, as ``(activity_id, organisation_id, measure) -> count``: a
    recorded figure replaces the logged one for the same activity, organisation and measure; a
    logged one with no recorded figure counts as it is. Pure, for tests."""
    chosen: dict[tuple[int, int, str], int] = defaultdict(int)
    for figure in logged:
        chosen[(figure.activity_id, figure.organisation_id, figure.measure)] += figure.number
    by_hand: dict[tuple[int, int, str], int] = defaultdict(int)
    for figure in recorded:
        by_hand[(figure.activity_id, figure.organisation_id, figure.measure)] += figure.number
    chosen.update(by_hand)
    return dict(chosen)


def combine(recorded: Iterable[Figure], logged: Iterable[Figure]) -> dict[tuple[int, str], int]:
    """The figures that count (``choose``), summed over activities to
    ``(organisation_id, measure) -> count``."""
    totals: dict[tuple[int, str], int] = defaultdict(int)
    for (_, organisation_id, measure), count in choose(recorded, logged).items():
        totals[(organisation_id, measure)] += count
    return dict(totals)


def _recorded(activity_ids: list[int]) -> list[Figure]:
    rows = ActivityResult.objects.filter(activity_id__in=activity_ids).values_list(
        "activity_id", "organisation_id", "measure", "count"
    )
    return [Figure(*row) for row in rows]


def _crediting(
    operation: Operation, activity_ids: list[int], logger_ids: set[int]
) -> dict[tuple[int, int | None], int]:
    """Which organisation each (activity, logger) pair's door entries are credited to."""
    taking_part = {operation.lead_organisation_id} | set(
        operation.partners.values_list("organisation_id", flat=True)
    )
    assigned: dict[int, set[int]] = defaultdict(set)
    pairs = Activity.objects.filter(pk__in=activity_ids).values_list("pk", "organisations")
    for activity_id, organisation_id in pairs:
        if organisation_id is not None:
            assigned[activity_id].add(organisation_id)
    theirs: dict[int, set[int]] = defaultdict(set)
    for user_id, organisation_id in Membership.objects.filter(user_id__in=logger_ids).values_list(
        "user_id", "organisation_id"
    ):
        theirs[user_id].add(organisation_id)
    credit: dict[tuple[int, int | None], int] = {}
    for activity_id in activity_ids:
        for logger_id in [*logger_ids, None]:
            own = theirs.get(logger_id, set()) if logger_id is not None else set()
            choices = (own & assigned[activity_id]) or (own & taking_part)
            credit[(activity_id, logger_id)] = (
                min(choices) if choices else operation.lead_organisation_id
            )
    return credit


def _logged(operation: Operation, activity_ids: list[int]) -> list[Figure]:
    entries = list(
        DoorVisit.objects.filter(route__activity_id__in=activity_ids).values_list(
            "route__activity_id", "logged_by_id", "answered", "referrals"
        )
    )
    loggers = {logger for _, logger, _, _ in entries if logger is not None}
    credit = _crediting(operation, activity_ids, loggers)
    figures: list[Figure] = []
    for activity_id, logger_id, answered, referrals in entries:
        organisation_id = credit[(activity_id, logger_id)]
        measures = [Measure.VISITS.value]
        if answered:
            measures.append(Measure.DOORS_ANSWERED.value)
        ticked = set(referrals) if isinstance(referrals, list) else set()
        measures += [REFERRAL_MEASURES[r] for r in sorted(ticked) if r in REFERRAL_MEASURES]
        figures += [Figure(activity_id, organisation_id, m, 1) for m in measures]
    return figures


@dataclass(frozen=True)
class PartnerFigures:
    """One organisation's figures: ``cells`` line up with ``OperationFigures.measures``."""

    organisation_id: int
    name: str
    lead: bool
    counts: dict[str, int]
    cells: list[int]

    @property
    def has_figures(self) -> bool:
        return any(self.counts.values())


@dataclass(frozen=True)
class OperationFigures:
    """An operation's roll-up: one row per organisation taking part (the lead first), one
    column per measure with anything to show, and the totals."""

    name: str
    first_day: date
    last_day: date
    measures: list[tuple[str, str]]
    partners: list[PartnerFigures]
    totals: dict[str, int]
    total_cells: list[int]
    includes_restricted: bool

    @property
    def has_figures(self) -> bool:
        return bool(self.measures)

    @property
    def by_measure(self) -> list[tuple[str, list[int], int]]:
        """The table turned round: one row per measure, its label, each partner's count (in
        the order of ``partners``) and the total."""
        return [
            (label, [p.counts[m] for p in self.partners], self.totals[m])
            for m, label in self.measures
        ]


def operation_ended(operation: Operation, *, today: date | None = None) -> bool:
    """Whether the operation's last day is over, in Europe/London."""
    today = today or timezone.now().astimezone(LONDON).date()
    return operation.last_day < today


def operation_figures(
    operation: Operation, *, activities: QuerySet[Activity] | None = None
) -> OperationFigures:
    """Roll up the figures of ``activities`` (all the operation's, by default): recorded
    figures and door logs, one row per organisation taking part, in measure order."""
    chosen = activities if activities is not None else operation.activities.all()
    found = list(chosen.filter(operation=operation).order_by().values_list("pk", "type").distinct())
    activity_ids = [pk for pk, _ in found]
    summed = combine(_recorded(activity_ids), _logged(operation, activity_ids))
    return _table(
        operation, summed, includes_restricted=any(t in RESTRICTED_TYPES for _, t in found)
    )


def _organisations(operation: Operation) -> list[tuple[int, str, bool]]:
    lead = operation.lead_organisation
    partners = operation.partners.select_related("organisation").order_by("organisation__name")
    return [(lead.pk, lead.name, True)] + [
        (p.organisation_id, p.organisation.name, False) for p in partners
    ]


def _table(
    operation: Operation, summed: dict[tuple[int, str], int], *, includes_restricted: bool
) -> OperationFigures:
    organisations = _organisations(operation)
    known = {pk for pk, _, _ in organisations}
    extra = sorted({pk for pk, _ in summed} - known)  # a former partner's figures still count
    organisations += [
        (o.pk, o.name, False) for o in Organisation.objects.filter(pk__in=extra).order_by("name")
    ]
    totals = dict.fromkeys(MEASURES, 0)
    for (_, measure), count in summed.items():
        totals[measure] += count
    shown = [m for m in MEASURES if totals[m] > 0]
    partners = []
    for pk, name, lead in organisations:
        counts = {m: summed.get((pk, m), 0) for m in shown}
        partners.append(PartnerFigures(pk, name, lead, counts, [counts[m] for m in shown]))
    return OperationFigures(
        name=operation.name,
        first_day=operation.first_day,
        last_day=operation.last_day,
        measures=[(m, Measure(m).label) for m in shown],
        partners=partners,
        totals={m: totals[m] for m in shown},
        total_cells=[totals[m] for m in shown],
        includes_restricted=includes_restricted,
    )


def publishable_activities(
    operation: Operation, *, today: date | None = None
) -> QuerySet[Activity]:
    """The activities whose figures may go into texts meant for the public: all of them once
    the operation has ended; before then, none of the restricted ones."""
    activities = operation.activities.all()
    if operation_ended(operation, today=today):
        return activities
    return activities.exclude(type__in=sorted(RESTRICTED_TYPES))


def logged_counts(activity: Activity) -> dict[tuple[int, str], int]:
    """The door log's counts for one activity, as ``(organisation_id, measure) -> count``."""
    return combine([], _logged(activity.operation, [activity.pk]))


def activity_totals(operation: Operation, activity_ids: list[int]) -> dict[int, dict[str, int]]:
    """Each activity's figures that count, all organisations together: ``activity_id ->
    {measure: count}``, measures in order and none that is zero."""
    chosen = choose(_recorded(activity_ids), _logged(operation, activity_ids))
    found: dict[int, dict[str, int]] = {pk: {} for pk in activity_ids}
    for measure in MEASURES:
        for (activity_id, _, m), count in chosen.items():
            if m == measure and count > 0:
                found[activity_id][m] = found[activity_id].get(m, 0) + count
    return found
