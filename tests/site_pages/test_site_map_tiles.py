"""Maps show OpenStreetMap's standard tiles by default, with its attribution; the content
security policy lets in that one tile host and nothing else; MAP_TILE_URL="" or "none" turns
tiles off (the browser side is in tests/e2e/test_browser_maps.py)."""

from __future__ import annotations

import runpy
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

SETTINGS = Path(django_settings.BASE_DIR) / "settings.py"
OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def fresh_settings(monkeypatch: pytest.MonkeyPatch, **environment: str | None) -> dict[str, Any]:
    for name, value in environment.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS))


def test_the_default_is_openstreetmap_with_its_attribution(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fresh = fresh_settings(monkeypatch, MAP_TILE_URL=None, MAP_TILE_ATTRIBUTION=None)

    assert fresh["MAP_TILE_URL"] == OSM
    assert "OpenStreetMap</a> contributors" in fresh["MAP_TILE_ATTRIBUTION"]
    assert 'href="https://www.openstreetmap.org/copyright"' in fresh["MAP_TILE_ATTRIBUTION"]
    policy = fresh["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert policy["img-src"] == ["'self'", "https://tile.openstreetmap.org", "data:"]
    # Only images: no script, style, font or connection may come from the tile host.
    for directive in ("default-src", "script-src", "style-src", "font-src", "connect-src"):
        assert policy[directive] == ["'self'"]


@pytest.mark.parametrize("off", ["", "none", "None", "  "])
def test_tiles_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, off: str) -> None:
    fresh = fresh_settings(monkeypatch, MAP_TILE_URL=off, MAP_TILE_ATTRIBUTION=None)

    assert fresh["MAP_TILE_URL"] == ""
    assert fresh["MAP_TILE_ATTRIBUTION"] == ""
    assert fresh["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"] == ["'self'"]


def test_another_tile_server_brings_its_own_attribution(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = fresh_settings(
        monkeypatch,
        MAP_TILE_URL="https://{s}.tiles.example.org/{z}/{x}/{y}.png",
        MAP_TILE_ATTRIBUTION=None,
    )

    # OpenStreetMap's attribution is not claimed for somebody else's tiles.
    assert fresh["MAP_TILE_ATTRIBUTION"] == ""
    assert fresh["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"] == [
        "'self'",
        "https://*.tiles.example.org",
        "data:",
    ]


@pytest.mark.django_db
def test_pages_carry_the_tile_layer_and_the_policy(client: Any) -> None:
    response = client.get("/neighbourhoods/")

    assert f'data-tile-url="{OSM}"' in response.content.decode()
    assert (
        "img-src 'self' https://tile.openstreetmap.org data:" in response["Content-Security-Policy"]
    )
