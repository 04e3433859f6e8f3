"""Analysts and partner-agency workers may look at their neighbourhoods' workspace but change
nothing; the team's roles (and superusers) change it as before. Decided per neighbourhood."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beatbook.accounts.models import TEAM_ROLES, Organisation, OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.places.models import Neighbourhood
from beatbook.teams import services
from beatbook.teams.models import Event, Priority
from beatbook.workspace import selectors

from .conftest import (
    PASSWORD,
    World,
    many_neighbourhoods,
    question_make,
    snapshot,
    valid_posts,
)

pytestmark = pytest.mark.django_db

READ_ONLY_PAGE = "You cannot change this"
READ_ONLY_NOTICE = "but you cannot change them"


@dataclass
class People:
    analyst: User
    partner: User
    mixed: User  # an officer for Longton, and a partner across Staffordshire (so Meir)
    priority: Priority  # in Longton, due for review
    event: Event  # in Longton, coming up


def _staff(username: str) -> User:
    return user_create(username=username, password=PASSWORD, first_name=username, is_staff=True)


@pytest.fixture
def people(world: World) -> People:
    police = Organisation.objects.get(name="Staffordshire Police")
    council = organisation_create(
        name="Stoke-on-Trent City Council",
        kind=OrganisationKind.LOCAL_AUTHORITY,
        force=world.staffordshire,
    )
    analyst = _staff("analyst")
    membership_grant(user=analyst, organisation=police, role=Role.ANALYST)
    partner = _staff("partner")
    membership_grant(user=partner, organisation=council, role=Role.PARTNER)
    mixed = _staff("mixed")
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


def _editing_urls(world: World, people: People, neighbourhood: Neighbourhood) -> list[str]:
    """Every page that changes something, for rows in ``neighbourhood`` (Longton or Meir)."""
    pk = neighbourhood.pk
    member = neighbourhood.team_members.order_by("pk").first()
    assert member is not None
    urls = [
        reverse("workspace:team-contact", args=[pk]),
        reverse("workspace:team-member-add", args=[pk]),
        reverse("workspace:team-member-edit", args=[member.pk]),
        reverse("workspace:team-member-delete", args=[member.pk]),
        reverse("workspace:priority-add", args=[pk]),
        reverse("workspace:event-add", args=[pk]),
    ]
    if neighbourhood == world.longton:
        urls += [
            reverse("workspace:priority-edit", args=[people.priority.pk]),
            reverse("workspace:priority-review", args=[people.priority.pk]),
            reverse("workspace:priority-delete", args=[people.priority.pk]),
            reverse("workspace:event-edit", args=[people.event.pk]),
            reverse("workspace:event-delete", args=[people.event.pk]),
        ]
    return urls


def _viewing_urls(neighbourhood: Neighbourhood) -> list[str]:
    pk = neighbourhood.pk
    return [
        reverse("workspace:dashboard"),
        reverse("workspace:guarantee"),
        reverse("workspace:team", args=[pk]),
        reverse("workspace:priorities", args=[pk]),
        reverse("workspace:events", args=[pk]),
    ]


@pytest.mark.parametrize("role", ["analyst", "partner"])
def test_a_read_only_role_gets_403_for_every_editing_page_and_nothing_changes(
    client: Client, world: World, people: People, role: str
) -> None:
    client.force_login(getattr(people, role))
    before = snapshot()
    for neighbourhood in (world.longton, world.meir):
        for url in _editing_urls(world, people, neighbourhood):
            for response in (client.get(url), client.post(url, valid_posts())):
                assert response.status_code == 403, (url, response.request["REQUEST_METHOD"])
                assert READ_ONLY_PAGE in response.content.decode(), url
                assert "Nothing has been changed" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("role", ["analyst", "partner"])
def test_a_read_only_role_views_every_page_and_sees_no_way_to_change_anything(
    client: Client, world: World, people: People, role: str
) -> None:
    client.force_login(getattr(people, role))
    editing = [
        url
        for neighbourhood in (world.longton, world.meir)
        for url in _editing_urls(world, people, neighbourhood)
    ]
    for url in _viewing_urls(world.longton):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for link in editing:
            assert f'"{link}"' not in page, (url, link)
        assert "Mark as reviewed" not in page, url
        assert "Add a" not in page, url
    for name in ("workspace:team", "workspace:priorities", "workspace:events"):
        page = client.get(reverse(name, args=[world.longton.pk])).content.decode()
        assert READ_ONLY_NOTICE in page, name
    dashboard = client.get(reverse("workspace:dashboard")).content.decode()
    assert "but you cannot change them: your role is read-only" in dashboard
    assert "Parking on Uttoxeter Road" in dashboard  # the due priority is shown, without buttons
    assert "Longton surgery" in dashboard


def test_the_same_pages_give_the_officer_every_link_and_no_notice(
    client: Client, world: World, people: People
) -> None:
    """The absence above is the role check: the team's officer sees the links."""
    client.force_login(world.officer)
    pages = "".join(client.get(url).content.decode() for url in _viewing_urls(world.longton))
    for url in _editing_urls(world, people, world.longton):
        assert f'"{url}"' in pages, url
    assert "Mark as reviewed" in pages
    assert READ_ONLY_NOTICE not in pages
    assert "your role is read-only" not in pages


@pytest.mark.parametrize(
    "name",
    [
        "team-contact",
        "team-member-add",
        "team-member-edit",
        "team-member-delete",
        "priority-add",
        "priority-edit",
        "priority-review",
        "priority-delete",
        "event-add",
        "event-edit",
        "event-delete",
    ],
)
def test_the_officer_can_use_every_editing_page(
    client: Client, world: World, people: People, name: str
) -> None:
    url = _url_for(name, world, people)
    client.force_login(world.officer)
    assert client.get(url).status_code == (405 if name == "priority-review" else 200)
    before = snapshot()
    response = client.post(url, valid_posts())
    assert response.status_code == 302, response.content.decode()[:2000]
    assert snapshot() != before


def _url_for(name: str, world: World, people: People) -> str:
    row = {
        "team-contact": world.longton.pk,
        "team-member-add": world.longton.pk,
        "team-member-edit": world.longton_sergeant.pk,
        "team-member-delete": world.longton_sergeant.pk,
        "priority-add": world.longton.pk,
        "priority-edit": people.priority.pk,
        "priority-review": people.priority.pk,
        "priority-delete": people.priority.pk,
        "event-add": world.longton.pk,
        "event-edit": people.event.pk,
        "event-delete": people.event.pk,
    }[name]
    return reverse(f"workspace:{name}", args=[row])


def test_one_user_edits_where_they_are_on_the_team_and_only_views_elsewhere(
    client: Client, world: World, people: People
) -> None:
    client.force_login(people.mixed)
    for url in _editing_urls(world, people, world.longton):
        expected = 405 if "review" in url else 200
        assert client.get(url).status_code == expected, url
    before = snapshot()
    for url in _editing_urls(world, people, world.meir):
        assert client.get(url).status_code == 403, url
        assert client.post(url, valid_posts()).status_code == 403, url
    assert snapshot() == before
    longton = client.get(reverse("workspace:team", args=[world.longton.pk])).content.decode()
    meir = client.get(reverse("workspace:team", args=[world.meir.pk])).content.decode()
    assert READ_ONLY_NOTICE not in longton
    assert "Add a team member" in longton
    assert READ_ONLY_NOTICE in meir
    assert "Add a team member" not in meir
    dashboard = client.get(reverse("workspace:dashboard")).content.decode()
    assert "You can change 1 of your 2 neighbourhoods" in dashboard
    assert dashboard.count(READ_ONLY_NOTICE) == 1  # on Meir's board only


@pytest.mark.parametrize("role", TEAM_ROLES)
def test_every_team_role_edits(client: Client, world: World, role: str) -> None:
    user = _staff(f"user-{role}")
    membership_grant(
        user=user, organisation=Organisation.objects.get(name="Staffordshire Police"), role=role
    )
    client.force_login(user)
    url = reverse("workspace:team-member-add", args=[world.meir.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, valid_posts()).status_code == 302
    assert world.meir.team_members.filter(name="Intruder").exists()


def test_a_superuser_edits_every_force(client: Client, world: World) -> None:
    client.force_login(user_create(username="root", password=None, is_superuser=True))
    url = reverse("workspace:priority-edit", args=[world.crewe_priority.pk])
    assert client.post(url, valid_posts()).status_code == 302
    world.crewe_priority.refresh_from_db()
    assert world.crewe_priority.issue == "<p>Changed by another force</p>"


def test_another_forces_rows_stay_404_for_a_read_only_role(
    client: Client, world: World, people: People
) -> None:
    """Outside the user's neighbourhoods the answer is still "not found", not "read-only"."""
    client.force_login(people.analyst)
    for url in (
        reverse("workspace:team-member-add", args=[world.crewe.pk]),
        reverse("workspace:priority-edit", args=[world.crewe_priority.pk]),
        reverse("workspace:event-delete", args=[world.crewe_event.pk]),
        reverse("workspace:team", args=[world.crewe.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_the_one_row_reads_say_whether_the_user_may_change_the_row(
    world: World, people: People
) -> None:
    mixed = people.mixed
    assert selectors.neighbourhood_for_user(user=mixed, pk=world.longton.pk).can_edit  # type: ignore[attr-defined]
    assert not selectors.neighbourhood_for_user(user=mixed, pk=world.meir.pk).can_edit  # type: ignore[attr-defined]
    assert selectors.priority_for_user(user=mixed, pk=people.priority.pk).can_edit  # type: ignore[attr-defined]
    assert not selectors.priority_for_user(user=people.partner, pk=people.priority.pk).can_edit  # type: ignore[attr-defined]
    mixed.is_active = False
    mixed.save()
    with pytest.raises(Priority.DoesNotExist):
        selectors.priority_for_user(user=mixed, pk=people.priority.pk)


def test_the_dashboard_query_budget_is_the_same_for_a_read_only_role(
    client: Client, world: World, people: People, django_assert_max_num_queries: object
) -> None:
    now = timezone.now()
    extra = many_neighbourhoods(world.staffordshire)
    for n in extra[:40]:
        services.team_member_create(neighbourhood=n, name="A", rank="PC")
        question_make(n, asked=now - timedelta(hours=2))
    for user in (people.analyst, people.mixed, world.officer):
        client.force_login(user)
        with django_assert_max_num_queries(14):  # type: ignore[operator]
            assert client.get(reverse("workspace:dashboard")).status_code == 200
