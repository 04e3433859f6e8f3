"""The demo's partnership: a few real kinds of organisation and an administrator to sign in as."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from beatbook.accounts.models import Organisation, OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.demo.bundle import FORCE_ID
from beatbook.places.models import Force

POLICE = "Staffordshire Police"
DEMO_ORGANISATIONS: tuple[tuple[str, str], ...] = (
    (POLICE, OrganisationKind.POLICE_FORCE),
    ("Stoke-on-Trent City Council", OrganisationKind.LOCAL_AUTHORITY),
    ("Staffordshire County Council", OrganisationKind.LOCAL_AUTHORITY),
    ("Staffordshire Fire and Rescue Service", OrganisationKind.FIRE_AND_RESCUE),
    ("Stoke-on-Trent Youth Offending Service", OrganisationKind.YOUTH_OFFENDING),
    ("Longton Community Volunteers (demo group)", OrganisationKind.VOLUNTARY),
)


@dataclass(frozen=True)
class DemoAdmin:
    username: str
    password: str | None
    password_file: Path
    created: bool


def demo_organisations_ensure() -> list[Organisation]:
    """The demo's organisations, created where missing; all serve the Staffordshire force area."""
    force = Force.objects.get(pk=FORCE_ID)
    existing = {
        o.name: o for o in Organisation.objects.filter(name__in=[n for n, _ in DEMO_ORGANISATIONS])
    }
    return [
        existing.get(name) or organisation_create(name=name, kind=kind, force=force)
        for name, kind in DEMO_ORGANISATIONS
    ]


@transaction.atomic
def demo_admin_ensure(*, password_file: Path) -> DemoAdmin:
    """The demo administrator, a superuser in Staffordshire Police.

    Its password is made once and kept in ``password_file`` (readable by this user only) so that
    every run can print it; a reset demo database gets the same password again. If someone has
    changed the password since, the file no longer matches and ``password`` is None; if the file
    was deleted, a new password is made.
    """
    username = settings.DEMO_ADMIN_USERNAME
    password = _read_password(password_file)
    user = User.objects.filter(username=username).first()
    created = user is None
    if user is None:
        password = password or _new_password(password_file)
        user = user_create(
            username=username,
            password=password,
            first_name="Demo",
            last_name="Administrator",
            is_superuser=True,
        )
    elif password is None:
        # The file was deleted: make a new password rather than leave the demo locked.
        password = _new_password(password_file)
        user.set_password(password)
        user.save(update_fields=["password"])
    elif not user.check_password(password):
        password = None
    police = Organisation.objects.get(name=POLICE)
    membership_grant(user=user, organisation=police, role=Role.ADMINISTRATOR)
    return DemoAdmin(
        username=username, password=password, password_file=password_file, created=created
    )


def _read_password(path: Path) -> str | None:
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8").strip() or None


def _new_password(path: Path) -> str:
    password = secrets.token_urlsafe(12)
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(password + "\n")
    return password
