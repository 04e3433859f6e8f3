from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from beatbook.accounts.models import OrganisationKind, Role
from beatbook.accounts.selectors import forces_for_user, neighbourhoods_for_user
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.places.models import Force, Neighbourhood

pytestmark = pytest.mark.django_db


@pytest.fixture
def places() -> dict[str, Neighbourhood]:
    staffs = Force.objects.get(pk="staffordshire")
    cheshire = Force.objects.get(pk="cheshire")
    return {
        "longton": Neighbourhood.objects.create(force=staffs, code="longton", name="Longton"),
        "meir": Neighbourhood.objects.create(force=staffs, code="meir", name="Meir North"),
        "crewe": Neighbourhood.objects.create(force=cheshire, code="crewe", name="Crewe"),
    }


def test_it_scopes_a_force_wide_member_to_their_force(places: dict[str, Neighbourhood]) -> None:
    police = organisation_create(
        name="Staffordshire Police",
        kind=OrganisationKind.POLICE_FORCE,
        force=Force.objects.get(pk="staffordshire"),
    )
    alice = user_create(username="alice", password="correct horse battery", is_staff=True)
    membership_grant(user=alice, organisation=police, role=Role.ANALYST)

    assert set(neighbourhoods_for_user(user=alice)) == {places["longton"], places["meir"]}
    assert list(forces_for_user(user=alice)) == [Force.objects.get(pk="staffordshire")]


def test_it_limits_a_neighbourhood_officer_to_named_neighbourhoods(
    places: dict[str, Neighbourhood],
) -> None:
    police = organisation_create(
        name="Staffordshire Police",
        kind=OrganisationKind.POLICE_FORCE,
        force=Force.objects.get(pk="staffordshire"),
    )
    bob = user_create(username="bob", password="correct horse battery", is_staff=True)
    membership_grant(
        user=bob,
        organisation=police,
        role=Role.NEIGHBOURHOOD_OFFICER,
        neighbourhoods=[places["longton"]],
    )

    assert list(neighbourhoods_for_user(user=bob)) == [places["longton"]]


def test_it_refuses_neighbourhoods_of_another_force(places: dict[str, Neighbourhood]) -> None:
    police = organisation_create(
        name="Staffordshire Police",
        kind=OrganisationKind.POLICE_FORCE,
        force=Force.objects.get(pk="staffordshire"),
    )
    charlie = user_create(username="charlie", password="correct horse battery")

    with pytest.raises(ValidationError, match="outside the membership's force"):
        membership_grant(
            user=charlie,
            organisation=police,
            role=Role.NEIGHBOURHOOD_OFFICER,
            neighbourhoods=[places["crewe"]],
        )
    assert neighbourhoods_for_user(user=charlie).count() == 0


def test_a_user_with_no_membership_sees_nothing(places: dict[str, Neighbourhood]) -> None:
    dora = user_create(username="dora", password="correct horse battery")
    assert neighbourhoods_for_user(user=dora).count() == 0
    assert forces_for_user(user=dora).count() == 0


def test_passwords_are_hashed_with_argon2() -> None:
    erin = user_create(username="erin", password="correct horse battery")
    assert erin.password.startswith("argon2")
