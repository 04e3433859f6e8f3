"""The online surgery's pages: the residents' page (ask, and read the answers as they come),
its live address, and the moderators' page. Thin: read with ``operations.surgery``, check with
a form, change with its services, render.

The residents' form has the protections of the question form (``enquiries.views.ask``): CSRF,
the honeypot, and the same rate bucket (``ask:<address>``), so a surgery is no way around the
question form's limit. The page shows no name or e-mail address, ever: its transcript and its
live address are made from ``surgery.transcript_entries``, which holds neither.

A restricted or unpublished activity, or one that is not an online surgery, has no public page
(404). The moderators' page is for people who may contribute to the operation: 404 for anyone
outside it, 403 for those who may only look (an analyst).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from beatbook.accounts.access import staff_required
from beatbook.core.ratelimit import client_limit_check
from beatbook.enquiries.forms import HONEYPOT_FIELD
from beatbook.enquiries.views import QUESTIONS_PER_HOUR
from beatbook.operations import selectors, surgery
from beatbook.operations.models import Activity, ActivityType, SurgeryQuestion, SurgeryStatus
from beatbook.operations.surgery_forms import (
    SurgeryAnswerForm,
    SurgeryAskForm,
    SurgeryRejectForm,
)
from beatbook.operations.views import operation_for_viewer, viewer
from beatbook.ui.templatetags.beatbook_ui import when

# Without JavaScript, the page refreshes itself this often (seconds) while the surgery is live.
REFRESH_SECONDS = 30


# --- the residents' page ---------------------------------------------------------------------


def _public_surgery(pk: int) -> Activity:
    activity = surgery.public_surgery(pk=pk)
    if activity is None:
        raise Http404("No published online surgery has that number.")
    return activity


def _surgery_page(
    request: HttpRequest, activity: Activity, form: SurgeryAskForm, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    entries = surgery.transcript_entries(activity=activity)
    live = surgery.surgery_is_live(activity, now)
    context = {
        "activity": activity,
        "operation": activity.operation,
        "form": form,
        "honeypot_field": HONEYPOT_FIELD,
        "entries": entries,
        "last_id": entries[-1].id if entries else "",
        "open": surgery.surgery_is_open(activity, now),
        "live": live,
        "started": activity.start <= now,
        # A page showing what was typed and what is wrong with it never reloads itself.
        "refresh_seconds": REFRESH_SECONDS if live and not form.is_bound else None,
    }
    return render(request, "operations/surgery.html", context, status=status)


def _refused(request: HttpRequest, activity: Activity, minutes: int) -> HttpResponse:
    context = {"activity": activity, "minutes": minutes}
    response = render(request, "operations/surgery_too_many.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


@never_cache
@sensitive_post_parameters("name", "email", "body")
@require_http_methods(["GET", "HEAD", "POST"])
def surgery_page(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _public_surgery(pk)
    if request.method != "POST":
        return _surgery_page(request, activity, SurgeryAskForm())
    form = SurgeryAskForm(request.POST)
    if form.honeypot_filled():
        form.add_error(None, "Your question could not be sent. Leave the last field empty.")
        return _surgery_page(request, activity, form, status=400)
    if not surgery.surgery_is_open(activity):
        form.add_error(None, surgery.closed_message(activity))
        return _surgery_page(request, activity, form)
    if not form.is_valid():
        return _surgery_page(request, activity, form)
    decision = client_limit_check(
        request, scope="ask", rate=QUESTIONS_PER_HOUR / 3600, burst=QUESTIONS_PER_HOUR
    )
    if not decision.allowed:
        return _refused(request, activity, decision.retry_after_minutes)
    try:
        surgery.surgery_question_ask(activity=activity, **form.cleaned_data)
    except ValidationError as error:
        _add_errors(form, error)
        return _surgery_page(request, activity, form)
    messages.success(
        request,
        "Your question has been sent. If a moderator approves it, its answer will appear on "
        "this page.",
    )
    return redirect("operations:surgery", pk=activity.pk)


@never_cache
@require_GET
def surgery_live(request: HttpRequest, pk: int) -> JsonResponse:
    """The answers since the one a page shows last (``?since=<id>``), for its script."""
    activity = _public_surgery(pk)
    since = request.GET.get("since", "")
    entries = surgery.transcript_entries(
        activity=activity, since=int(since) if since.isdigit() else None
    )
    now = timezone.now()
    return JsonResponse(
        {
            "live": surgery.surgery_is_live(activity, now),
            "open": surgery.surgery_is_open(activity, now),
            "answers": [
                {
                    "id": entry.id,
                    "question": entry.question,
                    "answer": entry.answer,
                    "answered_at": entry.answered_at.isoformat(),
                    "answered_at_text": when(entry.answered_at, "time"),
                }
                for entry in entries
            ],
        }
    )


def _add_errors(form: Form, error: ValidationError) -> None:
    """A service's errors on the form: by field where the form has it, else for the whole."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


# --- the moderators' page --------------------------------------------------------------------


def _moderated_surgery(request: HttpRequest, pk: int) -> Activity:
    """The online surgery, for someone who may moderate it: 404 outside the operation, 403 for
    someone who may only look at it."""
    operation_id = (
        Activity.objects.filter(pk=pk, type=ActivityType.ONLINE_SURGERY)
        .values_list("operation_id", flat=True)
        .first()
    )
    if operation_id is None:
        raise Http404("No online surgery has that number.")
    operation = operation_for_viewer(request, operation_id)
    user = viewer(request)
    activity = selectors.activities_for_user(user=user, operation=operation).filter(pk=pk).first()
    if activity is None:
        raise Http404("Not an activity you are part of.")
    if not selectors.may_contribute(user=user, operation=operation):
        raise PermissionDenied("You may look at this operation but not moderate its surgery.")
    activity.operation = operation
    return activity


ACTIONS = ("approve", "reject", "answer")


def _moderate(request: HttpRequest, activity: Activity) -> tuple[SurgeryQuestion, Form] | None:
    """Carry out the POSTed action. None when done; else the question and its form, with
    errors."""
    action = request.POST.get("action", "")
    question_id = request.POST.get("question", "")
    if action not in ACTIONS or not question_id.isdigit():
        raise Http404("No such action.")
    question = get_object_or_404(SurgeryQuestion, pk=int(question_id), activity=activity)
    user = viewer(request)
    form: Form
    if action == "reject":
        form = SurgeryRejectForm(request.POST, auto_id=f"reject-{question.pk}-%s")
    elif action == "answer":
        form = SurgeryAnswerForm(request.POST, auto_id=f"answer-{question.pk}-%s")
    else:
        form = Form(request.POST)
    try:
        if action == "approve":
            surgery.surgery_question_approve(question=question, user=user)
            messages.success(request, "Question approved: it is ready for an answer.")
            return None
        if not form.is_valid():
            return question, form
        if action == "reject":
            surgery.surgery_question_reject(
                question=question, user=user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, "Question rejected. Residents will not see it.")
        else:
            surgery.surgery_question_answer(
                question=question, user=user, answer=form.cleaned_data["answer"]
            )
            messages.success(request, "Answer published on the surgery page.")
    except ValidationError as error:
        _add_errors(form, error)
        return question, form
    return None


def _rows(
    activity: Activity, failed: tuple[SurgeryQuestion, Form] | None
) -> dict[str, list[dict[str, Any]]]:
    queues = surgery.moderation_queues(activity=activity)
    rows: dict[str, list[dict[str, Any]]] = {}
    for status, questions in queues.items():
        rows[status] = []
        for question in questions:
            row: dict[str, Any] = {
                "question": question,
                "reject_form": SurgeryRejectForm(auto_id=f"reject-{question.pk}-%s"),
                "answer_form": SurgeryAnswerForm(auto_id=f"answer-{question.pk}-%s"),
            }
            if failed is not None and failed[0].pk == question.pk:
                if isinstance(failed[1], SurgeryRejectForm):
                    row["reject_form"] = failed[1]
                elif isinstance(failed[1], SurgeryAnswerForm):
                    row["answer_form"] = failed[1]
            rows[status].append(row)
    return rows


@never_cache
@staff_required
@require_http_methods(["GET", "HEAD", "POST"])
def surgery_moderate(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _moderated_surgery(request, pk)
    failed = None
    if request.method == "POST":
        failed = _moderate(request, activity)
        if failed is None:
            return redirect(reverse("operations:surgery-moderate", args=[activity.pk]))
    rows = _rows(activity, failed)
    context = {
        "nav_operations": True,
        "activity": activity,
        "operation": activity.operation,
        "waiting": rows[SurgeryStatus.WAITING],
        "approved": rows[SurgeryStatus.APPROVED],
        "answered": rows[SurgeryStatus.ANSWERED],
        "rejected": rows[SurgeryStatus.REJECTED],
        "failed": failed[1] if failed else None,
        "failed_question": failed[0] if failed else None,
        "public": surgery.public_surgery(pk=activity.pk) is not None,
    }
    return render(request, "operations/surgery_moderate.html", context, status=200)
