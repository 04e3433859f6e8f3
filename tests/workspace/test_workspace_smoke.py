from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from .conftest import World

pytestmark = pytest.mark.django_db


def test_pages_render(client: Client, world: World) -> None:
    client.force_login(world.officer)
    for url in [
        reverse("workspace:dashboard"),
        reverse("workspace:guarantee"),
        reverse("workspace:team", args=[world.longton.pk]),
        reverse("workspace:priorities", args=[world.longton.pk]),
        reverse("workspace:events", args=[world.longton.pk]),
        reverse("workspace:priority-add", args=[world.longton.pk]),
        reverse("workspace:event-add", args=[world.longton.pk]),
        reverse("workspace:team-member-add", args=[world.longton.pk]),
        reverse("workspace:team-contact", args=[world.longton.pk]),
        reverse("workspace:team-member-edit", args=[world.longton_sergeant.pk]),
        reverse("workspace:team-member-delete", args=[world.longton_sergeant.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content.decode()[:3000])
