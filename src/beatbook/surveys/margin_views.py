"""The margins page of a survey (``/staff/surveys/<slug>/margins/``): the population figures its
answers are weighted to, what is loaded and where from, the upload form, and a template to fill
in. Thin: access from ``surveys.selectors``, the work in ``surveys.margin_services``.

Who may do what: those who may see the survey see the page (others get a 404, as if it were not
there); those who run it (``may_manage_survey``) upload figures, others get a 403 on POST.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from beatbook.accounts.access import staff_required
from beatbook.accounts.models import User
from beatbook.surveys.margin_forms import MarginUploadForm
from beatbook.surveys.margin_services import (
    MarginError,
    margin_overview,
    margin_template_csv,
    margins_load,
)
from beatbook.surveys.models import Survey
from beatbook.surveys.selectors import may_manage_survey, may_see_survey

# Problems listed on the page: enough to fix a file, not a wall of text.
PROBLEMS_SHOWN = 20
NOT_LOADED = "The file was not loaded, so nothing has changed: fix the problems and upload it again"


def _viewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # staff_required let only signed-in staff in
    return user


def _survey(request: HttpRequest, slug: str) -> Survey:
    survey = get_object_or_404(Survey.objects.select_related("force"), slug=slug)
    if not may_see_survey(user=_viewer(request), survey=survey):
        raise Http404("No such survey.")
    return survey


def _load(survey: Survey, form: MarginUploadForm) -> list[str]:
    """Loads the uploaded figures; the problems that stopped it, if any."""
    upload = form.cleaned_data["file"]
    source = form.cleaned_data["source"].strip() or f"Uploaded file {upload.name}"
    try:
        margins_load(survey=survey, content=upload.read(), source=source)
    except MarginError as error:
        return error.problems
    return []


@staff_required
@require_http_methods(["GET", "POST"])
def survey_margins(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey(request, slug)
    may_manage = may_manage_survey(user=_viewer(request), survey=survey)
    form = MarginUploadForm()
    problems: list[str] = []
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied("Only those who run the survey may load its margins.")
        form = MarginUploadForm(request.POST, request.FILES)
        if form.is_valid():
            problems = _load(survey, form)
            if not problems:
                messages.success(request, "The population figures are loaded.")
                return redirect("survey_margins", slug=survey.slug)
            form.add_error("file", NOT_LOADED)
    context = {
        "survey": survey,
        "overview": margin_overview(survey=survey),
        "may_manage": may_manage,
        "form": form,
        "problems": problems[:PROBLEMS_SHOWN],
        "problems_hidden": max(0, len(problems) - PROBLEMS_SHOWN),
    }
    status = 400 if form.errors else 200
    return render(request, "surveys/margin_page.html", context, status=status)


@staff_required
def survey_margins_template(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey(request, slug)  # first: one who may not see the survey learns nothing
    if request.method not in {"GET", "HEAD"}:
        return HttpResponseNotAllowed(["GET", "HEAD"])
    response = HttpResponse(margin_template_csv(survey=survey), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{survey.slug}-margins.csv"'
    return response
