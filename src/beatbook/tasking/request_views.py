"""Tasking requests' pages and the tasking meeting (TT&CG), under ``staff/tasking/``. Thin:
scope with ``tasking.selectors``, check with a form, change with ``request_services``, render.

A request the user may not see is a 404, the same answer as for one that does not exist; a
page that changes it, for someone who may see it but not do that, is a 403.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from beatbook.accounts.access import staff_required
from beatbook.accounts.models import User
from beatbook.insights.page_results import preparing
from beatbook.operations.forms import add_service_errors
from beatbook.operations.selectors import operations_for_user
from beatbook.places.models import Force, Neighbourhood
from beatbook.tasking import meeting as meetings
from beatbook.tasking import request_services as services
from beatbook.tasking import selectors
from beatbook.tasking.models import RequestStatus, TaskingRequest
from beatbook.tasking.patrol_cells import cell_parse, cells_in_polygon
from beatbook.tasking.request_forms import (
    Decision,
    DecisionForm,
    MeetingForm,
    QueueFilterForm,
    RequestForm,
    ShareForm,
    meeting_query,
)
from beatbook.tasking.request_places import cells_in_view

STAFF = "staff/tasking/"
LONDON_CENTRE = (52.99, -2.13)


def viewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # staff_required let only a signed-in user through
    return user


def request_for_viewer(request: HttpRequest, pk: int) -> TaskingRequest:
    found = selectors.requests_for_user(user=viewer(request)).filter(pk=pk)
    item = found.select_related("neighbourhood", "force", "requested_by", "decided_by").first()
    if item is None:
        raise Http404("Not a request you may see")
    return item


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "tasking/request_refused.html", {"message": message}, status=403)


def _cells_geojson(keys: list[str]) -> list[dict[str, Any]]:
    """The cells as the map script draws them: key and outline (longitude, latitude)."""
    found = []
    for key in keys:
        try:
            cell = cell_parse(key)
        except ValueError:
            continue  # typed by hand and not a cell: the form says so, the map leaves it out
        found.append({"key": cell.key, "outline": cell.outline()})
    return found


def _map_context(neighbourhoods: list[Neighbourhood]) -> dict[str, Any]:
    centres = [
        (n.centre_lat, n.centre_lng) for n in neighbourhoods if n.centre_lat and n.centre_lng
    ]
    return {
        "map_centre": json.dumps(list(centres[0] if centres else LONDON_CENTRE)),
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


# --- the list and the queue -------------------------------------------------------------------


@staff_required
def request_list(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    visible = selectors.requests_for_user(user=user)
    hoods = Neighbourhood.objects.filter(pk__in=visible.values("neighbourhood"))
    form = QueueFilterForm(request.GET or None, neighbourhoods=hoods)
    if form.is_valid():
        data = form.cleaned_data
        visible = visible.filter(**{k: v for k, v in data.items() if v})
    rows = (
        visible.select_related("neighbourhood", "requested_by")
        .annotate(urgency_order=services.URGENCY_ORDER)
        .order_by("urgency_order", "-created_at")
    )
    return render(
        request,
        "tasking/request_list.html",
        {
            "form": form,
            "waiting": [r for r in rows if r.status == RequestStatus.SUBMITTED],
            "others": [r for r in rows if r.status != RequestStatus.SUBMITTED],
            "is_sergeant": selectors.tasking_forces_for_user(user=user).exists(),
            "may_request": selectors.team_neighbourhoods(user=user).exists(),
            "may_meet": meetings.meeting_forces_for(user=user).exists(),
        },
    )


# --- making and changing a request ------------------------------------------------------------


def _form(request: HttpRequest, item: TaskingRequest | None) -> RequestForm:
    user = viewer(request)
    hoods = selectors.team_neighbourhoods(user=user)
    if item is not None:
        hoods = Neighbourhood.objects.filter(pk=item.neighbourhood_id)
    forces = Force.objects.filter(pk__in=hoods.values("force"))
    return RequestForm(
        request.POST or None,
        neighbourhoods=hoods,
        operations=operations_for_user(user=user).filter(force__in=forces),
        request=item,
    )


def _form_page(
    request: HttpRequest, form: RequestForm, hoods: QuerySet[Neighbourhood], **context: Any
) -> HttpResponse:
    listed = list(hoods.order_by("name")[:3])
    offered = []
    for hood in listed:
        for cell in meetings.hotspots_offered(force=hood.force, neighbourhood=hood):
            offered.append({**cell, "neighbourhood": hood.name})
    keys = form["cells"].value() or ""
    context.update(
        form=form,
        hotspots=offered,
        selected_cells=_cells_geojson([k for k in keys.replace(",", " ").split() if k]),
        **_map_context(listed),
    )
    return render(request, "tasking/request_form.html", context, status=400 if form.errors else 200)


@staff_required
def request_create(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    hoods = selectors.team_neighbourhoods(user=user)
    if not hoods.exists():
        return _refused(request, "Only a neighbourhood team asks the tasking team for help.")
    form = _form(request, None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.request_create(
                user=user, neighbourhood=form.cleaned_data["neighbourhood"], details=form.details()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your request is sent to the tasking team.")
            return redirect("tasking:request-detail", made.pk)
    return _form_page(
        request,
        form,
        hoods,
        heading="Ask the tasking team for help",
        back_url=reverse("tasking:request-list"),
    )


@staff_required
def request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = request_for_viewer(request, pk)
    user = viewer(request)
    if not selectors.may_request_for(user=user, neighbourhood=item.neighbourhood):
        return _refused(request, "Only the team that made the request changes it.")
    if item.status != RequestStatus.SUBMITTED:
        return _refused(
            request, "This request has been decided or withdrawn: it cannot be changed."
        )
    form = _form(request, item)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_update(user=user, request=item, details=form.details())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The request is saved.")
            return redirect("tasking:request-detail", item.pk)
    return _form_page(
        request,
        form,
        Neighbourhood.objects.filter(pk=item.neighbourhood_id),
        heading=f"Change {item.title}",
        item=item,
        back_url=reverse("tasking:request-detail", args=[item.pk]),
    )


@staff_required
def request_cells(request: HttpRequest) -> HttpResponse:
    """The cells of a map view (``south``, ``west``, ``north``, ``east``) or of a drawn
    ``polygon`` (GeoJSON), for the request form's map."""
    try:
        if "polygon" in request.GET:
            cells = cells_in_polygon(json.loads(request.GET["polygon"]))
        else:
            box = {k: float(request.GET[k]) for k in ("south", "west", "north", "east")}
            cells = cells_in_view(**box)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        message = str(error) if isinstance(error, ValueError) else "Give a map view or an area."
        if isinstance(error, KeyError):
            message = "Give a map view (south, west, north, east) or a drawn area."
        return JsonResponse({"error": message}, status=400)
    return JsonResponse({"cells": [{"key": c.key, "outline": c.outline()} for c in cells]})


# --- one request ------------------------------------------------------------------------------


@staff_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = request_for_viewer(request, pk)
    user = viewer(request)
    team = selectors.may_request_for(user=user, neighbourhood=item.neighbourhood)
    return render(
        request,
        "tasking/request_detail.html",
        {
            "item": item,
            "hours": services.request_hours_text(item),
            "skills": list(item.skills.all()),
            "shared": list(item.shared_with.order_by("name")),
            "may_change": team and item.status == RequestStatus.SUBMITTED,
            "may_withdraw": team
            and item.status in (RequestStatus.SUBMITTED, RequestStatus.APPROVED),
            "may_decide": selectors.may_decide_request(user=user, request=item)
            and item.status == RequestStatus.SUBMITTED,
            "may_record_outcome": selectors.may_decide_request(user=user, request=item)
            and item.status == RequestStatus.APPROVED,
            "may_share": selectors.may_change_request(user=user, request=item),
            "selected_cells": _cells_geojson(item.cells),
            **_map_context([item.neighbourhood]),
        },
    )


@staff_required
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    item = request_for_viewer(request, pk)
    if not selectors.may_request_for(user=viewer(request), neighbourhood=item.neighbourhood):
        return _refused(request, "Only the team that made the request withdraws it.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.request_withdraw(user=viewer(request), request=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The request is withdrawn.")
    return redirect("tasking:request-detail", item.pk)


@staff_required
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = request_for_viewer(request, pk)
    user = viewer(request)
    if not selectors.may_decide_request(user=user, request=item):
        return _refused(
            request, "Only a tasking sergeant of the force approves or declines requests."
        )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        try:
            if form.cleaned_data["decision"] == Decision.APPROVE:
                services.request_approve(user=user, request=item, reason=reason)
            else:
                services.request_decline(user=user, request=item, reason=reason)
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, " ".join(getattr(error, "messages", [str(error)])))
        else:
            item.refresh_from_db()
            messages.success(request, f"The request is {item.get_status_display().lower()}.")
            return redirect("tasking:request-detail", item.pk)
    return render(
        request,
        "tasking/request_decide.html",
        {"item": item, "form": form, "hours": services.request_hours_text(item)},
        status=400 if form.errors else 200,
    )


@staff_required
def request_share(request: HttpRequest, pk: int) -> HttpResponse:
    item = request_for_viewer(request, pk)
    if not selectors.may_change_request(user=viewer(request), request=item):
        return _refused(
            request, "Only the requesting team and the tasking sergeants share a request."
        )
    form = ShareForm(
        request.POST or None,
        choices=services.share_choices(item),
        initial={"organisations": list(item.shared_with.values_list("pk", flat=True))},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.request_share(
                request=item, organisations=list(form.cleaned_data["organisations"])
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Who the request is shared with is saved.")
            return redirect("tasking:request-detail", item.pk)
    return render(
        request,
        "tasking/request_share.html",
        {"item": item, "form": form},
        status=400 if form.errors else 200,
    )


# --- the tasking meeting ----------------------------------------------------------------------


@staff_required
def meeting(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    forces = list(meetings.meeting_forces_for(user=user))
    if not forces:
        return _refused(
            request, "The tasking meeting is for tasking sergeants and neighbourhood inspectors."
        )
    query = meeting_query(request.GET)
    query["force"] = query["force"] or forces[0].pk
    form = MeetingForm(query, forces=[(f.pk, f.name) for f in forces])
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        force = next(f for f in forces if f.pk == form.cleaned_data["force"])
        scope = meetings.meeting_scope(user=user, force=force)
        if scope is None:  # a superuser's force list holds every force; others are checked
            raise Http404("Not a force whose meeting you attend")
        today = timezone.localdate()
        try:
            first, last = meetings.meeting_period(
                form.cleaned_data.get("first"), form.cleaned_data.get("last"), today=today
            )
        except ValueError as error:
            form.add_error("last", str(error))
        else:
            insights = meetings.meeting_insights(scope=scope, user=user)
            waiting = [i.outcome for i in insights if i.outcome and not i.outcome.ready]
            context.update(
                meeting=meetings.meeting_build(scope=scope, first=first, last=last),
                insights=insights,
                preparing=preparing(request, waiting[0]) if waiting else None,
            )
    return render(request, "tasking/meeting.html", context, status=400 if form.errors else 200)


URLS: list[URLPattern] = [
    path(STAFF + "requests/", request_list, name="request-list"),
    path(STAFF + "requests/new/", request_create, name="request-create"),
    path(STAFF + "requests/cells.json", request_cells, name="request-cells"),
    path(STAFF + "requests/<int:pk>/", request_detail, name="request-detail"),
    path(STAFF + "requests/<int:pk>/change/", request_edit, name="request-edit"),
    path(STAFF + "requests/<int:pk>/withdraw/", request_withdraw, name="request-withdraw"),
    path(STAFF + "requests/<int:pk>/decide/", request_decide, name="request-decide"),
    path(STAFF + "requests/<int:pk>/share/", request_share, name="request-share"),
    path(STAFF + "meeting/", meeting, name="meeting"),
]
