"""Writes for teams, priorities, events, senior officers and engagement methods.

Each service validates the whole row (``full_clean``) before saving, so the admin, the demo
and later the staff workspace all get the same rules and the same messages.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from beatbook.places.models import Force, Neighbourhood
from beatbook.teams.models import (
    EngagementMethod,
    Event,
    NeighbourhoodContact,
    NeighbourhoodLink,
    NeighbourhoodLocation,
    Priority,
    SeniorOfficer,
    TeamMember,
)
from beatbook.teams.venue import event_place_errors

_M = TypeVar("_M", bound=models.Model)


def _validated_save(instance: _M) -> _M:
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def neighbourhood_contact_set(
    *, neighbourhood: Neighbourhood, contact_details: dict[str, str]
) -> NeighbourhoodContact:
    contact = NeighbourhoodContact.objects.filter(neighbourhood=neighbourhood).first()
    if contact is None:
        contact = NeighbourhoodContact(neighbourhood=neighbourhood)
    contact.contact_details = dict(contact_details)
    return _validated_save(contact)


@transaction.atomic
def team_member_create(
    *,
    neighbourhood: Neighbourhood,
    name: str,
    rank: str,
    bio: str = "",
    contact_details: dict[str, str] | None = None,
    order: int = 0,
) -> TeamMember:
    member = TeamMember(
        neighbourhood=neighbourhood,
        name=name,
        rank=rank,
        bio=bio,
        contact_details=dict(contact_details or {}),
        order=order,
    )
    return _validated_save(member)


@transaction.atomic
def priority_create(
    *,
    neighbourhood: Neighbourhood,
    issue: str,
    issue_date: datetime,
    action: str = "",
    action_date: datetime | None = None,
    outcome: str = "",
) -> Priority:
    priority = Priority(
        neighbourhood=neighbourhood,
        issue=issue,
        issue_date=issue_date,
        action=action,
        action_date=action_date,
        outcome=outcome,
    )
    _check_priority_dates(priority, now=timezone.now())
    return _validated_save(priority)


@transaction.atomic
def priority_record_action(
    *, priority: Priority, action: str, action_date: datetime, outcome: str = ""
) -> Priority:
    """Say what was done about a priority ("we did")."""
    priority.action = action
    priority.action_date = action_date
    if outcome:
        priority.outcome = outcome
    _check_priority_dates(priority, now=timezone.now())
    return _validated_save(priority)


@transaction.atomic
def event_create(
    *,
    neighbourhood: Neighbourhood,
    title: str,
    start: datetime,
    end: datetime | None = None,
    type: str = "meeting",  # noqa: A002 - police.uk's field name
    description: str = "",
    address: str = "",
    contact_details: dict[str, str] | None = None,
    postcode: str = "",
    online: bool = False,
    joining_details: str = "",
    reject_past: bool = False,
) -> Event:
    """Add an event, held in person at ``address`` (``postcode`` is added to the end of the
    one-line address police.uk keeps) or ``online`` (with ``joining_details``); see
    ``teams.venue`` for the rules. ``reject_past`` refuses a start already gone (the staff pages
    set it; imports of past events do not)."""
    event = Event(
        neighbourhood=neighbourhood,
        title=title,
        type=type,
        description=description,
        online=online,
        joining_details=joining_details.strip(),
        start=start,
        end=end,
        contact_details=dict(contact_details or {}),
    )
    _place_event(event, address=address, postcode=postcode)
    _check_event_times(event, reject_past=reject_past)
    return _validated_save(event)


@transaction.atomic
def neighbourhood_link_create(
    *, neighbourhood: Neighbourhood, title: str, url: str, description: str = "", order: int = 0
) -> NeighbourhoodLink:
    link = NeighbourhoodLink(
        neighbourhood=neighbourhood, title=title, url=url, description=description, order=order
    )
    return _validated_save(link)


@transaction.atomic
def neighbourhood_location_create(
    *,
    neighbourhood: Neighbourhood,
    name: str,
    type: str = "station",  # noqa: A002 - police.uk's field name
    description: str = "",
    address: str = "",
    postcode: str = "",
    telephone: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    order: int = 0,
) -> NeighbourhoodLocation:
    location = NeighbourhoodLocation(
        neighbourhood=neighbourhood,
        name=name,
        type=type,
        description=description,
        address=address,
        postcode=postcode,
        telephone=telephone,
        latitude=latitude,
        longitude=longitude,
        order=order,
    )
    return _validated_save(location)


@transaction.atomic
def senior_officer_create(
    *,
    force: Force,
    name: str,
    rank: str,
    bio: str = "",
    contact_details: dict[str, str] | None = None,
    order: int = 0,
) -> SeniorOfficer:
    officer = SeniorOfficer(
        force=force,
        name=name,
        rank=rank,
        bio=bio,
        contact_details=dict(contact_details or {}),
        order=order,
    )
    return _validated_save(officer)


@transaction.atomic
def engagement_method_create(
    *,
    force: Force,
    type: str,  # noqa: A002 - police.uk's field name
    title: str,
    url: str,
    description: str = "",
    order: int = 0,
) -> EngagementMethod:
    method = EngagementMethod(
        force=force, type=type, title=title, url=url, description=description, order=order
    )
    return _validated_save(method)


# --- Keeping the team, priorities and events current (the staff workspace uses these) ---

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_ADDRESS_POSTCODE = re.compile(
    r"^(?P<street>.*?)[,\s]*\b(?P<postcode>[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2})$"
)


def contact_details_merge(
    *, existing: dict[str, str], email: str = "", telephone: str = ""
) -> dict[str, str]:
    """``existing`` with its e-mail and telephone replaced (or removed when blank).

    Other channels (a Facebook page set through the admin, say) are kept as they are.
    """
    merged = {key: value for key, value in existing.items() if key not in {"email", "telephone"}}
    if email.strip():
        merged["email"] = email.strip()
    if telephone.strip():
        merged["telephone"] = telephone.strip()
    return merged


@transaction.atomic
def team_member_update(
    *,
    member: TeamMember,
    name: str,
    rank: str,
    bio: str = "",
    contact_details: dict[str, str] | None = None,
    order: int = 0,
) -> TeamMember:
    member.name = name
    member.rank = rank
    member.bio = bio
    member.contact_details = dict(contact_details or {})
    member.order = order
    return _validated_save(member)


@transaction.atomic
def team_member_delete(*, member: TeamMember) -> None:
    member.delete()


def _check_priority_dates(priority: Priority, *, now: datetime) -> None:
    errors: dict[str, str] = {}
    if priority.issue_date and priority.issue_date > now:
        errors["issue_date"] = "The date the issue was raised must be today or in the past"
    if priority.action_date and priority.action_date > now:
        errors["action_date"] = "The date of the action must be today or in the past"
    elif (
        priority.action_date and priority.issue_date and priority.action_date < priority.issue_date
    ):
        errors["action_date"] = (
            "The date of the action must be the same as or after the date the issue was raised"
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def priority_update(
    *,
    priority: Priority,
    issue: str,
    issue_date: datetime,
    action: str = "",
    action_date: datetime | None = None,
    outcome: str = "",
) -> Priority:
    """Rewrite a priority; saving it counts as updating it for the Guarantee's three months."""
    priority.issue = issue
    priority.issue_date = issue_date
    priority.action = action
    priority.action_date = action_date
    priority.outcome = outcome
    _check_priority_dates(priority, now=timezone.now())
    return _validated_save(priority)


@transaction.atomic
def priority_review(*, priority: Priority) -> Priority:
    """Record that the team has looked at a priority and it still stands as written.

    The Guarantee asks for priorities updated in the last three months; a review that changes
    no words still counts, so only the update time moves.
    """
    priority.save(update_fields=["updated_at"])
    return priority


@transaction.atomic
def priority_delete(*, priority: Priority) -> None:
    priority.delete()


def postcode_normalise(value: str) -> str:
    """``"st31hh"`` as ``"ST3 1HH"``; a ValidationError naming the postcode if it is not one."""
    compact = re.sub(r"\s+", "", value).upper()
    match = _POSTCODE.match(compact)
    if match is None:
        raise ValidationError(
            {"postcode": f"Enter a real postcode, like ST3 1HH ({value.strip()!r} is not one)"}
        )
    return f"{match.group(1)} {match.group(2)}"


def event_address_split(address: str) -> tuple[str, str]:
    """An event's address as (the rest, the postcode at its end): police.uk keeps one line."""
    match = _ADDRESS_POSTCODE.match(address.strip())
    if match is None:
        return address.strip(), ""
    return match.group("street").strip(), match.group("postcode")


def _event_address(address: str, postcode: str) -> str:
    address = address.strip()
    if not postcode.strip():
        return address
    normalised = postcode_normalise(postcode)
    return f"{address}, {normalised}" if address else normalised


def _place_event(event: Event, *, address: str, postcode: str) -> None:
    """Set where the event is, or raise a ValidationError saying what is wrong with it."""
    if event.online and (address.strip() or postcode.strip()):
        raise ValidationError(
            {"address": "An online event has no address or postcode: leave them blank"}
        )
    event.address = _event_address(address, postcode)
    errors = event_place_errors(
        neighbourhood=event.neighbourhood,
        type=event.type,
        online=event.online,
        address=event.address,
        joining_details=event.joining_details,
    )
    if errors:
        raise ValidationError(errors)


def _check_event_times(event: Event, *, reject_past: bool) -> None:
    errors: dict[str, str] = {}
    if reject_past and event.start < timezone.now():
        errors["start"] = "The event must start in the future"
    if event.end is not None and event.end <= event.start:
        errors["end"] = "The event must end after it starts"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def event_update(
    *,
    event: Event,
    title: str,
    start: datetime,
    end: datetime | None = None,
    type: str = "meeting",  # noqa: A002 - police.uk's field name
    description: str = "",
    address: str = "",
    postcode: str = "",
    online: bool = False,
    joining_details: str = "",
) -> Event:
    """Change an event; moving its start into the past is refused, other edits of past ones not.
    Where it is follows the same rules as ``event_create``'s."""
    moved = event.start != start
    event.title = title
    event.type = type
    event.description = description
    event.online = online
    event.joining_details = joining_details.strip()
    event.start = start
    event.end = end
    _place_event(event, address=address, postcode=postcode)
    _check_event_times(event, reject_past=moved)
    return _validated_save(event)


@transaction.atomic
def event_delete(*, event: Event) -> None:
    event.delete()
