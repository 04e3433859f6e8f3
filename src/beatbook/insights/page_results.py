"""What every analysis page shares: the forces it offers, and what it says while a result is
being prepared."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from beatbook.accounts.models import User
from beatbook.accounts.selectors import forces_for_user
from beatbook.insights.selectors import analysis_forces
from beatbook.insights.stored_results import Outcome
from beatbook.places.models import Force

# The page checks again by itself this often while a result is being prepared.
REFRESH_SECONDS = 10
STOP_REFRESH = "refresh"


@dataclass(frozen=True)
class AnalysisForces:
    """The forces a person may analyse: ``choices`` (id, name) hold crime data, the forces the
    person is a member of first; ``default`` is the first of them; ``without_data`` names the
    forces they work in that hold none yet; ``allowed_ids`` is None for someone who may see
    every force."""

    choices: list[tuple[str, str]]
    without_data: list[str]
    allowed_ids: list[str] | None

    @property
    def default(self) -> str | None:
        return self.choices[0][0] if self.choices else None

    @property
    def works_anywhere(self) -> bool:
        return bool(self.choices or self.without_data)

    def __bool__(self) -> bool:
        return bool(self.choices)


def analysis_forces_for(request: HttpRequest) -> AnalysisForces:
    user = request.user
    assert isinstance(user, User)
    allowed = list(forces_for_user(user=user).order_by("name"))
    member_of = list(
        Force.objects.filter(memberships__user=user).values_list("pk", flat=True).distinct()
    )
    usable = analysis_forces(allowed=allowed, preferred=member_of)
    usable_ids = {force.pk for force in usable}
    # A superuser may see every force: name only the ones they are a member of as lacking data.
    named = [f for f in allowed if not user.is_superuser or f.pk in set(member_of)]
    return AnalysisForces(
        choices=[(force.pk, force.name) for force in usable],
        without_data=[force.name for force in named if force.pk not in usable_ids],
        allowed_ids=None if user.is_superuser else [force.pk for force in allowed],
    )


def preparing(request: HttpRequest, outcome: Outcome) -> dict[str, Any]:
    """What the page says while the worker prepares its result: since when, and the links to
    check now or to stop the page checking by itself (which it does every few seconds, without
    JavaScript)."""
    stopped = request.GET.get(STOP_REFRESH) == "off"
    query = request.GET.copy()
    query.pop(STOP_REFRESH, None)
    query[STOP_REFRESH] = "off"
    since = outcome.preparing_since or timezone.now()
    return {
        "since": timezone.localtime(since).strftime("%H:%M:%S"),
        "refresh": None if stopped else REFRESH_SECONDS,
        "check_url": request.get_full_path(),
        "stop_url": f"{request.path}?{query.urlencode()}",
    }


def not_ready_download(outcome: Outcome) -> HttpResponse:
    """A download asked for before its result is ready (or for settings that give none)."""
    if outcome.error:
        return HttpResponse(outcome.error, status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(
        "This result is still being prepared. Try again in a minute.",
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(REFRESH_SECONDS)
    return response
