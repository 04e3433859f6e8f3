"""Whether the navigation shows "Tasking": a context processor, so the base template (which
``ui`` owns and which must not ask ``tasking`` itself) gets a yes or no for the signed-in user.

The answer is a callable: a template calls it only where it is used (staff pages' navigation),
so pages that never ask do no query."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from beatbook.accounts.models import User
from beatbook.tasking.selectors import may_use_tasking


def tasking_navigation(request: HttpRequest) -> dict[str, Callable[[], bool]]:
    user = getattr(request, "user", None)

    def reachable() -> bool:
        return isinstance(user, User) and may_use_tasking(user=user)

    return {"tasking_reachable": reachable}
