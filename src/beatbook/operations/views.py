"""Operations' planning pages for staff and the public operation page. Thin: scope with a
selector, check with a form, change with a service, render.

An operation the user's organisations are not part of is a 404, the same answer as for one that
does not exist; a page that changes it, for someone who may only look, is a 403.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from beatbook.accounts.access import staff_required
from beatbook.accounts.models import User
from beatbook.operations import selectors, summaries
from beatbook.operations.models import Operation


def viewer(request: HttpRequest) -> User:
    """The signed-in member of staff, typed as ours: selectors scope every read by them."""
    user = request.user
    assert isinstance(user, User)  # staff_required let only a signed-in user through
    return user


def operation_for_viewer(request: HttpRequest, pk: int) -> Operation:
    """An operation the user may see, or 404."""
    found = selectors.operations_for_user(user=viewer(request)).filter(pk=pk)
    operation = found.select_related("kind", "force", "lead", "lead_organisation").first()
    if operation is None:
        raise Http404("Not an operation you are part of")
    return operation


@staff_required
def operation_list(request: HttpRequest) -> HttpResponse:
    operations = (
        selectors.operations_for_user(user=viewer(request))
        .select_related("kind", "lead_organisation")
        .order_by("-first_day", "name")
    )
    today = timezone.localdate()
    return render(
        request,
        "operations/list.html",
        {
            "nav_operations": True,
            "current": [o for o in operations if o.last_day >= today],
            "past": [o for o in operations if o.last_day < today],
        },
    )


@staff_required
def operation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    operation = operation_for_viewer(request, pk)
    user = viewer(request)
    activities = selectors.activities_for_user(user=user, operation=operation).prefetch_related(
        "organisations"
    )
    return render(
        request,
        "operations/detail.html",
        {
            "nav_operations": True,
            "operation": operation,
            "partners": operation.partners.select_related("organisation"),
            "activities": activities,
            "may_change": selectors.may_change_operation(user=user, operation=operation),
            "may_contribute": selectors.may_contribute(user=user, operation=operation),
        },
    )


def operation_public(request: HttpRequest, pk: int) -> HttpResponse:
    operation = get_object_or_404(
        selectors.public_operations().select_related("kind", "force", "lead_organisation"), pk=pk
    )
    activities = selectors.public_activities(operation=operation)
    public_figures = selectors.public_results(operation)
    now = timezone.now()
    return render(
        request,
        "operations/public.html",
        {
            "operation": operation,
            "coming": [a for a in activities if a.end >= now],
            "done": [a for a in activities if a.end < now],
            "partners": operation.partners.select_related("organisation"),
            "public_figures": public_figures,
            "what_we_did": summaries.what_we_did(public_figures) if public_figures else [],
        },
    )
