"""Changes to residents' questions. Each is atomic and queues its e-mails in the same transaction.

Bad input raises ``ValidationError`` naming the field, and changes nothing. Staff actions check
that the user answers for the question's neighbourhood (``PermissionDenied`` otherwise), whatever
page or command called them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from beatbook.accounts.models import User
from beatbook.enquiries.emails import question_emails_on_answer, question_emails_on_ask
from beatbook.enquiries.models import (
    ANSWER_WITHIN_HOURS,
    Question,
    QuestionKind,
    QuestionStatus,
)
from beatbook.enquiries.reference import reference_new
from beatbook.enquiries.selectors import answering_neighbourhoods
from beatbook.places.models import Neighbourhood

SUBJECT_MAX = 150
BODY_MAX = 5000
NAME_MAX = 120
ANSWER_MAX = 5000
_REFERENCE_TRIES = 5


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _text(value: str, *, label: str, maximum: int, required: bool) -> str:
    cleaned = value.replace("\x00", "").strip()
    if required and not cleaned:
        raise ValidationError(f"Enter {label}.")
    if len(cleaned) > maximum:
        raise ValidationError(f"{label.capitalize()} must be {maximum} characters or fewer.")
    return cleaned


def _email(value: str) -> str:
    cleaned = value.strip()
    if cleaned:
        try:
            validate_email(cleaned)
        except ValidationError:
            raise ValidationError(
                "Enter an email address in the correct format, like name@example.com."
            ) from None
    return cleaned


def _check_answers_for(user: User, question: Question) -> None:
    if not answering_neighbourhoods(user=user).filter(pk=question.neighbourhood_id).exists():
        raise PermissionDenied("You do not answer questions for this neighbourhood.")


def _locked(question: Question) -> Question:
    return Question.objects.select_for_update().select_related("neighbourhood").get(pk=question.pk)


def _create_with_fresh_reference(question: Question) -> None:
    for _ in range(_REFERENCE_TRIES):
        question.reference = reference_new()
        try:
            with transaction.atomic():
                question.save()
        except IntegrityError:
            if not Question.objects.filter(reference=question.reference).exists():
                raise
            continue
        return
    raise IntegrityError("Could not find an unused reference number.")


@transaction.atomic
def question_ask(
    *,
    neighbourhood: Neighbourhood,
    kind: str,
    subject: str,
    body: str,
    name: str = "",
    email: str = "",
    now: datetime | None = None,
) -> Question:
    """Record a resident's question, give it a reference and a 72-hour deadline, and queue the
    resident's confirmation and the team's notification."""
    if kind not in QuestionKind.values:
        raise ValidationError("Select whether this is a question or a concern.")
    asked_at = now or timezone.now()
    question = Question(
        neighbourhood=neighbourhood,
        kind=kind,
        subject=_one_line(_text(subject, label="a subject", maximum=SUBJECT_MAX, required=True)),
        body=_text(body, label="your question", maximum=BODY_MAX, required=True),
        name=_one_line(_text(name, label="your name", maximum=NAME_MAX, required=False)),
        email=_email(email),
        asked_at=asked_at,
        due_at=asked_at + timedelta(hours=ANSWER_WITHIN_HOURS),
    )
    _create_with_fresh_reference(question)
    question_emails_on_ask(question=question)
    return question


@transaction.atomic
def question_answer(
    *, question: Question, user: User, answer: str, publish: bool, now: datetime | None = None
) -> Question:
    """Answer an open question, e-mail the answer to the resident, and publish it if asked."""
    _check_answers_for(user, question)
    text = _text(answer, label="an answer", maximum=ANSWER_MAX, required=True)
    current = _locked(question)
    if current.status != QuestionStatus.OPEN:
        raise ValidationError(
            f"Question {current.reference} is {current.get_status_display().lower()}: "
            "only a question waiting for an answer can be answered."
        )
    moment = now or timezone.now()
    current.status = QuestionStatus.ANSWERED
    current.answer = text
    current.answered_at = moment
    current.answered_by = user
    current.published = publish
    current.published_at = moment if publish else None
    current.save()
    question_emails_on_answer(question=current)
    return current


def _set_published(question: Question, user: User, published: bool) -> Question:
    _check_answers_for(user, question)
    current = _locked(question)
    if current.status != QuestionStatus.ANSWERED:
        raise ValidationError(
            f"Question {current.reference} has no answer yet: answer it before publishing it."
        )
    current.published = published
    current.published_at = timezone.now() if published else None
    current.save(update_fields=["published", "published_at"])
    return current


@transaction.atomic
def question_publish(*, question: Question, user: User) -> Question:
    """Show an answered question and its answer on the neighbourhood page."""
    return _set_published(question, user, True)


@transaction.atomic
def question_unpublish(*, question: Question, user: User) -> Question:
    """Take an answered question off the neighbourhood page."""
    return _set_published(question, user, False)


@transaction.atomic
def question_close(*, question: Question, user: User, now: datetime | None = None) -> Question:
    """Close an open question that needs no answer (a duplicate, spam, not for the police).

    Closing within the 72 hours leaves it out of the Guarantee measures; closing it later
    still counts as a missed answer, so closing cannot hide a late one.
    """
    _check_answers_for(user, question)
    current = _locked(question)
    if current.status != QuestionStatus.OPEN:
        raise ValidationError(
            f"Question {current.reference} is {current.get_status_display().lower()}: "
            "only a question waiting for an answer can be closed."
        )
    current.status = QuestionStatus.CLOSED
    current.closed_at = now or timezone.now()
    current.save(update_fields=["status", "closed_at"])
    return current
