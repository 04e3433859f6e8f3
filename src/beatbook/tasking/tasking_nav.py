"""Whether the navigation shows "Tasking": a context processor, so the base template (which
``ui`` owns and which must not ask ``tasking`` itself) gets a yes or no for the signed-in user.

The answer is a callable: a template calls it only where it is used (staff pages' navigation),
so pages that never ask do no query."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, OuterRef
from django.http import HttpRequest

from beatbook.accounts.access import is_staff_member
from beatbook.accounts.models import Membership, User
from beatbook.tasking.models import Officer
from beatbook.tasking.selectors import REQUESTING_ROLES


def tasking_navigation(request: HttpRequest) -> dict[str, Callable[[], bool]]:
    user = getattr(request, "user", None)
    known: list[bool] = []  # asked once a request, however often the page asks

    def reachable() -> bool:
        if not known:
            known.append(_reachable())
        return known[0]

    def _reachable() -> bool:
        """``selectors.may_use_tasking`` in one query, as every staff page asks it: a member of
        staff with a tasking or team role, or with an officer record. (A membership of such a
        role always reaches a force or named neighbourhoods, so it is the same answer.)"""
        if not isinstance(user, User) or not is_staff_member(user):
            return False
        if user.is_superuser:
            return True
        role = Membership.objects.filter(user=OuterRef("pk"), role__in=REQUESTING_ROLES)
        officer = Officer.objects.filter(user=OuterRef("pk"), active=True)
        found = User.objects.filter(pk=user.pk).filter(Exists(role) | Exists(officer))
        return found.exists()

    return {"tasking_reachable": reachable}
