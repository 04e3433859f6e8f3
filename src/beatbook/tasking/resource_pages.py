"""What tasking's resource pages share (``resource_views``, ``resource_team_views``): the
signed-in user, the gate that keeps out whoever has no part in tasking, the refusal page, and
how a tasking sergeant's new officer, station or roster finds its force.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from beatbook.accounts.access import staff_required
from beatbook.accounts.models import User
from beatbook.places.models import Force
from beatbook.tasking import selectors

STAFF = "staff/tasking/"
View = Callable[..., HttpResponse]


def viewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # staff_required let only a signed-in user through
    return user


def refuse(request: HttpRequest, reason: str, status: int = 403) -> HttpResponse:
    context = {"nav_tasking": True, "reason": reason}
    return render(request, "tasking/resource_refused.html", context, status=status)


def tasking_required(view: View) -> View:
    """Staff with a part in tasking; others get a 403 that says why."""

    @staff_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.may_use_tasking(user=viewer(request)):
            return refuse(
                request, "Tasking is for tasking sergeants, neighbourhood teams and officers."
            )
        return view(request, *args, **kwargs)

    return wrapped


def render_page(
    request: HttpRequest, template: str, status: int = 200, **context: Any
) -> HttpResponse:
    context.setdefault("nav_tasking", True)
    form = context.get("form")
    if form is not None and form.errors:
        status = 400
    return render(request, f"tasking/{template}", context, status=status)


def sergeant_forces(request: HttpRequest) -> QuerySet[Force]:
    return selectors.tasking_forces_for_user(user=viewer(request)).order_by("name")


def chosen_force(request: HttpRequest) -> Force | None:
    """The force a sergeant's new officer, station or roster is for: the one asked for, or
    their only one (None: they have several and must choose)."""
    forces = sergeant_forces(request)
    asked = request.POST.get("force") or request.GET.get("force")
    if asked:
        return forces.filter(pk=asked).first()
    return forces.first() if forces.count() == 1 else None


def choose_force(request: HttpRequest, heading: str) -> HttpResponse:
    return render_page(
        request, "resource_force_choice.html", heading=heading, forces=sergeant_forces(request)
    )
