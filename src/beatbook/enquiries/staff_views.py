"""The team's pages (the list, one question and its actions) and the administrators' outbox.

Every one is let in by ``beatbook.accounts.access`` (the one staff check) and then scoped: a
question that is not the user's to answer is a 404, the same as one that does not exist. A
signed-in person turned away from a question, by either, is recorded as refused in the
contact-detail record (``contact_log``). The resident's name and e-mail address are shown, and
recorded as shown, only on a successful GET of the question page, in the transaction that
makes it: a HEAD request, a page that fails and an answer that was not saved show and record
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from beatbook.accounts.access import staff_required, superuser_required
from beatbook.enquiries import selectors, services
from beatbook.enquiries.contact_log import (
    Requester,
    contact_refusal_record,
    contact_refusal_record_for_reference,
    outbox_shown_record,
    requester_from,
)
from beatbook.enquiries.forms import AnswerForm
from beatbook.enquiries.models import ContactPurpose, OutgoingEmail, Question, QuestionStatus
from beatbook.enquiries.outbox import outgoing_emails_held

QuestionView = Callable[[HttpRequest, str], HttpResponse]
OUTBOX_PER_PAGE = 25


def _question_page(view: QuestionView) -> Callable[..., HttpResponse]:
    """A staff page about one question: the staff check, with a refusal of a signed-in person
    recorded against the question before it is answered."""
    gated = staff_required(view)

    @wraps(view)
    def wrapped(request: HttpRequest, reference: str) -> HttpResponse:
        try:
            return gated(request, reference)
        except PermissionDenied:
            contact_refusal_record_for_reference(
                requester=requester_from(request),
                reference=reference,
                purpose=ContactPurpose.ANSWERING,
            )
            raise

    return wrapped


@staff_required
def staff_list(request: HttpRequest) -> HttpResponse:
    questions = list(selectors.questions_for_user(user=requester_from(request).user))
    context = {
        "nav_questions": True,
        "open_questions": [q for q in questions if q.status == QuestionStatus.OPEN],
        "answered_questions": [q for q in questions if q.status == QuestionStatus.ANSWERED],
        "closed_questions": [q for q in questions if q.status == QuestionStatus.CLOSED],
        "now": timezone.now(),
    }
    return render(request, "enquiries/staff_list.html", context)


def _staff_question(requester: Requester, reference: str) -> Question:
    try:
        return selectors.question_for_staff(
            requester=requester, reference=reference, purpose=ContactPurpose.ANSWERING
        )
    except Question.DoesNotExist:
        raise Http404("No question you answer has that reference number.") from None


def _detail_page(
    request: HttpRequest, requester: Requester, question: Question, form: AnswerForm
) -> HttpResponse:
    context: dict[str, Any] = {
        "nav_questions": True,
        "question": question,
        "contact": None,
        "form": form,
        "now": timezone.now(),
    }
    if request.method != "GET":
        # A HEAD request shows nothing; an answer that failed is shown again without them.
        status = 400 if form.errors else 200
        return render(request, "enquiries/staff_detail.html", context, status=status)
    with transaction.atomic():
        context["contact"] = selectors.question_contact_for(
            requester=requester, question=question, purpose=ContactPurpose.ANSWERING
        )
        return render(request, "enquiries/staff_detail.html", context)


@never_cache
@_question_page
@require_http_methods(["GET", "HEAD", "POST"])
def staff_detail(request: HttpRequest, reference: str) -> HttpResponse:
    requester = requester_from(request)
    question = _staff_question(requester, reference)
    if request.method != "POST":
        return _detail_page(request, requester, question, AnswerForm(initial={"publish": False}))
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, requester, question, form)
    try:
        services.question_answer(question=question, user=requester.user, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return _detail_page(request, requester, question, form)
    messages.success(request, _answered_message(question))
    return _back_to(question)


def _answered_message(question: Question) -> str:
    if outgoing_emails_held():
        return (
            f"Question {question.reference} is answered. Email is not set up, so the answer "
            "waits in the outbox and the resident has not been emailed yet."
        )
    return f"Question {question.reference} is answered."


def _back_to(question: Question) -> HttpResponseRedirect:
    return redirect(reverse("enquiries:staff-detail", args=[question.reference]))


def _staff_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    requester = requester_from(request)
    question = _staff_question(requester, reference)
    change = {
        "publish": (services.question_publish, "is now on the neighbourhood page"),
        "unpublish": (services.question_unpublish, "is no longer on the neighbourhood page"),
        "close": (services.question_close, "is closed"),
    }[action]
    try:
        change[0](question=question, user=requester.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Question {question.reference} {change[1]}.")
    return _back_to(question)


@_question_page
@require_POST
def staff_publish(request: HttpRequest, reference: str) -> HttpResponse:
    return _staff_action(request, reference, "publish")


@_question_page
@require_POST
def staff_unpublish(request: HttpRequest, reference: str) -> HttpResponse:
    return _staff_action(request, reference, "unpublish")


@_question_page
@require_POST
def staff_close(request: HttpRequest, reference: str) -> HttpResponse:
    return _staff_action(request, reference, "close")


# --- The outbox (administrators only) --------------------------------------------------------


def _outbox_gate(view: Callable[[HttpRequest], HttpResponse]) -> Callable[..., HttpResponse]:
    """Administrators only; a signed-in person turned away is recorded as refused."""
    gated = superuser_required(view)

    @wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        try:
            return gated(request)
        except PermissionDenied:
            contact_refusal_record(requester=requester_from(request), purpose=ContactPurpose.OUTBOX)
            raise

    return wrapped


@never_cache
@_outbox_gate
@require_http_methods(["GET", "HEAD"])
def outbox(request: HttpRequest) -> HttpResponse:
    """The e-mails Beatbook has sent, is sending or keeps, newest first, each address recorded
    as shown. Where the demo (and a site without e-mail set up) keeps its mail."""
    paginator = Paginator(selectors.outbox_emails(), OUTBOX_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    page.page_range = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))  # type: ignore[attr-defined]
    emails: list[OutgoingEmail] = list(page)
    context = {
        "nav_outbox": True,
        "page_obj": page,
        "emails": emails,
        "held": outgoing_emails_held(),
    }
    if request.method != "GET":
        return render(request, "enquiries/outbox.html", {**context, "emails": []})
    with transaction.atomic():
        outbox_shown_record(requester=requester_from(request), emails=emails)
        return render(request, "enquiries/outbox.html", context)
