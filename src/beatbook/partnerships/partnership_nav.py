"""Whether the navigation shows "Partnerships": a context processor, so the base template (which
``ui`` owns and which must not ask ``partnerships`` itself) gets a yes or no for the signed-in
user: someone who can see at least one partnership (``selectors.partnerships_for_user``).

The answer is a callable: a template calls it only where it is used (staff pages' navigation),
so pages that never ask do no query."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from beatbook.accounts.models import User
from beatbook.partnerships.selectors import partnerships_for_user


def partnership_navigation(request: HttpRequest) -> dict[str, Callable[[], bool]]:
    user = getattr(request, "user", None)
    known: list[bool] = []  # asked once a request, however often the page asks

    def reachable() -> bool:
        if not known:
            known.append(isinstance(user, User) and partnerships_for_user(user=user).exists())
        return known[0]

    return {"partnerships_reachable": reachable}
