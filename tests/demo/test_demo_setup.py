from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from beatbook.accounts.models import Role, User
from beatbook.demo.people import demo_admin_ensure, demo_organisations_ensure
from beatbook.demo.setup import prepare_demo_environment
from beatbook.enquiries.mail import HOLD_BACKEND


def test_the_demo_always_uses_its_own_sqlite_file_without_debug(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("BEATBOOK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", "postgres://someone@db.example.org/production")
    monkeypatch.setenv("DATABASE_URL_FILE", "/run/secrets/database_url")
    monkeypatch.setenv("DEBUG", "true")

    prepare_demo_environment(["beatbook", "demo"])

    assert os.environ["DATABASE_URL"] == f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    assert "DATABASE_URL_FILE" not in os.environ
    assert os.environ["DEBUG"] == "false"


def test_the_demo_keeps_its_e_mail_in_the_outbox_whatever_the_environment_says(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The demo e-mails nobody and prints no e-mail to its log, even with a mail server (or
    the console backend) set in the shell it is started from."""
    monkeypatch.setenv("BEATBOOK_DATA_DIR", str(tmp_path))
    for backend in (
        "django.core.mail.backends.console.EmailBackend",
        "django.core.mail.backends.smtp.EmailBackend",
    ):
        monkeypatch.setenv("EMAIL_BACKEND", backend)
        prepare_demo_environment(["beatbook", "demo"])
        assert os.environ["EMAIL_BACKEND"] == HOLD_BACKEND


@pytest.mark.django_db
def test_the_demo_administrator_gets_one_password_kept_in_a_private_file(tmp_path: Path) -> None:
    password_file = tmp_path / "demo-admin-password.txt"
    organisations = demo_organisations_ensure()

    first = demo_admin_ensure(password_file=password_file)
    again = demo_admin_ensure(password_file=password_file)

    user = User.objects.get(username="demo-admin")
    assert first.created
    assert not again.created
    assert first.password
    assert again.password == first.password
    assert user.check_password(first.password)
    assert user.password.startswith("argon2")
    assert user.is_superuser
    assert user.is_staff
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert password_file.read_text().strip() == first.password
    membership = user.memberships.get()
    assert membership.organisation.name == "Staffordshire Police"
    assert membership.role == Role.ADMINISTRATOR
    assert {o.kind for o in organisations} >= {
        "police",
        "local_authority",
        "fire_and_rescue",
        "voluntary",
    }
    assert len(demo_organisations_ensure()) == len(organisations)


@pytest.mark.django_db
def test_a_password_changed_in_beatbook_is_not_overwritten_or_shown(tmp_path: Path) -> None:
    password_file = tmp_path / "demo-admin-password.txt"
    demo_organisations_ensure()
    demo_admin_ensure(password_file=password_file)
    user = User.objects.get(username="demo-admin")
    user.set_password("a new password of my own")
    user.save()

    admin = demo_admin_ensure(password_file=password_file)

    assert admin.password is None
    user.refresh_from_db()
    assert user.check_password("a new password of my own")


@pytest.mark.django_db
def test_a_deleted_password_file_gets_a_new_password(tmp_path: Path) -> None:
    password_file = tmp_path / "demo-admin-password.txt"
    demo_organisations_ensure()
    first = demo_admin_ensure(password_file=password_file)
    password_file.unlink()

    admin = demo_admin_ensure(password_file=password_file)

    assert admin.password
    assert admin.password != first.password
    assert User.objects.get(username="demo-admin").check_password(admin.password)
