"""Who may see and change a survey, and the reads every survey page uses.

A survey belongs to a force. Everyone with a role in that force sees its results pages. Those
who run surveys (``SURVEY_ROLES``: administrators, analysts and neighbourhood inspectors) build
it, open and close its waves, make invitations, load margins and import answers, and they alone
see the contact details of residents who asked to be contacted. A superuser may do everything.
Residents reach a survey only through the public pages, and only a wave that is open.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from beatbook.accounts.access import is_staff_member
from beatbook.accounts.models import Membership, Role, User
from beatbook.accounts.selectors import forces_for_user
from beatbook.places.models import Neighbourhood
from beatbook.surveys.models import Question, Survey, Wave, WaveStatus

SURVEY_ROLES: tuple[str, ...] = (
    Role.ADMINISTRATOR,
    Role.ANALYST,
    Role.NEIGHBOURHOOD_INSPECTOR,
)


def surveys_for_user(*, user: User) -> QuerySet[Survey]:
    """The surveys whose staff pages ``user`` may open."""
    return Survey.objects.filter(force__in=forces_for_user(user=user)).select_related("force")


def may_see_survey(*, user: User, survey: Survey) -> bool:
    return surveys_for_user(user=user).filter(pk=survey.pk).exists()


def may_manage_survey(*, user: User, survey: Survey) -> bool:
    """Whether ``user`` may change the survey, its waves and margins, and see contact details."""
    if not is_staff_member(user):
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(
        user=user, force_id=survey.force_id, role__in=SURVEY_ROLES
    ).exists()


def may_create_survey(*, user: User) -> bool:
    """Whether ``user`` runs surveys anywhere, so may start one."""
    if not is_staff_member(user):
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, role__in=SURVEY_ROLES).exclude(force=None).exists()


def survey_neighbourhoods(*, survey: Survey) -> QuerySet[Neighbourhood]:
    """The neighbourhoods a survey covers: those named, or the whole force."""
    named = survey.neighbourhoods.all()
    if named.exists():
        return named.order_by("name")
    return Neighbourhood.objects.filter(force_id=survey.force_id).order_by("name")


def wave_questions(*, wave: Wave) -> list[Question]:
    """The questions a wave asks, in order: fixed when it opened; a draft asks the survey's
    current questions."""
    if wave.status == WaveStatus.DRAFT:
        questions = wave.survey.questions.filter(retired=False)
    else:
        questions = wave.questions.order_by("wavequestion__position", "wavequestion__id")
    return list(questions.prefetch_related("options"))


def open_wave(*, survey: Survey) -> Wave | None:
    """The wave residents may answer now, if any."""
    return survey.waves.filter(status=WaveStatus.OPEN).order_by("-opens_on").first()


def published_waves(*, survey: Survey) -> QuerySet[Wave]:
    """Closed waves whose results the public pages show, oldest first."""
    return survey.waves.filter(status=WaveStatus.CLOSED, results_published=True).order_by(
        "opens_on", "id"
    )


def surveys_covering(
    *, forces: Sequence[str], neighbourhood_ids: Sequence[int]
) -> QuerySet[Survey]:
    """Surveys of ``forces`` naming one of the neighbourhoods, or covering the whole force."""
    named = Survey.neighbourhoods.through.objects.filter(
        neighbourhood_id__in=list(neighbourhood_ids)
    ).values("survey_id")
    return Survey.objects.filter(force_id__in=list(forces)).filter(
        Q(pk__in=named) | Q(neighbourhoods=None)
    )


@dataclass(frozen=True)
class NeighbourhoodSurvey:
    survey: Survey
    open_now: bool
    has_results: bool


def surveys_for_neighbourhood(*, neighbourhood: Neighbourhood) -> list[NeighbourhoodSurvey]:
    """The surveys covering ``neighbourhood`` that residents can answer now or read the results
    of: one query, for the public neighbourhood page."""
    open_now = Wave.objects.filter(survey=OuterRef("pk"), status=WaveStatus.OPEN)
    published = Wave.objects.filter(
        survey=OuterRef("pk"), status=WaveStatus.CLOSED, results_published=True
    )
    rows = (
        surveys_covering(forces=[neighbourhood.force_id], neighbourhood_ids=[neighbourhood.pk])
        .annotate(open_now=Exists(open_now), has_results=Exists(published))
        .filter(Q(open_now=True) | Q(has_results=True))
        .order_by("title")
    )
    return [NeighbourhoodSurvey(row, row.open_now, row.has_results) for row in rows]
