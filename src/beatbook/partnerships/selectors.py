"""Who may see and do what in a partnership: the one place every partnership page asks.

A partnership's people are the staff of its member organisations (``accounts`` memberships at an
organisation that is a member). Everyone there sees the partnership's pages, its assessment, its
plan and its meetings. Those who plan (``PLANNING_ROLES``) change the plan and the meetings; the
partnership's set-up (aim, area, members, publishing) is for administrators of a member
organisation. An action is updated by its owner organisation's people as well as by planners.
A superuser may do everything everywhere. Someone who is not a member of staff reaches nothing.
"""

from __future__ import annotations

from django.db.models import QuerySet

from beatbook.accounts.access import is_staff_member
from beatbook.accounts.models import Membership, Organisation, Role, User
from beatbook.partnerships.models import Action, Partnership

PLANNING_ROLES: tuple[str, ...] = (
    Role.ADMINISTRATOR,
    Role.ANALYST,
    Role.NEIGHBOURHOOD_INSPECTOR,
    Role.PARTNER,
)


def _memberships(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user)


def partnerships_for_user(*, user: User) -> QuerySet[Partnership]:
    """The partnerships whose pages ``user`` may open."""
    if not is_staff_member(user):
        return Partnership.objects.none()
    if user.is_superuser:
        return Partnership.objects.all()
    organisations = _memberships(user).values("organisation")
    return Partnership.objects.filter(members__organisation__in=organisations).distinct()


def _roles_in(user: User, partnership: Partnership) -> set[str]:
    member_organisations = partnership.members.exclude(organisation=None).values("organisation")
    roles = _memberships(user).filter(organisation__in=member_organisations)
    return set(roles.values_list("role", flat=True))


def may_see_partnership(*, user: User, partnership: Partnership) -> bool:
    if not is_staff_member(user):
        return False
    return bool(user.is_superuser or _roles_in(user, partnership))


def may_plan(*, user: User, partnership: Partnership) -> bool:
    """Whether ``user`` may change the plan, the meetings and their minutes."""
    if not is_staff_member(user):
        return False
    return bool(user.is_superuser or _roles_in(user, partnership) & set(PLANNING_ROLES))


def may_set_up(*, user: User, partnership: Partnership) -> bool:
    """Whether ``user`` may change the partnership's aim, area, members and publishing."""
    if not is_staff_member(user):
        return False
    return bool(user.is_superuser or Role.ADMINISTRATOR in _roles_in(user, partnership))


def organisations_for_user(*, user: User) -> QuerySet[Organisation]:
    """The organisations ``user`` works for (as a member of staff)."""
    if not is_staff_member(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user).distinct()


def may_update_action(*, user: User, action: Action) -> bool:
    """Planners, and the people of the organisation that owns the action."""
    if may_plan(user=user, partnership=action.partnership):
        return True
    return organisations_for_user(user=user).filter(pk=action.owner_id).exists()


def actions_for_user(*, user: User) -> QuerySet[Action]:
    """The actions assigned to the organisations ``user`` works for, in partnerships they see."""
    return Action.objects.filter(
        owner__in=organisations_for_user(user=user),
        partnership__in=partnerships_for_user(user=user),
    ).select_related("partnership", "owner", "objective", "meeting")


def published_partnerships() -> list[Partnership]:
    """The partnerships whose public page is shown, for anyone."""
    return list(Partnership.objects.filter(published=True).order_by("name"))
