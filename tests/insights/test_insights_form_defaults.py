"""Every analysis form starts on a force the person works in that holds crime data, and offers
only forces with data; someone whose forces hold none is told so in plain words (issue 12,
finding 5: the forecast page started on Avon and Somerset, which held nothing, and failed)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from beatbook.accounts.models import OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.places.models import Force

from .insights_world import AnalyticsWorld

PASSWORD = "correct horse battery staple"
PAGES = ("/analysis/hotspots/", "/analysis/forecast/", "/analysis/trends/")


@pytest.fixture
def avon(world: AnalyticsWorld) -> Force:
    """First alphabetically, and holding no crime data."""
    force, _ = Force.objects.update_or_create(
        id="avon-and-somerset", defaults={"name": "Avon and Somerset Constabulary"}
    )
    return force


def _member(username: str, *forces: Force, superuser: bool = False) -> User:
    user = user_create(username=username, password=PASSWORD, is_staff=True)
    if superuser:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    for force in forces:
        police = organisation_create(
            name=f"{force.name} ({username})", kind=OrganisationKind.POLICE_FORCE, force=force
        )
        membership_grant(user=user, organisation=police, role=Role.ANALYST)
    return user


def _select(page: str, name: str) -> tuple[list[str], str | None]:
    """The options of the select ``name`` and the one selected."""
    block = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S)
    assert block is not None, f"no select called {name}"
    options = re.findall(r'<option value="([^"]*)"( selected)?', block.group(0))
    return [value for value, _ in options], next((v for v, chosen in options if chosen), None)


def test_the_administrator_starts_on_their_own_force_with_data_not_the_first_alphabetically(
    client: Client, world: AnalyticsWorld, avon: Force
) -> None:
    client.force_login(_member("admin", world.force, superuser=True))
    forecast = client.get("/analysis/forecast/")
    assert forecast.status_code == 200
    offered, chosen = _select(forecast.content.decode(), "force")
    assert chosen == "staffordshire"
    assert "avon-and-somerset" not in offered
    hotspots = client.get("/analysis/hotspots/").content.decode()
    offered, chosen = _select(hotspots, "force")
    assert (offered, chosen) == (["staffordshire", "cheshire"], "staffordshire")
    assert 'value="2025-02"' in hotspots  # the latest month Staffordshire holds


def test_someone_in_several_forces_is_offered_only_those_with_data(
    client: Client, world: AnalyticsWorld, avon: Force
) -> None:
    client.force_login(_member("ana", avon, world.cheshire, world.force))
    for url in ("/analysis/hotspots/", "/analysis/forecast/"):
        response = client.get(url)
        assert response.status_code == 200
        offered, chosen = _select(response.content.decode(), "force")
        assert offered == ["cheshire", "staffordshire"]
        assert chosen == "cheshire"
    # A force without data is refused as a choice, in words, not with a server error.
    refused = client.get("/analysis/forecast/", {"force": "avon-and-somerset"})
    assert refused.status_code == 400
    assert "Select one of the forces you work in" in refused.content.decode()


def test_the_hotspot_form_starts_on_the_default_forces_own_latest_months(
    client: Client, world: AnalyticsWorld, avon: Force
) -> None:
    client.force_login(_member("ana", avon, world.cheshire))
    page = client.get("/analysis/hotspots/").content.decode()
    assert _select(page, "force") == (["cheshire"], "cheshire")
    assert 'value="2024-09"' in page
    assert 'value="2025-02"' in page


def test_the_trends_form_names_the_default_force(
    client: Client, world: AnalyticsWorld, avon: Force
) -> None:
    client.force_login(_member("ana", avon, world.force))
    page = client.get("/analysis/trends/").content.decode()
    assert 'value="Staffordshire Police"' in page
    assert "or a force (Staffordshire Police)" in page
    shown = client.get("/analysis/trends/", {"area": "Staffordshire Police"})
    assert shown.status_code == 200
    assert "Staffordshire Police (force)" in shown.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_someone_whose_forces_hold_no_data_is_told_so_plainly(
    client: Client, world: AnalyticsWorld, avon: Force, url: str
) -> None:
    client.force_login(_member("ana", avon))
    response = client.get(url)
    assert response.status_code == 200
    page = " ".join(response.content.decode().split())
    assert (
        "None of the forces you work in (Avon and Somerset Constabulary) has any crime data "
        "loaded yet" in page
    )
    assert "Avon and Somerset Constabulary</option>" not in page


@pytest.mark.parametrize("url", PAGES)
def test_someone_without_a_force_is_told_so(
    client: Client, world: AnalyticsWorld, url: str
) -> None:
    client.force_login(_member("bob"))
    response = client.get(url)
    assert response.status_code == 200
    assert "You do not work in any force" in response.content.decode()
