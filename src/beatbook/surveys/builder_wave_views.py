"""A survey's waves: making one, its page, opening (after a confirmation), closing, publishing
its results, deleting a draft; its invitation links; the residents who asked to be contacted.
Thin: scope with ``builder_access``, change with ``survey_services``, ``wave_services`` or
``invitation_services``, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotAllowed,
)
from django.shortcuts import redirect
from django.utils import timezone

from beatbook.accounts.access import staff_required
from beatbook.surveys import invitation_services, survey_services, wave_services
from beatbook.surveys.builder_access import (
    posted,
    show,
    survey_for_viewer,
    survey_to_manage,
    viewer,
    wave_of,
)
from beatbook.surveys.builder_forms import InvitationForm, WaveForm
from beatbook.surveys.builder_queries import contact_requests, invitation_batches, wave_counts
from beatbook.surveys.models import Wave, WaveStatus
from beatbook.surveys.selectors import may_manage_survey, wave_questions
from beatbook.surveys.survey_services import SurveyError


def _wave_to_manage(request: HttpRequest, slug: str, wave_slug: str) -> Wave | HttpResponse:
    found = survey_to_manage(request, slug)
    if isinstance(found, HttpResponse):
        return found
    return wave_of(found, wave_slug)


def _wave_by_post(request: HttpRequest, slug: str, wave_slug: str) -> Wave | HttpResponse:
    wave = _wave_to_manage(request, slug, wave_slug)
    if isinstance(wave, Wave) and request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return wave


def _to_wave(wave: Wave) -> HttpResponse:
    return redirect("survey_wave", slug=wave.survey.slug, wave=wave.slug)


@staff_required
def wave_create(request: HttpRequest, slug: str) -> HttpResponse:
    found = survey_to_manage(request, slug)
    if isinstance(found, HttpResponse):
        return found
    form = WaveForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            wave = survey_services.wave_create(
                survey=found,
                name=data["name"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                open_link=data["open_link"] == "yes",
            )
        except SurveyError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"{wave.name} is made: open it when its questions are ready.")
            return _to_wave(wave)
    return show(request, "surveys/builder_wave_form.html", {"survey": found, "form": form})


@staff_required
def wave_detail(request: HttpRequest, slug: str, wave: str) -> HttpResponse:
    survey = survey_for_viewer(request, slug)
    found = wave_of(survey, wave)
    may_manage = may_manage_survey(user=viewer(request), survey=survey)
    context = {
        "survey": survey,
        "wave": found,
        "counts": wave_counts(wave=found),
        "questions": wave_questions(wave=found),
        "batches": invitation_batches(wave=found) if may_manage else [],
        "may_manage": may_manage,
    }
    return show(request, "surveys/builder_wave.html", context)


@staff_required
def wave_open(request: HttpRequest, slug: str, wave: str) -> HttpResponse:
    """A confirmation page (opening fixes and locks the questions), then the opening."""
    found = _wave_to_manage(request, slug, wave)
    if isinstance(found, HttpResponse):
        return found
    error = ""
    if request.method == "POST":
        try:
            survey_services.wave_open(wave=found)
        except SurveyError as refusal:
            error = str(refusal)
        else:
            messages.success(request, f"{found.name} is open for answers.")
            return _to_wave(found)
    context = {
        "survey": found.survey,
        "wave": found,
        "questions": wave_questions(wave=found),
        "error": error,
    }
    return show(request, "surveys/builder_wave_open.html", context)


@staff_required
def wave_close(request: HttpRequest, slug: str, wave: str) -> HttpResponse:
    found = _wave_by_post(request, slug, wave)
    if isinstance(found, HttpResponse):
        return found
    try:
        survey_services.wave_close(wave=found)
    except SurveyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{found.name} is closed: no more answers are taken.")
    return _to_wave(found)


@staff_required
def wave_publish(request: HttpRequest, slug: str, wave: str) -> HttpResponse:
    found = _wave_by_post(request, slug, wave)
    if isinstance(found, HttpResponse):
        return found
    # The wanted state, not a toggle: the same button pressed twice does the same thing.
    wanted = request.POST.get("published", "")
    if wanted not in {"yes", "no"}:
        return HttpResponseBadRequest("Say whether the results are published.")
    try:
        wave_services.wave_results_publish(wave=found, published=wanted == "yes")
    except SurveyError as error:
        messages.error(request, str(error))
    else:
        shown = "are on the public pages" if wanted == "yes" else "are no longer public"
        messages.success(request, f"{found.name}'s results {shown}.")
    return _to_wave(found)


@staff_required
def wave_delete(request: HttpRequest, slug: str, wave: str) -> HttpResponse:
    found = _wave_to_manage(request, slug, wave)
    if isinstance(found, HttpResponse):
        return found
    error = ""
    if request.method == "POST":
        try:
            wave_services.wave_delete(wave=found)
        except SurveyError as refusal:
            error = str(refusal)
        else:
            messages.success(request, f"{found.name} is deleted.")
            return redirect("survey_detail", slug=found.survey.slug)
    context = {"survey": found.survey, "wave": found, "error": error}
    return show(request, "surveys/builder_wave_delete.html", context)


# --- invitations and contacts -----------------------------------------------------------------


@staff_required
def wave_invitations(request: HttpRequest, slug: str, wave: str) -> HttpResponse:
    """The batches made so far; a new batch's links come back once, as a CSV download."""
    found = _wave_to_manage(request, slug, wave)
    if isinstance(found, HttpResponse):
        return found
    form = InvitationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            tokens = invitation_services.invitations_make(
                wave=found, count=form.cleaned_data["count"], batch=form.cleaned_data["batch"]
            )
        except SurveyError as error:
            form.add_error(None, str(error))
        else:
            return _links_download(request, found, tokens)
    context = {
        "survey": found.survey,
        "wave": found,
        "form": form,
        "batches": invitation_batches(wave=found),
        "closed": found.status == WaveStatus.CLOSED,
    }
    return show(request, "surveys/builder_invitations.html", context)


def _links_download(request: HttpRequest, wave: Wave, tokens: list[str]) -> HttpResponse:
    site = f"{request.scheme}://{request.get_host()}"
    body = invitation_services.invitations_csv(tokens=tokens, site=site)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{wave.survey.slug}-{wave.slug}-invitations-{stamp}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # The links are shown this once: no cache may keep a copy.
    response["Cache-Control"] = "no-store"
    return response


@staff_required
def wave_contacts(request: HttpRequest, slug: str, wave: str) -> HttpResponse:
    found = _wave_to_manage(request, slug, wave)
    if isinstance(found, HttpResponse):
        return found
    context = {"survey": found.survey, "wave": found, "contacts": contact_requests(wave=found)}
    return show(request, "surveys/builder_contacts.html", context)
