"""Reads for the workspace's dashboard and Guarantee page, which span the teams, their residents'
questions and the places: every one scoped to the neighbourhoods the user works in.

Scoping goes through ``beatbook.accounts.selectors.neighbourhoods_for_user`` only. Whether the
user may change a neighbourhood (and so answers its residents) is the teams' rule,
``beatbook.teams.selectors.can_edit``; the one-row reads of the team's own pages are there too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from beatbook.accounts.models import User
from beatbook.accounts.selectors import neighbourhoods_for_user, team_neighbourhoods_for_user
from beatbook.enquiries.models import Question, QuestionStatus
from beatbook.enquiries.selectors import questions_open_for_neighbourhoods
from beatbook.places.models import Neighbourhood
from beatbook.surveys.survey_voice import NeighbourhoodVoice, neighbourhood_voices
from beatbook.teams.models import Event, NeighbourhoodContact, Priority, TeamMember
from beatbook.teams.selectors import can_edit, review_cutoff

UPCOMING_EVENTS_SHOWN = 3
UPCOMING_EVENTS_DAYS = 90
# A question is due soon in its last day of the Guarantee's 72 hours.
DUE_SOON = timedelta(hours=24)
# An event residents cannot act on: held in person with no address, or online with no way in.
UNPLACED = Q(online=False, address="") | Q(online=True, joining_details="")


def named_contactable_officer() -> Q:
    """A neighbourhood with a named team member who can be reached: by their own e-mail or
    telephone (or other channel), or through the team's shared contact details."""
    members = TeamMember.objects.filter(neighbourhood=OuterRef("pk"))
    member_contactable = members.exclude(contact_details={})
    team_contact = NeighbourhoodContact.objects.filter(neighbourhood=OuterRef("pk")).exclude(
        contact_details={}
    )
    return Q(Exists(member_contactable)) | (Q(Exists(members)) & Q(Exists(team_contact)))


def workspace_neighbourhoods(*, user: User) -> QuerySet[Neighbourhood]:
    """The user's neighbourhoods by force and name, each annotated with
    ``has_contactable_officer``."""
    return (
        neighbourhoods_for_user(user=user)
        .select_related("force")
        .only("pk", "name", "code", "force__name")
        .annotate(has_contactable_officer=named_contactable_officer())
        .order_by("force__name", "name", "pk")
    )


def forces_with_neighbourhoods(*, user: User) -> list[tuple[str, str]]:
    """(id, name) of each force in which the user works in at least one neighbourhood."""
    rows = (
        neighbourhoods_for_user(user=user)
        .order_by()
        .values_list("force_id", "force__name")
        .distinct()
    )
    return sorted(rows, key=lambda row: row[1])


@dataclass
class NeighbourhoodDashboard:
    """What one neighbourhood's team should look at today."""

    neighbourhood: Neighbourhood
    # From the team roles: whoever may change a neighbourhood's pages also answers its residents.
    can_edit: bool
    open_questions: list[Question] = field(default_factory=list)
    priorities_due: list[Priority] = field(default_factory=list)
    upcoming_events: list[Event] = field(default_factory=list)
    events_needing_attention: list[Event] = field(default_factory=list)
    # What residents told the latest closed wave of each survey covering it.
    survey_voices: list[NeighbourhoodVoice] = field(default_factory=list)

    @property
    def overdue_questions(self) -> int:
        overdue = [q for q in self.open_questions if getattr(q, "is_overdue", False)]
        return len(overdue)


@dataclass(frozen=True)
class DashboardTotals:
    neighbourhoods: int
    editable_neighbourhoods: int
    without_contactable_officer: int
    open_questions: int
    overdue_questions: int
    due_soon_questions: int
    priorities_due: int
    events_needing_attention: int


def events_needing_attention(now: datetime) -> QuerySet[Event]:
    """Events of the next ``UPCOMING_EVENTS_DAYS`` days (or running now) that residents cannot
    act on: held in person with no address, or online with no way to join."""
    horizon = now + timedelta(days=UPCOMING_EVENTS_DAYS)
    running = Q(end__gte=now) | Q(end__isnull=True, start__gte=now)
    return Event.objects.filter(running, UNPLACED, start__lte=horizon)


def dashboard_totals(*, user: User) -> DashboardTotals:
    """Counts across all the user's neighbourhoods, in five aggregate queries."""
    scope = neighbourhoods_for_user(user=user)
    now = timezone.now()
    team = team_neighbourhoods_for_user(user=user)  # always within scope: a subset of its roles
    counts = scope.aggregate(
        total=Count("pk"), editable=Count("pk", filter=Q(pk__in=team.values("pk")))
    )
    questions = Question.objects.filter(
        neighbourhood__in=team, status=QuestionStatus.OPEN
    ).aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(due_at__lt=now)),
        due_soon=Count("pk", filter=Q(due_at__gte=now, due_at__lt=now + DUE_SOON)),
    )
    return DashboardTotals(
        neighbourhoods=counts["total"],
        editable_neighbourhoods=counts["editable"],
        without_contactable_officer=scope.exclude(named_contactable_officer()).count(),
        open_questions=questions["open"],
        overdue_questions=questions["overdue"],
        due_soon_questions=questions["due_soon"],
        priorities_due=Priority.objects.filter(
            neighbourhood__in=scope, updated_at__lt=review_cutoff(now)
        ).count(),
        events_needing_attention=events_needing_attention(now)
        .filter(neighbourhood__in=scope)
        .count(),
    )


# --- Which neighbourhoods the dashboard lists, and in what order --------------------------

ALL, NEEDS_ACTION = "all", "action"
OVERDUE, DUE_SOON_SHOWN, PRIORITIES_DUE, EVENTS, NO_OFFICER = (
    "overdue",
    "due-soon",
    "priorities",
    "events",
    "no-officer",
)
SHOW_CHOICES = [
    (ALL, "All your neighbourhoods"),
    (NEEDS_ACTION, "Needing action"),
    (OVERDUE, "With overdue questions"),
    (DUE_SOON_SHOWN, "With questions due in the next 24 hours"),
    (PRIORITIES_DUE, "With priorities due for review"),
    (EVENTS, "With events needing attention"),
    (NO_OFFICER, "Without a contactable officer"),
]
# What each neighbourhood needs, most urgent first: the dashboard lists them in this order.
ACTION_OVERDUE, ACTION_DUE_SOON, ACTION_PRIORITIES, ACTION_EVENTS, ACTION_NONE = range(5)
_SHOWN = {
    NEEDS_ACTION: Q(action__lt=ACTION_NONE),
    OVERDUE: Q(overdue_questions__gt=0),
    DUE_SOON_SHOWN: Q(due_soon_questions__gt=0),
    PRIORITIES_DUE: Q(priorities_due__gt=0),
    EVENTS: Q(unplaced_events__gt=0),
    NO_OFFICER: Q(has_contactable_officer=False),
}


@dataclass(frozen=True)
class DashboardFilters:
    """What the dashboard's filters ask for: a part of a neighbourhood's name, which ones
    (one of ``SHOW_CHOICES``) and one force's (its id), each blank for all."""

    search: str = ""
    show: str = ALL
    force_id: str = ""

    @property
    def active(self) -> bool:
        return bool(self.search or self.force_id or self.show != ALL)


def _per_neighbourhood(rows: QuerySet[Any]) -> Coalesce:
    """How many of ``rows`` each neighbourhood has, as a correlated subquery (0 for none)."""
    counts = (
        rows.filter(neighbourhood=OuterRef("pk"))
        .order_by()
        .values("neighbourhood")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def _answered_here(value: Any, default: Any) -> Case:
    """``value`` where the user answers the neighbourhood's residents, else ``default``: the
    others' questions are not theirs to see, so they do not move a neighbourhood up."""
    return Case(When(answers=True, then=value), default=default)


def dashboard_neighbourhoods(
    *, user: User, filters: DashboardFilters, now: datetime | None = None
) -> QuerySet[Neighbourhood]:
    """The user's neighbourhoods as the dashboard lists them: what needs action first (overdue
    questions, then questions due in the next 24 hours, priorities due for review, events
    residents cannot act on), soonest deadline first, then by force and name; narrowed by
    ``filters``. One query, whatever the number of neighbourhoods."""
    now = now or timezone.now()
    open_questions = Question.objects.filter(status=QuestionStatus.OPEN)
    next_due = open_questions.filter(neighbourhood=OuterRef("pk")).order_by("due_at")
    rows = workspace_neighbourhoods(user=user).annotate(
        answers=can_edit(user=user),
        overdue_questions=_answered_here(
            _per_neighbourhood(open_questions.filter(due_at__lt=now)), Value(0)
        ),
        due_soon_questions=_answered_here(
            _per_neighbourhood(open_questions.filter(due_at__gte=now, due_at__lt=now + DUE_SOON)),
            Value(0),
        ),
        next_due=_answered_here(Subquery(next_due.values("due_at")[:1]), None),
        priorities_due=_per_neighbourhood(
            Priority.objects.filter(updated_at__lt=review_cutoff(now))
        ),
        unplaced_events=_per_neighbourhood(events_needing_attention(now)),
    )
    rows = rows.annotate(
        action=Case(
            When(overdue_questions__gt=0, then=Value(ACTION_OVERDUE)),
            When(due_soon_questions__gt=0, then=Value(ACTION_DUE_SOON)),
            When(priorities_due__gt=0, then=Value(ACTION_PRIORITIES)),
            When(unplaced_events__gt=0, then=Value(ACTION_EVENTS)),
            default=Value(ACTION_NONE),
            output_field=IntegerField(),
        )
    )
    if filters.search:
        rows = rows.filter(name__icontains=filters.search)
    if filters.force_id:
        rows = rows.filter(force_id=filters.force_id)
    if filters.show in _SHOWN:
        rows = rows.filter(_SHOWN[filters.show])
    return rows.order_by("action", F("next_due").asc(nulls_last=True), "force__name", "name", "pk")


def neighbourhood_dashboards(
    *, user: User, neighbourhoods: list[Neighbourhood]
) -> list[NeighbourhoodDashboard]:
    """Open questions (overdue first), priorities due for review and upcoming events for each of
    ``neighbourhoods`` (already scoped to the user), and what residents told the surveys covering
    them: four queries, and at most eight for the surveys, however many there are."""
    ids = [n.pk for n in neighbourhoods]
    team = set(
        team_neighbourhoods_for_user(user=user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    boards = {n.pk: NeighbourhoodDashboard(n, can_edit=n.pk in team) for n in neighbourhoods}
    soon = timezone.now() + DUE_SOON
    for question in questions_open_for_neighbourhoods(neighbourhood_ids=sorted(team)):
        question.is_due_soon = not question.is_overdue and question.due_at < soon  # type: ignore[attr-defined]
        boards[question.neighbourhood_id].open_questions.append(question)
    due = Priority.objects.filter(neighbourhood_id__in=ids, updated_at__lt=review_cutoff())
    for priority in due.order_by("updated_at", "pk"):
        boards[priority.neighbourhood_id].priorities_due.append(priority)
    for neighbourhood_id, voices in neighbourhood_voices(neighbourhoods=neighbourhoods).items():
        boards[neighbourhood_id].survey_voices = voices
    for event in _upcoming_events(ids):
        board = boards[event.neighbourhood_id]
        if event.unplaced:  # type: ignore[attr-defined]
            board.events_needing_attention.append(event)
        if len(board.upcoming_events) < UPCOMING_EVENTS_SHOWN:
            board.upcoming_events.append(event)
    return list(boards.values())


def _upcoming_events(neighbourhood_ids: list[int]) -> QuerySet[Event]:
    now = timezone.now()
    horizon = now + timedelta(days=UPCOMING_EVENTS_DAYS)
    running = Q(end__gte=now) | Q(end__isnull=True, start__gte=now)
    return (
        Event.objects.filter(running, neighbourhood_id__in=neighbourhood_ids, start__lte=horizon)
        .only(
            "pk",
            "neighbourhood_id",
            "title",
            "type",
            "start",
            "end",
            "address",
            "online",
            "joining_details",
        )
        .annotate(unplaced=UNPLACED)
        .order_by("start", "pk")
    )
