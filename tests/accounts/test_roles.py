"""The role sets: every role is either on the team or read-only, and the team's neighbourhoods
are decided per membership."""

from __future__ import annotations

import pytest

from beatbook.accounts.models import READ_ONLY_ROLES, TEAM_ROLES, OrganisationKind, Role
from beatbook.accounts.selectors import neighbourhoods_for_user, team_neighbourhoods_for_user
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.enquiries.selectors import answering_neighbourhoods
from beatbook.places.models import Force, Neighbourhood


def test_every_role_is_either_on_the_team_or_read_only() -> None:
    assert set(TEAM_ROLES) | set(READ_ONLY_ROLES) == set(Role.values)
    assert not set(TEAM_ROLES) & set(READ_ONLY_ROLES)
    assert set(READ_ONLY_ROLES) == {Role.ANALYST, Role.PARTNER}


@pytest.mark.django_db
def test_a_user_is_on_the_team_where_a_team_role_reaches() -> None:
    staffs = Force.objects.get(pk="staffordshire")
    cheshire = Force.objects.get(pk="cheshire")
    longton = Neighbourhood.objects.create(force=staffs, code="longton", name="Longton")
    meir = Neighbourhood.objects.create(force=staffs, code="meir", name="Meir North")
    crewe = Neighbourhood.objects.create(force=cheshire, code="crewe", name="Crewe")
    police = organisation_create(
        name="Staffordshire Police", kind=OrganisationKind.POLICE_FORCE, force=staffs
    )
    council = organisation_create(
        name="Stoke-on-Trent City Council", kind=OrganisationKind.LOCAL_AUTHORITY, force=staffs
    )
    erin = user_create(username="erin", password=None, is_staff=True)
    membership_grant(
        user=erin, organisation=police, role=Role.NEIGHBOURHOOD_OFFICER, neighbourhoods=[longton]
    )
    membership_grant(user=erin, organisation=council, role=Role.PARTNER)

    assert set(neighbourhoods_for_user(user=erin)) == {longton, meir}
    assert list(team_neighbourhoods_for_user(user=erin)) == [longton]
    assert list(answering_neighbourhoods(user=erin)) == [longton]
    assert set(neighbourhoods_for_user(user=erin, roles=[Role.PARTNER])) == {longton, meir}
    assert list(neighbourhoods_for_user(user=erin, roles=[Role.ANALYST])) == []

    root = user_create(username="root", password=None, is_superuser=True)
    assert set(team_neighbourhoods_for_user(user=root)) == {longton, meir, crewe}
    erin.is_active = False
    erin.save()
    assert list(team_neighbourhoods_for_user(user=erin)) == []
