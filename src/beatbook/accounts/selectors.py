"""Reads that decide what a person may see: the scoping chokepoints every restricted view uses.

A membership counts only for a member of staff (``access.is_staff_member``): someone whose staff
status was taken away, or whose account was deactivated, reaches nothing through the
memberships they still hold, whatever page, service or command asks.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Q, QuerySet

from beatbook.accounts.access import is_staff_member
from beatbook.accounts.models import TEAM_ROLES, Membership, User
from beatbook.places.models import Force, Neighbourhood


def memberships_for_user(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation", "force")
        .prefetch_related("neighbourhoods")
    )


def forces_for_user(*, user: User) -> QuerySet[Force]:
    """Forces in which the user holds any role (all forces for a superuser); none for anyone
    who is not a member of staff."""
    if not is_staff_member(user):
        return Force.objects.none()
    if user.is_superuser:
        return Force.objects.all()
    return Force.objects.filter(memberships__user=user).distinct()


def neighbourhoods_for_user(
    *, user: User, roles: Collection[str] | None = None
) -> QuerySet[Neighbourhood]:
    """Neighbourhoods the user works in, through a membership in any of ``roles`` (any role when
    ``roles`` is None; every neighbourhood for a superuser).

    A membership with named neighbourhoods reaches only those; one without reaches its whole force.
    Someone who is not a member of staff reaches none.
    """
    if not is_staff_member(user):
        return Neighbourhood.objects.none()
    if user.is_superuser:
        return Neighbourhood.objects.all()
    memberships = Membership.objects.filter(user=user)
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    force_wide = memberships.filter(neighbourhoods=None).exclude(force=None).values("force")
    named = memberships.values("neighbourhoods")
    return Neighbourhood.objects.filter(Q(force__in=force_wide) | Q(pk__in=named)).distinct()


def team_neighbourhoods_for_user(*, user: User) -> QuerySet[Neighbourhood]:
    """Neighbourhoods where the user acts for the team (a membership in one of ``TEAM_ROLES``):
    they may change its workspace and answer its residents. Elsewhere in
    ``neighbourhoods_for_user`` they may only look."""
    return neighbourhoods_for_user(user=user, roles=TEAM_ROLES)
