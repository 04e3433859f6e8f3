"""An officer of one force cannot read or change another force's team, priorities or events."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from beatbook.accounts.services import user_create
from team_world import World, snapshot, valid_posts

pytestmark = pytest.mark.django_db


def _cheshire_urls(world: World) -> list[str]:
    crewe = world.crewe.pk
    return [
        reverse("teams:team", args=[crewe]),
        reverse("teams:team-contact", args=[crewe]),
        reverse("teams:team-member-add", args=[crewe]),
        reverse("teams:team-member-edit", args=[world.crewe_member.pk]),
        reverse("teams:team-member-delete", args=[world.crewe_member.pk]),
        reverse("teams:priorities", args=[crewe]),
        reverse("teams:priority-add", args=[crewe]),
        reverse("teams:priority-edit", args=[world.crewe_priority.pk]),
        reverse("teams:priority-delete", args=[world.crewe_priority.pk]),
        reverse("teams:events", args=[crewe]),
        reverse("teams:event-add", args=[crewe]),
        reverse("teams:event-edit", args=[world.crewe_event.pk]),
        reverse("teams:event-delete", args=[world.crewe_event.pk]),
    ]


def test_an_officer_cannot_read_another_forces_team_priorities_or_events(
    client: Client, world: World
) -> None:
    client.force_login(world.officer)
    for url in _cheshire_urls(world):
        assert client.get(url).status_code == 404, url


def test_an_officer_cannot_change_another_forces_team_priorities_or_events(
    client: Client, world: World
) -> None:
    client.force_login(world.officer)
    before = snapshot()
    urls = [
        *_cheshire_urls(world),
        reverse("teams:priority-review", args=[world.crewe_priority.pk]),
    ]
    for url in urls:
        assert client.post(url, valid_posts()).status_code == 404, url
    assert snapshot() == before


def test_the_same_posts_work_for_the_forces_own_officer(client: Client, world: World) -> None:
    """The refusal above is the scope check: Cheshire's own officer gets through."""
    client.force_login(world.cheshire_officer)
    response = client.post(
        reverse("teams:priority-edit", args=[world.crewe_priority.pk]), valid_posts()
    )
    assert response.status_code == 302
    world.crewe_priority.refresh_from_db()
    assert world.crewe_priority.issue == "<p>Changed by another force</p>"


def test_visitors_sign_in_first_and_non_staff_are_refused(client: Client, world: World) -> None:
    response = client.get(reverse("teams:team", args=[world.longton.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(user_create(username="rita", password=None))
    assert client.get(reverse("teams:team", args=[world.longton.pk])).status_code == 403
    response = client.post(reverse("teams:priority-review", args=[world.crewe_priority.pk]), {})
    assert response.status_code == 403


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer)
    before = snapshot()
    response = client.post(
        reverse("teams:team-member-add", args=[world.longton.pk]),
        {"name": "No Token", "rank": "PC", "order": "1"},
    )
    assert response.status_code == 403
    response = client.post(reverse("teams:team-member-delete", args=[world.longton_sergeant.pk]))
    assert response.status_code == 403
    assert snapshot() == before


def test_review_is_post_only(client: Client, world: World) -> None:
    client.force_login(world.cheshire_officer)
    url = reverse("teams:priority-review", args=[world.crewe_priority.pk])
    assert client.get(url).status_code == 405
