"""Reads that decide what a person may see: the scoping chokepoints every restricted view uses."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from beatbook.accounts.models import Membership, User
from beatbook.places.models import Force, Neighbourhood


def memberships_for_user(*, user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation", "force")
        .prefetch_related("neighbourhoods")
    )


def forces_for_user(*, user: User) -> QuerySet[Force]:
    """Forces in which the user holds any role (all forces for a superuser)."""
    if not user.is_active:
        return Force.objects.none()
    if user.is_superuser:
        return Force.objects.all()
    return Force.objects.filter(memberships__user=user).distinct()


def neighbourhoods_for_user(*, user: User) -> QuerySet[Neighbourhood]:
    """Neighbourhoods the user works in.

    A membership with named neighbourhoods reaches only those; one without reaches its whole force.
    """
    if not user.is_active:
        return Neighbourhood.objects.none()
    if user.is_superuser:
        return Neighbourhood.objects.all()
    memberships = Membership.objects.filter(user=user)
    force_wide = memberships.filter(neighbourhoods=None).exclude(force=None).values("force")
    named = memberships.values("neighbourhoods")
    return Neighbourhood.objects.filter(Q(force__in=force_wide) | Q(pk__in=named)).distinct()
