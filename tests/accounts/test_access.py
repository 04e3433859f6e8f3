"""The one staff check (``beatbook.accounts.access``): who may open a staff page at all, and a
membership that opens nothing without staff status."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from beatbook.accounts.access import (
    BeatbookAdminSite,
    is_staff_member,
    staff_required,
    superuser_required,
)
from beatbook.accounts.models import OrganisationKind, Role, User
from beatbook.accounts.selectors import (
    forces_for_user,
    neighbourhoods_for_user,
    team_neighbourhoods_for_user,
)
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.places.models import Force, Neighbourhood

pytestmark = pytest.mark.django_db


def _officer(*, is_staff: bool) -> tuple[User, Neighbourhood]:
    staffs = Force.objects.get(pk="staffordshire")
    longton = Neighbourhood.objects.create(force=staffs, code="longton", name="Longton")
    police = organisation_create(
        name="Staffordshire Police", kind=OrganisationKind.POLICE_FORCE, force=staffs
    )
    user = user_create(username="mallory", password=None, is_staff=is_staff)
    membership_grant(
        user=user, organisation=police, role=Role.NEIGHBOURHOOD_OFFICER, neighbourhoods=[longton]
    )
    return user, longton


def test_a_membership_opens_nothing_without_staff_status() -> None:
    """The audit's attacker: staff status taken away, the officer's membership left behind."""
    mallory, _ = _officer(is_staff=False)

    assert not is_staff_member(mallory)
    assert list(neighbourhoods_for_user(user=mallory)) == []
    assert list(team_neighbourhoods_for_user(user=mallory)) == []
    assert list(forces_for_user(user=mallory)) == []


def test_the_same_membership_works_for_a_member_of_staff_until_deactivated() -> None:
    officer, longton = _officer(is_staff=True)
    assert is_staff_member(officer)
    assert list(team_neighbourhoods_for_user(user=officer)) == [longton]
    assert [force.pk for force in forces_for_user(user=officer)] == ["staffordshire"]

    officer.is_active = False
    officer.save()
    assert not is_staff_member(officer)
    assert list(forces_for_user(user=officer)) == []


def test_visitors_are_not_staff() -> None:
    assert not is_staff_member(AnonymousUser())


def _view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("the page")


def test_the_decorators_send_visitors_to_sign_in_and_refuse_the_others(rf: RequestFactory) -> None:
    plain = user_create(username="rita", password=None)
    staff = user_create(username="sam", password=None, is_staff=True)
    root = user_create(username="root", password=None, is_superuser=True)

    def ask(view: object, user: object) -> HttpResponse:
        request = rf.get("/staff/")
        request.user = user  # type: ignore[assignment]
        return view(request)  # type: ignore[operator, no-any-return]

    for gate in (staff_required(_view), superuser_required(_view)):
        assert ask(gate, AnonymousUser()).status_code == 302
        with pytest.raises(PermissionDenied):
            ask(gate, plain)
        assert ask(gate, root).content == b"the page"
    assert ask(staff_required(_view), staff).content == b"the page"
    with pytest.raises(PermissionDenied):
        ask(superuser_required(_view), staff)


def test_the_admin_uses_the_same_check(rf: RequestFactory) -> None:
    assert isinstance(admin.site, BeatbookAdminSite)
    mallory, _ = _officer(is_staff=False)
    request = rf.get("/admin/")
    request.user = mallory
    assert not admin.site.has_permission(request)
    mallory.is_staff = True
    assert admin.site.has_permission(request)
