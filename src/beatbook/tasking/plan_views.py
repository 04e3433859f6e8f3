"""Patrol plan pages, under ``staff/tasking/``: the list, making a plan, a plan with its map,
changing it by hand, issuing it; and for each officer their route on a phone, a printable
briefing and a calendar file. ``my-shift/`` is an officer's own next shift.

Scoped by ``tasking.selectors``: a plan the user cannot see is a 404; changing one they may
only look at is a 403.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from beatbook.accounts.access import staff_required
from beatbook.accounts.models import User
from beatbook.tasking import selectors
from beatbook.tasking.models import Officer, PatrolPlan, PlanStatus, PlanVisit
from beatbook.tasking.patrol_plans import plan_change, plan_instance, plan_issue, plan_make
from beatbook.tasking.plan_calendar import officer_calendar
from beatbook.tasking.plan_forms import PlanMakeForm, may_make_plans, visit_formset
from beatbook.ui.templatetags.beatbook_ui import when

STAFF = "staff/tasking/"


def _viewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # staff_required let only a signed-in user through
    return user


def _plan(user: User, pk: int) -> PatrolPlan:
    plan = (
        selectors.plans_for_user(user=user)
        .filter(pk=pk)
        .select_related("force", "neighbourhood", "shift_kind")
        .first()
    )
    if plan is None:
        raise Http404("Not a plan you can see")
    return plan


def _require_change(user: User, plan: PatrolPlan) -> None:
    if not selectors.may_change_plan(user=user, plan=plan):
        raise PermissionDenied("You may look at this plan but not change it.")


def _officer_visits(plan: PatrolPlan) -> dict[Officer, list[PlanVisit]]:
    routes: dict[Officer, list[PlanVisit]] = {}
    visits = plan.visits.select_related("officer__station", "place__request").order_by(
        "officer__collar_number", "order"
    )
    for visit in visits:
        routes.setdefault(visit.officer, []).append(visit)
    return routes


def _route_data(officer: Officer, visits: list[PlanVisit]) -> dict[str, Any]:
    """What the map draws for one officer: the base, then each visit in order."""
    station = officer.station
    return {
        "officer": f"{officer.collar_number} {officer.name}",
        "base": [station.latitude, station.longitude, station.name],
        "visits": [
            [v.place.latitude, v.place.longitude, v.place.key, when(v.starts, "time")]
            for v in visits
        ],
    }


def gap_words(plan: PatrolPlan) -> str:
    """The planner's objective and bound, in plain English."""
    if plan.bound <= 0:
        return "No place in this plan has a value yet, so there is nothing to compare."
    share = max(0.0, (plan.bound - plan.objective) / plan.bound)
    if share < 0.005:
        closeness = "as good as any plan could be"
    else:
        closeness = f"within {share:.0%} of the best any plan could do"
    return (
        f"This plan is expected to prevent about {plan.objective:.2f} days of harm (on the "
        f"Cambridge Crime Harm Index). No plan for this shift could prevent more than "
        f"{plan.bound:.2f}, so it is {closeness}."
    )


@staff_required
def plan_list(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    plans = (
        selectors.plans_for_user(user=user)
        .select_related("force", "neighbourhood", "shift_kind")
        .order_by("-date", "shift_kind__order", "unit")[:100]
    )
    return render(
        request,
        "tasking/plan_list.html",
        {
            "plans": plans,
            "may_make": may_make_plans(user),
            "is_officer": selectors.officer_for_user(user=user) is not None,
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def plan_make_page(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    if not may_make_plans(user):
        raise PermissionDenied("Only the tasking sergeants and neighbourhood teams make plans.")
    form = PlanMakeForm(request.POST if request.method == "POST" else None, user=user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            started = time.perf_counter()
            try:
                plan = plan_make(
                    user=user,
                    force=data["force_obj"],
                    date=data["date"],
                    shift_kind=data["shift_kind"],
                    unit=data["unit"],
                    neighbourhood=data["neighbourhood"],
                    seed=data.get("seed"),
                )
            except ValidationError as error:
                for field, problems in _error_items(error):
                    form.add_error(field if field in form.fields else None, problems)
            else:
                seconds = time.perf_counter() - started
                messages.success(request, f"Plan made in {seconds:.0f} seconds.")
                return redirect("tasking:plan-detail", plan.pk)
    return render(request, "tasking/plan_make.html", {"form": form}, status=status)


def _error_items(error: ValidationError) -> list[tuple[str | None, list[str]]]:
    if hasattr(error, "error_dict"):
        return [(name, list(problems)) for name, problems in error.message_dict.items()]
    return [(None, list(error.messages))]


@staff_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _viewer(request)
    plan = _plan(user, pk)
    routes = _officer_visits(plan)
    places = list(plan.places.select_related("request").order_by("-value"))
    visited = {v.place_id for visits in routes.values() for v in visits}
    return render(
        request,
        "tasking/plan_detail.html",
        {
            "plan": plan,
            "routes": routes,
            "map_routes": [_route_data(o, v) for o, v in routes.items()],
            "gap_words": gap_words(plan),
            "required": [p for p in places if p.request_id],
            "unvisited_top": [p for p in places if p.pk not in visited][:10],
            "place_count": len(places),
            "may_change": selectors.may_change_plan(user=user, plan=plan),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def plan_change_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = _viewer(request)
    plan = _plan(user, pk)
    _require_change(user, plan)
    _, on_duty = plan_instance(plan)
    officers = sorted(
        {*on_duty.values(), *(v.officer for v in plan.visits.select_related("officer"))},
        key=lambda o: o.collar_number,
    )
    formset = visit_formset(plan, officers, request.POST if request.method == "POST" else None)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        status = 400
        if formset.is_valid():
            try:
                plan_change(user=user, plan=plan, routes=formset.hand_visits(plan))
            except ValidationError as error:
                problems = list(error.messages)
            else:
                messages.success(request, "The plan's changes are saved: they keep every rule.")
                return redirect("tasking:plan-detail", plan.pk)
    return render(
        request,
        "tasking/plan_change.html",
        {"plan": plan, "formset": formset, "problems": problems},
        status=status,
    )


@staff_required
@require_POST
def plan_issue_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = _viewer(request)
    plan = _plan(user, pk)
    _require_change(user, plan)
    try:
        plan_issue(user=user, plan=plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The plan is issued: its officers see it on their shift page.")
    return redirect("tasking:plan-detail", plan.pk)


def _officer_route(user: User, pk: int, officer_pk: int) -> tuple[PatrolPlan, Officer, list[Any]]:
    plan = _plan(user, pk)
    visits = list(
        plan.visits.filter(officer_id=officer_pk)
        .select_related("officer__station", "place__request", "result")
        .order_by("order")
    )
    if not visits:
        raise Http404("That officer has no visits in this plan")
    return plan, visits[0].officer, visits


def _route_context(
    plan: PatrolPlan, officer: Officer, visits: list[PlanVisit], user: User | None = None
) -> dict[str, Any]:
    may_log = (
        user is not None and bool(visits) and selectors.may_log_result(user=user, visit=visits[0])
    )
    return {
        "may_log": may_log,
        "plan": plan,
        "officer": officer,
        "visits": visits,
        "map_routes": [_route_data(officer, visits)],
        "draft": plan.status == PlanStatus.DRAFT,
    }


@staff_required
def plan_officer(request: HttpRequest, pk: int, officer_pk: int) -> HttpResponse:
    user = _viewer(request)
    plan, officer, visits = _officer_route(user, pk, officer_pk)
    return render(request, "tasking/plan_officer.html", _route_context(plan, officer, visits, user))


@staff_required
def plan_briefing(request: HttpRequest, pk: int, officer_pk: int) -> HttpResponse:
    plan, officer, visits = _officer_route(_viewer(request), pk, officer_pk)
    return render(request, "tasking/plan_briefing.html", _route_context(plan, officer, visits))


@staff_required
def plan_calendar_file(request: HttpRequest, pk: int, officer_pk: int) -> HttpResponse:
    plan, officer, visits = _officer_route(_viewer(request), pk, officer_pk)
    response = HttpResponse(
        officer_calendar(plan, officer, visits), content_type="text/calendar; charset=utf-8"
    )
    name = f"patrol-{plan.date:%Y-%m-%d}-{plan.shift_kind.slug}-{officer.collar_number}.ics"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required
def my_shift(request: HttpRequest) -> HttpResponse:
    """The signed-in officer's route in their next issued plan (one still to end)."""
    user = _viewer(request)
    officer = selectors.officer_for_user(user=user)
    visit = None
    if officer is not None:
        visit = (
            PlanVisit.objects.filter(
                officer=officer, plan__status=PlanStatus.ISSUED, plan__ends__gt=timezone.now()
            )
            .select_related("plan")
            .order_by("plan__starts")
            .first()
        )
    if officer is None or visit is None:
        return render(request, "tasking/plan_my_shift.html", {"officer": officer})
    plan, officer, visits = _officer_route(user, visit.plan_id, officer.pk)
    return render(request, "tasking/plan_officer.html", _route_context(plan, officer, visits, user))


URLS: list[URLPattern] = [
    path(f"{STAFF}plans/", plan_list, name="plan-list"),
    path(f"{STAFF}plans/new/", plan_make_page, name="plan-make"),
    path(f"{STAFF}plans/<int:pk>/", plan_detail, name="plan-detail"),
    path(f"{STAFF}plans/<int:pk>/change/", plan_change_page, name="plan-change"),
    path(f"{STAFF}plans/<int:pk>/issue/", plan_issue_view, name="plan-issue"),
    path(f"{STAFF}plans/<int:pk>/officers/<int:officer_pk>/", plan_officer, name="plan-officer"),
    path(
        f"{STAFF}plans/<int:pk>/officers/<int:officer_pk>/briefing/",
        plan_briefing,
        name="plan-briefing",
    ),
    path(
        f"{STAFF}plans/<int:pk>/officers/<int:officer_pk>/visits.ics",
        plan_calendar_file,
        name="plan-calendar",
    ),
    path(f"{STAFF}my-shift/", my_shift, name="my-shift"),
]
