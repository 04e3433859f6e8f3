from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from team_world import World

pytestmark = pytest.mark.django_db


def test_pages_render(client: Client, world: World) -> None:
    client.force_login(world.officer)
    for url in [
        reverse("teams:team", args=[world.longton.pk]),
        reverse("teams:priorities", args=[world.longton.pk]),
        reverse("teams:events", args=[world.longton.pk]),
        reverse("teams:priority-add", args=[world.longton.pk]),
        reverse("teams:event-add", args=[world.longton.pk]),
        reverse("teams:team-member-add", args=[world.longton.pk]),
        reverse("teams:team-contact", args=[world.longton.pk]),
        reverse("teams:team-member-edit", args=[world.longton_sergeant.pk]),
        reverse("teams:team-member-delete", args=[world.longton_sergeant.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content.decode()[:3000])
