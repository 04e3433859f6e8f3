"""Public pages (ask, confirmation, status) and the team's pages (list, question). Thin: each
view calls selectors and services and renders."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from beatbook.accounts.models import User
from beatbook.enquiries import selectors, services
from beatbook.enquiries.forms import HONEYPOT_FIELD, AnswerForm, AskForm, ReferenceForm
from beatbook.enquiries.models import ContactPurpose, Question, QuestionStatus
from beatbook.enquiries.ratelimit import client_address, submission_allowed
from beatbook.places.models import Neighbourhood


def neighbourhood_path(neighbourhood: Neighbourhood) -> str:
    return f"/neighbourhoods/{neighbourhood.force_id}/{neighbourhood.code}/"


def _ask_page(
    request: HttpRequest, neighbourhood: Neighbourhood, form: AskForm, status: int = 200
) -> HttpResponse:
    context = {
        "neighbourhood": neighbourhood,
        "neighbourhood_url": neighbourhood_path(neighbourhood),
        "form": form,
        "honeypot_field": HONEYPOT_FIELD,
    }
    return render(request, "enquiries/ask.html", context, status=status)


def _refused(request: HttpRequest, neighbourhood: Neighbourhood, minutes: int) -> HttpResponse:
    context = {"neighbourhood": neighbourhood, "minutes": minutes}
    response = render(request, "enquiries/too_many.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def ask(request: HttpRequest, force_id: str, neighbourhood_id: str) -> HttpResponse:
    neighbourhood = get_object_or_404(
        Neighbourhood.objects.select_related("force"), force_id=force_id, code=neighbourhood_id
    )
    if request.method != "POST":
        return _ask_page(request, neighbourhood, AskForm())
    form = AskForm(request.POST)
    if form.honeypot_filled():
        form.add_error(None, "Your question could not be sent. Leave the last field empty.")
        return _ask_page(request, neighbourhood, form, status=400)
    if not form.is_valid():
        return _ask_page(request, neighbourhood, form)
    decision = submission_allowed(address=client_address(request))
    if not decision.allowed:
        return _refused(request, neighbourhood, decision.retry_after_minutes)
    try:
        question = services.question_ask(neighbourhood=neighbourhood, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return _ask_page(request, neighbourhood, form)
    return redirect("enquiries:sent", reference=question.reference)


def _public_question(reference: str) -> Question:
    question = selectors.question_for_reference(reference=reference)
    if question is None:
        raise Http404("No question has that reference number.")
    return question


def _public_context(question: Question) -> dict[str, Any]:
    return {"question": question, "neighbourhood_url": neighbourhood_path(question.neighbourhood)}


@never_cache
def sent(request: HttpRequest, reference: str) -> HttpResponse:
    question = _public_question(reference)
    context = {
        "question": question,
        "neighbourhood_url": neighbourhood_path(question.neighbourhood),
    }
    return render(request, "enquiries/sent.html", context)


@never_cache
def status(request: HttpRequest, reference: str) -> HttpResponse:
    question = _public_question(reference)
    if question.reference != reference:
        return redirect("enquiries:status", reference=question.reference)
    context = {
        "question": question,
        "neighbourhood_url": neighbourhood_path(question.neighbourhood),
    }
    return render(request, "enquiries/status.html", context)


def find(request: HttpRequest) -> HttpResponse:
    """Look a question up by the reference a resident types."""
    form = ReferenceForm(request.GET or None)
    if form.is_valid():
        question = selectors.question_for_reference(reference=form.cleaned_data["reference"])
        if question is not None:
            return redirect("enquiries:status", reference=question.reference)
        form.add_error(
            "reference",
            "We cannot find a question with that reference number. Check it against the "
            "email we sent you: it looks like Q-7K3M-2XAV",
        )
    return render(request, "enquiries/find.html", {"form": form})


def _viewer(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # login_required let only a signed-in user through
    return request.user


@login_required
def staff_list(request: HttpRequest) -> HttpResponse:
    questions = list(selectors.questions_for_user(user=_viewer(request)))
    context = {
        "nav_questions": True,
        "open_questions": [q for q in questions if q.status == QuestionStatus.OPEN],
        "answered_questions": [q for q in questions if q.status == QuestionStatus.ANSWERED],
        "closed_questions": [q for q in questions if q.status == QuestionStatus.CLOSED],
        "now": timezone.now(),
    }
    return render(request, "enquiries/staff_list.html", context)


def _staff_question(request: HttpRequest, reference: str) -> Question:
    try:
        return selectors.question_for_user(user=_viewer(request), reference=reference)
    except Question.DoesNotExist:
        raise Http404("No question you answer has that reference number.") from None


def _detail_page(
    request: HttpRequest, question: Question, form: AnswerForm, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {
        "nav_questions": True,
        "question": question,
        "contact": selectors.question_contact_for(
            user=_viewer(request), question=question, purpose=ContactPurpose.ANSWERING
        ),
        "form": form,
        "now": timezone.now(),
    }
    return render(request, "enquiries/staff_detail.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def staff_detail(request: HttpRequest, reference: str) -> HttpResponse:
    question = _staff_question(request, reference)
    if request.method != "POST":
        return _detail_page(request, question, AnswerForm(initial={"publish": False}))
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, question, form)
    try:
        services.question_answer(question=question, user=_viewer(request), **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return _detail_page(request, question, form)
    messages.success(request, f"Question {question.reference} is answered.")
    return _back_to(question)


def _back_to(question: Question) -> HttpResponseRedirect:
    return redirect(reverse("enquiries:staff-detail", args=[question.reference]))


def _staff_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    question = _staff_question(request, reference)
    change = {
        "publish": (services.question_publish, "is now on the neighbourhood page"),
        "unpublish": (services.question_unpublish, "is no longer on the neighbourhood page"),
        "close": (services.question_close, "is closed"),
    }[action]
    try:
        change[0](question=question, user=_viewer(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Question {question.reference} {change[1]}.")
    return _back_to(question)


@login_required
@require_POST
def staff_publish(request: HttpRequest, reference: str) -> HttpResponse:
    return _staff_action(request, reference, "publish")


@login_required
@require_POST
def staff_unpublish(request: HttpRequest, reference: str) -> HttpResponse:
    return _staff_action(request, reference, "unpublish")


@login_required
@require_POST
def staff_close(request: HttpRequest, reference: str) -> HttpResponse:
    return _staff_action(request, reference, "close")
