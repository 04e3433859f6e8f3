"""The survey builder's staff pages under ``staff/surveys/``: the list, a survey's overview and
details, and its questions. Thin: scope with ``builder_access``, check with a form, change with
``survey_details`` or ``question_services``, render. The waves' pages are in
``builder_wave_views``, the import's in ``builder_import_views``.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse

from beatbook.accounts.access import staff_required
from beatbook.surveys import question_services, survey_details
from beatbook.surveys.builder_access import (
    posted,
    question_of,
    refused,
    show,
    survey_for_viewer,
    survey_forces,
    survey_to_manage,
    viewer,
)
from beatbook.surveys.builder_forms import BankForm, QuestionForm, SurveyForm
from beatbook.surveys.builder_queries import survey_wave_counts
from beatbook.surveys.item_bank import BANK, BankItem
from beatbook.surveys.models import Question, Survey, Wave, WaveQuestion, WaveStatus
from beatbook.surveys.selectors import (
    may_create_survey,
    may_manage_survey,
    survey_neighbourhoods,
    surveys_for_user,
)
from beatbook.surveys.survey_services import SurveyError, question_from_bank_add

# --- the list and the overview ----------------------------------------------------------------


@staff_required
def survey_list(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    waves = Prefetch("waves", queryset=Wave.objects.order_by("opens_on", "id"))
    surveys = surveys_for_user(user=user).prefetch_related(waves).order_by("force__name", "title")
    context = {"surveys": surveys, "may_create": may_create_survey(user=user)}
    return show(request, "surveys/builder_list.html", context)


def _locked_ids(survey: Survey) -> set[int]:
    asked = WaveQuestion.objects.filter(wave__survey=survey).exclude(wave__status=WaveStatus.DRAFT)
    return set(asked.values_list("question_id", flat=True))


def _asked_ids(survey: Survey) -> set[int]:
    return set(
        WaveQuestion.objects.filter(wave__survey=survey).values_list("question_id", flat=True)
    )


@staff_required
def survey_detail(request: HttpRequest, slug: str) -> HttpResponse:
    survey = survey_for_viewer(request, slug)
    questions = survey.questions.prefetch_related("options").order_by("position", "id")
    named = survey.neighbourhoods.exists()
    context = {
        "survey": survey,
        "questions": list(questions),
        "locked": _locked_ids(survey),
        "asked": _asked_ids(survey),
        "area": survey_neighbourhoods(survey=survey) if named else None,
        "waves": survey_wave_counts(survey=survey),
        "may_manage": may_manage_survey(user=viewer(request), survey=survey),
        "bank_left": _bank_left(survey),
    }
    return show(request, "surveys/builder_detail.html", context)


# --- the survey's details ---------------------------------------------------------------------


@staff_required
def survey_create(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    if not may_create_survey(user=user):
        return refused(request, "Only those who run surveys (analysts, inspectors) start one.")
    forces = survey_forces(user)
    form = SurveyForm(posted(request), forces=forces, initial={"demographics": ["age_band", "sex"]})
    if request.method == "POST" and form.is_valid():
        try:
            survey = survey_details.survey_details_create(
                force=form.cleaned_data["force"], details=form.details(), created_by=user
            )
        except SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{survey.title} is set up. Now add its questions.")
            return redirect("survey_detail", slug=survey.slug)
    context = {"form": form, "heading": "Start a survey", "back_url": reverse("survey_list")}
    return show(request, "surveys/builder_form.html", context)


@staff_required
def survey_edit(request: HttpRequest, slug: str) -> HttpResponse:
    found = survey_to_manage(request, slug)
    if isinstance(found, HttpResponse):
        return found
    form = SurveyForm(
        posted(request),
        forces=survey_forces(viewer(request)),
        survey=found,
        initial=SurveyForm.initial_for(found),
    )
    if request.method == "POST" and form.is_valid():
        try:
            survey_details.survey_details_update(survey=found, details=form.details())
        except SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{found.title}'s details are saved.")
            return redirect("survey_detail", slug=found.slug)
    back = reverse("survey_detail", kwargs={"slug": found.slug})
    context = {"form": form, "heading": f"Change {found.title}", "back_url": back, "survey": found}
    return show(request, "surveys/builder_form.html", context)


# --- questions --------------------------------------------------------------------------------


def _bank_left(survey: Survey) -> list[BankItem]:
    taken = set(survey.questions.values_list("code", flat=True))
    return [item for item in BANK if item.key not in taken]


@staff_required
def question_bank_add(request: HttpRequest, slug: str) -> HttpResponse:
    found = survey_to_manage(request, slug)
    if isinstance(found, HttpResponse):
        return found
    items = _bank_left(found)
    form = BankForm(posted(request), items=items)
    if request.method == "POST" and form.is_valid():
        try:
            question = question_from_bank_add(survey=found, key=form.cleaned_data["key"])
        except SurveyError as error:
            form.add_error("key", str(error))
        else:
            messages.success(request, f"{question.code} is added.")
            return redirect("survey_detail", slug=found.slug)
    context = {"survey": found, "form": form, "items": items}
    return show(request, "surveys/builder_bank.html", context)


@staff_required
def question_create(request: HttpRequest, slug: str) -> HttpResponse:
    found = survey_to_manage(request, slug)
    if isinstance(found, HttpResponse):
        return found
    form = QuestionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            question = question_services.question_create(survey=found, details=form.details())
        except SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{question.code} is added.")
            return redirect("survey_detail", slug=found.slug)
    context = {"survey": found, "form": form, "heading": "Add your own question"}
    return show(request, "surveys/builder_question.html", context)


@staff_required
def question_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = survey_to_manage(request, slug)
    if isinstance(found, HttpResponse):
        return found
    question = question_of(found, pk)
    form = QuestionForm(posted(request), initial=QuestionForm.initial_for(question))
    if request.method == "POST" and form.is_valid():
        try:
            question_services.question_update(question=question, details=form.details())
        except SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{question.code} is saved.")
            return redirect("survey_detail", slug=found.slug)
    context = {
        "survey": found,
        "form": form,
        "question": question,
        "locked": question.locked,
        "heading": f"Change {question.code}",
    }
    return show(request, "surveys/builder_question.html", context)


def _question_to_change(request: HttpRequest, slug: str, pk: int) -> Question | HttpResponse:
    """The question of a button's POST, for one who runs the survey."""
    found = survey_to_manage(request, slug)
    if isinstance(found, HttpResponse):
        return found
    question = question_of(found, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return question


@staff_required
def question_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    question = _question_to_change(request, slug, pk)
    if isinstance(question, HttpResponse):
        return question
    direction = request.POST.get("direction", "")
    if direction not in {"up", "down"}:
        return HttpResponseBadRequest("Move a question up or down.")
    try:
        question_services.question_move(question=question, direction=direction)
    except SurveyError as error:
        messages.error(request, str(error))
    return redirect(f"{reverse('survey_detail', kwargs={'slug': slug})}#question-{pk}")


@staff_required
def question_retire(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    question = _question_to_change(request, slug, pk)
    if isinstance(question, HttpResponse):
        return question
    # The wanted state, not a toggle: the same button pressed twice does the same thing.
    wanted = request.POST.get("retired", "")
    if wanted not in {"yes", "no"}:
        return HttpResponseBadRequest("Say whether the question is retired.")
    question_services.question_retire(question=question, retired=wanted == "yes")
    done = "is retired: waves opened from now do not ask it" if wanted == "yes" else "is back"
    messages.success(request, f"{question.code} {done}.")
    return redirect(f"{reverse('survey_detail', kwargs={'slug': slug})}#question-{pk}")


@staff_required
def question_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    found = survey_to_manage(request, slug)
    if isinstance(found, HttpResponse):
        return found
    question = question_of(found, pk)
    error = ""
    if request.method == "POST":
        try:
            question_services.question_delete(question=question)
        except SurveyError as refusal:
            error = str(refusal)
        else:
            messages.success(request, f"{question.code} is deleted.")
            return redirect("survey_detail", slug=found.slug)
    context = {
        "survey": found,
        "question": question,
        "asked": question_services.question_asked(question),
        "error": error,
    }
    return show(request, "surveys/builder_question_delete.html", context)
