"""An officer of one force cannot read or change another force's team, priorities or events."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from beatbook.accounts.services import user_create

from .conftest import World, snapshot, valid_posts

pytestmark = pytest.mark.django_db


def _cheshire_urls(world: World) -> list[str]:
    crewe = world.crewe.pk
    return [
        reverse("workspace:team", args=[crewe]),
        reverse("workspace:team-contact", args=[crewe]),
        reverse("workspace:team-member-add", args=[crewe]),
        reverse("workspace:team-member-edit", args=[world.crewe_member.pk]),
        reverse("workspace:team-member-delete", args=[world.crewe_member.pk]),
        reverse("workspace:priorities", args=[crewe]),
        reverse("workspace:priority-add", args=[crewe]),
        reverse("workspace:priority-edit", args=[world.crewe_priority.pk]),
        reverse("workspace:priority-delete", args=[world.crewe_priority.pk]),
        reverse("workspace:events", args=[crewe]),
        reverse("workspace:event-add", args=[crewe]),
        reverse("workspace:event-edit", args=[world.crewe_event.pk]),
        reverse("workspace:event-delete", args=[world.crewe_event.pk]),
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
        reverse("workspace:priority-review", args=[world.crewe_priority.pk]),
    ]
    for url in urls:
        assert client.post(url, valid_posts()).status_code == 404, url
    assert snapshot() == before


def test_the_same_posts_work_for_the_forces_own_officer(client: Client, world: World) -> None:
    """The refusal above is the scope check: Cheshire's own officer gets through."""
    client.force_login(world.cheshire_officer)
    response = client.post(
        reverse("workspace:priority-edit", args=[world.crewe_priority.pk]), valid_posts()
    )
    assert response.status_code == 302
    world.crewe_priority.refresh_from_db()
    assert world.crewe_priority.issue == "<p>Changed by another force</p>"


def test_the_dashboard_and_guarantee_show_only_the_officers_own_neighbourhoods(
    client: Client, world: World
) -> None:
    client.force_login(world.officer)
    for name in ("workspace:dashboard", "workspace:guarantee"):
        page = client.get(reverse(name)).content.decode()
        assert "Longton" in page
        assert "Meir" in page
        assert "Crewe" not in page
        assert "Cheshire" not in page
    forced = client.get(reverse("workspace:guarantee"), {"force": "cheshire"}).content.decode()
    assert "Crewe" not in forced
    assert "nothing to measure" in forced


def test_a_superuser_sees_every_force(client: Client, world: World) -> None:
    admin = user_create(username="admin", password=None, is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("workspace:guarantee")).content.decode()
    assert "Crewe" in page
    assert "Longton" in page


def test_visitors_sign_in_first_and_non_staff_are_refused(client: Client, world: World) -> None:
    for name in ("workspace:dashboard", "workspace:guarantee"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    resident = user_create(username="rita", password=None)
    client.force_login(resident)
    assert client.get(reverse("workspace:dashboard")).status_code == 403
    response = client.post(reverse("workspace:priority-review", args=[world.crewe_priority.pk]), {})
    assert response.status_code == 403


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer)
    before = snapshot()
    response = client.post(
        reverse("workspace:team-member-add", args=[world.longton.pk]),
        {"name": "No Token", "rank": "PC", "order": "1"},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("workspace:team-member-delete", args=[world.longton_sergeant.pk])
    )
    assert response.status_code == 403
    assert snapshot() == before


def test_review_is_post_only(client: Client, world: World) -> None:
    client.force_login(world.cheshire_officer)
    url = reverse("workspace:priority-review", args=[world.crewe_priority.pk])
    assert client.get(url).status_code == 405
