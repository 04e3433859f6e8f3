"""Reads of residents' questions, each scoped to what the reader may see.

For the team's pages and the workspace:

``questions_for_user(*, user, status=None)``
    The questions in the neighbourhoods the user answers for (see ``answering_neighbourhoods``),
    optionally one status (``"open"``, ``"answered"``, ``"closed"``): overdue open questions
    first, then by deadline. Each row has ``neighbourhood`` and its ``force`` joined, and an
    ``is_overdue`` annotation. Contact details are not for display from here: use
    ``question_contact_for``.
``questions_open_for_neighbourhoods(*, neighbourhood_ids)``
    Open questions in those neighbourhoods, soonest deadline first. The caller has scoped the
    ids (e.g. from ``accounts.selectors.neighbourhoods_for_user``).
``question_response_stats(*, neighbourhood_ids, since=None)``
    The Guarantee's 72-hour measure per neighbourhood id: a ``ResponseStats`` for every id
    given (zeros where nothing was asked), from one query. ``since`` counts only questions
    asked at or after it. A question closed within its 72 hours without an answer (spam, a
    duplicate) is left out; one closed later still counts as asked and not answered in time.
``question_for_user(*, user, reference)``
    One question the user may see, or ``Question.DoesNotExist``.
``question_for_staff(*, requester, reference, purpose)``
    The same for a staff page, which also records a refusal (``contact_log``) when the
    question exists but is not the requester's to answer.
``question_contact_for(*, requester, question, purpose)``
    The resident's name and e-mail, for the team that must answer only (PermissionDenied
    otherwise). A read that writes: every call is recorded as a ``ContactDetailAccess``,
    shown or refused, with who, when, from where, which question and why. Call it inside the
    transaction that makes the page, so a page that fails leaves no "shown" behind.

For administrators:

``outbox_emails()``
    Every e-mail in the outbox, newest first, with its question's reference. Addresses are
    for display only with ``contact_log.outbox_shown_record`` (the outbox page and the admin).

For the public:

``published_questions_for(*, neighbourhood)``
    Answered questions the team published, newest answer first, without contact details.
``question_for_reference(*, reference)``
    What the resident sees on the status page (no contact details), or ``None``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, F, QuerySet, Value, When
from django.utils import timezone

from beatbook.accounts.models import User
from beatbook.accounts.selectors import team_neighbourhoods_for_user
from beatbook.enquiries.contact_log import (
    Requester,
    contact_refusal_record,
    contact_refusal_record_for_reference,
    contact_shown_record,
)
from beatbook.enquiries.models import ContactPurpose, OutgoingEmail, Question, QuestionStatus
from beatbook.enquiries.reference import normalise_reference
from beatbook.places.models import Neighbourhood

PUBLIC_FIELDS = (
    "reference",
    "kind",
    "subject",
    "body",
    "asked_at",
    "due_at",
    "status",
    "answer",
    "answered_at",
    "published",
    "neighbourhood",
)


@dataclass(frozen=True)
class ResponseStats:
    """How one neighbourhood's team answered residents against the 72-hour standard."""

    asked: int
    answered: int
    answered_within_72_hours: int
    open_overdue: int
    median_hours_to_answer: float | None
    p90_hours_to_answer: float | None

    @property
    def share_within_72_hours(self) -> float | None:
        """Answered in time as a share of those asked, or None when nothing was asked."""
        return self.answered_within_72_hours / self.asked if self.asked else None


@dataclass(frozen=True)
class ResidentContact:
    name: str
    email: str


def answering_neighbourhoods(*, user: User) -> QuerySet[Neighbourhood]:
    """Neighbourhoods whose residents' questions the user answers (all for a superuser).

    The neighbourhoods where the user acts for the team
    (``accounts.selectors.team_neighbourhoods_for_user``): the same people may change the
    workspace there.
    """
    return team_neighbourhoods_for_user(user=user)


def _with_overdue(queryset: QuerySet[Question], now: datetime) -> QuerySet[Question]:
    overdue = Case(
        When(status=QuestionStatus.OPEN, due_at__lt=now, then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return queryset.annotate(is_overdue=overdue)


def questions_for_user(*, user: User, status: str | None = None) -> QuerySet[Question]:
    """Questions the user answers for, overdue first, then by deadline."""
    if status is not None and status not in QuestionStatus.values:
        raise ValueError(f"Unknown question status {status!r}: use open, answered or closed.")
    queryset = Question.objects.filter(neighbourhood__in=answering_neighbourhoods(user=user))
    if status is not None:
        queryset = queryset.filter(status=status)
    queryset = _with_overdue(queryset, timezone.now())
    return queryset.select_related("neighbourhood__force", "answered_by").order_by(
        F("is_overdue").desc(), "due_at", "id"
    )


def question_for_user(*, user: User, reference: str) -> Question:
    """One question the user answers for; ``Question.DoesNotExist`` for any other."""
    return questions_for_user(user=user).get(reference=normalise_reference(reference))


def question_for_staff(
    *, requester: Requester, reference: str, purpose: ContactPurpose
) -> Question:
    """One question the requester answers for; ``Question.DoesNotExist`` for any other, with
    the refusal recorded when the question exists (someone tried to reach a resident's
    question that is not theirs)."""
    try:
        return question_for_user(user=requester.user, reference=reference)
    except Question.DoesNotExist:
        contact_refusal_record_for_reference(
            requester=requester, reference=reference, purpose=purpose
        )
        raise


def questions_open_for_neighbourhoods(*, neighbourhood_ids: Iterable[int]) -> QuerySet[Question]:
    queryset = Question.objects.filter(
        neighbourhood_id__in=list(neighbourhood_ids), status=QuestionStatus.OPEN
    )
    return (
        _with_overdue(queryset, timezone.now())
        .select_related("neighbourhood__force")
        .order_by("due_at", "id")
    )


def question_contact_for(
    *, requester: Requester, question: Question, purpose: ContactPurpose
) -> ResidentContact:
    """The resident's name and e-mail, for the team that must answer the question only.

    Each call leaves a ``ContactDetailAccess`` row saying who asked, when, from where, for
    which question and why; a refusal is recorded as refused before ``PermissionDenied`` is
    raised.
    """
    purpose = ContactPurpose(purpose)
    neighbourhoods = answering_neighbourhoods(user=requester.user)
    if not neighbourhoods.filter(pk=question.neighbourhood_id).exists():
        contact_refusal_record(requester=requester, purpose=purpose, question_id=question.pk)
        raise PermissionDenied("Only the team that answers this question may see who asked it.")
    contact_shown_record(requester=requester, question=question, purpose=purpose)
    return ResidentContact(name=question.name, email=question.email)


def outbox_emails() -> QuerySet[OutgoingEmail]:
    """The outbox, newest first, each e-mail with its question's reference (if any)."""
    return (
        OutgoingEmail.objects.select_related("question")
        .only(*(f.name for f in OutgoingEmail._meta.concrete_fields), "question__reference")
        .order_by("-created_at", "-id")
    )


def published_questions_for(*, neighbourhood: Neighbourhood) -> QuerySet[Question]:
    """Published answers for the neighbourhood page, newest first, without contact details."""
    return (
        Question.objects.filter(neighbourhood=neighbourhood, published=True)
        .only(*PUBLIC_FIELDS)
        .order_by("-answered_at", "-id")
    )


def question_for_reference(*, reference: str) -> Question | None:
    """The question a resident looks up by reference, without contact details."""
    normalised = normalise_reference(reference)
    if not normalised:
        return None
    return (
        Question.objects.filter(reference=normalised)
        .select_related("neighbourhood__force")
        .only(*PUBLIC_FIELDS, "neighbourhood__name", "neighbourhood__code", "neighbourhood__force")
        .first()
    )


def _percentile(sorted_values: list[float], share: float) -> float | None:
    """Linear-interpolated percentile (as numpy's default) of an already sorted list."""
    if not sorted_values:
        return None
    position = (len(sorted_values) - 1) * share
    lower = math.floor(position)
    upper = min(lower + 1, len(sorted_values) - 1)
    weight = position - lower
    return sorted_values[lower] * (1 - weight) + sorted_values[upper] * weight


@dataclass
class _Tally:
    asked: int = 0
    answered: int = 0
    in_time: int = 0
    open_overdue: int = 0
    hours: list[float] = field(default_factory=list)

    def stats(self) -> ResponseStats:
        hours = sorted(self.hours)
        return ResponseStats(
            asked=self.asked,
            answered=self.answered,
            answered_within_72_hours=self.in_time,
            open_overdue=self.open_overdue,
            median_hours_to_answer=_round(_percentile(hours, 0.5)),
            p90_hours_to_answer=_round(_percentile(hours, 0.9)),
        )


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _tally_row(
    tally: _Tally,
    row: tuple[str, datetime, datetime, datetime | None, datetime | None],
    now: datetime,
) -> None:
    status, asked_at, due_at, answered_at, closed_at = row
    if answered_at is None and closed_at is not None and closed_at <= due_at:
        return
    tally.asked += 1
    if answered_at is not None:
        tally.answered += 1
        tally.in_time += answered_at <= due_at
        tally.hours.append((answered_at - asked_at) / timedelta(hours=1))
    elif status == QuestionStatus.OPEN and due_at < now:
        tally.open_overdue += 1


def question_response_stats(
    *, neighbourhood_ids: Iterable[int], since: datetime | None = None
) -> dict[int, ResponseStats]:
    """The 72-hour measure for each neighbourhood id given, from one query."""
    ids = list(neighbourhood_ids)
    queryset = Question.objects.filter(neighbourhood_id__in=ids)
    if since is not None:
        queryset = queryset.filter(asked_at__gte=since)
    rows = queryset.values_list(
        "neighbourhood_id", "status", "asked_at", "due_at", "answered_at", "closed_at"
    )
    now = timezone.now()
    tallies: dict[int, _Tally] = defaultdict(_Tally)
    for neighbourhood_id, *row in rows.iterator():
        _tally_row(tallies[neighbourhood_id], tuple(row), now)  # type: ignore[arg-type]
    return {pk: tallies[pk].stats() if pk in tallies else _Tally().stats() for pk in ids}
