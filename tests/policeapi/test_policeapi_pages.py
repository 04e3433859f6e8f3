"""The API's OpenAPI document and its human-readable page of routes with working examples."""

from __future__ import annotations

import re
from html import unescape

from django.test import Client
from police_world import PoliceData


def test_the_openapi_document_lists_every_police_uk_route(
    client: Client, police_data: PoliceData
) -> None:
    document = client.get("/api/openapi.json").json()
    paths = set(document["paths"])
    assert {
        "/api/forces",
        "/api/forces/{force}",
        "/api/forces/{force}/people",
        "/api/crimes-street/{category}",
        "/api/crimes-at-location",
        "/api/crimes-no-location",
        "/api/crime-categories",
        "/api/crime-last-updated",
        "/api/crimes-street-dates",
        "/api/outcomes-for-crime/{persistent_id}",
        "/api/outcomes-at-location",
        "/api/{force}/neighbourhoods",
        "/api/{force}/{neighbourhood}",
        "/api/{force}/{neighbourhood}/boundary",
        "/api/{force}/{neighbourhood}/people",
        "/api/{force}/{neighbourhood}/events",
        "/api/{force}/{neighbourhood}/priorities",
        "/api/locate-neighbourhood",
        "/api/stops-street",
        "/api/stops-at-location",
        "/api/stops-no-location",
        "/api/stops-force",
    } <= paths
    assert set(document["paths"]["/api/crimes-street/{category}"]) == {"get", "post"}
    priority = document["components"]["schemas"]["NeighbourhoodPriority"]["properties"]
    assert {"issue-date", "action-date"} <= set(priority)


def test_the_route_page_links_examples_that_answer(client: Client, police_data: PoliceData) -> None:
    page = client.get("/api/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "openapi.json" in html
    examples = [
        unescape(href) for href in re.findall(r'href="(http://testserver/api/[^"]+)"', html)
    ]
    assert len(examples) >= 22
    for url in examples:
        if url.endswith("openapi.json"):
            continue
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200, url
        assert response.json() not in ([], {}), url
