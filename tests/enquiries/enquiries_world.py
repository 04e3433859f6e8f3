"""Personas, places and questions for the questions tests.

*alice* is a Staffordshire neighbourhood officer for Longton only; *bob* a Staffordshire
inspector force-wide; *carol* a Cheshire officer; *dave* a Staffordshire partner-agency worker
(reads partnership data, answers no residents). All four are staff: a membership opens nothing
to someone without staff status (see ``test_enquiries_access``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from beatbook.accounts.models import OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.enquiries.models import Question, QuestionStatus
from beatbook.enquiries.reference import reference_new
from beatbook.places.models import Force, Neighbourhood

PASSWORD = "correct horse battery staple"


@dataclass
class World:
    longton: Neighbourhood
    meir: Neighbourhood
    crewe: Neighbourhood
    alice: User
    bob: User
    carol: User
    dave: User


def build_world() -> World:
    # get_or_create: tests with transaction=True flush the forces the migrations made.
    staffs, _ = Force.objects.get_or_create(pk="staffordshire", defaults={"name": "Staffordshire"})
    cheshire, _ = Force.objects.get_or_create(pk="cheshire", defaults={"name": "Cheshire"})
    longton = Neighbourhood.objects.create(force=staffs, code="longton", name="Longton")
    meir = Neighbourhood.objects.create(force=staffs, code="meir", name="Meir North")
    crewe = Neighbourhood.objects.create(force=cheshire, code="crewe", name="Crewe")
    staffs_police = organisation_create(
        name="Staffordshire Police", kind=OrganisationKind.POLICE_FORCE, force=staffs
    )
    cheshire_police = organisation_create(
        name="Cheshire Constabulary", kind=OrganisationKind.POLICE_FORCE, force=cheshire
    )
    council = organisation_create(
        name="Stoke-on-Trent City Council", kind=OrganisationKind.LOCAL_AUTHORITY, force=staffs
    )
    alice = user_create(username="alice", password=PASSWORD, is_staff=True)
    membership_grant(
        user=alice,
        organisation=staffs_police,
        role=Role.NEIGHBOURHOOD_OFFICER,
        neighbourhoods=[longton],
    )
    bob = user_create(username="bob", password=PASSWORD, is_staff=True)
    membership_grant(user=bob, organisation=staffs_police, role=Role.NEIGHBOURHOOD_INSPECTOR)
    carol = user_create(username="carol", password=PASSWORD, is_staff=True)
    membership_grant(user=carol, organisation=cheshire_police, role=Role.NEIGHBOURHOOD_OFFICER)
    dave = user_create(username="dave", password=PASSWORD, is_staff=True)
    membership_grant(user=dave, organisation=council, role=Role.PARTNER)
    return World(longton, meir, crewe, alice, bob, carol, dave)


def make_question(
    neighbourhood: Neighbourhood,
    *,
    asked_at: datetime | None = None,
    answered_after: timedelta | None = None,
    closed_after: timedelta | None = None,
    published: bool = False,
    subject: str = "Parking on the pavement",
    email: str = "resident@example.org",
) -> Question:
    """A question written straight to the table, for reads that must not depend on services."""
    asked = asked_at or timezone.now()
    question = Question(
        reference=reference_new(),
        neighbourhood=neighbourhood,
        kind="question",
        subject=subject,
        body="Cars park on the pavement every evening on Uttoxeter Road.",
        name="Pat Resident",
        email=email,
        asked_at=asked,
        due_at=asked + timedelta(hours=72),
    )
    if answered_after is not None:
        question.status = QuestionStatus.ANSWERED
        question.answered_at = asked + answered_after
        question.answer = "We have spoken to the drivers and will patrol at 6pm."
        question.published = published
        question.published_at = question.answered_at if published else None
    if closed_after is not None:
        question.status = QuestionStatus.CLOSED
        question.closed_at = asked + closed_after
    question.save()
    return question
