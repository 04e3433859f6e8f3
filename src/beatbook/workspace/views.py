"""The workspace: the pages that span a user's neighbourhoods and several domains at once, the
dashboard (questions to answer, priorities due, events, the team) and the Neighbourhood Policing
Guarantee measures. The pages of one neighbourhood's team, priorities and events are the teams
app's (``beatbook.teams.views``)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from beatbook.accounts.access import staff_required
from beatbook.teams.selectors import REVIEW_AFTER_MONTHS
from beatbook.teams.views import viewer
from beatbook.workspace import selectors
from beatbook.workspace.forms import DashboardFilterForm
from beatbook.workspace.guarantee import DEFAULT_PERIOD, PERIODS, guarantee_report
from beatbook.workspace.guarantee_chart import guarantee_chart_svg

NEIGHBOURHOODS_PER_PAGE = 20


# --- Dashboard -----------------------------------------------------------------------------


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The user's neighbourhoods, those needing action first, with search and filters (GET)."""
    user = viewer(request)
    forces = selectors.forces_with_neighbourhoods(user=user)
    form = DashboardFilterForm(request.GET, forces=forces)
    filters = form.filters()
    rows = selectors.dashboard_neighbourhoods(user=user, filters=filters)
    paginator = Paginator(rows, NEIGHBOURHOODS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    page.page_range = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))  # type: ignore[attr-defined]
    context = {
        "nav_workspace": True,
        "totals": selectors.dashboard_totals(user=user),
        "filter_form": form,
        "filters": filters,
        "force_choices": forces,
        "show_choices": selectors.SHOW_CHOICES,
        "page_obj": page,
        "boards": selectors.neighbourhood_dashboards(user=user, neighbourhoods=list(page)),
    }
    return render(request, "workspace/dashboard.html", context, status=400 if form.errors else 200)


# --- The Neighbourhood Policing Guarantee ----------------------------------------------------


def _period(request: HttpRequest) -> int:
    value = request.GET.get("period", "")
    return int(value) if value.isdigit() and int(value) in PERIODS else DEFAULT_PERIOD


@staff_required
def guarantee(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    period = _period(request)
    force_id = request.GET.get("force") or None
    report = guarantee_report(user=user, period_months=period, force_id=force_id)
    context = {
        "nav_guarantee": True,
        "report": report,
        "periods": PERIODS,
        "period": period,
        "period_label": PERIODS[period],
        "force_id": force_id or "",
        "force_choices": selectors.forces_with_neighbourhoods(user=user),
        "chart_svg": guarantee_chart_svg(report.forces),
        "review_after_months": REVIEW_AFTER_MONTHS,
    }
    return render(request, "workspace/guarantee.html", context)
