"""Analysts and partner-agency workers may look at their neighbourhoods' team pages (and the
workspace built on them) but change nothing; the team's roles (and superusers) change them as
before. Decided per neighbourhood."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from beatbook.accounts.models import TEAM_ROLES, Organisation
from beatbook.accounts.services import membership_grant, user_create
from beatbook.places.models import Neighbourhood
from beatbook.teams import selectors
from beatbook.teams.models import Priority
from team_world import People, World, snapshot, staff_member, valid_posts

pytestmark = pytest.mark.django_db

READ_ONLY_PAGE = "You cannot change this"
READ_ONLY_NOTICE = "but you cannot change them"


def _editing_urls(world: World, people: People, neighbourhood: Neighbourhood) -> list[str]:
    """Every page that changes something, for rows in ``neighbourhood`` (Longton or Meir)."""
    pk = neighbourhood.pk
    member = neighbourhood.team_members.order_by("pk").first()
    assert member is not None
    urls = [
        reverse("teams:team-contact", args=[pk]),
        reverse("teams:team-member-add", args=[pk]),
        reverse("teams:team-member-edit", args=[member.pk]),
        reverse("teams:team-member-delete", args=[member.pk]),
        reverse("teams:priority-add", args=[pk]),
        reverse("teams:event-add", args=[pk]),
    ]
    if neighbourhood == world.longton:
        urls += [
            reverse("teams:priority-edit", args=[people.priority.pk]),
            reverse("teams:priority-review", args=[people.priority.pk]),
            reverse("teams:priority-delete", args=[people.priority.pk]),
            reverse("teams:event-edit", args=[people.event.pk]),
            reverse("teams:event-delete", args=[people.event.pk]),
        ]
    return urls


def _viewing_urls(neighbourhood: Neighbourhood) -> list[str]:
    pk = neighbourhood.pk
    return [
        reverse("workspace:dashboard"),
        reverse("workspace:guarantee"),
        reverse("teams:team", args=[pk]),
        reverse("teams:priorities", args=[pk]),
        reverse("teams:events", args=[pk]),
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
    for name in ("teams:team", "teams:priorities", "teams:events"):
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
    return reverse(f"teams:{name}", args=[row])


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
    longton = client.get(reverse("teams:team", args=[world.longton.pk])).content.decode()
    meir = client.get(reverse("teams:team", args=[world.meir.pk])).content.decode()
    assert READ_ONLY_NOTICE not in longton
    assert "Add a team member" in longton
    assert READ_ONLY_NOTICE in meir
    assert "Add a team member" not in meir
    dashboard = client.get(reverse("workspace:dashboard")).content.decode()
    assert "You can change 1 of your 2 neighbourhoods" in dashboard
    assert dashboard.count(READ_ONLY_NOTICE) == 1  # on Meir's board only


@pytest.mark.parametrize("role", TEAM_ROLES)
def test_every_team_role_edits(client: Client, world: World, role: str) -> None:
    user = staff_member(f"user-{role}")
    membership_grant(
        user=user, organisation=Organisation.objects.get(name="Staffordshire Police"), role=role
    )
    client.force_login(user)
    url = reverse("teams:team-member-add", args=[world.meir.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, valid_posts()).status_code == 302
    assert world.meir.team_members.filter(name="Intruder").exists()


def test_a_superuser_edits_every_force(client: Client, world: World) -> None:
    client.force_login(user_create(username="root", password=None, is_superuser=True))
    url = reverse("teams:priority-edit", args=[world.crewe_priority.pk])
    assert client.post(url, valid_posts()).status_code == 302
    world.crewe_priority.refresh_from_db()
    assert world.crewe_priority.issue == "<p>Changed by another force</p>"


def test_another_forces_rows_stay_404_for_a_read_only_role(
    client: Client, world: World, people: People
) -> None:
    """Outside the user's neighbourhoods the answer is still "not found", not "read-only"."""
    client.force_login(people.analyst)
    for url in (
        reverse("teams:team-member-add", args=[world.crewe.pk]),
        reverse("teams:priority-edit", args=[world.crewe_priority.pk]),
        reverse("teams:event-delete", args=[world.crewe_event.pk]),
        reverse("teams:team", args=[world.crewe.pk]),
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
