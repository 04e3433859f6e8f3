"""The Neighbourhood Policing Guarantee's measures, per neighbourhood and per force.

Three of the Guarantee's standards (operating model §3.9) are things Beatbook holds:

- a named, contactable officer for every neighbourhood;
- priorities published and updated in the last three months;
- a meaningful answer to a resident's question within 72 hours.

It also shows the share of neighbourhood officers' hours abstracted (taken away from
neighbourhood duty) per team and ISO week, from the rota and abstractions kept in ``tasking``
(``tasking.rosters.abstraction_shares``); this page only shows it.

Everything is counted in the database or in one pass over one query's rows: the number of
queries does not grow with the number of neighbourhoods.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from beatbook.accounts.models import User
from beatbook.common.months import months_before
from beatbook.enquiries.models import Question, QuestionStatus
from beatbook.enquiries.selectors import ResponseStats, question_response_stats
from beatbook.places.models import Neighbourhood
from beatbook.tasking.rosters import AbstractionShare, abstraction_shares, recent_weeks
from beatbook.teams.models import Priority
from beatbook.teams.selectors import REVIEW_AFTER_MONTHS
from beatbook.workspace.selectors import workspace_neighbourhoods

PERIODS = {3: "the last 3 months", 6: "the last 6 months", 12: "the last 12 months"}
DEFAULT_PERIOD = 12
# The abstraction share is shown for the last eight ISO weeks, this one last.
ABSTRACTION_WEEKS = 8


@dataclass(frozen=True)
class QuestionMeasures:
    """Residents' questions against the 72-hour standard.

    ``waiting`` are open questions still inside their 72 hours: not yet a success or a failure,
    so they are left out of the share.
    """

    asked: int = 0
    answered: int = 0
    answered_within_72_hours: int = 0
    open_overdue: int = 0
    waiting: int = 0
    median_hours_to_answer: float | None = None
    p90_hours_to_answer: float | None = None

    @property
    def counted(self) -> int:
        return self.asked - self.waiting

    @property
    def share_within_72_hours(self) -> float | None:
        return self.answered_within_72_hours / self.counted if self.counted else None


@dataclass(frozen=True)
class NeighbourhoodMeasures:
    neighbourhood_id: int
    name: str
    force_id: str
    force_name: str
    has_contactable_officer: bool
    priorities_current: bool
    last_priority_update: datetime | None
    questions: QuestionMeasures


@dataclass(frozen=True)
class AreaMeasures:
    """A force's measures (or all the user's forces together)."""

    key: str
    name: str
    neighbourhoods: int
    with_contactable_officer: int
    with_current_priorities: int
    questions: QuestionMeasures

    @property
    def share_with_contactable_officer(self) -> float | None:
        return self.with_contactable_officer / self.neighbourhoods if self.neighbourhoods else None

    @property
    def share_with_current_priorities(self) -> float | None:
        return self.with_current_priorities / self.neighbourhoods if self.neighbourhoods else None


@dataclass(frozen=True)
class GuaranteeReport:
    period_months: int
    since: datetime
    priorities_since: datetime
    total: AreaMeasures
    forces: list[AreaMeasures]
    neighbourhoods: list[NeighbourhoodMeasures]
    abstraction_weeks: list[date] = field(default_factory=list)
    abstractions: list[AbstractionShare] = field(default_factory=list)

    @property
    def abstraction_teams(self) -> int:
        return len({row.neighbourhood_id for row in self.abstractions})

    @property
    def any_duty_hours(self) -> bool:
        return any(row.duty_hours for row in self.abstractions)


def _hours_percentiles(hours: list[float]) -> tuple[float | None, float | None]:
    """Median and 90th percentile, interpolated as the enquiries selectors do (numpy's default)."""
    if not hours:
        return None, None
    median, p90 = np.percentile(np.asarray(hours, dtype=float), [50, 90])
    return round(float(median), 1), round(float(p90), 1)


def _neighbourhood_rows(user: User, priorities_since: datetime) -> QuerySet[Neighbourhood]:
    priorities = Priority.objects.filter(neighbourhood=OuterRef("pk"))
    latest = priorities.order_by("-updated_at").values("updated_at")[:1]
    return workspace_neighbourhoods(user=user).annotate(
        priorities_current=Exists(priorities.filter(updated_at__gte=priorities_since)),
        last_priority_update=Subquery(latest),
    )


def _waiting_counts(ids: list[int], since: datetime, now: datetime) -> dict[int, int]:
    rows = (
        Question.objects.filter(
            neighbourhood_id__in=ids,
            status=QuestionStatus.OPEN,
            asked_at__gte=since,
            due_at__gte=now,
        )
        .values("neighbourhood_id")
        .annotate(n=Count("pk"))
        .values_list("neighbourhood_id", "n")
    )
    return dict(rows)


def _answer_hours_by_force(ids: list[int], since: datetime) -> dict[str, list[float]]:
    """Every answered question's hours to answer, by force: a force's median needs them all."""
    rows = Question.objects.filter(
        neighbourhood_id__in=ids, asked_at__gte=since, answered_at__isnull=False
    ).values_list("neighbourhood__force_id", "asked_at", "answered_at")
    hours: dict[str, list[float]] = defaultdict(list)
    for force_id, asked_at, answered_at in rows.iterator():
        if answered_at is not None:  # filtered above; the check is for the type checker
            hours[force_id].append((answered_at - asked_at) / timedelta(hours=1))
    return hours


def _question_measures(stats: ResponseStats, waiting: int) -> QuestionMeasures:
    return QuestionMeasures(
        asked=stats.asked,
        answered=stats.answered,
        answered_within_72_hours=stats.answered_within_72_hours,
        open_overdue=stats.open_overdue,
        waiting=waiting,
        median_hours_to_answer=stats.median_hours_to_answer,
        p90_hours_to_answer=stats.p90_hours_to_answer,
    )


def _sum_questions(rows: Iterable[NeighbourhoodMeasures], hours: list[float]) -> QuestionMeasures:
    rows = list(rows)
    median, p90 = _hours_percentiles(hours)
    return QuestionMeasures(
        asked=sum(r.questions.asked for r in rows),
        answered=sum(r.questions.answered for r in rows),
        answered_within_72_hours=sum(r.questions.answered_within_72_hours for r in rows),
        open_overdue=sum(r.questions.open_overdue for r in rows),
        waiting=sum(r.questions.waiting for r in rows),
        median_hours_to_answer=median,
        p90_hours_to_answer=p90,
    )


def _area(
    key: str, name: str, rows: list[NeighbourhoodMeasures], hours: list[float]
) -> AreaMeasures:
    return AreaMeasures(
        key=key,
        name=name,
        neighbourhoods=len(rows),
        with_contactable_officer=sum(r.has_contactable_officer for r in rows),
        with_current_priorities=sum(r.priorities_current for r in rows),
        questions=_sum_questions(rows, hours),
    )


def guarantee_report(
    *, user: User, period_months: int = DEFAULT_PERIOD, force_id: str | None = None
) -> GuaranteeReport:
    """The measures for the neighbourhoods the user works in (one force's, if ``force_id``)."""
    now = timezone.now()
    since = months_before(now, period_months)
    priorities_since = months_before(now, REVIEW_AFTER_MONTHS)
    neighbourhoods = _neighbourhood_rows(user, priorities_since)
    if force_id:
        neighbourhoods = neighbourhoods.filter(force_id=force_id)
    rows = list(neighbourhoods)
    ids = [n.pk for n in rows]
    stats = question_response_stats(neighbourhood_ids=ids, since=since)
    waiting = _waiting_counts(ids, since, now)
    measures = [
        NeighbourhoodMeasures(
            neighbourhood_id=n.pk,
            name=n.name,
            force_id=n.force_id,
            force_name=n.force.name,
            has_contactable_officer=n.has_contactable_officer,  # type: ignore[attr-defined]
            priorities_current=n.priorities_current,  # type: ignore[attr-defined]
            last_priority_update=n.last_priority_update,  # type: ignore[attr-defined]
            questions=_question_measures(stats[n.pk], waiting.get(n.pk, 0)),
        )
        for n in rows
    ]
    hours = _answer_hours_by_force(ids, since)
    by_force: dict[str, list[NeighbourhoodMeasures]] = defaultdict(list)
    for row in measures:
        by_force[row.force_id].append(row)
    forces = [
        _area(key, group[0].force_name, group, hours.get(key, []))
        for key, group in by_force.items()
    ]
    all_hours = [h for force_hours in hours.values() for h in force_hours]
    weeks = recent_weeks(count=ABSTRACTION_WEEKS, today=timezone.localdate(now))
    return GuaranteeReport(
        period_months=period_months,
        since=since,
        priorities_since=priorities_since,
        total=_area("all", "All your neighbourhoods", measures, all_hours),
        forces=forces,
        neighbourhoods=measures,
        abstraction_weeks=weeks,
        abstractions=abstraction_shares(neighbourhoods=rows, weeks=weeks),
    )
