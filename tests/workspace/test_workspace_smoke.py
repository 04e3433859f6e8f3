from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from team_world import World

pytestmark = pytest.mark.django_db


def test_pages_render(client: Client, world: World) -> None:
    client.force_login(world.officer)
    for url in [
        reverse("workspace:dashboard"),
        reverse("workspace:guarantee"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content.decode()[:3000])
