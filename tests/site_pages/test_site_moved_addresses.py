"""Addresses that moved in the house plan (ADR 17) still lead where they did."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_old_links_to_import_records_in_the_admin_still_work(client: Client) -> None:
    response = client.get("/admin/opendata/sourcefile/12/change/?x=1")

    assert response.status_code == 302
    assert response["Location"] == "/admin/records/sourcefile/12/change/?x=1"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/static/web/beatbook.css", "/static/ui/beatbook.css"),
        ("/static/web/favicon.svg", "/static/ui/favicon.svg"),
        ("/static/workspace/workspace.css", "/static/teams/teams.css"),
    ],
)
def test_page_assets_that_moved_are_found_at_their_old_address(
    client: Client, old: str, new: str
) -> None:
    response = client.get(old)

    assert response.status_code == 301
    assert response["Location"] == new
    assert client.get(new).status_code == 200
