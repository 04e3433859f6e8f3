"""Setting up a partnership: its name, aim and contact; its area (local authorities Beatbook
holds LSOAs for); its members (organisations with a named representative, or groups of people
who are not an organisation); and its groups (the strategy group and the JAGs).

Each change is checked before anything is written and is all or nothing: bad input raises a
``ValidationError`` in plain English and leaves the partnership as it was. An authority is
accepted only when the LSOA data names it (``partnership_areas.authority_area``), so the area
of a partnership is always one Beatbook can count crimes in; an unknown name is refused with
the closest names held, so a typing slip is easy to put right.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from beatbook.accounts.models import Organisation
from beatbook.insights.areas import AreaError
from beatbook.partnerships.models import (
    OPEN_ACTION_STATUSES,
    GroupKind,
    MemberStanding,
    Partnership,
    PartnershipAuthority,
    PartnershipGroup,
    PartnershipMember,
)
from beatbook.partnerships.partnership_areas import authority_area
from beatbook.places.models import Lsoa

_LSOA_NAME = re.compile(r"^(?P<la>.+) \d{3}[A-Z]$")
# Addresses under staff/partnerships/ that are pages, not partnerships.
RESERVED_SLUGS = frozenset({"actions", "new", "assess"})


@dataclass(frozen=True)
class PartnershipDetails:
    name: str
    aim: str = ""
    get_involved: str = ""
    contact_email: str = ""
    slug: str = ""
    published: bool = False


def _checked(partnership: Partnership) -> Partnership:
    try:
        partnership.full_clean()
    except ValidationError as error:
        messages = error.message_dict
        if "slug" in messages and "name" not in messages:
            raise ValidationError(
                {"slug": "Another partnership already has this web address: choose another"}
            ) from None
        if "name" in messages:
            raise ValidationError(
                {"name": "Another partnership already has this name, or the name is missing"}
            ) from None
        raise
    return partnership


def _apply(partnership: Partnership, details: PartnershipDetails) -> Partnership:
    name = details.name.strip()
    if not name:
        raise ValidationError({"name": "Enter the partnership's name"})
    partnership.name = name
    partnership.slug = slugify(details.slug.strip() or name)[:80]
    if not partnership.slug:
        raise ValidationError({"slug": "Enter a web address made of letters and numbers"})
    if partnership.slug in RESERVED_SLUGS:
        raise ValidationError({"slug": f"{partnership.slug!r} is kept for a page: choose another"})
    partnership.aim = details.aim.strip()
    partnership.get_involved = details.get_involved.strip()
    partnership.contact_email = details.contact_email.strip()
    partnership.published = details.published
    return _checked(partnership)


@transaction.atomic
def partnership_create(*, details: PartnershipDetails, sample: bool = False) -> Partnership:
    partnership = _apply(Partnership(sample=sample), details)
    partnership.save()
    return partnership


@transaction.atomic
def partnership_update(*, partnership: Partnership, details: PartnershipDetails) -> Partnership:
    fresh = Partnership.objects.select_for_update().get(pk=partnership.pk)
    _apply(fresh, details)
    fresh.save()
    return fresh


# --- the area ---------------------------------------------------------------------------------


def authority_names_held() -> list[str]:
    """Every local authority name the LSOA data carries, in its own column or in LSOA names."""
    names: set[str] = set()
    for la_name, lsoa_name in Lsoa.objects.values_list("local_authority_name", "name").distinct():
        if la_name:
            names.add(la_name)
        parsed = _LSOA_NAME.match(lsoa_name or "")
        if parsed:
            names.add(parsed.group("la"))
    return sorted(names)


def _close_names(name: str) -> list[str]:
    held = authority_names_held()
    by_lower = {n.lower(): n for n in held}
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=3, cutoff=0.6)
    starts = [n for n in held if n.lower().startswith(name.lower()[:4])] if len(name) >= 4 else []
    return list(dict.fromkeys([by_lower[c] for c in close] + starts))[:5]


def _authority_checked(name: str) -> str:
    """The name as the LSOA data writes it, or a ValidationError saying what is held nearby."""
    try:
        return authority_area(name=name).label
    except AreaError:
        close = _close_names(name)
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        raise ValidationError(
            {"authorities": f"Beatbook holds no LSOAs for a local authority called {name!r}.{hint}"}
        ) from None


@transaction.atomic
def partnership_authorities_set(*, partnership: Partnership, names: Iterable[str]) -> list[str]:
    """Make the partnership's area exactly these local authorities (names as LSOA names carry
    them); every name is checked before any is saved."""
    wanted = [n.strip() for n in names if n.strip()]
    if not wanted:
        raise ValidationError({"authorities": "Name at least one local authority"})
    checked = list(dict.fromkeys(_authority_checked(name) for name in wanted))
    partnership.authorities.exclude(name__in=checked).delete()
    for name in checked:
        PartnershipAuthority.objects.get_or_create(partnership=partnership, name=name)
    return checked


# --- members ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberDetails:
    organisation: Organisation | None = None
    name: str = ""
    standing: str = MemberStanding.MEMBER
    representative: str = ""
    representative_role: str = ""
    order: int = 100


@transaction.atomic
def partnership_member_add(
    *, partnership: Partnership, details: MemberDetails
) -> PartnershipMember:
    """Add an organisation (once), or a named member that is not an organisation."""
    name = details.name.strip()
    if details.organisation is None and not name:
        raise ValidationError({"organisation": "Choose an organisation or give the member a name"})
    if details.organisation is not None and name:
        raise ValidationError({"name": "Give a name only for a member that is not an organisation"})
    if details.standing not in MemberStanding.values:
        raise ValidationError({"standing": "Choose how the member takes part"})
    organisation = details.organisation
    if organisation is not None and partnership.members.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": f"{organisation.name} is already a member"})
    if organisation is None and partnership.members.filter(name__iexact=name).exists():
        raise ValidationError({"name": f"{name} is already a member"})
    return PartnershipMember.objects.create(
        partnership=partnership,
        organisation=organisation,
        name=name,
        standing=details.standing,
        representative=details.representative.strip(),
        representative_role=details.representative_role.strip(),
        order=details.order,
    )


@transaction.atomic
def partnership_member_update(
    *, member: PartnershipMember, standing: str, representative: str, representative_role: str
) -> PartnershipMember:
    if standing not in MemberStanding.values:
        raise ValidationError({"standing": "Choose how the member takes part"})
    member.standing = standing
    member.representative = representative.strip()
    member.representative_role = representative_role.strip()
    member.save(update_fields=["standing", "representative", "representative_role", "updated_at"])
    return member


@transaction.atomic
def partnership_member_remove(*, member: PartnershipMember) -> None:
    """Remove a member. An organisation that still owns open actions of the partnership stays:
    its actions would be left without anyone answering for them."""
    if member.organisation_id is not None:
        open_actions = member.partnership.actions.filter(
            owner_id=member.organisation_id, status__in=OPEN_ACTION_STATUSES
        ).count()
        if open_actions:
            raise ValidationError(
                f"{member.display_name} still owns {open_actions} open action"
                f"{'s' if open_actions != 1 else ''}: reassign or close "
                f"{'them' if open_actions != 1 else 'it'} first"
            )
    member.delete()


# --- groups -----------------------------------------------------------------------------------


@transaction.atomic
def partnership_group_create(
    *, partnership: Partnership, kind: str, name: str, remit: str = "", cadence: str = ""
) -> PartnershipGroup:
    if kind not in GroupKind.values:
        raise ValidationError({"kind": "Choose a strategy group or a JAG"})
    clean = name.strip()
    if not clean:
        raise ValidationError({"name": "Enter the group's name"})
    existing = partnership.groups.filter(name__iexact=clean).first()
    if existing is not None:
        raise ValidationError(
            {"name": f"The partnership already has a group called {existing.name}"}
        )
    return PartnershipGroup.objects.create(
        partnership=partnership, kind=kind, name=clean, remit=remit.strip(), cadence=cadence.strip()
    )
