"""The results pages: the staff pages of a survey's waves (charts, tables, waves compared, the
priorities ranked and the crime trend beside them), the staff page linking priorities to a
wave, and the public "what you told us" pages of the latest published wave.

Staff see a survey of their force (``selectors.surveys_for_user``); free-text answers and the
linking page are for those who run it (``may_manage_survey``). The public pages show only a
closed wave whose results are published (``selectors.published_waves``), never free text.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseNotAllowed,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from beatbook.accounts.access import staff_required
from beatbook.accounts.models import User
from beatbook.places.models import Neighbourhood
from beatbook.surveys import selectors
from beatbook.surveys.models import (
    Answer,
    PriorityLink,
    QuestionKind,
    Response,
    Survey,
    Wave,
    WaveStatus,
)
from beatbook.surveys.priority_link_forms import PriorityLinkForm
from beatbook.surveys.result_charts import answers_chart_svg, crime_trend_svg
from beatbook.surveys.result_services import (
    ALL,
    PriorityLinkError,
    WaveEstimates,
    priority_link_add,
    priority_link_remove,
    wave_estimates,
)
from beatbook.surveys.result_tables import (
    TOO_FEW_HERE,
    change_sentences,
    crime_trend,
    headlines_by_area,
    question_results,
    ranked_priorities,
    suppress_below,
    wave_before,
    waves_changes,
)
from beatbook.teams.models import Priority

TEXTS_SHOWN = 200
# Reading the results keeps their estimates (a write), so only a read may: after the scope check,
# so that someone of another force learns nothing from the answer.
READS = ["GET", "HEAD"]


def _viewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # staff_required let only a signed-in user through
    return user


def _staff_survey(request: HttpRequest, slug: str) -> Survey:
    survey = selectors.surveys_for_user(user=_viewer(request)).filter(slug=slug).first()
    if survey is None:
        raise Http404("No survey of yours has that address")
    return survey


def _staff_wave(survey: Survey, wave_slug: str) -> Wave:
    wave = survey.waves.exclude(status=WaveStatus.DRAFT).filter(slug=wave_slug).first()
    if wave is None:
        raise Http404("No wave of this survey with answers has that address")
    return wave


def _common(survey: Survey, estimates: WaveEstimates) -> dict[str, Any]:
    return {
        "survey": survey,
        "wave": estimates.wave,
        "estimates": estimates,
        "suppress_below": suppress_below(),
        "flag_below": settings.SURVEY_FLAG_BELOW,
        "too_few_here": TOO_FEW_HERE,
    }


# --- Staff ------------------------------------------------------------------------------------


@staff_required
def survey_results(request: HttpRequest, slug: str) -> HttpResponse:
    """The survey's waves with answers, and each headline across them."""
    survey = _staff_survey(request, slug)
    if request.method not in READS:
        return HttpResponseNotAllowed(READS)
    waves = list(survey.waves.exclude(status=WaveStatus.DRAFT).order_by("opens_on", "id"))
    rows = []
    for wave in waves:
        estimates = wave_estimates(wave=wave)
        results = question_results(
            estimates=estimates, questions=selectors.wave_questions(wave=wave)
        )
        rows.append(
            {"wave": wave, "estimates": estimates, "headlines": [r for r in results if r.headline]}
        )
    context = {"survey": survey, "rows": rows, "suppress_below": suppress_below()}
    return render(request, "surveys/result_survey.html", context)


def _area(request: HttpRequest, neighbourhoods: list[Neighbourhood]) -> tuple[str, str | None]:
    """The neighbourhood chosen (its code, or ALL) and a message when the choice is unknown."""
    code = request.GET.get("neighbourhood", "").strip()
    if not code or code == ALL:
        return ALL, None
    if code in {n.code for n in neighbourhoods}:
        return code, None
    return ALL, "Choose one of the survey's neighbourhoods: the figures below are for them all."


def _comparison(
    wave: Wave, estimates: WaveEstimates, questions: list[Any], area: str
) -> dict[str, Any]:
    before = wave_before(wave=wave, published_only=False)
    if before is None:
        return {"before": None}
    earlier = wave_estimates(wave=before)
    return {
        "before": before,
        "changes": [
            (q, waves_changes(before=earlier, after=estimates, question=q, area=area))
            for q in questions
            if q.kind != QuestionKind.TEXT
        ],
    }


def _free_text(wave: Wave, area: str) -> tuple[list[str], int]:
    answers = Answer.objects.filter(response__wave=wave, option=None).exclude(text="")
    if area != ALL:
        answers = answers.filter(response__neighbourhood__code=area)
    total = answers.count()
    return list(answers.order_by("-id").values_list("text", flat=True)[:TEXTS_SHOWN]), total


@staff_required
def survey_wave_results(request: HttpRequest, slug: str, wave: str) -> HttpResponse:
    survey = _staff_survey(request, slug)
    chosen = _staff_wave(survey, wave)
    if request.method not in READS:
        return HttpResponseNotAllowed(READS)
    neighbourhoods = list(selectors.survey_neighbourhoods(survey=survey))
    area, problem = _area(request, neighbourhoods)
    estimates = wave_estimates(wave=chosen)
    questions = selectors.wave_questions(wave=chosen)
    results = question_results(estimates=estimates, questions=questions, area=area)
    for result in results:
        result.chart = answers_chart_svg(result.answers, title=result.question.code)
        if area == ALL and result.question.headline:
            result.by_area = headlines_by_area(
                estimates=estimates, question=result.question, neighbourhoods=neighbourhoods
            )
    shown = [n for n in neighbourhoods if n.code == area] if area != ALL else neighbourhoods
    months = crime_trend(wave=chosen, neighbourhoods=shown)
    manages = selectors.may_manage_survey(user=_viewer(request), survey=survey)
    context = {
        **_common(survey, estimates),
        **_comparison(chosen, estimates, questions, area),
        "interim": chosen.status == WaveStatus.OPEN,
        "neighbourhoods": neighbourhoods,
        "area": area,
        "area_name": next((n.name for n in neighbourhoods if n.code == area), ""),
        "problem": problem,
        "results": results,
        "priorities": ranked_priorities(estimates=estimates, questions=questions, area=area),
        "crime_months": months,
        "crime_chart": crime_trend_svg(months),
        "manages": manages,
        "links": _links(chosen),
        "has_text": any(q.kind == QuestionKind.TEXT for q in questions),
    }
    if manages:
        context["texts"], context["text_total"] = _free_text(chosen, area)
    return render(request, "surveys/result_wave.html", context, status=400 if problem else 200)


def _links(wave: Wave) -> list[PriorityLink]:
    return list(
        PriorityLink.objects.filter(wave=wave)
        .select_related("priority__neighbourhood")
        .order_by("priority__neighbourhood__name", "id")
    )


def _survey_priorities(survey: Survey) -> Any:
    return (
        Priority.objects.filter(neighbourhood__in=selectors.survey_neighbourhoods(survey=survey))
        .select_related("neighbourhood")
        .order_by("neighbourhood__name", "-issue_date", "pk")
    )


@staff_required
@require_http_methods(["GET", "POST"])
def survey_priority_links(request: HttpRequest, slug: str, wave: str) -> HttpResponse:
    """Link a priority of one of the survey's neighbourhoods to the wave ("you said, we did")."""
    survey = _staff_survey(request, slug)
    chosen = _staff_wave(survey, wave)
    if not selectors.may_manage_survey(user=_viewer(request), survey=survey):
        return HttpResponseForbidden("Only those who run this survey may link priorities to it")
    priorities = _survey_priorities(survey)
    form = PriorityLinkForm(request.POST or None, priorities=priorities)
    here = reverse("survey_priority_links", args=[survey.slug, chosen.slug])
    if request.method == "POST" and "remove" in request.POST:
        number = request.POST.get("remove", "")
        link = PriorityLink.objects.filter(
            wave=chosen, pk=int(number) if number.isdigit() else 0
        ).first()
        if link is None:
            raise Http404("No such link")
        priority_link_remove(link=link)
        messages.success(request, "The priority is no longer linked to this wave.")
        return redirect(here)
    if request.method == "POST" and form.is_valid():
        try:
            priority_link_add(
                wave=chosen, priority=form.cleaned_data["priority"], note=form.cleaned_data["note"]
            )
        except PriorityLinkError as error:
            form.add_error("priority", str(error))
        else:
            messages.success(request, "The priority is linked to this wave.")
            return redirect(here)
    context = {"survey": survey, "wave": chosen, "form": form, "links": _links(chosen)}
    status = 400 if form.errors else 200
    return render(request, "surveys/result_priority_links.html", context, status=status)


# --- Public -----------------------------------------------------------------------------------


def _published(slug: str) -> tuple[Survey, Wave]:
    survey = Survey.objects.select_related("force").filter(slug=slug).first()
    wave = selectors.published_waves(survey=survey).last() if survey is not None else None
    if survey is None or wave is None:
        raise Http404("No published survey results have that address")
    return survey, wave


def _public_context(survey: Survey, wave: Wave, area: str) -> dict[str, Any]:
    estimates = wave_estimates(wave=wave)
    questions = selectors.wave_questions(wave=wave)
    before = wave_before(wave=wave, published_only=True)
    changes = (
        change_sentences(
            before=wave_estimates(wave=before), after=estimates, questions=questions, area=area
        )
        if before is not None
        else []
    )
    results = question_results(estimates=estimates, questions=questions, area=area)
    return {
        **_common(survey, estimates),
        "area": area,
        "headlines": [r for r in results if r.headline],
        "priorities": ranked_priorities(estimates=estimates, questions=questions, area=area),
        "before": before,
        "changes": changes,
        "neighbourhoods": list(selectors.survey_neighbourhoods(survey=survey)),
    }


def _public_links(wave: Wave, neighbourhood: Neighbourhood | None) -> list[dict[str, Any]]:
    links = PriorityLink.objects.filter(wave=wave).select_related("priority__neighbourhood")
    if neighbourhood is not None:
        links = links.filter(priority__neighbourhood=neighbourhood)
    return [
        {
            "link": link,
            "url": reverse(
                "residents:neighbourhood",
                args=[link.priority.neighbourhood.force_id, link.priority.neighbourhood.code],
            ),
        }
        for link in links.order_by("priority__neighbourhood__name", "id")
    ]


def survey_public_results(request: HttpRequest, slug: str) -> HttpResponse:
    survey, wave = _published(slug)
    context = _public_context(survey, wave, ALL)
    context["answered"] = context["estimates"].respondents
    context["links"] = _public_links(wave, None)
    return render(request, "surveys/result_public.html", context)


def survey_public_neighbourhood_results(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    survey, wave = _published(slug)
    neighbourhood = selectors.survey_neighbourhoods(survey=survey).filter(code=code).first()
    if neighbourhood is None:
        raise Http404("The survey did not ask that neighbourhood")
    context = _public_context(survey, wave, neighbourhood.code)
    context["neighbourhood"] = neighbourhood
    context["answered"] = Response.objects.filter(wave=wave, neighbourhood=neighbourhood).count()
    context["links"] = _public_links(wave, neighbourhood)
    return render(request, "surveys/result_public.html", context)
