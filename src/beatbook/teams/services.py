"""Writes for teams, priorities, events, senior officers and engagement methods.

Each service validates the whole row (``full_clean``) before saving, so the admin, the demo
and later the staff workspace all get the same rules and the same messages.
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from django.db import models, transaction

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
) -> Event:
    event = Event(
        neighbourhood=neighbourhood,
        title=title,
        type=type,
        description=description,
        address=address,
        start=start,
        end=end,
        contact_details=dict(contact_details or {}),
    )
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
