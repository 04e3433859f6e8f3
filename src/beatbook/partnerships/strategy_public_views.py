"""The public partnership pages: ``partnerships/`` lists the published partnerships, and
``partnerships/<slug>/`` is the page every partnership publishes: its aim, priorities, members,
how to get involved, its latest plan to read (``plan/``) and download (``plan.pdf``), and its
headline measures, computed. A partnership that is not published is not found."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone

from beatbook.partnerships.models import Partnership, PartnershipPlan
from beatbook.partnerships.selectors import published_partnerships
from beatbook.partnerships.strategy_pdf import PdfUnavailableError, plan_pdf
from beatbook.partnerships.strategy_plans import latest_published_plan, plan_outline
from beatbook.partnerships.strategy_progress import plan_progress


def _partnership(slug: str) -> Partnership:
    found = Partnership.objects.filter(slug=slug, published=True).first()
    if found is None:
        raise Http404("No published partnership has that address")
    return found


def _plan(partnership: Partnership) -> PartnershipPlan:
    plan = latest_published_plan(partnership=partnership)
    if plan is None:
        raise Http404("This partnership has not published a plan yet")
    return plan


def public_index(request: HttpRequest) -> HttpResponse:
    return render(
        request, "partnerships/public_index.html", {"partnerships": published_partnerships()}
    )


def public_partnership(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(slug)
    plan = latest_published_plan(partnership=partnership)
    members = partnership.members.select_related("organisation")
    context: dict[str, Any] = {
        "partnership": partnership,
        "plan": plan,
        "members": members,
        "priorities": plan.priorities.all() if plan else [],
        "progress": plan_progress(plan=plan, today=timezone.localdate()) if plan else None,
    }
    return render(request, "partnerships/public_partnership.html", context)


def _plan_context(partnership: Partnership, plan: PartnershipPlan) -> dict[str, Any]:
    return {
        "partnership": partnership,
        "plan": plan,
        "priorities": plan_outline(plan=plan),
        "members": partnership.members.select_related("organisation"),
    }


def public_plan(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(slug)
    plan = _plan(partnership)
    return render(request, "partnerships/public_plan.html", _plan_context(partnership, plan))


def public_plan_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(slug)
    plan = _plan(partnership)
    try:
        pdf = plan_pdf(_plan_context(partnership, plan))
    except PdfUnavailableError as error:
        return render(
            request,
            "partnerships/public_pdf_unavailable.html",
            {"partnership": partnership, "plan": plan, "problem": str(error)},
            status=503,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{partnership.slug}-plan-{plan.year_from}-{plan.year_to}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


URLS: list[URLPattern] = [
    path("partnerships/", public_index, name="public_index"),
    path("partnerships/<slug:slug>/", public_partnership, name="public_partnership"),
    path("partnerships/<slug:slug>/plan/", public_plan, name="public_plan"),
    path("partnerships/<slug:slug>/plan.pdf", public_plan_pdf, name="public_plan_pdf"),
]
