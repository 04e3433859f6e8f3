from __future__ import annotations

import orjson
import pytest
from django.test import Client

from beatbook.accounts.models import OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.places.spatial import forget_cached_indexes

from .insights_world import AnalyticsWorld

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh(settings: object) -> None:
    forget_cached_indexes()
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def analyst(world: AnalyticsWorld) -> User:
    user = user_create(username="ana", password=PASSWORD, is_staff=True)
    police = organisation_create(
        name="Staffordshire Police", kind=OrganisationKind.POLICE_FORCE, force=world.force
    )
    membership_grant(user=user, organisation=police, role=Role.ANALYST)
    return user


@pytest.fixture
def signed_in(client: Client, analyst: User) -> Client:
    client.force_login(analyst)
    return client


HOTSPOTS = {
    "force": "staffordshire",
    "month_from": "2025-01",
    "month_to": "2025-02",
    "category": "",
    "cell_size": "250",
    "method": "gistar",
    "harm": "cchi",
}


def test_pages_are_for_signed_in_staff_only(client: Client, world: AnalyticsWorld) -> None:
    for url in (
        "/analysis/",
        "/analysis/hotspots/",
        "/analysis/trends/",
        "/analysis/harm-weights/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    resident = user_create(username="rita", password=PASSWORD)
    client.force_login(resident)
    assert client.get("/analysis/hotspots/").status_code == 403


def test_the_index_links_every_page_and_the_nav_shows_analysis(signed_in: Client) -> None:
    page = signed_in.get("/analysis/").content.decode()
    for url in ("/analysis/hotspots/", "/analysis/trends/", "/analysis/harm-weights/"):
        assert f'href="{url}"' in page
    assert 'aria-current="page"' in page
    assert ">Analysis<" in page


def test_the_hotspots_form_starts_on_the_latest_months(signed_in: Client) -> None:
    page = signed_in.get("/analysis/hotspots/").content.decode()
    assert 'value="2024-09"' in page
    assert 'value="2025-02"' in page
    assert "Cheshire" not in page  # not a force this analyst works in


def test_hotspots_show_the_top_places_and_download_links(signed_in: Client) -> None:
    response = signed_in.get("/analysis/hotspots/", HOTSPOTS)
    assert response.status_code == 200
    page = response.content.decode()
    assert "On or near Market Street" in page
    assert "Longton" in page
    assert "Cambridge Crime Harm Index" in page
    assert 'id="hotspot-map"' in page
    assert "format=geojson" in page
    assert "format=csv" in page


def test_the_downloads_give_geojson_and_csv(signed_in: Client) -> None:
    geojson = signed_in.get("/analysis/hotspots/download/", {**HOTSPOTS, "format": "geojson"})
    assert geojson["Content-Type"] == "application/geo+json"
    assert "hotspots-staffordshire-2025-01-2025-02.geojson" in geojson["Content-Disposition"]
    document = orjson.loads(geojson.content)
    assert document["features"][0]["properties"]["street_name"] == "On or near Market Street"
    csv = signed_in.get("/analysis/hotspots/download/", {**HOTSPOTS, "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().startswith("rank,cell,easting,northing")


def test_each_wrong_answer_on_the_hotspot_form_is_named_in_plain_english(
    signed_in: Client,
) -> None:
    wrong = {
        **HOTSPOTS,
        "month_from": "",
        "month_to": "",
        "category": "jaywalking",
        "cell_size": "999",
        "method": "guess",
        "harm": "pain",
    }
    response = signed_in.get("/analysis/hotspots/", wrong)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter the first month, like 2025-01" in page
    assert "Enter the last month, like 2025-06" in page
    assert "Select a crime category from the list" in page
    assert "Select a cell size from the list" in page
    assert "Select kernel density or Getis-Ord Gi*" in page
    assert "Select whether to count crimes or weigh them by harm" in page
    assert "Select a valid choice" not in page


def test_another_forces_hotspots_are_refused(signed_in: Client) -> None:
    response = signed_in.get("/analysis/hotspots/", {**HOTSPOTS, "force": "cheshire"})
    assert response.status_code == 400
    assert "Select one of the forces you work in" in response.content.decode()
    download = signed_in.get(
        "/analysis/hotspots/download/", {**HOTSPOTS, "force": "cheshire", "format": "csv"}
    )
    assert download.status_code == 400


def test_bad_months_are_named_on_the_page(signed_in: Client) -> None:
    response = signed_in.get(
        "/analysis/hotspots/", {**HOTSPOTS, "month_from": "Jan 2025", "month_to": "2024-12"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The first month must be a month written YYYY-MM" in page


def test_trends_show_tables_and_charts(signed_in: Client) -> None:
    response = signed_in.get("/analysis/trends/", {"area": "Longton", "month_from": "2025-01"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Longton, Staffordshire Police (neighbourhood)" in page
    assert "No more than chance" in page
    assert "<svg" in page
    assert 'aria-hidden="true"' in page
    assert "On or near Market Street" in page
    assert "Not published" not in page


def test_trends_of_an_unseen_area_are_refused(signed_in: Client) -> None:
    response = signed_in.get("/analysis/trends/", {"area": "cheshire"})
    assert response.status_code == 400
    assert "No force, neighbourhood, LSOA or local authority you can see" in (
        response.content.decode()
    )


def test_the_harm_weights_page_lists_weights_and_sources(signed_in: Client) -> None:
    page = signed_in.get("/analysis/harm-weights/").content.decode()
    assert "Robbery" in page
    assert "365" in page
    assert "358.1" in page
    assert "Sherman, Neyroud and Neyroud (2016)" in page
    assert "Office for National Statistics" in page
    assert "packaged-" in page


def test_a_local_harm_table_is_named_on_the_page(
    signed_in: Client, settings: object, tmp_path: object
) -> None:
    from pathlib import Path

    from beatbook.analysis.harm import PACKAGED_TABLE

    local = Path(str(tmp_path)) / "local-weights.csv"
    local.write_text(
        PACKAGED_TABLE.read_text(encoding="utf-8").replace(
            "Robbery,robbery,76575,365.0", "Robbery,robbery,76575,400.0"
        ),
        encoding="utf-8",
    )
    settings.HARM_WEIGHTS_FILE = str(local)  # type: ignore[attr-defined]
    page = signed_in.get("/analysis/harm-weights/").content.decode()
    assert "local-weights.csv" in page
    assert "local-" in page
    assert ">400<" in page
    assert "(median)" in page
