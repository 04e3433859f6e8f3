"""Writes for people and organisations."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from beatbook.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from beatbook.places.models import Force, Neighbourhood


@transaction.atomic
def organisation_create(*, name: str, kind: str, force: Force | None = None) -> Organisation:
    if kind not in OrganisationKind.values:
        raise ValidationError(f"{kind!r} is not a kind of organisation")
    organisation = Organisation(name=name.strip(), kind=kind, force=force)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create a user; ``password=None`` makes one who cannot sign in until a password is set."""
    user = User(
        username=username.strip(),
        email=email.strip(),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        is_staff=is_staff or is_superuser,
        is_superuser=is_superuser,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def membership_grant(
    *,
    user: User,
    organisation: Organisation,
    role: str,
    force: Force | None = None,
    neighbourhoods: Iterable[Neighbourhood] = (),
) -> Membership:
    """Give ``user`` a role in ``organisation``, for a force or for named neighbourhoods.

    The scope defaults to the organisation's force. Neighbourhoods must belong to that force, so a
    membership can never reach across forces by accident.
    """
    if role not in Role.values:
        raise ValidationError(f"{role!r} is not a role")
    scope = force or organisation.force
    chosen = list(neighbourhoods)
    foreign = [n for n in chosen if scope is None or n.force_id != scope.pk]
    if foreign:
        names = ", ".join(n.name for n in foreign)
        raise ValidationError(f"These neighbourhoods are outside the membership's force: {names}")
    membership, _ = Membership.objects.update_or_create(
        user=user, organisation=organisation, role=role, defaults={"force": scope}
    )
    membership.neighbourhoods.set(chosen)
    return membership
