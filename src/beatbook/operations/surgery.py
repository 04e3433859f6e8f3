"""The online surgery (ADR 18): residents ask, moderators approve or reject with a reason,
officers answer live, and the moderated transcript stays published afterwards.

**Asking** is open for a public online surgery of a public operation (found through
``selectors.public_activities``, the one way to the public) from when it is published until
it ends. After the end a question is refused with a clear message and nothing changes.

**Moderating and answering** are for people who may contribute to the operation
(``selectors.may_contribute``) and can see the activity (``selectors.activities_for_user``);
anyone else gets ``PermissionDenied``, whatever page or command called the service. A question
is approved or rejected while it waits; an approved one not yet answered may still be
rejected; only an approved question is answered.

**The public** sees approved questions once they are answered: the question and the answer,
never the name or e-mail address the resident gave (``transcript_entries``).

Bad input raises ``ValidationError`` naming the field, and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from beatbook.accounts.models import User
from beatbook.operations import selectors
from beatbook.operations.models import Activity, ActivityType, SurgeryQuestion, SurgeryStatus
from beatbook.ui.templatetags.beatbook_ui import when

QUESTION_MAX = 2000
NAME_MAX = SurgeryQuestion._meta.get_field("name").max_length or 120
REASON_MAX = SurgeryQuestion._meta.get_field("moderation_reason").max_length or 300
ANSWER_MAX = 5000
# Answers saved by two officers at once may commit in the other order than their times: the
# live address hands back answers this much older than the page's latest, and the page skips
# any it already shows, so none is missed.
LIVE_OVERLAP = timedelta(seconds=30)


# --- reads -----------------------------------------------------------------------------------


def public_surgery(*, pk: int) -> Activity | None:
    """A published online surgery of a published operation, or None (restricted, unpublished,
    another type of activity, or no such activity: all the same to the public)."""
    found = selectors.public_activities().filter(pk=pk, type=ActivityType.ONLINE_SURGERY)
    return found.select_related("operation").first()


def surgery_is_open(activity: Activity, now: datetime | None = None) -> bool:
    """Whether the surgery still takes questions: until it ends."""
    return (now or timezone.now()) < activity.end


def surgery_is_live(activity: Activity, now: datetime | None = None) -> bool:
    """Whether the surgery is on now: officers are answering."""
    moment = now or timezone.now()
    return activity.start <= moment < activity.end


def closed_message(activity: Activity) -> str:
    """What a resident is told who asks once the surgery has ended."""
    return (
        f"This online surgery ended on {when(activity.end, 'full')}: it no longer takes "
        "questions. You can still read its answers on this page."
    )


@dataclass(frozen=True)
class TranscriptEntry:
    """One answered question as the public sees it: no name, no e-mail address."""

    id: int
    question: str
    answer: str
    answered_at: datetime


def _answered(activity: Activity) -> QuerySet[SurgeryQuestion]:
    return SurgeryQuestion.objects.filter(
        activity=activity, status=SurgeryStatus.ANSWERED
    ).order_by("answered_at", "id")


def transcript_entries(*, activity: Activity, since: int | None = None) -> list[TranscriptEntry]:
    """The answered questions in the order they were answered, for the public.

    With ``since`` (the id of the last question a page shows), only those answered since that
    one was, less ``LIVE_OVERLAP`` (the page skips those it has). An unknown ``since`` gives
    them all."""
    found = _answered(activity)
    if since is not None:
        anchor = found.filter(pk=since).values_list("answered_at", flat=True).first()
        if anchor is not None:
            found = found.filter(answered_at__gte=anchor - LIVE_OVERLAP).exclude(pk=since)
    rows = found.values_list("id", "body", "answer", "answered_at")
    # An answered question always has its time (the database's check surgery_answered_has_answer).
    return [
        TranscriptEntry(pk, body, answer, at) for pk, body, answer, at in rows if at is not None
    ]


def moderation_queues(*, activity: Activity) -> dict[str, list[SurgeryQuestion]]:
    """The surgery's questions by status, for its moderators: waiting and approved oldest
    first, answered and rejected newest first."""
    questions = list(SurgeryQuestion.objects.filter(activity=activity).order_by("asked_at", "id"))
    by_status: dict[str, list[SurgeryQuestion]] = {s: [] for s in SurgeryStatus.values}
    for question in questions:
        by_status[question.status].append(question)
    by_status[SurgeryStatus.ANSWERED].reverse()
    by_status[SurgeryStatus.REJECTED].reverse()
    return by_status


# --- checks ----------------------------------------------------------------------------------


def _text(value: str, *, field: str, label: str, maximum: int, required: bool) -> str:
    cleaned = value.replace("\x00", "").strip()
    if required and not cleaned:
        raise ValidationError({field: f"Enter {label}"})
    if len(cleaned) > maximum:
        raise ValidationError(
            {field: f"{label.capitalize()} must be {maximum} characters or fewer"}
        )
    return cleaned


def _email(value: str) -> str:
    cleaned = value.replace("\x00", "").strip()
    if cleaned:
        try:
            validate_email(cleaned)
        except ValidationError:
            raise ValidationError(
                {"email": "Enter an email address in the correct format, like name@example.com"}
            ) from None
    return cleaned


def _check_moderator(user: User, activity: Activity) -> None:
    operation = activity.operation
    visible = selectors.activities_for_user(user=user, operation=operation)
    if not visible.filter(pk=activity.pk).exists():
        raise PermissionDenied("Not an activity you are part of.")
    if not selectors.may_contribute(user=user, operation=operation):
        raise PermissionDenied("You may look at this operation but not moderate its surgery.")
    if activity.type != ActivityType.ONLINE_SURGERY:
        raise ValidationError("This activity is not an online surgery.")


def _locked(question: SurgeryQuestion) -> SurgeryQuestion:
    return (
        SurgeryQuestion.objects.select_for_update()
        .select_related("activity__operation")
        .get(pk=question.pk)
    )


# --- writes ----------------------------------------------------------------------------------


@transaction.atomic
def surgery_question_ask(
    *,
    activity: Activity,
    body: str,
    name: str = "",
    email: str = "",
    now: datetime | None = None,
) -> SurgeryQuestion:
    """Record a resident's question to a published surgery, waiting for a moderator."""
    moment = now or timezone.now()
    surgery = public_surgery(pk=activity.pk)
    if surgery is None:
        raise ValidationError("This online surgery is not taking questions.")
    if not surgery_is_open(surgery, moment):
        raise ValidationError(closed_message(surgery))
    question = SurgeryQuestion(
        activity=surgery,
        body=_text(body, field="body", label="your question", maximum=QUESTION_MAX, required=True),
        name=" ".join(
            _text(name, field="name", label="your name", maximum=NAME_MAX, required=False).split()
        ),
        email=_email(email),
        asked_at=moment,
    )
    question.full_clean()
    question.save()
    return question


@transaction.atomic
def surgery_question_approve(
    *, question: SurgeryQuestion, user: User, now: datetime | None = None
) -> SurgeryQuestion:
    """Approve a waiting question: officers may now answer it."""
    current = _locked(question)
    _check_moderator(user, current.activity)
    if current.status != SurgeryStatus.WAITING:
        raise ValidationError(
            f"This question is {current.get_status_display().lower()}: only a question "
            "waiting for a moderator can be approved."
        )
    current.status = SurgeryStatus.APPROVED
    current.moderation_reason = ""
    current.moderated_by = user
    current.moderated_at = now or timezone.now()
    current.save()
    return current


@transaction.atomic
def surgery_question_reject(
    *, question: SurgeryQuestion, user: User, reason: str, now: datetime | None = None
) -> SurgeryQuestion:
    """Reject a question that waits or is approved but not yet answered, saying why."""
    current = _locked(question)
    _check_moderator(user, current.activity)
    text = _text(
        reason, field="reason", label="why it is not taken", maximum=REASON_MAX, required=True
    )
    if current.status not in {SurgeryStatus.WAITING, SurgeryStatus.APPROVED}:
        raise ValidationError(
            f"This question is {current.get_status_display().lower()}: only a question not "
            "yet answered can be rejected."
        )
    current.status = SurgeryStatus.REJECTED
    current.moderation_reason = " ".join(text.split())
    current.moderated_by = user
    current.moderated_at = now or timezone.now()
    current.save()
    return current


@transaction.atomic
def surgery_question_answer(
    *, question: SurgeryQuestion, user: User, answer: str, now: datetime | None = None
) -> SurgeryQuestion:
    """Answer an approved question; it joins the public transcript at once."""
    current = _locked(question)
    _check_moderator(user, current.activity)
    text = _text(answer, field="answer", label="an answer", maximum=ANSWER_MAX, required=True)
    if current.status != SurgeryStatus.APPROVED:
        raise ValidationError(
            f"This question is {current.get_status_display().lower()}: only an approved "
            "question can be answered."
        )
    current.status = SurgeryStatus.ANSWERED
    current.answer = text
    current.answered_by = user
    current.answered_at = now or timezone.now()
    current.save()
    return current
