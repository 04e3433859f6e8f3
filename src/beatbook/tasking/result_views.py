"""Tasking's results pages, for staff: logging a visit's result (phone-first, no script
needed), a request's outcome, the team's results with dosage delivered against planned, and
the patrol evaluation. Thin: scope with ``tasking.selectors``, check with a form, change with
``visit_results``, render.

Who may do what: a visit or request the user may not see is a 404; one they may see but not
change is a 403 (``may_log_result``, ``may_decide_request``). The results and evaluation pages
are for tasking sergeants (their forces) and neighbourhood team members (their own
neighbourhoods); partners and analysts see no plan, so they get a 403.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import altair as alt
import pandas as pd
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from beatbook.accounts.access import staff_required
from beatbook.accounts.models import User
from beatbook.common.months import add_months, month_name, month_range
from beatbook.places.models import Force, Neighbourhood
from beatbook.tasking import selectors
from beatbook.tasking.models import PlanVisit, RequestStatus
from beatbook.tasking.patrol_evaluations import RISK_NOTE, patrol_evaluation_for
from beatbook.tasking.result_forms import (
    EvaluationForm,
    PeriodForm,
    RequestOutcomeForm,
    VisitResultForm,
)
from beatbook.tasking.visit_results import (
    COUNT_LABELS,
    MINUTES_OVER,
    MOST,
    Dosage,
    VisitResultDetails,
    dosage,
    request_outcome_set,
    team_results,
    visit_minutes,
    visit_result_log,
)
from beatbook.ui.charts import hidden_chart_svg

STAFF = "staff/tasking/"
RESULTS_MONTHS = 12  # the results page opens on the last twelve months


def _viewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # staff_required let only signed-in staff in
    return user


def _form_errors(form: Any, error: ValidationError) -> None:
    """A service's errors, by field, onto the form (unknown fields at the top)."""
    for field, texts in error.message_dict.items():
        for text in texts:
            form.add_error(field if field in form.fields else None, text)


def _next_url(request: HttpRequest) -> str | None:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return None


# --- A visit's result -------------------------------------------------------------------------


def _initial(visit: PlanVisit) -> dict[str, Any]:
    result = getattr(visit, "result", None)
    if result is None:
        return {}  # a blank box is 0, so "not done" needs no clearing first
    initial: dict[str, Any] = {
        "done": "yes" if result.done else "no",
        "not_done_reason": result.not_done_reason,
        "not_done_note": result.not_done_note,
        "minutes_in_place": result.minutes_in_place,
    }
    initial.update({name: getattr(result, name) for name in MOST})
    return initial


@staff_required
def visit_result(request: HttpRequest, pk: int) -> HttpResponse:
    """Log what came of one visit: reached from the officer's plan, on a phone."""
    user = _viewer(request)
    visit = (
        PlanVisit.objects.select_related("plan__shift_kind", "place__request", "officer")
        .filter(pk=pk, plan__in=selectors.plans_for_user(user=user))
        .first()
    )
    if visit is None:
        raise Http404("Not a visit you can see")
    if not selectors.may_log_result(user=user, visit=visit):
        raise PermissionDenied("You may not log this visit's result")
    existing = getattr(visit, "result", None)
    form = VisitResultForm(request.POST or None, initial=_initial(visit))
    if request.method == "POST" and form.is_valid():
        details: VisitResultDetails = form.details()
        try:
            visit_result_log(user=user, visit=visit, details=details)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"Result saved for the visit to {visit.place.key}")
            return redirect(_next_url(request) or reverse("tasking:visit-result", args=[pk]))
    context = {
        "visit": visit,
        "form": form,
        "existing": existing,
        "most_minutes": visit_minutes(visit) + MINUTES_OVER,
        "next": _next_url(request) or "",
        "in_future": visit.starts > timezone.now(),
    }
    return render(request, "tasking/result_visit.html", context, status=400 if form.errors else 200)


# --- A request's outcome ----------------------------------------------------------------------


@staff_required
def request_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Record what came of an approved request (the force's tasking sergeants)."""
    user = _viewer(request)
    tasking_request = selectors.requests_for_user(user=user).filter(pk=pk).first()
    if tasking_request is None:
        raise Http404("Not a request you can see")
    if not selectors.may_decide_request(user=user, request=tasking_request):
        raise PermissionDenied("Only the force's tasking sergeants record a request's outcome")
    initial = {"outcome": tasking_request.outcome, "note": tasking_request.outcome_note}
    form = RequestOutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            request_outcome_set(
                user=user,
                request=tasking_request,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"Outcome saved for “{tasking_request.title}”")
            return redirect(_next_url(request) or reverse("tasking:request-outcome", args=[pk]))
    context = {
        "tasking_request": tasking_request,
        "form": form,
        "approved": tasking_request.status == RequestStatus.APPROVED,
        "next": _next_url(request) or "",
    }
    return render(
        request, "tasking/result_outcome.html", context, status=400 if form.errors else 200
    )


# --- Whose results: the forces and neighbourhoods a user may look at --------------------------


def _forces(user: User) -> list[Force]:
    """Forces where the user is a tasking sergeant or has a neighbourhood team; a 403 when
    none (partners and analysts see no plan)."""
    neighbourhoods = selectors.team_neighbourhoods(user=user)
    forces = Force.objects.filter(
        pk__in=selectors.tasking_forces_for_user(user=user).values("pk")
    ) | Force.objects.filter(pk__in=neighbourhoods.values("force"))
    chosen = list(forces.distinct().order_by("name"))
    if not chosen:
        raise PermissionDenied("Tasking results are for tasking sergeants and neighbourhood teams")
    return chosen


def _neighbourhoods(user: User, force: Force) -> tuple[list[Neighbourhood], bool]:
    """The neighbourhoods the user may look at in the force, and whether the whole force."""
    whole = selectors.is_tasking_sergeant(user=user, force_id=force.pk)
    if whole:
        return list(Neighbourhood.objects.filter(force=force).order_by("name")), True
    return list(
        selectors.team_neighbourhoods(user=user).filter(force=force).order_by("name")
    ), False


def _scope(
    request: HttpRequest, form_class: type[PeriodForm] | type[EvaluationForm]
) -> tuple[Any, Force, Neighbourhood | None, list[Neighbourhood], bool]:
    user = _viewer(request)
    forces = _forces(user)
    wanted = request.GET.get("force", "")
    force = next((f for f in forces if f.pk == wanted), forces[0])
    neighbourhoods, whole = _neighbourhoods(user, force)
    choices = [(str(n.pk), n.name) for n in neighbourhoods]
    if whole:
        choices = [("", "The whole force"), *choices]
    form = form_class(
        request.GET or None,
        forces=[(f.pk, f.name) for f in forces],
        neighbourhoods=choices,
    )
    asked = request.GET.get("neighbourhood", "")
    neighbourhood = next((n for n in neighbourhoods if str(n.pk) == asked), None)
    if neighbourhood is None and not whole and neighbourhoods:
        neighbourhood = neighbourhoods[0]  # a team member sees their own team, never all
    return form, force, neighbourhood, neighbourhoods, whole


# --- The results page -------------------------------------------------------------------------


def _dosage_chart(found: Dosage) -> str:
    rows = [
        {"month": month_name(row.key), "order": row.key, "kind": kind, "minutes": minutes}
        for row in found.months
        for kind, minutes in (("Planned", row.planned), ("Delivered", row.delivered))
    ]
    if not rows:
        return ""
    order = [month_name(row.key) for row in found.months]
    chart = (
        alt.Chart(pd.DataFrame(rows))
        .mark_bar()
        .encode(
            x=alt.X("month:N", title=None, sort=order, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("kind:N", sort=["Planned", "Delivered"]),
            y=alt.Y("minutes:Q", title="Minutes in place"),
            color=alt.Color(
                "kind:N",
                title=None,
                sort=["Planned", "Delivered"],
                scale=alt.Scale(domain=["Planned", "Delivered"], range=["#b1b4b6", "#1d70b8"]),
                legend=alt.Legend(orient="top"),
            ),
        )
        .properties(width=alt.Step(28), height=220)
        .configure_view(stroke=None)
    )
    return hidden_chart_svg(chart.to_dict())


def _period(form: PeriodForm) -> tuple[date, date]:
    """The days shown: the months chosen, or the last twelve months up to today (results "to
    date": visits planned for later are not counted yet)."""
    today = timezone.localdate()
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    # A field left empty is cleaned to "", not None.
    last = data.get("until") or None
    first = data.get("since") or add_months(last or f"{today:%Y-%m}", -(RESULTS_MONTHS - 1))
    if last is None:
        return date.fromisoformat(f"{first}-01"), today
    end = date.fromisoformat(f"{add_months(last, 1)}-01") - timedelta(days=1)
    return date.fromisoformat(f"{first}-01"), end


@staff_required
def results(request: HttpRequest) -> HttpResponse:
    """The team's results to date: counts, by month, and dosage delivered against planned."""
    form, force, neighbourhood, neighbourhoods, whole = _scope(request, PeriodForm)
    if form.is_bound:
        form.is_valid()
    since, until = _period(form)
    context: dict[str, Any] = {
        "form": form,
        "force": force,
        "neighbourhood": neighbourhood,
        "whole": whole,
        "since": since,
        "until": until,
        "months": month_range(f"{since:%Y-%m}", f"{until:%Y-%m}"),
        "count_labels": COUNT_LABELS,
    }
    if whole or neighbourhood is not None:
        found = team_results(force=force, since=since, until=until, neighbourhood=neighbourhood)
        delivered = dosage(force=force, since=since, until=until, neighbourhood=neighbourhood)
        context.update(
            {
                "totals": [(COUNT_LABELS[k], v) for k, v in found.total.counts.items()],
                "found": found,
                "month_rows": [
                    (month_name(p.label), [p.counts[k] for k in COUNT_LABELS], p)
                    for p in found.months
                ],
                "dosage": delivered,
                "chart_svg": _dosage_chart(delivered),
            }
        )
    return render(
        request, "tasking/result_results.html", context, status=400 if form.errors else 200
    )


# --- The evaluation page ----------------------------------------------------------------------


def _percent(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value * 100:+.0f}%".replace("-", "\u2212")


@staff_required
def evaluation(request: HttpRequest) -> HttpResponse:
    """Did harm fall where officers went, against comparable places they did not visit?"""
    form, force, neighbourhood, _, whole = _scope(request, EvaluationForm)
    context: dict[str, Any] = {"form": form, "force": force, "neighbourhood": neighbourhood}
    valid = not form.is_bound or form.is_valid()
    if valid and (whole or neighbourhood is not None):
        data = form.cleaned_data if form.is_bound else {}
        start, months = data.get("start") or None, data.get("months_after") or None
        if start is not None and months is None:
            months = 3  # a start without a length: the operations' evaluation's default
        try:
            answer = patrol_evaluation_for(
                force=force,
                neighbourhood=neighbourhood,
                start=start,
                months_after=months if start is not None else None,
            )
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            e = answer.evaluation
            context.update(
                {
                    "answer": answer,
                    "e": e,
                    "change": _percent(e.estimate),
                    "interval": f"{_percent(e.ci_low)} to {_percent(e.ci_high)}"
                    if e.ci_low is not None
                    else "",
                    "start_name": month_name(e.start),
                    "end_name": month_name(e.end),
                    "risk_note": RISK_NOTE,
                }
            )
    return render(
        request, "tasking/result_evaluation.html", context, status=400 if form.errors else 200
    )


URLS: list[URLPattern] = [
    path(f"{STAFF}visits/<int:pk>/result/", visit_result, name="visit-result"),
    path(f"{STAFF}requests/<int:pk>/outcome/", request_outcome, name="request-outcome"),
    path(f"{STAFF}results/", results, name="results"),
    path(f"{STAFF}evaluation/", evaluation, name="evaluation"),
]
