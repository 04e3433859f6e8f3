"""The public pages: ask, confirmation, status and find-by-reference. Thin: each view calls
selectors and services and renders. The team's pages are in ``staff_views``.

The pages that look a question up by its reference (confirmation, status, find) share a
per-address limit (``STATUS_PAGES_PER_SECOND``, ``STATUS_PAGES_BURST``): far more than a
resident checking their question needs, and a plain 429 page beyond it, so nobody can try
references by the thousand.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from beatbook.core.ratelimit import client_limit_check
from beatbook.enquiries import selectors, services
from beatbook.enquiries.forms import HONEYPOT_FIELD, AskForm, ReferenceForm
from beatbook.enquiries.models import Question
from beatbook.places.models import Neighbourhood

# Questions one address may send: this many in a burst, and one more each time this many-th
# of an hour passes (bucket ``ask:<address>``).
QUESTIONS_PER_HOUR = 5
# One look-up every two seconds on average, in bursts of up to 20, per address.
STATUS_PAGES_PER_SECOND = 0.5
STATUS_PAGES_BURST = 20


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
@sensitive_post_parameters("name", "email", "subject", "body")
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
    decision = client_limit_check(
        request, scope="ask", rate=QUESTIONS_PER_HOUR / 3600, burst=QUESTIONS_PER_HOUR
    )
    if not decision.allowed:
        return _refused(request, neighbourhood, decision.retry_after_minutes)
    try:
        question = services.question_ask(neighbourhood=neighbourhood, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return _ask_page(request, neighbourhood, form)
    return redirect("enquiries:sent", reference=question.reference)


def _status_limited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Count the request against its address's look-ups; beyond the limit, a 429 page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        decision = client_limit_check(
            request,
            scope="question-status",
            rate=STATUS_PAGES_PER_SECOND,
            burst=STATUS_PAGES_BURST,
        )
        if decision.allowed:
            return view(request, *args, **kwargs)
        context = {"seconds": decision.retry_after}
        response = render(request, "enquiries/too_many_lookups.html", context, status=429)
        response["Retry-After"] = str(decision.retry_after)
        return response

    return wrapped


def _public_question(reference: str) -> Question:
    question = selectors.question_for_reference(reference=reference)
    if question is None:
        raise Http404("No question has that reference number.")
    return question


def _public_context(question: Question) -> dict[str, Any]:
    return {"question": question, "neighbourhood_url": neighbourhood_path(question.neighbourhood)}


@never_cache
@_status_limited
def sent(request: HttpRequest, reference: str) -> HttpResponse:
    question = _public_question(reference)
    context = {
        "question": question,
        "neighbourhood_url": neighbourhood_path(question.neighbourhood),
    }
    return render(request, "enquiries/sent.html", context)


@never_cache
@_status_limited
def status(request: HttpRequest, reference: str) -> HttpResponse:
    question = _public_question(reference)
    if question.reference != reference:
        return redirect("enquiries:status", reference=question.reference)
    context = {
        "question": question,
        "neighbourhood_url": neighbourhood_path(question.neighbourhood),
    }
    return render(request, "enquiries/status.html", context)


@_status_limited
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
