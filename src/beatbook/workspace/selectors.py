"""Reads for the team's workspace, every one scoped to the neighbourhoods the user works in.

Scoping goes through ``beatbook.accounts.selectors.neighbourhoods_for_user`` only: a row in
another force's neighbourhood is simply not found, so the views answer 404 and change nothing.
Whether the user may change what they see there is ``team_neighbourhoods_for_user`` (a team
role, ``accounts.models.TEAM_ROLES``): each one-row read below carries it as ``can_edit``,
worked out in the same query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from beatbook.accounts.models import User
from beatbook.accounts.selectors import neighbourhoods_for_user, team_neighbourhoods_for_user
from beatbook.enquiries.models import Question
from beatbook.enquiries.selectors import questions_open_for_neighbourhoods
from beatbook.places.models import Neighbourhood
from beatbook.teams.models import Event, NeighbourhoodContact, Priority, TeamMember

# The Guarantee asks for priorities updated in the last three months.
REVIEW_AFTER_MONTHS = 3
UPCOMING_EVENTS_SHOWN = 3
UPCOMING_EVENTS_DAYS = 90


def months_before(moment: datetime, months: int) -> datetime:
    """The same time ``months`` calendar months earlier (31 May less 3 months is 28/29 February)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def review_cutoff(now: datetime | None = None) -> datetime:
    """Priorities last updated before this are due for review."""
    return months_before(now or timezone.now(), REVIEW_AFTER_MONTHS)


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


def can_edit(*, user: User, neighbourhood: str = "pk") -> Exists:
    """True where the row's neighbourhood (the field ``neighbourhood`` names) is one the user
    may change: for ``.annotate(can_edit=...)``."""
    return Exists(team_neighbourhoods_for_user(user=user).filter(pk=OuterRef(neighbourhood)))


def neighbourhood_for_user(*, user: User, pk: int) -> Neighbourhood:
    """One neighbourhood the user works in, with ``can_edit``; or ``Neighbourhood.DoesNotExist``."""
    return (
        neighbourhoods_for_user(user=user)
        .select_related("force")
        .annotate(can_edit=can_edit(user=user))
        .get(pk=pk)
    )


def team_member_for_user(*, user: User, pk: int) -> TeamMember:
    """One team member in the user's neighbourhoods, with ``can_edit``."""
    return (
        TeamMember.objects.select_related("neighbourhood__force")
        .annotate(can_edit=can_edit(user=user, neighbourhood="neighbourhood_id"))
        .get(pk=pk, neighbourhood__in=neighbourhoods_for_user(user=user))
    )


def priority_for_user(*, user: User, pk: int) -> Priority:
    """One priority in the user's neighbourhoods, with ``can_edit``."""
    return (
        Priority.objects.select_related("neighbourhood__force")
        .annotate(can_edit=can_edit(user=user, neighbourhood="neighbourhood_id"))
        .get(pk=pk, neighbourhood__in=neighbourhoods_for_user(user=user))
    )


def event_for_user(*, user: User, pk: int) -> Event:
    """One event in the user's neighbourhoods, with ``can_edit``."""
    return (
        Event.objects.select_related("neighbourhood__force")
        .annotate(can_edit=can_edit(user=user, neighbourhood="neighbourhood_id"))
        .get(pk=pk, neighbourhood__in=neighbourhoods_for_user(user=user))
    )


def team_for_neighbourhood(*, neighbourhood: Neighbourhood) -> QuerySet[TeamMember]:
    return TeamMember.objects.filter(neighbourhood=neighbourhood).order_by("order", "name", "pk")


def team_contact_details(*, neighbourhood: Neighbourhood) -> dict[str, str]:
    contact = NeighbourhoodContact.objects.filter(neighbourhood=neighbourhood).first()
    return dict(contact.contact_details) if contact else {}


def priorities_for_neighbourhood(*, neighbourhood: Neighbourhood) -> QuerySet[Priority]:
    """Newest issue first, each annotated with ``due_for_review``."""
    return (
        Priority.objects.filter(neighbourhood=neighbourhood)
        .annotate(due_for_review=Q(updated_at__lt=review_cutoff()))
        .order_by("-issue_date", "-pk")
    )


def events_for_neighbourhood(
    *, neighbourhood: Neighbourhood, past: bool = False
) -> QuerySet[Event]:
    """Upcoming (and running) events soonest first, or past ones newest first."""
    now = timezone.now()
    events = Event.objects.filter(neighbourhood=neighbourhood)
    running = Q(end__gte=now) | Q(end__isnull=True, start__gte=now)
    if past:
        return events.exclude(running).order_by("-start", "-pk")
    return events.filter(running).order_by("start", "pk")


@dataclass
class NeighbourhoodDashboard:
    """What one neighbourhood's team should look at today."""

    neighbourhood: Neighbourhood
    # From the team roles: whoever may change a neighbourhood's pages also answers its residents.
    can_edit: bool
    open_questions: list[Question] = field(default_factory=list)
    priorities_due: list[Priority] = field(default_factory=list)
    upcoming_events: list[Event] = field(default_factory=list)

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
    priorities_due: int


def dashboard_totals(*, user: User) -> DashboardTotals:
    """Counts across all the user's neighbourhoods, in five aggregate queries."""
    scope = neighbourhoods_for_user(user=user)
    now = timezone.now()
    team = team_neighbourhoods_for_user(user=user)  # always within scope: a subset of its roles
    counts = scope.aggregate(
        total=Count("pk"), editable=Count("pk", filter=Q(pk__in=team.values("pk")))
    )
    open_questions = Question.objects.filter(neighbourhood__in=team, status="open")
    return DashboardTotals(
        neighbourhoods=counts["total"],
        editable_neighbourhoods=counts["editable"],
        without_contactable_officer=scope.exclude(named_contactable_officer()).count(),
        open_questions=open_questions.count(),
        overdue_questions=open_questions.filter(due_at__lt=now).count(),
        priorities_due=Priority.objects.filter(
            neighbourhood__in=scope, updated_at__lt=review_cutoff(now)
        ).count(),
    )


def neighbourhood_dashboards(
    *, user: User, neighbourhoods: list[Neighbourhood]
) -> list[NeighbourhoodDashboard]:
    """Open questions (overdue first), priorities due for review and upcoming events for each of
    ``neighbourhoods`` (already scoped to the user): four queries however many there are."""
    ids = [n.pk for n in neighbourhoods]
    team = set(
        team_neighbourhoods_for_user(user=user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    boards = {n.pk: NeighbourhoodDashboard(n, can_edit=n.pk in team) for n in neighbourhoods}
    for question in questions_open_for_neighbourhoods(neighbourhood_ids=sorted(team)):
        boards[question.neighbourhood_id].open_questions.append(question)
    due = Priority.objects.filter(neighbourhood_id__in=ids, updated_at__lt=review_cutoff())
    for priority in due.order_by("updated_at", "pk"):
        boards[priority.neighbourhood_id].priorities_due.append(priority)
    for event in _upcoming_events(ids):
        shown = boards[event.neighbourhood_id].upcoming_events
        if len(shown) < UPCOMING_EVENTS_SHOWN:
            shown.append(event)
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
        .order_by("start", "pk")
    )
