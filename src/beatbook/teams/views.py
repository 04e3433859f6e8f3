"""The team's staff pages: the team, its priorities and its events. Thin: scope with a selector,
check with a form, change with a service, render. Anything outside the user's neighbourhoods is a
404 and nothing changes; a page that changes something, in a neighbourhood where the user's role
is read-only (analysts, partners), is a 403 for GET and POST alike and nothing changes either.

The workspace's dashboard and Guarantee page (``beatbook.workspace``) link here and use
``viewer``; this module knows them only by URL name, never by import."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from beatbook.accounts.access import staff_required
from beatbook.accounts.models import User
from beatbook.places.models import Neighbourhood
from beatbook.teams import selectors, services
from beatbook.teams.forms import (
    EventForm,
    PriorityForm,
    TeamContactForm,
    TeamMemberForm,
    add_service_errors,
)
from beatbook.teams.models import Event, Priority, TeamMember


def viewer(request: HttpRequest) -> User:
    """The signed-in member of staff, typed as ours: selectors scope every read by them."""
    user = request.user
    assert isinstance(user, User)  # staff_required let only a signed-in user through
    return user


def _scoped(getter: Callable[..., Any], request: HttpRequest, pk: int) -> Any:
    """A row in the user's neighbourhoods, or 404 (the same answer as for one that is absent)."""
    try:
        return getter(user=viewer(request), pk=pk)
    except ObjectDoesNotExist:
        raise Http404("Not found in your neighbourhoods") from None


def _neighbourhood(request: HttpRequest, pk: int) -> Neighbourhood:
    neighbourhood: Neighbourhood = _scoped(selectors.neighbourhood_for_user, request, pk)
    return neighbourhood


def _read_only(request: HttpRequest, row: Any) -> HttpResponse:
    neighbourhood = row if isinstance(row, Neighbourhood) else row.neighbourhood
    context = {"nav_workspace": True, "neighbourhood": neighbourhood}
    return render(request, "teams/read_only.html", context, status=403)


EditingView = Callable[[HttpRequest, Any], HttpResponse]


def _editing(getter: Callable[..., Any]) -> Callable[[EditingView], Callable[..., HttpResponse]]:
    """For a page that changes the row ``getter`` finds by the URL's ``pk``: staff only; 404
    outside the user's neighbourhoods; 403, before anything is read from the request, where the
    user's role in the row's neighbourhood is read-only. The view gets the row."""

    def decorate(view: EditingView) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, pk: int) -> HttpResponse:
            row = _scoped(getter, request, pk)
            if not row.can_edit:
                return _read_only(request, row)
            return view(request, row)

        return staff_required(wrapped)

    return decorate


def _save_form(
    request: HttpRequest,
    form: Any,
    save: Callable[..., object],
    *,
    success: str,
    next_url: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """Call ``save`` with the form's arguments on a valid POST; otherwise show the form again,
    with the service's objections on the right fields."""
    context = {**context, "nav_workspace": True}
    if request.method == "POST" and form.is_valid():
        try:
            save(**form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(next_url)
    context = {**context, "form": form, "back_url": next_url}
    return render(request, template, context, status=400 if form.errors else 200)


def _confirm_delete(
    request: HttpRequest,
    delete: Callable[[], None],
    *,
    thing: str,
    next_url: str,
    context: dict[str, Any],
) -> HttpResponse:
    context = {**context, "nav_workspace": True}
    if request.method == "POST":
        delete()
        messages.success(request, f"{thing[0].upper()}{thing[1:]} deleted")
        return redirect(next_url)
    return render(
        request,
        "teams/confirm_delete.html",
        {**context, "thing": thing, "cancel_url": next_url},
    )


# --- The team --------------------------------------------------------------------------------


@staff_required
def team(request: HttpRequest, pk: int) -> HttpResponse:
    neighbourhood = _neighbourhood(request, pk)
    context = {
        "nav_workspace": True,
        "neighbourhood": neighbourhood,
        "members": selectors.team_for_neighbourhood(neighbourhood=neighbourhood),
        "team_contact": selectors.team_contact_details(neighbourhood=neighbourhood),
    }
    return render(request, "teams/team.html", context)


@_editing(selectors.neighbourhood_for_user)
def team_contact_edit(request: HttpRequest, neighbourhood: Neighbourhood) -> HttpResponse:
    existing = selectors.team_contact_details(neighbourhood=neighbourhood)
    form = TeamContactForm(request.POST or None, existing=existing)
    return _save_form(
        request,
        form,
        lambda **args: services.neighbourhood_contact_set(neighbourhood=neighbourhood, **args),
        success="Team contact details saved",
        next_url=reverse("teams:team", args=[neighbourhood.pk]),
        template="teams/team_contact_form.html",
        context={"heading": "The team's contact details", "neighbourhood": neighbourhood},
    )


@_editing(selectors.neighbourhood_for_user)
def team_member_add(request: HttpRequest, neighbourhood: Neighbourhood) -> HttpResponse:
    form = TeamMemberForm(request.POST or None)
    return _save_form(
        request,
        form,
        lambda **args: services.team_member_create(neighbourhood=neighbourhood, **args),
        success="Team member added",
        next_url=reverse("teams:team", args=[neighbourhood.pk]),
        template="teams/team_member_form.html",
        context={"heading": "Add a team member", "neighbourhood": neighbourhood},
    )


@_editing(selectors.team_member_for_user)
def team_member_edit(request: HttpRequest, member: TeamMember) -> HttpResponse:
    form = TeamMemberForm(request.POST or None, member=member)
    return _save_form(
        request,
        form,
        lambda **args: services.team_member_update(member=member, **args),
        success="Team member saved",
        next_url=reverse("teams:team", args=[member.neighbourhood_id]),
        template="teams/team_member_form.html",
        context={"heading": "Change a team member", "neighbourhood": member.neighbourhood},
    )


@_editing(selectors.team_member_for_user)
def team_member_delete(request: HttpRequest, member: TeamMember) -> HttpResponse:
    return _confirm_delete(
        request,
        lambda: services.team_member_delete(member=member),
        thing=f"{member.rank} {member.name}",
        next_url=reverse("teams:team", args=[member.neighbourhood_id]),
        context={"neighbourhood": member.neighbourhood},
    )


# --- Priorities ------------------------------------------------------------------------------


@staff_required
def priorities(request: HttpRequest, pk: int) -> HttpResponse:
    neighbourhood = _neighbourhood(request, pk)
    context = {
        "nav_workspace": True,
        "neighbourhood": neighbourhood,
        "priorities": selectors.priorities_for_neighbourhood(neighbourhood=neighbourhood),
        "review_after_months": selectors.REVIEW_AFTER_MONTHS,
    }
    return render(request, "teams/priorities.html", context)


@_editing(selectors.neighbourhood_for_user)
def priority_add(request: HttpRequest, neighbourhood: Neighbourhood) -> HttpResponse:
    form = PriorityForm(request.POST or None)
    return _save_form(
        request,
        form,
        lambda **args: services.priority_create(neighbourhood=neighbourhood, **args),
        success="Priority added",
        next_url=reverse("teams:priorities", args=[neighbourhood.pk]),
        template="teams/priority_form.html",
        context={"heading": "Add a priority", "neighbourhood": neighbourhood},
    )


@_editing(selectors.priority_for_user)
def priority_edit(request: HttpRequest, priority: Priority) -> HttpResponse:
    form = PriorityForm(request.POST or None, priority=priority)
    return _save_form(
        request,
        form,
        lambda **args: services.priority_update(priority=priority, **args),
        success="Priority saved",
        next_url=reverse("teams:priorities", args=[priority.neighbourhood_id]),
        template="teams/priority_form.html",
        context={"heading": "Update a priority", "neighbourhood": priority.neighbourhood},
    )


@_editing(selectors.priority_for_user)
@require_POST
def priority_review(request: HttpRequest, priority: Priority) -> HttpResponse:
    services.priority_review(priority=priority)
    messages.success(request, "Priority marked as reviewed today")
    # Reviewed from the dashboard, go back there; any other "next" is ignored (no open redirect).
    if request.POST.get("next") == "dashboard":
        return redirect("workspace:dashboard")
    return redirect("teams:priorities", priority.neighbourhood_id)


@_editing(selectors.priority_for_user)
def priority_delete(request: HttpRequest, priority: Priority) -> HttpResponse:
    return _confirm_delete(
        request,
        lambda: services.priority_delete(priority=priority),
        thing="the priority",
        next_url=reverse("teams:priorities", args=[priority.neighbourhood_id]),
        context={"neighbourhood": priority.neighbourhood, "priority": priority},
    )


# --- Events ----------------------------------------------------------------------------------


@staff_required
def events(request: HttpRequest, pk: int) -> HttpResponse:
    neighbourhood = _neighbourhood(request, pk)
    context = {
        "nav_workspace": True,
        "neighbourhood": neighbourhood,
        "upcoming": selectors.events_for_neighbourhood(neighbourhood=neighbourhood),
        "past": selectors.events_for_neighbourhood(neighbourhood=neighbourhood, past=True)[:20],
    }
    return render(request, "teams/events.html", context)


@_editing(selectors.neighbourhood_for_user)
def event_add(request: HttpRequest, neighbourhood: Neighbourhood) -> HttpResponse:
    form = EventForm(request.POST or None)
    return _save_form(
        request,
        form,
        lambda **args: services.event_create(neighbourhood=neighbourhood, reject_past=True, **args),
        success="Event added",
        next_url=reverse("teams:events", args=[neighbourhood.pk]),
        template="teams/event_form.html",
        context={"heading": "Add an event", "neighbourhood": neighbourhood},
    )


@_editing(selectors.event_for_user)
def event_edit(request: HttpRequest, event: Event) -> HttpResponse:
    form = EventForm(request.POST or None, event=event)
    return _save_form(
        request,
        form,
        lambda **args: services.event_update(event=event, **args),
        success="Event saved",
        next_url=reverse("teams:events", args=[event.neighbourhood_id]),
        template="teams/event_form.html",
        context={"heading": "Change an event", "neighbourhood": event.neighbourhood},
    )


@_editing(selectors.event_for_user)
def event_delete(request: HttpRequest, event: Event) -> HttpResponse:
    return _confirm_delete(
        request,
        lambda: services.event_delete(event=event),
        thing=f"the event ‘{event.title}’",
        next_url=reverse("teams:events", args=[event.neighbourhood_id]),
        context={"neighbourhood": event.neighbourhood},
    )
