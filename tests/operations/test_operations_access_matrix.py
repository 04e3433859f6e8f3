"""Who may see and change what in an operation, person by person and page by page.

A partner organisation's people see and add to the operations their organisation is part of;
they never see another organisation's restricted activities, nor operations they are not in.
Read-only roles (analysts) look but change nothing. Outsiders get the same 404 as for an
operation that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from beatbook.accounts.models import OrganisationKind, Role
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.operations.models import Operation

from .operations_world import PASSWORD, OperationsWorld

SEE, READ_ONLY, NOT_FOUND, SIGN_IN = 200, 403, 404, 302

# person -> (operation page, restricted activity shown, change the operation, add an activity,
#            change the enforcement)
EXPECTED: dict[str, tuple[int, bool, int, int, int]] = {
    "sergeant": (SEE, True, SEE, SEE, SEE),
    "coordinator": (SEE, False, READ_ONLY, SEE, NOT_FOUND),
    "fire": (SEE, False, READ_ONLY, SEE, NOT_FOUND),
    "analyst": (SEE, True, READ_ONLY, READ_ONLY, READ_ONLY),
    "youth": (NOT_FOUND, False, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "cheshire": (NOT_FOUND, False, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "anonymous": (SIGN_IN, False, SIGN_IN, SIGN_IN, SIGN_IN),
}


def _youth_worker(world: OperationsWorld) -> None:
    """A partner of the same force whose organisation is not in the week."""
    youth = organisation_create(
        name="Stoke-on-Trent Youth Offending Service",
        kind=OrganisationKind.YOUTH_OFFENDING,
        force=world.staffordshire,
    )
    user = user_create(username="youth", password=PASSWORD, is_staff=True)
    membership_grant(user=user, organisation=youth, role=Role.PARTNER, force=world.staffordshire)


def _client(person: str) -> Client:
    client = Client()
    if person != "anonymous":
        assert client.login(username=person, password=PASSWORD)
    return client


@pytest.mark.parametrize("person", sorted(EXPECTED))
def test_the_access_matrix(world: OperationsWorld, person: str) -> None:
    _youth_worker(world)
    page, sees_restricted, change, add, change_enforcement = EXPECTED[person]
    client = _client(person)
    detail = client.get(reverse("operations:detail", args=[world.week.pk]))
    assert detail.status_code == page
    text = detail.content.decode()
    assert (world.enforcement.title in text) is sees_restricted
    if page == SEE:
        assert world.mobile_station.title in text
    assert client.get(reverse("operations:edit", args=[world.week.pk])).status_code == change
    assert client.get(reverse("operations:activity-add", args=[world.week.pk])).status_code == add
    enforcement_page = reverse("operations:activity-edit", args=[world.enforcement.pk])
    assert client.get(enforcement_page).status_code == change_enforcement
    listed = client.get(reverse("operations:list")).content.decode()
    assert (world.week.name in listed) is (page == SEE)


WRITES: list[tuple[str, Callable[[OperationsWorld], str], dict[str, str]]] = [
    ("publish", lambda w: reverse("operations:publish", args=[w.week.pk]), {"public": "no"}),
    ("delete", lambda w: reverse("operations:activity-delete", args=[w.enforcement.pk]), {}),
    (
        "remove partner",
        lambda w: reverse("operations:partner-remove", args=[w.week.partners.first().pk]),  # type: ignore[union-attr]
        {},
    ),
]


@pytest.mark.parametrize("person", ["coordinator", "fire", "analyst", "youth", "cheshire"])
@pytest.mark.parametrize(("name", "url", "data"), WRITES, ids=[w[0] for w in WRITES])
def test_nobody_but_the_lead_changes_the_operation_or_the_enforcement(
    world: OperationsWorld,
    person: str,
    name: str,
    url: Callable[[OperationsWorld], str],
    data: dict[str, str],
) -> None:
    _youth_worker(world)
    answer = _client(person).post(url(world), data)
    assert answer.status_code in {READ_ONLY, NOT_FOUND}, name
    week = Operation.objects.get(pk=world.week.pk)
    assert week.public
    assert week.activities.filter(pk=world.enforcement.pk).exists()
    assert week.partners.count() == 2


def test_a_partner_adds_an_activity_to_an_operation_it_is_in(world: OperationsWorld) -> None:
    page = _client("coordinator").post(
        reverse("operations:activity-add", args=[world.week.pk]),
        {
            "title": "Council litter pick",
            "type": "litter-pick",
            "attendance": "in-person",
            "venue_name": "Commerce Street",
            "venue_address": "Commerce Street, ST3 1AA",
            "day_day": "4",
            "day_month": "3",
            "day_year": "2026",
            "start_time": "10:00",
            "end_time": "12:00",
            "organisations": [str(world.council.pk)],
            "public": "on",
        },
    )
    assert page.status_code == 302
    assert world.week.activities.filter(title="Council litter pick").exists()


def test_a_restricted_activity_of_the_council_is_hidden_from_the_police_analyst(
    world: OperationsWorld,
) -> None:
    """Restricted activities are seen by the organisations assigned to them, not by the others
    in the operation, however senior: the council's own enforcement is the council's."""
    from beatbook.operations import services
    from beatbook.operations.models import ActivityType

    from .operations_world import london

    council_enforcement = services.activity_create(
        operation=world.week,
        details=services.ActivityDetails(
            type=ActivityType.ENFORCEMENT,
            title="Council fly-tipping enforcement",
            start=london(world.week.first_day, 9),
            end=london(world.week.first_day, 11),
            venue_name="Back lane",
            venue_address="Back lane, ST3 1AB",
            organisations=[world.council],
        ),
    )
    for person, sees in (("coordinator", True), ("analyst", False), ("fire", False)):
        text = _client(person).get(reverse("operations:detail", args=[world.week.pk]))
        assert (council_enforcement.title in text.content.decode()) is sees, person
