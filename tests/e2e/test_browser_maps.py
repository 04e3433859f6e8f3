"""Maps in a real browser: OpenStreetMap's tiles with their attribution by default, and
boundaries and points that stay readable, with no broken images, when the tiles cannot load
(as here: the browser tests' chromium cannot reach the tile server, see conftest)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from beatbook.demo.loader import demo_data_load
from beatbook.demo.sample_teams import demo_teams_refresh
from beatbook.places.models import Neighbourhood

from .axe import serious_accessibility_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Tiles that did not load and are still shown: a broken-image box in most browsers.
BROKEN_TILES_SHOWN = """map => [...document.querySelectorAll(map + ' img.leaflet-tile')]
  .filter(img => img.complete && img.naturalWidth === 0)
  .filter(img => getComputedStyle(img).visibility !== 'hidden'
                 && getComputedStyle(img).display !== 'none').length"""
TILES_SETTLED = """map => {
  const tiles = [...document.querySelectorAll(map + ' img.leaflet-tile')];
  return tiles.length > 0 && tiles.every(img => img.complete);
}"""


@pytest.fixture
def longton_url(live_server: Any) -> str:
    demo_data_load()
    demo_teams_refresh(force_id="staffordshire")
    longton = Neighbourhood.objects.filter(force_id="staffordshire", name__startswith="Longton")
    return str(live_server.url) + reverse(
        "residents:neighbourhood", args=["staffordshire", longton.get().code]
    )


def test_maps_credit_openstreetmap_and_read_well_when_its_tiles_fail(
    page: Any, longton_url: str
) -> None:
    response = page.goto(longton_url)
    # django-csp writes its directives in no fixed order, so read them one by one.
    header = response.headers["content-security-policy"]
    directives = [part.strip() for part in header.split(";")]
    assert "img-src 'self' https://tile.openstreetmap.org data:" in directives

    for map_id in ("#crime-map", "#events-map"):
        page.locator(f"{map_id} img.leaflet-tile").first.wait_for(state="attached")
        page.wait_for_function(TILES_SETTLED, arg=map_id)
        tile = page.locator(f"{map_id} img.leaflet-tile").first
        assert tile.get_attribute("src").startswith("https://tile.openstreetmap.org/")
        # The tile server learns which site asks, never which page (a resident's neighbourhood).
        assert tile.get_attribute("referrerpolicy") == "strict-origin"
        credit = page.locator(f"{map_id} .leaflet-control-attribution")
        assert "OpenStreetMap contributors" in credit.inner_text()
        assert credit.get_by_role("link", name="OpenStreetMap").get_attribute("href") == (
            "https://www.openstreetmap.org/copyright"
        )
        assert page.evaluate(BROKEN_TILES_SHOWN, map_id) == 0

    boundary = page.locator("#crime-map path.leaflet-interactive").first
    expect(boundary).to_be_visible()
    expect(page.locator("#events-map .leaflet-marker-icon").first).to_be_visible()
    assert serious_accessibility_problems(page) == []


def test_with_tiles_off_the_maps_draw_boundaries_and_points_alone(
    page: Any, longton_url: str, settings: Any
) -> None:
    settings.MAP_TILE_URL = ""
    settings.MAP_TILE_ATTRIBUTION = ""

    page.goto(longton_url)
    page.locator("#crime-map path.leaflet-interactive").first.wait_for()

    assert page.locator("img.leaflet-tile").count() == 0
    assert "OpenStreetMap" not in page.locator("#crime-map").inner_text()
    expect(page.locator("#events-map .leaflet-marker-icon").first).to_be_visible()
