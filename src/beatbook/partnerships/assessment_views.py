"""The strategic assessment's staff pages: assess any area one may see (``assess/``), and a
partnership's stored assessments (``<slug>/assessments/``). Thin: scope with
``partnerships.selectors`` and ``accounts.selectors``, make with ``assessment_data``, render.

Who may do what: any member of staff may assess a local authority in the forces they work in
(all for a superuser), and a partnership they may see. A partnership's assessments are for those
who may see it (others get a 404); storing one is for those who plan (``may_plan``, else 403).
Assessing reads and changes nothing, so it is a GET, and its address can be shared.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from beatbook.accounts.access import staff_required
from beatbook.accounts.models import User
from beatbook.accounts.selectors import forces_for_user
from beatbook.partnerships import selectors
from beatbook.partnerships.assessment_data import (
    AssessmentArea,
    AssessmentData,
    AssessmentError,
    assessment_area,
    assessment_make,
    assessment_partnership_area,
)
from beatbook.partnerships.assessment_forms import AssessForm, AssessmentMakeForm
from beatbook.partnerships.assessment_pdf import AssessmentPdfError, assessment_pdf
from beatbook.partnerships.assessment_records import assessment_latest_year, assessment_store
from beatbook.partnerships.assessment_report import (
    assessment_context,
    assessment_geojson,
    assessment_html,
    assessment_json,
)
from beatbook.partnerships.models import Assessment, Partnership

STAFF = "staff/partnerships/"
FORMATS = ("html", "pdf", "json", "geojson")
_NOT_SEEN = "No partnership or local authority you can see is called {text!r}."


def _viewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # staff_required let only signed-in staff in
    return user


def _area_for(user: User, text: str) -> AssessmentArea:
    """The area ``text`` names, if ``user`` may assess it."""
    area = assessment_area(text=text)
    if area.partnership is not None:
        if not selectors.may_see_partnership(user=user, partnership=area.partnership):
            raise AssessmentError(
                f"No partnership or local authority you can see is called {text!r}."
            )
        return area
    forces = set(forces_for_user(user=user).values_list("pk", flat=True))
    if not set(area.force_ids) <= forces:
        raise AssessmentError(_NOT_SEEN.format(text=text))
    return area


def _download(data: AssessmentData, kind: str) -> HttpResponse:
    name = f"assessment-{slugify(data.area.label)}-{data.result.year}"
    if kind == "pdf":
        response = HttpResponse(assessment_pdf(data), content_type="application/pdf")
    elif kind == "json":
        response = HttpResponse(assessment_json(data), content_type="application/json")
    elif kind == "geojson":
        response = HttpResponse(assessment_geojson(data), content_type="application/geo+json")
    else:
        response = HttpResponse(assessment_html(data), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


@staff_required
@require_GET
def assess(request: HttpRequest) -> HttpResponse:
    user = _viewer(request)
    form = AssessForm(request.GET if "area" in request.GET else None)
    context: dict[str, object] = {"form": form}
    kind = request.GET.get("format", "")
    if form.is_bound and form.is_valid():
        try:
            area = _area_for(user, form.cleaned_data["area"])
            data = assessment_make(area=area, year=form.cleaned_data["year"])
            if kind in FORMATS:
                return _download(data, kind)
        except AssessmentError as error:
            form.add_error(error.field, str(error))
        except AssessmentPdfError as error:
            context["pdf_error"] = str(error)
            context.update(assessment_context(data))
        else:
            context.update(assessment_context(data))
            context["query"] = urlencode(form.cleaned_data)
            context["map_tile_url"] = settings.MAP_TILE_URL
            context["map_tile_attribution"] = settings.MAP_TILE_ATTRIBUTION
    status = 400 if kind in FORMATS and "data" not in context else 200
    return render(request, "partnerships/assessment_page.html", context, status=status)


def _partnership(request: HttpRequest, slug: str) -> Partnership:
    partnership = get_object_or_404(Partnership, slug=slug)
    if not selectors.may_see_partnership(user=_viewer(request), partnership=partnership):
        raise Http404("No such partnership.")
    return partnership


@staff_required
@require_http_methods(["GET", "POST"])
def assessment_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    user = _viewer(request)
    may_plan = selectors.may_plan(user=user, partnership=partnership)
    if request.method == "POST":
        if not may_plan:
            raise PermissionDenied(
                "Only those who plan for the partnership may store an assessment."
            )
        form = AssessmentMakeForm(request.POST)
        if form.is_valid():
            try:
                stored = assessment_store(
                    partnership=partnership, year=form.cleaned_data["year"], user=user
                )
            except AssessmentError as error:
                form.add_error("year", str(error))
            else:
                messages.success(request, f"The {stored.year} assessment is stored.")
                return redirect(
                    "partnerships:assessment_detail", slug=partnership.slug, pk=stored.pk
                )
    else:
        form = AssessmentMakeForm(initial={"year": _latest_year(partnership)})
    return render(
        request,
        "partnerships/assessment_list.html",
        {
            "partnership": partnership,
            "assessments": partnership.assessments.select_related("made_by"),
            "form": form,
            "may_plan": may_plan,
        },
    )


def _latest_year(partnership: Partnership) -> int | None:
    try:
        return assessment_latest_year(area=assessment_partnership_area(partnership=partnership))
    except AssessmentError:
        return None


@staff_required
def assessment_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership(request, slug)
    stored = get_object_or_404(Assessment, partnership=partnership, pk=pk)
    # Only after the scope check: who may not see the partnership learns nothing of it.
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    kind = request.GET.get("format", "")
    if kind == "json":
        return _stored_json(stored)
    context: dict[str, object] = {"partnership": partnership, "stored": stored}
    if kind in FORMATS:
        try:
            data = assessment_make(
                area=assessment_partnership_area(partnership=partnership), year=stored.year
            )
            return _download(data, kind)
        except (AssessmentError, AssessmentPdfError) as error:
            context["download_error"] = str(error)
    context["rows"] = _stored_rows(stored)
    context["query_url"] = reverse("partnerships:assessment_any") + "?" + _assess_query(stored)
    return render(request, "partnerships/assessment_detail.html", context)


def _stored_json(stored: Assessment) -> HttpResponse:
    text = json.dumps(stored.summary, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    response = HttpResponse(text, content_type="application/json")
    name = f"assessment-{slugify(stored.area_label)}-{stored.year}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _assess_query(stored: Assessment) -> str:
    return urlencode({"area": stored.area_label, "year": stored.year})


def _stored_rows(stored: Assessment) -> list[dict[str, object]]:
    categories = stored.summary.get("categories", {})
    rows = []
    for slug, row in categories.items():
        rows.append({"slug": slug, **row})
    rows.sort(key=lambda row: (row["slug"] != "all-crime", -int(row.get("count") or 0)))
    return rows


URLS: list[URLPattern] = [
    path(f"{STAFF}assess/", assess, name="assessment_any"),
    path(f"{STAFF}<slug:slug>/assessments/", assessment_list, name="assessment_list"),
    path(
        f"{STAFF}<slug:slug>/assessments/<int:pk>/",
        assessment_detail,
        name="assessment_detail",
    ),
]
