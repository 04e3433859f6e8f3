"""Who gets which builder page, in one place for the builder's views.

A survey the user may not see is a 404, the same answer as for one that does not exist; a page
that changes it, for someone who may see it but not run it, is a 403 saying who may.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.datastructures import MultiValueDict

from beatbook.accounts.models import Membership, User
from beatbook.places.models import Force
from beatbook.surveys.models import Question, Survey, Wave
from beatbook.surveys.selectors import SURVEY_ROLES, may_manage_survey, surveys_for_user

MANAGERS_ONLY = (
    "Only those who run surveys in its force (analysts, inspectors, administrators) do this."
)


def viewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # staff_required let only a signed-in user through
    return user


def show(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render a builder page; it sits under the Staff page, so "Staff" is marked current."""
    return render(request, template, {**context, "nav_staff": True}, status=status)


def refused(request: HttpRequest, message: str = MANAGERS_ONLY) -> HttpResponse:
    return show(request, "surveys/builder_refused.html", {"message": message}, status=403)


def survey_for_viewer(request: HttpRequest, slug: str) -> Survey:
    found = surveys_for_user(user=viewer(request)).filter(slug=slug).first()
    if found is None:
        raise Http404("Not a survey you may see")
    return found


def survey_to_manage(request: HttpRequest, slug: str) -> Survey | HttpResponse:
    """The survey, for one who runs it; otherwise the 404 or 403 to answer with."""
    survey = survey_for_viewer(request, slug)
    if not may_manage_survey(user=viewer(request), survey=survey):
        return refused(request)
    return survey


def wave_of(survey: Survey, wave_slug: str) -> Wave:
    found = survey.waves.filter(slug=wave_slug).select_related("survey").first()
    if found is None:
        raise Http404("Not a wave of this survey")
    return found


def question_of(survey: Survey, pk: int) -> Question:
    found = survey.questions.filter(pk=pk).first()
    if found is None:
        raise Http404("Not a question of this survey")
    return found


def survey_forces(user: User) -> QuerySet[Force]:
    """The forces ``user`` may start a survey in."""
    if user.is_superuser:
        return Force.objects.all()
    runs = Membership.objects.filter(user=user, role__in=SURVEY_ROLES).values("force")
    return Force.objects.filter(pk__in=runs)


def posted(request: HttpRequest) -> QueryDict | None:
    """The form's data when it was sent, even empty (``request.POST or None`` would show an
    empty POST the blank form again, without saying what is missing)."""
    return request.POST if request.method == "POST" else None


def posted_files(request: HttpRequest) -> MultiValueDict[str, UploadedFile[Any]] | None:
    return request.FILES if request.method == "POST" else None
