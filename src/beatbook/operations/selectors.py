"""Reads of operations: the one way to the public, and what each member of staff may see.

**The public.** Every public page, feed and API answer reads activities through
``public_activities`` and operations through ``public_operations``: the operation is public,
the activity is public, and its type is never a restricted one (checked here as well as by the
database, so a row written around the services still stays private).

**Staff.** A member of staff sees an operation when one of their organisations leads it or is
a partner in it (a superuser sees all). They see its restricted activities (enforcement,
warrants) only when their organisation is assigned to that activity. They may add to an
operation they see unless every role they hold there is read-only (an analyst); only the lead
organisation changes the operation itself.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q, QuerySet

from beatbook.accounts.access import is_staff_member
from beatbook.accounts.models import Membership, Organisation, Role, User
from beatbook.operations import operation_results
from beatbook.operations.models import RESTRICTED_TYPES, Activity, Operation
from beatbook.places.models import Neighbourhood

# Roles that may add activities, results and visits to an operation they are part of.
CONTRIBUTING_ROLES: tuple[str, ...] = (
    Role.ADMINISTRATOR,
    Role.NEIGHBOURHOOD_OFFICER,
    Role.NEIGHBOURHOOD_INSPECTOR,
    Role.TASKING_SERGEANT,
    Role.PARTNER,
)


# --- the public ------------------------------------------------------------------------------


def public_operations() -> QuerySet[Operation]:
    return Operation.objects.filter(public=True)


def public_activities(
    *,
    operation: Operation | None = None,
    neighbourhood: Neighbourhood | None = None,
    force_id: str | None = None,
    starting_from: datetime | None = None,
) -> QuerySet[Activity]:
    """Activities anyone may see, optionally of one operation, in one neighbourhood's area (the
    operation covers it), in one force, or ending at or after ``starting_from``."""
    found = Activity.objects.filter(public=True, operation__public=True).exclude(
        type__in=sorted(RESTRICTED_TYPES)
    )
    if operation is not None:
        found = found.filter(operation=operation)
    if neighbourhood is not None:
        found = found.filter(operation__in=_operations_covering(neighbourhood))
    if force_id is not None:
        found = found.filter(operation__force_id=force_id)
    if starting_from is not None:
        found = found.filter(end__gte=starting_from)
    return found.select_related("operation").order_by("start", "id")


def _operations_covering(neighbourhood: Neighbourhood) -> QuerySet[Operation]:
    """Operations chosen by this neighbourhood, or whose LSOAs include one of its LSOAs."""
    by_lsoa = Operation.objects.filter(lsoas__neighbourhoods=neighbourhood)
    chosen = Operation.objects.filter(neighbourhoods=neighbourhood)
    return Operation.objects.filter(Q(pk__in=chosen.values("pk")) | Q(pk__in=by_lsoa.values("pk")))


# --- staff -----------------------------------------------------------------------------------


def organisations_for_user(*, user: User, roles: tuple[str, ...] | None = None) -> list[int]:
    """The ids of the organisations the user acts for (none for anyone not a member of staff)."""
    if not is_staff_member(user):
        return []
    memberships = Membership.objects.filter(user=user)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return sorted(set(memberships.values_list("organisation_id", flat=True)))


def operations_for_user(*, user: User) -> QuerySet[Operation]:
    """Operations the user's organisations lead or are partners in (all, for a superuser)."""
    if not is_staff_member(user):
        return Operation.objects.none()
    if user.is_superuser:
        return Operation.objects.all()
    mine = organisations_for_user(user=user)
    return Operation.objects.filter(
        Q(lead_organisation_id__in=mine) | Q(partners__organisation_id__in=mine)
    ).distinct()


def activities_for_user(*, user: User, operation: Operation) -> QuerySet[Activity]:
    """The operation's activities the user may see: every unrestricted one, and restricted ones
    only where one of their organisations is assigned. None if they may not see the operation."""
    if not operations_for_user(user=user).filter(pk=operation.pk).exists():
        return Activity.objects.none()
    found = Activity.objects.filter(operation=operation)
    if not user.is_superuser:
        mine = organisations_for_user(user=user)
        found = found.filter(
            ~Q(type__in=sorted(RESTRICTED_TYPES)) | Q(organisations__in=mine)
        ).distinct()
    return found.order_by("start", "id")


def may_contribute(*, user: User, operation: Operation) -> bool:
    """Whether the user may add activities, results and door visits to the operation."""
    if not is_staff_member(user):
        return False
    if user.is_superuser:
        return True
    mine = organisations_for_user(user=user, roles=CONTRIBUTING_ROLES)
    return (
        operation.lead_organisation_id in mine
        or operation.partners.filter(organisation_id__in=mine).exists()
    )


def may_change_operation(*, user: User, operation: Operation) -> bool:
    """Whether the user may change the operation itself: its details, area, partners, and
    whether it is public. Only the lead organisation's contributors may."""
    if not is_staff_member(user):
        return False
    if user.is_superuser:
        return True
    return operation.lead_organisation_id in organisations_for_user(
        user=user, roles=CONTRIBUTING_ROLES
    )


def may_change_activity(*, user: User, activity: Activity) -> bool:
    """Whether the user may change an activity: a contributor whose organisation is assigned
    to it, or, for an unrestricted one, of the lead organisation."""
    if not may_contribute(user=user, operation=activity.operation):
        return False
    if user.is_superuser:
        return True
    mine = organisations_for_user(user=user, roles=CONTRIBUTING_ROLES)
    if activity.organisations.filter(pk__in=mine).exists():
        return True
    return not activity.restricted and activity.operation.lead_organisation_id in mine


def lead_organisations_for_user(*, user: User) -> QuerySet[Organisation]:
    """Organisations the user may start an operation for."""
    if not is_staff_member(user):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        pk__in=organisations_for_user(user=user, roles=CONTRIBUTING_ROLES)
    )


# --- publishing: the public's operations of a neighbourhood -----------------------------------


def public_operations_covering(
    *, neighbourhood: Neighbourhood, ending_from: date | None = None
) -> QuerySet[Operation]:
    """Public operations whose area covers the neighbourhood, newest first; with
    ``ending_from``, only those whose last day is on or after it (current and recent ones)."""
    found = public_operations().filter(pk__in=_operations_covering(neighbourhood).values("pk"))
    if ending_from is not None:
        found = found.filter(last_day__gte=ending_from)
    return found.select_related("kind").order_by("-first_day", "name")


# --- results (operation_results) -------------------------------------------------------------


def public_results(
    operation: Operation, *, today: date | None = None
) -> operation_results.OperationFigures | None:
    """The "what we did" figures anyone may see: nothing until the operation is public and its
    last day is over (Europe/London); then every activity's figures, one row per partner. A
    restricted activity's figures count in the totals, but the figures carry no activity's
    name, place or time."""
    if not operation.public or not operation_results.operation_ended(operation, today=today):
        return None
    return operation_results.operation_figures(operation)


def public_what_we_did_headline(operation: Operation, *, today: date | None = None) -> str:
    """The first sentence of the operation's public "what we did" (the whole operation in one
    sentence), or "" before it has ended or when nothing was recorded."""
    from beatbook.operations.summaries import what_we_did

    figures = public_results(operation, today=today)
    paragraphs = what_we_did(figures) if figures is not None else []
    return paragraphs[0] if paragraphs else ""
