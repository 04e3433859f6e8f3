"""Reads for the team's staff pages, every one scoped to the neighbourhoods the user works in.

Scoping goes through ``beatbook.accounts.selectors.neighbourhoods_for_user`` only: a row in
another force's neighbourhood is simply not found, so the views answer 404 and change nothing.
Whether the user may change what they see there is ``team_neighbourhoods_for_user`` (a team
role, ``accounts.models.TEAM_ROLES``): each one-row read below carries it as ``can_edit``,
worked out in the same query. The workspace's dashboard and Guarantee page read the same
rules from here (``can_edit``, ``review_cutoff``).
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from beatbook.accounts.models import User
from beatbook.accounts.selectors import neighbourhoods_for_user, team_neighbourhoods_for_user
from beatbook.common.months import months_before
from beatbook.places.models import Neighbourhood
from beatbook.teams.models import Event, NeighbourhoodContact, Priority, TeamMember

# The Guarantee asks for priorities updated in the last three months.
REVIEW_AFTER_MONTHS = 3


def review_cutoff(now: datetime | None = None) -> datetime:
    """Priorities last updated before this are due for review."""
    return months_before(now or timezone.now(), REVIEW_AFTER_MONTHS)


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
