"""Residents' questions and concerns to their neighbourhood team, and the e-mail outbox.

A question carries the resident's optional name and e-mail address: read them only through
``beatbook.enquiries.selectors.question_contact_for``, which checks the reader is on the team
that must answer and records each showing (``ContactDetailAccess``). Every other field may be
shown to that team; the subject, body and answer of a *published* question are shown to everyone
on the neighbourhood page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from beatbook.places.models import Neighbourhood

# The Neighbourhood Policing Guarantee: a meaningful answer within 72 hours.
ANSWER_WITHIN_HOURS = 72

SAMPLE_HELP = "Sample content made by `beatbook demo`: remade on its first start each day."


class QuestionKind(models.TextChoices):
    QUESTION = "question", "A question"
    CONCERN = "concern", "A concern"


class QuestionStatus(models.TextChoices):
    OPEN = "open", "Waiting for an answer"
    ANSWERED = "answered", "Answered"
    CLOSED = "closed", "Closed"


class Question(models.Model):
    """A question or concern a resident sent to a neighbourhood team, and the team's answer."""

    reference = models.CharField(
        max_length=11, unique=True, help_text="What the resident quotes, e.g. Q-7K3M-2XAV."
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.CASCADE, related_name="questions"
    )
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    subject = models.CharField(max_length=150)
    body = models.TextField()
    # Contact details: read only through selectors.question_contact_for.
    name = models.CharField(max_length=120, blank=True)
    email = models.EmailField(blank=True)

    asked_at = models.DateTimeField()
    due_at = models.DateTimeField(help_text="When the 72 hours for an answer run out.")
    status = models.CharField(
        max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.OPEN
    )
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="answered_questions",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    published = models.BooleanField(
        default=False, help_text="Shown with its answer on the neighbourhood page."
    )
    published_at = models.DateTimeField(null=True, blank=True)

    sample = models.BooleanField(default=False, help_text=SAMPLE_HELP)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(published=False) | Q(status=QuestionStatus.ANSWERED),
                name="question_published_only_when_answered",
            ),
            models.CheckConstraint(
                condition=~Q(status=QuestionStatus.ANSWERED) | Q(answered_at__isnull=False),
                name="question_answered_has_time",
            ),
        ]
        indexes = [
            # The team's list: a neighbourhood's questions by status and deadline.
            models.Index(fields=["neighbourhood", "status", "due_at"], name="question_nbhd_due"),
            # The neighbourhood page: published answers, newest first.
            models.Index(
                fields=["neighbourhood", "-answered_at"],
                condition=Q(published=True),
                name="question_nbhd_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.subject}"


class OutgoingEmailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Gave up after repeated failures"


class OutgoingEmail(models.Model):
    """One e-mail to send, written in the same transaction as the change it reports.

    A background task sends it after the transaction commits; a periodic sweep sends whatever
    is due and was missed (a crash, a failed send waiting for its retry), so nothing is lost.
    """

    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField(help_text="Plain text.")
    html_body = models.TextField(blank=True, help_text="HTML alternative, escaped when built.")
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    status = models.CharField(
        max_length=10, choices=OutgoingEmailStatus.choices, default=OutgoingEmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "outgoing e-mail"
        ordering = ["next_attempt_at", "id"]
        indexes = [
            # The sweep: pending e-mails whose time has come.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="outgoing_email_due",
            )
        ]

    def __str__(self) -> str:
        # No address: this string reaches the admin's history and messages, outside the audit.
        return f"{self.subject} ({self.get_status_display()})"


class ContactPurpose(models.TextChoices):
    """Why a member of staff was shown a resident's name and e-mail address."""

    ANSWERING = "answering", "Answering the question"
    OUTBOX = "outbox", "Reading the e-mail outbox"


class ContactAccessOutcome(models.TextChoices):
    SHOWN = "shown", "Shown"
    REFUSED = "refused", "Refused"


class ContactDetailAccess(models.Model):
    """One time a member of staff was shown (or refused) a resident's name and e-mail address.

    Written only through ``beatbook.enquiries.contact_log``, and append-only: database triggers
    (migrations 0002 and 0003) refuse every UPDATE and DELETE on SQLite and PostgreSQL, and a
    TRUNCATE of a non-empty table on PostgreSQL, whatever code or admin page tries. It keeps no
    personal data of the resident: only the question's (and the e-mail's) id, not a foreign
    key, so the record outlives them and deleting a question leaves the log as it was.
    """

    at = models.DateTimeField(default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contact_detail_accesses",
        help_text="Who was shown the details (or asked for them). Deactivate, do not delete.",
    )
    question_id = models.BigIntegerField(
        null=True,
        blank=True,
        help_text="The question's id (none for an e-mail about no question); the question "
        "itself may since have been deleted.",
    )
    outgoing_email_id = models.BigIntegerField(
        null=True,
        blank=True,
        help_text="The outbox e-mail whose address was shown, when it was the outbox.",
    )
    purpose = models.CharField(max_length=20, choices=ContactPurpose.choices)
    outcome = models.CharField(max_length=10, choices=ContactAccessOutcome.choices)
    address = models.CharField(
        max_length=90, blank=True, help_text="The network address the request came from."
    )
    user_agent = models.CharField(
        max_length=300, blank=True, help_text="The browser (or program) that asked, as it said."
    )

    class Meta:
        verbose_name = "contact detail access"
        # Django would add an "s" ("accesss").
        verbose_name_plural = "contact detail accesses"
        ordering = ["-at", "-id"]
        indexes = [
            # "Who has seen this resident's details?": one question's record, newest first.
            models.Index(fields=["question_id", "-at"], name="contact_access_question"),
            # "What has this person looked at?": one user's record, newest first.
            models.Index(fields=["user", "-at"], name="contact_access_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – question {self.question_id} – {self.get_outcome_display()}"
