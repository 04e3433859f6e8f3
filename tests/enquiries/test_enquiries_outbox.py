"""The outbox: nothing sent for a rolled-back change, failures retried with backoff, nothing
lost between commit and send, and residents' text escaped in the HTML part."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from pytest_django.fixtures import Settings as SettingsWrapper

from beatbook.enquiries.models import OutgoingEmail, OutgoingEmailStatus, Question
from beatbook.enquiries.outbox import (
    CLAIM_LEASE,
    MOST_ATTEMPTS,
    outgoing_email_queue,
    outgoing_email_retry,
    outgoing_email_send,
    outgoing_emails_send_due,
    retry_delay,
)
from beatbook.enquiries.services import question_answer, question_ask
from beatbook.enquiries.tasks import outgoing_email_send_task
from beatbook.teams.models import NeighbourhoodContact

from .enquiries_world import World

pytestmark = pytest.mark.django_db


class FlakyBackend(LocmemBackend):
    """Refuses the first ``failures`` messages, as an SMTP server that is down would."""

    failures = 0

    def send_messages(self, messages: Any) -> int:
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return int(super().send_messages(messages))


@pytest.fixture
def flaky(settings: SettingsWrapper) -> type[FlakyBackend]:
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.failures = 0
    return FlakyBackend


def ask(world: World, **changes: str) -> Question:
    fields = {
        "neighbourhood": world.longton,
        "kind": "question",
        "subject": "Bins set alight",
        "body": "Wheelie bins were set on fire on Friday night.",
        "name": "Pat",
        "email": "pat@example.org",
        **changes,
    }
    return question_ask(**fields)  # type: ignore[arg-type]


@pytest.mark.django_db(transaction=True)
def test_nothing_is_queued_or_sent_when_the_transaction_rolls_back(world: World) -> None:
    def ask_then_fail() -> None:
        with transaction.atomic():
            ask(world)
            assert OutgoingEmail.objects.count() == 1
            raise RuntimeError("something later in the request failed")

    with pytest.raises(RuntimeError):
        ask_then_fail()

    assert Question.objects.count() == 0
    assert OutgoingEmail.objects.count() == 0
    assert DBTaskResult.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_question_queues_a_task_that_sends_its_email(world: World) -> None:
    question = ask(world)

    task_row = DBTaskResult.objects.get()
    assert task_row.task_path.endswith("outgoing_email_send_task")
    email = OutgoingEmail.objects.get()
    assert task_row.args_kwargs["kwargs"] == {"email_id": email.pk}
    assert outgoing_email_send_task.call(email_id=email.pk) == "sent"
    email.refresh_from_db()
    assert email.status == OutgoingEmailStatus.SENT
    assert email.attempts == 1
    assert email.sent_at is not None
    [sent] = mail.outbox
    assert sent.to == ["pat@example.org"]
    assert question.reference in sent.subject
    assert question.reference in sent.body


def test_it_tells_the_resident_and_the_team(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    NeighbourhoodContact.objects.create(
        neighbourhood=world.longton, contact_details={"email": "longton@example.police.uk"}
    )
    with django_capture_on_commit_callbacks(execute=False):
        question = ask(world)
    outgoing_emails_send_due()

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"pat@example.org", "longton@example.police.uk"}
    team = by_address["longton@example.police.uk"]
    assert f"/staff/questions/{question.reference}/" in team.body
    assert "pat@example.org" not in team.body  # contact details stay behind the staff page
    assert "Pat" not in team.body.replace("Wheelie", "")


def test_a_failing_send_is_retried_with_backoff_and_later_succeeds(
    world: World, flaky: type[FlakyBackend], django_capture_on_commit_callbacks: Any
) -> None:
    flaky.failures = 2
    with django_capture_on_commit_callbacks(execute=False):
        ask(world)
    email = OutgoingEmail.objects.get()
    start = timezone.now()

    assert outgoing_email_send(email_id=email.pk, now=start) == "failed"
    email.refresh_from_db()
    assert email.status == OutgoingEmailStatus.PENDING
    assert email.attempts == 1
    assert "SMTPServerDisconnected" in email.last_error
    assert email.next_attempt_at == start + retry_delay(1)
    # Not due yet: the sweep leaves it alone.
    assert outgoing_emails_send_due(now=start + timedelta(seconds=30)).sent == 0
    assert mail.outbox == []

    second = start + retry_delay(1)
    assert outgoing_emails_send_due(now=second).failed == 1
    email.refresh_from_db()
    assert email.next_attempt_at == second + retry_delay(2)
    assert retry_delay(2) == 2 * retry_delay(1)

    assert outgoing_emails_send_due(now=second + retry_delay(2)).sent == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmailStatus.SENT
    assert email.attempts == 3
    assert email.last_error == ""
    assert len(mail.outbox) == 1


def test_it_gives_up_only_after_many_attempts_and_can_be_sent_again(
    world: World, flaky: type[FlakyBackend], django_capture_on_commit_callbacks: Any
) -> None:
    flaky.failures = MOST_ATTEMPTS
    with django_capture_on_commit_callbacks(execute=False):
        ask(world)
    email = OutgoingEmail.objects.get()
    moment = timezone.now()
    for _ in range(MOST_ATTEMPTS):
        outgoing_email_send(email_id=email.pk, now=moment)
        email.refresh_from_db()
        moment = email.next_attempt_at
    assert email.status == OutgoingEmailStatus.FAILED
    assert retry_delay(MOST_ATTEMPTS) == timedelta(hours=6)

    outgoing_email_retry(email=email)
    assert outgoing_emails_send_due().sent == 1
    assert len(mail.outbox) == 1


def test_a_crash_between_commit_and_send_loses_nothing(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    # The process dies after committing: the on-commit task is never queued.
    with django_capture_on_commit_callbacks(execute=False):
        ask(world)
    assert outgoing_emails_send_due().sent == 1
    assert len(mail.outbox) == 1


def test_a_sender_that_died_mid_send_holds_its_claim_until_the_lease_runs_out(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        email = outgoing_email_queue(to="a@example.org", subject="Hello", body="Hi")
    moment = timezone.now()
    # Claimed by a sender that then crashed before marking it sent.
    OutgoingEmail.objects.filter(pk=email.pk).update(
        attempts=1, next_attempt_at=moment + CLAIM_LEASE
    )

    assert outgoing_email_send(email_id=email.pk, now=moment) == "not due"
    assert outgoing_email_send(email_id=email.pk, now=moment + CLAIM_LEASE) == "sent"
    assert outgoing_email_send(email_id=email.pk, now=moment + 2 * CLAIM_LEASE) == "not due"
    assert len(mail.outbox) == 1


def test_residents_text_is_escaped_in_the_html_part(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    nasty = '<a href="https://evil.example">click</a> & <script>x()</script>'
    with django_capture_on_commit_callbacks(execute=False):
        question = ask(world, subject=nasty, body=nasty)
        question_answer(
            question=question, user=world.alice, answer="Thanks & see <b>", publish=False
        )
    outgoing_emails_send_due()

    assert len(mail.outbox) == 2
    for message in mail.outbox:
        [(html, mimetype)] = message.alternatives  # type: ignore[attr-defined]
        assert mimetype == "text/html"
        assert "<script>" not in html
        assert '<a href="https://evil.example">' not in html
        assert "&lt;script&gt;" in html
        # The plain-text part is text: shown as typed, with nothing to interpret.
        assert nasty in message.body
    assert "Thanks &amp; see &lt;b&gt;" in mail.outbox[1].alternatives[0][0]  # type: ignore[attr-defined]


def test_a_subject_cannot_smuggle_a_header(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        ask(world, subject="Hello\r\nBcc: everyone@example.org")
    outgoing_emails_send_due()

    [message] = mail.outbox
    assert "\n" not in message.subject
    assert message.bcc == []
