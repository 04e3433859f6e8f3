"""Residents answering a survey (issue 17, item 2), in GOV.UK's question-pages pattern: a start
page with the privacy notice and consent, one question a page, a Check your answers page and a
confirmation. Plain forms and redirects: it works without JavaScript.

Where the resident is and what they have said is kept in their session (``answer_flow``). The
protections of the residents' question form (``enquiries.views.ask``) apply: CSRF, the
honeypot (on the start page and the Check page; a filled one stores nothing and looks like
success), and a per-address rate limit on answers sent by open link (bucket
``survey:<address>``, ``SURVEY_RATE_PER_HOUR`` and ``SURVEY_RATE_BURST``). The address is kept
in that bucket only: no answer, and nothing else, holds it. An invitation link answers once
(``response_services.response_record`` enforces it) and is not rate limited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from beatbook.core.ratelimit import client_limit_check
from beatbook.enquiries.forms import HONEYPOT_FIELD
from beatbook.surveys import answer_flow as flow
from beatbook.surveys.answer_forms import (
    TEXT_MAX,
    SendForm,
    StartForm,
    StepForm,
    error_links,
    step_form,
)
from beatbook.surveys.models import Invitation, QuestionKind, Survey, Wave, WaveStatus
from beatbook.surveys.response_services import AnswerError, response_record
from beatbook.surveys.selectors import (
    open_wave,
    published_waves,
    survey_neighbourhoods,
    wave_questions,
)
from beatbook.surveys.tokens import token_hash

RATE_SCOPE = "survey"
FORM_METHODS = ["GET", "HEAD", "POST"]


def _survey(slug: str) -> Survey:
    return get_object_or_404(Survey.objects.select_related("force"), slug=slug)


def _closed(request: HttpRequest, survey: Survey, *, stopped: bool = False) -> HttpResponse:
    """No wave is open: said plainly. ``stopped``: the wave closed while the resident was
    answering, and their answers were not sent."""
    context = {"survey": survey, "stopped": stopped, "has_results": _has_results(survey)}
    return render(request, "surveys/answer_closed.html", context)


def _has_results(survey: Survey) -> bool:
    return published_waves(survey=survey).exists()


def _start_url(survey: Survey) -> str:
    return reverse("survey_start", kwargs={"slug": survey.slug})


def _check_url(survey: Survey) -> str:
    return reverse("survey_check", kwargs={"slug": survey.slug})


def _sent(request: HttpRequest, survey: Survey) -> HttpResponse:
    flow.progress_clear(request.session, survey)
    flow.sent_mark(request.session, survey)
    return redirect("survey_sent", slug=survey.slug)


# --- Starting ------------------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    """Staff's text as paragraphs, each drawn in the page's own paragraph style."""
    return [part.strip() for part in text.replace("\r\n", "\n").split("\n\n") if part.strip()]


def _start_page(
    request: HttpRequest, survey: Survey, wave: Wave, form: StartForm, invited: bool
) -> HttpResponse:
    steps = flow.flow_steps(survey=survey, questions=wave_questions(wave=wave))
    progress = flow.progress_get(request.session, survey)
    resume = None
    if progress is not None and progress.wave_id == wave.pk:
        waiting = flow.first_open_step(steps, progress)
        resume = waiting.url(survey) if waiting is not None else _check_url(survey)
    context = {
        "survey": survey,
        "wave": wave,
        "purpose": _paragraphs(survey.purpose),
        "privacy_notice": _paragraphs(survey.privacy_notice),
        "form": form,
        "errors": error_links(form),
        "honeypot_field": HONEYPOT_FIELD,
        "minutes": flow.minutes_to_answer(steps),
        "pages": len(steps),
        "invited": invited,
        "invitation_needed": not wave.open_link and not invited,
        "neighbourhoods": list(survey_neighbourhoods(survey=survey).values_list("name", flat=True)),
        "named_area": survey.neighbourhoods.exists(),
        "resume_url": resume,
    }
    return render(request, "surveys/answer_start.html", context)


@never_cache
@require_http_methods(FORM_METHODS)
def survey_start(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey(slug)
    wave = open_wave(survey=survey)
    if wave is None:
        return _closed(request, survey)
    invited = flow.invitation_held(request.session, survey, wave) is not None
    if request.method != "POST":
        return _start_page(request, survey, wave, StartForm(), invited)
    form = StartForm(request.POST)
    if form.honeypot_filled():
        return _sent(request, survey)
    if not wave.open_link and not invited:
        return _start_page(request, survey, wave, StartForm(), invited)
    if not form.is_valid():
        return _start_page(request, survey, wave, form, invited)
    progress = flow.progress_start(request.session, survey, wave)
    steps = flow.flow_steps(survey=survey, questions=wave_questions(wave=wave))
    first = flow.first_open_step(steps, progress)
    return redirect(first.url(survey) if first is not None else _check_url(survey))


@never_cache
@require_GET
def survey_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation link: held in the session by its id, then on to the start page, so the
    token appears in no page after this request."""
    invitation = (
        Invitation.objects.select_related("wave__survey__force")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None:
        return render(request, "surveys/answer_not_found.html", status=404)
    survey = invitation.wave.survey
    if invitation.used_on is not None:
        return render(request, "surveys/answer_invitation_used.html", {"survey": survey})
    if invitation.wave.status != WaveStatus.OPEN:
        return _closed(request, survey)
    flow.invitation_hold(request.session, invitation)
    return redirect("survey_start", slug=survey.slug)


# --- One question a page -------------------------------------------------------------------


@dataclass
class Flow:
    survey: Survey
    wave: Wave
    progress: flow.Progress
    steps: list[flow.Step]

    def save(self, request: HttpRequest) -> None:
        flow.progress_save(request.session, self.survey, self.progress)


def _flow(request: HttpRequest, slug: str) -> Flow | HttpResponse:
    """The resident's progress, or where to send them: the start page if they have not
    started (or have sent their answers), the closed page if the wave closed meanwhile."""
    survey = _survey(slug)
    progress = flow.progress_get(request.session, survey)
    if progress is None:
        return redirect("survey_start", slug=survey.slug)
    wave = flow.wave_still_open(survey, progress)
    if wave is None:
        flow.progress_clear(request.session, survey)
        return _closed(request, survey, stopped=True)
    steps = flow.flow_steps(survey=survey, questions=wave_questions(wave=wave))
    return Flow(survey, wave, progress, steps)


def _widget(step: flow.Step) -> str:
    if step.question is None:
        return {flow.POSTCODE: "postcode", flow.CONTACT: "contact"}.get(step.key, "radios")
    widgets: dict[str, str] = {
        QuestionKind.MULTIPLE: "checkboxes",
        QuestionKind.RANK: "rank",
        QuestionKind.TEXT: "text",
    }
    return widgets.get(str(step.question.kind), "radios")


ABOUT_HEADINGS = {
    flow.POSTCODE: "What is your postcode?",
    flow.AGE: "How old are you?",
    flow.SEX: "What is your sex?",
    flow.CONTACT: "May we contact you about your answers?",
}


def _step_page(request: HttpRequest, state: Flow, step: flow.Step, form: StepForm) -> HttpResponse:
    change = request.GET.get("change") == "yes"
    before = flow.step_before(state.steps, step)
    if change:
        back = _check_url(state.survey)
    else:
        back = before.url(state.survey) if before is not None else _start_url(state.survey)
    question = step.question
    context = {
        "survey": state.survey,
        "step": step,
        "form": form,
        "errors": error_links(form),
        "widget": _widget(step),
        "heading": question.text if question is not None else ABOUT_HEADINGS[step.key],
        "hint": question.hint if question is not None else "",
        "number": state.steps.index(step) + 1,
        "total": len(state.steps),
        "back_url": back,
        "action": step.url(state.survey, change=change),
        "skippable": not step.required,
        "text_max": TEXT_MAX,
        "area": flow.names_joined(
            survey_neighbourhoods(survey=state.survey).values_list("name", flat=True)
        ),
    }
    return render(request, "surveys/answer_step.html", context)


def _saved(request: HttpRequest, state: Flow) -> HttpResponse:
    state.save(request)
    following = flow.step_after(state.steps, state.progress)
    return redirect(following.url(state.survey) if following else _check_url(state.survey))


def _step(request: HttpRequest, slug: str, kind: str, key: str) -> HttpResponse:
    state = _flow(request, slug)
    if isinstance(state, HttpResponse):
        return state
    step = flow.step_find(state.steps, kind=kind, key=key)
    if step is None:
        return render(request, "surveys/answer_not_found.html", status=404)
    if not flow.step_reachable(state.steps, state.progress, step):
        waiting = flow.first_open_step(state.steps, state.progress)
        return redirect(waiting.url(state.survey) if waiting else _check_url(state.survey))
    if request.method != "POST":
        initial = flow.step_initial(step, state.progress)
        return _step_page(request, state, step, step_form(step, initial=initial))
    if "skip" in request.POST and not step.required:
        flow.step_skip(state.progress, step)
        return _saved(request, state)
    form = step_form(step, data=request.POST)
    if not form.is_valid():
        return _step_page(request, state, step, form)
    value = form.value()
    if step.key == flow.POSTCODE and step.question is None and value:
        try:
            value = flow.postcode_place(survey=state.survey, postcode=value)
        except flow.PostcodeError as problem:
            form.add_error("answer", str(problem))
            return _step_page(request, state, step, form)
    flow.step_record(state.progress, step, value)
    return _saved(request, state)


@never_cache
@sensitive_post_parameters()
@require_http_methods(FORM_METHODS)
def survey_question(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    return _step(request, slug, flow.QUESTION, code)


@never_cache
@sensitive_post_parameters()
@require_http_methods(FORM_METHODS)
def survey_about_you(request: HttpRequest, slug: str, step: str) -> HttpResponse:
    return _step(request, slug, flow.ABOUT, step)


# --- Check your answers, and send them -----------------------------------------------------


def _check_page(
    request: HttpRequest, state: Flow, problems: list[tuple[str, str]] | None = None
) -> HttpResponse:
    context = {
        "survey": state.survey,
        "rows": flow.check_rows(survey=state.survey, steps=state.steps, progress=state.progress),
        "errors": problems or [],
        "honeypot_field": HONEYPOT_FIELD,
        "back_url": state.steps[-1].url(state.survey),
    }
    return render(request, "surveys/answer_check.html", context)


def _too_many(request: HttpRequest, survey: Survey, minutes: int) -> HttpResponse:
    context = {"survey": survey, "minutes": minutes, "check_url": _check_url(survey)}
    response = render(request, "surveys/answer_too_many.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


def _limit_refuses(request: HttpRequest) -> int:
    """Minutes to wait when this address has sent too many answers by open link, else 0."""
    decision = client_limit_check(
        request,
        scope=RATE_SCOPE,
        rate=settings.SURVEY_RATE_PER_HOUR / 3600,
        burst=settings.SURVEY_RATE_BURST,
    )
    return 0 if decision.allowed else decision.retry_after_minutes


def _send(request: HttpRequest, state: Flow) -> HttpResponse:
    invitation = None
    if state.progress.invitation_id is not None:
        invitation = Invitation.objects.filter(pk=state.progress.invitation_id).first()
        if invitation is None:
            problems = [("#send", "This invitation can no longer be used")]
            return _check_page(request, state, problems)
    else:
        wait = _limit_refuses(request)
        if wait:
            return _too_many(request, state.survey, wait)
    try:
        response_record(
            wave=state.wave,
            answer_set=flow.answer_set_from(state.progress),
            submitted_on=timezone.localdate(),
            invitation=invitation,
        )
    except AnswerError as error:
        problems = flow.problems_for_residents(
            error.problems, survey=state.survey, steps=state.steps
        )
        return _check_page(request, state, problems)
    return _sent(request, state.survey)


@never_cache
@require_http_methods(FORM_METHODS)
def survey_check(request: HttpRequest, slug: str) -> HttpResponse:
    state = _flow(request, slug)
    if isinstance(state, HttpResponse):
        return state
    waiting = flow.first_open_step(state.steps, state.progress)
    if waiting is not None:
        return redirect(waiting.url(state.survey))
    if request.method != "POST":
        return _check_page(request, state)
    form = SendForm(request.POST)
    if form.honeypot_filled():
        return _sent(request, state.survey)
    return _send(request, state)


@never_cache
@require_GET
def survey_sent(request: HttpRequest, slug: str) -> HttpResponse:
    survey = _survey(slug)
    if not flow.sent_in_session(request.session, survey):
        return redirect("survey_start", slug=survey.slug)
    context: dict[str, Any] = {"survey": survey, "has_results": _has_results(survey)}
    return render(request, "surveys/answer_sent.html", context)
