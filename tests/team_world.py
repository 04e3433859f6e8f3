"""Two forces with a neighbourhood team each, and an officer of each force: the world of the
team's staff pages (tests/teams) and of the workspace built on them (tests/workspace).

Imported by tests as ``from team_world import ...`` (this folder is on the import path); each of
those folders' conftest.py names the fixtures ``world`` and ``people`` so that pytest finds them.

Staffordshire: Longton (a named officer with an e-mail address) and Meir (a team member with no
contact details and no shared team contact: not contactable). Cheshire: Crewe, another force's
team that Staffordshire's officer must never read or change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from beatbook.accounts.models import Organisation, OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.enquiries.models import Question, QuestionStatus
from beatbook.places.models import Force, Neighbourhood
from beatbook.teams import services
from beatbook.teams.models import Event, NeighbourhoodContact, Priority, TeamMember

PASSWORD = "correct horse battery staple"


@dataclass
class World:
    staffordshire: Force
    cheshire: Force
    longton: Neighbourhood
    meir: Neighbourhood
    crewe: Neighbourhood
    officer: User
    cheshire_officer: User
    longton_sergeant: TeamMember
    crewe_member: TeamMember
    crewe_priority: Priority
    crewe_event: Event


def question_make(
    neighbourhood: Neighbourhood,
    *,
    asked: datetime,
    answered_after_hours: float | None = None,
    status: str | None = None,
    closed_after_hours: float | None = None,
    number: list[int] = [0],  # noqa: B006 - a counter shared by every call, for unique references
) -> Question:
    number[0] += 1
    answered_at = (
        asked + timedelta(hours=answered_after_hours) if answered_after_hours is not None else None
    )
    closed_at = asked + timedelta(hours=closed_after_hours) if closed_after_hours else None
    chosen = status or (QuestionStatus.ANSWERED if answered_at else QuestionStatus.OPEN)
    return Question.objects.create(
        reference=f"Q-{number[0]:04d}-AAAA",
        neighbourhood=neighbourhood,
        kind="question",
        subject=f"Question {number[0]}",
        body="When is the next surgery?",
        asked_at=asked,
        due_at=asked + timedelta(hours=72),
        status=chosen,
        answer="Next Tuesday." if answered_at else "",
        answered_at=answered_at,
        closed_at=closed_at,
    )


def many_neighbourhoods(force: Force, count: int = 120) -> list[Neighbourhood]:
    """``count`` more neighbourhoods in ``force``, for showing that query counts do not grow."""
    return Neighbourhood.objects.bulk_create(
        Neighbourhood(force=force, code=f"N{i:03d}", name=f"Area {i:03d}") for i in range(count)
    )


def snapshot() -> list[object]:
    """Every row a team page could change, to show that a refusal changed nothing."""
    return [
        list(TeamMember.objects.order_by("pk").values()),
        list(Priority.objects.order_by("pk").values()),
        list(Event.objects.order_by("pk").values()),
        list(NeighbourhoodContact.objects.order_by("pk").values()),
    ]


def valid_posts() -> dict[str, str]:
    """Data every team page's form accepts, so a refusal is the access check, not validation."""
    start = timezone.localtime() + timedelta(days=5)
    return {
        "name": "Intruder",
        "rank": "PC",
        "order": "1",
        "email": "someone@example.org",
        "telephone": "101",
        "issue": "Changed by another force",
        "issue_date_day": "1",
        "issue_date_month": "1",
        "issue_date_year": "2025",
        "title": "Changed",
        "type": "meeting",
        "attendance": "in-person",
        "address": "Somewhere",
        "start_date_day": str(start.day),
        "start_date_month": str(start.month),
        "start_date_year": str(start.year),
        "start_time": "10:00",
        "end_time": "11:00",
    }


def _officer(username: str, force: Force, organisation: str) -> User:
    user = user_create(username=username, password=PASSWORD, first_name=username, is_staff=True)
    police = organisation_create(name=organisation, kind=OrganisationKind.POLICE_FORCE, force=force)
    membership_grant(user=user, organisation=police, role=Role.NEIGHBOURHOOD_OFFICER)
    return user


@pytest.fixture
def world() -> World:
    staffordshire, _ = Force.objects.get_or_create(
        id="staffordshire", defaults={"name": "Staffordshire Police"}
    )
    cheshire, _ = Force.objects.get_or_create(
        id="cheshire", defaults={"name": "Cheshire Constabulary"}
    )
    longton = Neighbourhood.objects.create(force=staffordshire, code="SOT-LONGTON", name="Longton")
    meir = Neighbourhood.objects.create(force=staffordshire, code="SOT-MEIR", name="Meir")
    crewe = Neighbourhood.objects.create(force=cheshire, code="CE-CREWE", name="Crewe")
    sergeant = services.team_member_create(
        neighbourhood=longton,
        name="Jo Bloggs",
        rank="Sergeant",
        contact_details={"email": "longton@example.police.uk"},
        order=1,
    )
    services.team_member_create(neighbourhood=meir, name="Sam Patel", rank="PCSO")
    now = timezone.now()
    crewe_member = services.team_member_create(
        neighbourhood=crewe,
        name="Alex Shaw",
        rank="PC",
        contact_details={"telephone": "101"},
    )
    crewe_priority = services.priority_create(
        neighbourhood=crewe, issue="<p>Speeding on Nantwich Road</p>", issue_date=now
    )
    crewe_event = services.event_create(
        neighbourhood=crewe,
        title="Crewe surgery",
        start=now + timedelta(days=2),
        end=now + timedelta(days=2, hours=1),
    )
    return World(
        staffordshire=staffordshire,
        cheshire=cheshire,
        longton=longton,
        meir=meir,
        crewe=crewe,
        officer=_officer("staffs", staffordshire, "Staffordshire Police"),
        cheshire_officer=_officer("cheshire", cheshire, "Cheshire Constabulary"),
        longton_sergeant=sergeant,
        crewe_member=crewe_member,
        crewe_priority=crewe_priority,
        crewe_event=crewe_event,
    )


@dataclass
class People:
    """Who may look but not change (ADR 11, amended): an analyst and a partner across
    Staffordshire, and one person who is both, with a due priority and an event in Longton."""

    analyst: User
    partner: User
    mixed: User  # an officer for Longton, and a partner across Staffordshire (so Meir)
    priority: Priority  # in Longton, due for review
    event: Event  # in Longton, coming up


def staff_member(username: str) -> User:
    """A member of staff with no role yet: each test grants the one it is about."""
    return user_create(username=username, password=PASSWORD, first_name=username, is_staff=True)


@pytest.fixture
def people(world: World) -> People:
    police = Organisation.objects.get(name="Staffordshire Police")
    council = organisation_create(
        name="Stoke-on-Trent City Council",
        kind=OrganisationKind.LOCAL_AUTHORITY,
        force=world.staffordshire,
    )
    analyst = staff_member("analyst")
    membership_grant(user=analyst, organisation=police, role=Role.ANALYST)
    partner = staff_member("partner")
    membership_grant(user=partner, organisation=council, role=Role.PARTNER)
    mixed = staff_member("mixed")
    membership_grant(
        user=mixed,
        organisation=police,
        role=Role.NEIGHBOURHOOD_OFFICER,
        neighbourhoods=[world.longton],
    )
    membership_grant(user=mixed, organisation=council, role=Role.PARTNER)
    now = timezone.now()
    priority = services.priority_create(
        neighbourhood=world.longton, issue="<p>Parking on Uttoxeter Road</p>", issue_date=now
    )
    Priority.objects.filter(pk=priority.pk).update(updated_at=now - timedelta(days=200))
    event = services.event_create(
        neighbourhood=world.longton,
        title="Longton surgery",
        start=now + timedelta(days=3),
        end=now + timedelta(days=3, hours=1),
    )
    return People(analyst, partner, mixed, priority, event)
