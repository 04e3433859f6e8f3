"""Door-to-door pages: a door-to-door activity's walking routes with their map, each route's
printable sheet, the phone page a visitor logs each door on, and the JSON address that page's
script sends queued entries to.

Scoped like every operations page: an activity the user cannot see is a 404; building routes
or logging doors, for someone who may only look (an analyst), is a 403. Past the staff check,
the JSON address answers in JSON, so the script can tell a stored entry from one to send again.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from beatbook.accounts.access import staff_required
from beatbook.accounts.models import User
from beatbook.operations import selectors
from beatbook.operations.door_forms import (
    DoorVisitForm,
    RouteBuildForm,
    door_entry_from_json,
    fresh_client_id,
)
from beatbook.operations.door_visits import door_visit_record
from beatbook.operations.models import (
    Activity,
    ActivityType,
    AdviceTopic,
    DoorVisit,
    Referral,
    VisitRoute,
)
from beatbook.operations.views import viewer

RECENT_VISITS = 10
NEXT_STOPS = 5


def _door_activity(user: User, pk: int) -> Activity:
    """A door-to-door activity the user may see, or 404."""
    activity = (
        Activity.objects.filter(
            pk=pk,
            type=ActivityType.DOOR_TO_DOOR,
            operation__in=selectors.operations_for_user(user=user),
        )
        .select_related("operation")
        .first()
    )
    if activity is None or not (
        selectors.activities_for_user(user=user, operation=activity.operation)
        .filter(pk=activity.pk)
        .exists()
    ):
        raise Http404("Not a door-to-door activity you can see")
    return activity


def _route(user: User, pk: int) -> VisitRoute:
    """A route of a door-to-door activity the user may see, or 404."""
    activity_id = VisitRoute.objects.filter(pk=pk).values_list("activity_id", flat=True).first()
    if activity_id is None:
        raise Http404("No such route")
    activity = _door_activity(user, activity_id)
    route = VisitRoute.objects.get(pk=pk)
    route.activity = activity
    return route


def _require_contributor(user: User, activity: Activity) -> None:
    if not selectors.may_contribute(user=user, operation=activity.operation):
        raise PermissionDenied("You may look at this operation but not add to it.")


def _km(metres: int) -> str:
    return f"{metres / 1000:.1f} km"


def _route_rows(activity: Activity) -> list[dict[str, Any]]:
    routes = activity.routes.annotate(logged=Count("visits")).order_by("number")
    rows = []
    for route in routes:
        saving = ""
        if route.nearest_neighbour_length_m > 0:
            share = 1 - route.length_m / route.nearest_neighbour_length_m
            saving = f"{share:.0%}"
        rows.append(
            {
                "route": route,
                "stops": len(route.stops),
                "length": _km(route.length_m),
                "nearest_neighbour": _km(route.nearest_neighbour_length_m),
                "saving": saving,
            }
        )
    return rows


def _map_data(activity: Activity) -> list[dict[str, Any]]:
    """Each route's stops as [latitude, longitude, postcode, households], in order."""
    return [
        {
            "number": route.number,
            "visitors": route.visitors,
            "stops": [
                [stop["latitude"], stop["longitude"], stop["postcode"], stop.get("households", 0)]
                for stop in route.stops
                if isinstance(stop, dict)
                and stop.get("latitude") is not None
                and stop.get("longitude") is not None
            ],
        }
        for route in activity.routes.order_by("number")
    ]


def _build(request: HttpRequest, activity: Activity, form: RouteBuildForm) -> HttpResponse | None:
    """Build the routes (the other module's work) and redirect, or leave errors on the form."""
    if DoorVisit.objects.filter(route__activity=activity).exists():
        form.add_error(
            None, "Doors have already been logged on these routes, so they cannot be built again."
        )
        return None
    # Imported here: the route builder is its own piece of work (OR-Tools), loaded when used.
    door_lists = importlib.import_module("beatbook.operations.door_lists")

    try:
        door_lists.visit_routes_build(
            activity=activity, pairs=form.cleaned_data["pairs"], visitors=form.visitor_names()
        )
    except door_lists.DoorListError as error:
        form.add_error(None, str(error))
        return None
    built = activity.routes.count()
    messages.success(request, f"Built {built} walking route{'s' if built != 1 else ''}.")
    return redirect("operations:routes", activity.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def activity_routes(request: HttpRequest, pk: int) -> HttpResponse:
    user = viewer(request)
    activity = _door_activity(user, pk)
    form = RouteBuildForm()
    status = 200
    if request.method == "POST":
        _require_contributor(user, activity)
        form = RouteBuildForm(request.POST)
        if form.is_valid():
            built = _build(request, activity, form)
            if built is not None:
                return built
        status = 400
    return render(
        request,
        "operations/routes.html",
        {
            "nav_operations": True,
            "activity": activity,
            "operation": activity.operation,
            "form": form,
            "rows": _route_rows(activity),
            "map_routes": _map_data(activity),
            "may_contribute": selectors.may_contribute(user=user, operation=activity.operation),
        },
        status=status,
    )


@staff_required
def route_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    route = _route(viewer(request), pk)
    stops = [stop for stop in route.stops if isinstance(stop, dict)]
    sheet = [
        {"number": number, "stop": stop, "doors": range(max(int(stop.get("households", 1)), 1))}
        for number, stop in enumerate(stops, start=1)
    ]
    return render(
        request,
        "operations/route_sheet.html",
        {
            "route": route,
            "activity": route.activity,
            "sheet": sheet,
            "length": _km(route.length_m),
            "advice_topics": AdviceTopic.objects.filter(active=True).order_by("order", "label"),
            "referral_choices": Referral.choices,
        },
    )


def _stop_progress(route: VisitRoute) -> list[dict[str, Any]]:
    logged = dict(
        route.visits.values("postcode").annotate(n=Count("id")).values_list("postcode", "n")
    )
    progress = []
    for number, stop in enumerate(route.stops, start=1):
        if not isinstance(stop, dict):
            continue
        households = int(stop.get("households", 0))
        done = logged.get(str(stop.get("postcode", "")), 0)
        progress.append({"number": number, "stop": stop, "households": households, "logged": done})
    return progress


def _log_page(
    request: HttpRequest, route: VisitRoute, form: DoorVisitForm, status: int = 200
) -> HttpResponse:
    progress = _stop_progress(route)
    waiting = [row for row in progress if row["logged"] < row["households"]]
    visits = route.visits.order_by("-visited_at", "-id")
    return render(
        request,
        "operations/route_log.html",
        {
            "nav_operations": True,
            "route": route,
            "activity": route.activity,
            "form": form,
            "next_stops": waiting[:NEXT_STOPS],
            "logged_count": visits.count(),
            "recent": visits[:RECENT_VISITS],
            "visits_url": reverse("operations:route-visits", args=[route.pk]),
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def route_log(request: HttpRequest, pk: int) -> HttpResponse:
    user = viewer(request)
    route = _route(user, pk)
    _require_contributor(user, route.activity)
    if request.method == "GET":
        progress = _stop_progress(route)
        waiting = [row for row in progress if row["logged"] < row["households"]]
        first = (waiting or progress or [{"stop": {}}])[0]["stop"].get("postcode", "")
        form = DoorVisitForm(
            route=route,
            initial={"client_id": fresh_client_id(), "postcode": first, "concern_action": ""},
        )
        return _log_page(request, route, form)
    form = DoorVisitForm(request.POST, route=route)
    if form.is_valid():
        try:
            recorded = door_visit_record(
                route=route, client_id=form.cleaned_data["client_id"], entry=form.entry(), by=user
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            visit = recorded.visit
            messages.success(request, f"Logged {str(visit) or 'the door'}.")
            return redirect("operations:route-log", route.pk)
    return _log_page(request, route, form, status=400)


def _json_error(
    status: int, message: str, errors: dict[str, list[str]] | None = None
) -> JsonResponse:
    return JsonResponse({"error": message, "errors": errors or {}}, status=status)


@staff_required
@require_POST
def route_visits(request: HttpRequest, pk: int) -> JsonResponse:
    """Store one entry sent by the page's script: 201 when new, 200 when already stored.

    The staff check is every staff page's (someone signed out is sent to sign in); the script
    keeps any entry whose answer is not this JSON naming it, and sends it again later."""
    user = viewer(request)
    try:
        route = _route(user, pk)
        if request.content_type != "application/json":
            raise ValidationError({"entry": "Send one entry as a JSON object."})
        payload = json.loads(request.body)
        if not isinstance(payload, dict):
            raise ValidationError({"entry": "Send one entry as a JSON object."})
        recorded = door_visit_record(
            route=route,
            client_id=payload.get("client_id", ""),
            entry=door_entry_from_json(payload),
            by=user,
        )
    except Http404:
        return _json_error(404, "Not a route you can log doors on.")
    except PermissionDenied:
        return _json_error(403, "You may look at this operation but not add to it.")
    except (ValueError, UnicodeDecodeError):
        return _json_error(400, "Send one entry as a JSON object.")
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else {"entry": error.messages}
        return _json_error(400, " ".join(m for ms in errors.values() for m in ms), errors)
    visit = recorded.visit
    return JsonResponse(
        {"client_id": str(visit.client_id), "id": visit.pk, "created": recorded.created},
        status=201 if recorded.created else 200,
    )
