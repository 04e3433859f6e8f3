"""What the browser tests share besides fixtures: a police member who can sign in, and the
sign-in form they fill in with the same password."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from beatbook.accounts.models import OrganisationKind, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.places.models import Force, Neighbourhood

PASSWORD = "correct horse battery staple"


def police_member_create(
    *,
    force: Force,
    organisation_name: str,
    username: str,
    role: str,
    neighbourhoods: Iterable[Neighbourhood] = (),
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
) -> User:
    """A police force's organisation with one member in ``role``, who signs in with PASSWORD."""
    police = organisation_create(
        name=organisation_name, kind=OrganisationKind.POLICE_FORCE, force=force
    )
    member = user_create(
        username=username,
        password=PASSWORD,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff,
    )
    membership_grant(user=member, organisation=police, role=role, neighbourhoods=neighbourhoods)
    return member


def sign_in(page: Any, username: str) -> None:
    """Fill in and send the sign-in form on the page now open, with the shared password.

    Where the browser goes next is left to the test: it may follow ``next`` or wait elsewhere.
    """
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
