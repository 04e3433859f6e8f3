"""The dashboard and the Guarantee page show an officer their own force's neighbourhoods only.

Reading or changing another force's team, priorities or events is tests/teams/test_teams_access.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from beatbook.accounts.services import user_create
from team_world import World

pytestmark = pytest.mark.django_db


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
