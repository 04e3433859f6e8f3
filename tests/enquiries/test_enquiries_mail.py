"""Residents' e-mails never reach the server's log (finding 4 of issue 11).

By default no e-mail is set up: the outbox keeps every e-mail and prints nothing, and sends them
once a real backend is named. ``beatbook serve`` refuses the console and dummy backends. A
failed send logs no address. Administrators read the outbox on a page of its own (where the
demo keeps its mail), and every address it or the admin shows is recorded as shown.
"""

from __future__ import annotations

import logging
import os
import runpy
import smtplib
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail import send_mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from beatbook.accounts.models import User
from beatbook.accounts.services import user_create
from beatbook.enquiries.mail import HOLD_BACKEND, MailNotSetUpError, mail_held
from beatbook.enquiries.models import (
    ContactDetailAccess,
    OutgoingEmail,
    OutgoingEmailStatus,
    Question,
)
from beatbook.enquiries.outbox import (
    outgoing_email_send,
    outgoing_emails_held,
    outgoing_emails_send_due,
)
from beatbook.enquiries.services import question_ask
from beatbook.site.server import deployment_problems
from beatbook.teams.models import NeighbourhoodContact

from .enquiries_world import PASSWORD, World

pytestmark = pytest.mark.django_db

CONSOLE = "django.core.mail.backends.console.EmailBackend"
DUMMY = "django.core.mail.backends.dummy.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"
FILES = "django.core.mail.backends.filebased.EmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class RefusingBackend(LocmemBackend):
    """An SMTP server that refuses the recipient, naming the address as real servers do."""

    def send_messages(self, messages: Any) -> int:
        recipient = messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused(
            {recipient: (550, f"5.1.1 <{recipient}>: Recipient address rejected".encode())}
        )


def ask(world: World, django_capture_on_commit_callbacks: Any) -> Question:
    NeighbourhoodContact.objects.create(
        neighbourhood=world.longton, contact_details={"email": "longton@example.police.uk"}
    )
    with django_capture_on_commit_callbacks(execute=False):
        return question_ask(
            neighbourhood=world.longton,
            kind="question",
            subject="Bins set alight",
            body="Wheelie bins were set on fire on Friday night.",
            name="Pat Resident",
            email="pat@example.org",
        )


def test_without_e_mail_set_up_the_outbox_keeps_everything_and_prints_nothing(
    world: World,
    settings: Any,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EMAIL_BACKEND = HOLD_BACKEND
    caplog.set_level(logging.DEBUG)
    ask(world, django_capture_on_commit_callbacks)

    summary = outgoing_emails_send_due()
    one = outgoing_email_send(email_id=OutgoingEmail.objects.first().pk)  # type: ignore[union-attr]

    assert (summary.sent, summary.failed, summary.held) == (0, 0, 2)
    assert (
        str(summary)
        == "E-mail is not set up (EMAIL_BACKEND): 2 e-mail(s) kept in the outbox, none sent."
    )
    assert one == "held"
    assert outgoing_emails_held() == 2
    assert set(OutgoingEmail.objects.values_list("status", "attempts")) == {("pending", 0)}
    printed = capsys.readouterr()
    logged = caplog.text
    for text in ("pat@example.org", "Wheelie bins", "Pat Resident"):
        assert text not in printed.out + printed.err + logged
    assert mail.outbox == []

    # Once e-mail is set up, what was kept is sent.
    settings.EMAIL_BACKEND = LOCMEM
    assert outgoing_emails_send_due().sent == 2
    assert outgoing_emails_held() == 0
    assert {message.to[0] for message in mail.outbox} == {
        "pat@example.org",
        "longton@example.police.uk",
    }


def test_a_backend_that_would_print_or_drop_e_mail_never_gets_any(
    world: World,
    settings: Any,
    capsys: pytest.CaptureFixture[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    ask(world, django_capture_on_commit_callbacks)
    for backend in (CONSOLE, DUMMY):
        settings.EMAIL_BACKEND = backend
        assert mail_held()
        assert outgoing_emails_send_due().held == 2
    assert "pat@example.org" not in capsys.readouterr().out
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"pending"}
    for backend in (SMTP, FILES, LOCMEM):
        settings.EMAIL_BACKEND = backend
        assert not mail_held()


def test_anything_else_sending_without_e_mail_set_up_fails_without_naming_anyone(
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = HOLD_BACKEND
    with pytest.raises(MailNotSetUpError) as refused:
        send_mail("Hello", "Your answer", None, ["pat@example.org"])
    assert "pat@example.org" not in str(refused.value)


def test_the_default_sends_nothing_and_prints_no_residents_details(tmp_path: Path) -> None:
    """As the audit found it: with no e-mail settings, ``beatbook send-emails`` (and so the
    worker beside ``serve`` and ``demo``) printed each resident's address, question and answer."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("EMAIL_", "DATABASE_URL"))
    }
    env.update(
        BEATBOOK_DATA_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'mail.sqlite3'}",
        DJANGO_SETTINGS_MODULE="beatbook.settings",
    )
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from beatbook.places.models import Force, Neighbourhood\n"
        "from beatbook.enquiries.services import question_ask\n"
        "longton = Neighbourhood.objects.create(force=Force.objects.get(pk='staffordshire'), "
        "code='longton', name='Longton')\n"
        "question_ask(neighbourhood=longton, kind='question', subject='Bins set alight', "
        "body='Wheelie bins were set on fire on Friday night.', name='Pat Resident', "
        "email='pat@example.org')\n"
        "call_command('send_emails')\n"
    )
    run = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300
    )

    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    assert "1 e-mail(s) kept in the outbox, none sent" in output
    for text in ("pat@example.org", "Wheelie bins", "Pat Resident"):
        assert text not in output


def test_a_failed_send_logs_and_keeps_no_address(
    world: World,
    settings: Any,
    caplog: pytest.LogCaptureFixture,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    ask(world, django_capture_on_commit_callbacks)

    assert outgoing_emails_send_due().failed == 2

    assert "SMTPRecipientsRefused" in caplog.text
    assert "Recipient address rejected" in caplog.text
    assert "pat@example.org" not in caplog.text
    assert "longton@example.police.uk" not in caplog.text
    for error in OutgoingEmail.objects.values_list("last_error", flat=True):
        assert "[address]" in error
        assert "@" not in error


def test_an_outbox_e_mail_is_named_without_its_address(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    ask(world, django_capture_on_commit_callbacks)
    email = OutgoingEmail.objects.get(to="pat@example.org")
    assert "pat@example.org" not in str(email)
    assert "Waiting to be sent" in str(email)


# --- beatbook serve's checks ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("backend", "problem"),
    [
        (CONSOLE, "prints every e-mail (residents' addresses, questions and answers)"),
        (DUMMY, "throws every e-mail away while counting it as sent"),
        ("beatbook.no_such.Backend", "cannot be loaded"),
    ],
)
def test_serve_refuses_a_backend_that_prints_drops_or_is_missing(
    settings: Any, backend: str, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.EMAIL_BACKEND = backend

    errors, _ = deployment_problems(host="127.0.0.1")
    with pytest.raises(CommandError, match="Not starting: 1 configuration error"):
        call_command("serve", "--port", "1")

    [error] = errors
    assert error.id in {"beatbook.E201", "beatbook.E202"}
    assert problem in error.msg
    assert "EMAIL_HOST" in str(error.hint)
    assert problem in capsys.readouterr().err


def test_serve_warns_that_e_mail_is_kept_while_it_is_not_set_up(settings: Any) -> None:
    settings.EMAIL_BACKEND = HOLD_BACKEND
    errors, warnings = deployment_problems(host="127.0.0.1")
    assert errors == []
    [warning] = [w for w in warnings if w.id == "beatbook.W201"]
    assert "kept in the outbox and not sent" in warning.msg

    for backend in (SMTP, FILES):
        settings.EMAIL_BACKEND = backend
        errors, warnings = deployment_problems(host="127.0.0.1")
        assert not {m.id for m in errors + warnings} & {"beatbook.E201", "beatbook.W201"}


def test_the_default_is_to_keep_e_mail(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the settings say with no EMAIL_BACKEND set (the test run overrides the setting)."""
    monkeypatch.delenv("EMAIL_BACKEND", raising=False)
    fresh = runpy.run_path(str(Path(django_settings.BASE_DIR) / "settings.py"))
    assert fresh["EMAIL_BACKEND"] == HOLD_BACKEND


# --- Reading the outbox -----------------------------------------------------------------------


@pytest.fixture
def administrator() -> User:
    return user_create(username="root", password=PASSWORD, is_superuser=True)


def _browser(user: User) -> Client:
    client = Client(HTTP_USER_AGENT="Firefox/128.0", REMOTE_ADDR="198.51.100.7")
    client.force_login(user)
    return client


def test_administrators_read_the_outbox_and_each_address_shown_is_recorded(
    world: World,
    settings: Any,
    administrator: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EMAIL_BACKEND = HOLD_BACKEND
    question = ask(world, django_capture_on_commit_callbacks)

    response = _browser(administrator).get(reverse("enquiries:outbox"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "pat@example.org" in page
    assert "Wheelie bins were set on fire" in page
    assert question.reference in page
    assert "Email is not set up, so nothing is sent: 2 emails are kept here" in page
    shown = ContactDetailAccess.objects.filter(purpose="outbox", outcome="shown")
    emails = OutgoingEmail.objects.all()
    assert sorted(shown.values_list("outgoing_email_id", "question_id")) == sorted(
        emails.values_list("pk", "question_id")
    )
    assert set(shown.values_list("user", "address", "user_agent")) == {
        (administrator.pk, "198.51.100.7", "Firefox/128.0")
    }


def test_the_outbox_is_for_administrators_only_and_a_refusal_is_recorded(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    ask(world, django_capture_on_commit_callbacks)
    inspector = _browser(world.bob)

    response = inspector.get(reverse("enquiries:outbox"))

    assert response.status_code == 403
    assert "pat@example.org" not in response.content.decode()
    assert list(ContactDetailAccess.objects.values_list("user", "purpose", "outcome")) == [
        (world.bob.pk, "outbox", "refused")
    ]
    assert Client().get(reverse("enquiries:outbox")).status_code == 302


def test_a_head_request_for_the_outbox_shows_and_records_nothing(
    world: World, administrator: User, django_capture_on_commit_callbacks: Any
) -> None:
    ask(world, django_capture_on_commit_callbacks)
    assert _browser(administrator).head(reverse("enquiries:outbox")).status_code == 200
    assert not ContactDetailAccess.objects.exists()


def test_the_admin_records_every_address_its_outbox_pages_show(
    world: World, administrator: User, django_capture_on_commit_callbacks: Any
) -> None:
    """The outbox's admin view showed addresses outside the record."""
    ask(world, django_capture_on_commit_callbacks)
    client = _browser(administrator)
    email = OutgoingEmail.objects.get(to="pat@example.org")

    listing = client.get(reverse("admin:enquiries_outgoingemail_changelist"))
    assert "pat@example.org" in listing.content.decode()
    assert ContactDetailAccess.objects.filter(purpose="outbox").count() == 2

    change = client.get(reverse("admin:enquiries_outgoingemail_change", args=[email.pk]))
    assert "pat@example.org" in change.content.decode()
    assert ContactDetailAccess.objects.filter(outgoing_email_id=email.pk).count() == 2

    searched = client.get(reverse("admin:enquiries_outgoingemail_changelist"), {"q": "pat@"})
    assert "pat@example.org" in searched.content.decode()
    assert ContactDetailAccess.objects.filter(outgoing_email_id=email.pk).count() == 3
    assert set(ContactDetailAccess.objects.values_list("user", "address")) == {
        (administrator.pk, "198.51.100.7")
    }


def test_the_admin_sends_again_without_recording_a_showing(
    world: World, administrator: User, django_capture_on_commit_callbacks: Any
) -> None:
    ask(world, django_capture_on_commit_callbacks)
    OutgoingEmail.objects.update(status=OutgoingEmailStatus.FAILED)
    response = _browser(administrator).post(
        reverse("admin:enquiries_outgoingemail_changelist"),
        {
            "action": "send_again",
            "_selected_action": list(OutgoingEmail.objects.values_list("pk", flat=True)),
        },
    )
    assert response.status_code == 302
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {"pending"}
    assert not ContactDetailAccess.objects.exists()


def test_administrators_see_on_the_staff_page_that_e_mail_waits(
    world: World, settings: Any, administrator: User, django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_BACKEND = HOLD_BACKEND
    ask(world, django_capture_on_commit_callbacks)

    page = _browser(administrator).get(reverse("staff")).content.decode()
    other = _browser(world.bob).get(reverse("staff")).content.decode()

    assert "Email is not set up, so residents get no emails: 2 emails are waiting" in page
    assert reverse("enquiries:outbox") in page
    assert reverse("enquiries:outbox") not in other
