"""The OpenAPI document lists every answer a route gives and says which parameters go together
(issue 11, finding 9: 45 mismatches). The schemathesis run in ``test_policeapi_fuzz`` checks
the document against the running API; these check the document itself, quickly."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from jsonschema import Draft202012Validator

from beatbook.policeapi.api import api


def document(client: Client) -> dict[str, Any]:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def operations(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        f"{method.upper()} {path}": operation
        for path, methods in doc["paths"].items()
        for method, operation in methods.items()
    }


def area_schema(doc: dict[str, Any], key: str) -> dict[str, Any]:
    operation = operations(doc)[key]
    if "requestBody" in operation:
        content = operation["requestBody"]["content"]
        return dict(content["application/x-www-form-urlencoded"]["schema"])
    (group,) = [p for p in operation["parameters"] if p["name"] == "area"]
    assert (group["in"], group["style"], group["explode"]) == ("query", "form", True)
    return dict(group["schema"])


def test_every_route_lists_its_error_answers(client: Client, db: None) -> None:
    found = operations(document(client))
    area_routes = {
        key
        for key in found
        if key.split()[1]
        in {"/api/crimes-street/{category}", "/api/outcomes-at-location", "/api/stops-street"}
    }

    assert len(found) == 26
    assert len(area_routes) == 6
    for key, operation in found.items():
        responses = operation["responses"]
        assert {"200", "400", "429"} <= set(responses), key
        assert "text/plain" in responses["400"]["content"], key
        assert responses["429"]["headers"]["Retry-After"]["required"] is True, key
        expects_404 = key not in {
            "GET /api/crime-last-updated",
            "GET /api/crimes-street-dates",
            "GET /api/forces",
        }
        assert ("404" in responses) == expects_404, key
        assert ("503" in responses) == (key in area_routes), key
    postcode_404 = found["GET /api/postcodes/{postcode}"]["responses"]["404"]["content"]
    assert set(postcode_404["application/json"]["schema"]["required"]) == {"status", "error"}


@pytest.mark.parametrize(
    ("key", "values", "valid"),
    [
        ("GET /api/crimes-street/{category}", {"lat": "52.98", "lng": "-2.13"}, True),
        ("GET /api/crimes-street/{category}", {"poly": "52.1,0.5:52.2,0.6:52.3,0.5"}, True),
        ("GET /api/crimes-street/{category}", {"location_id": "1001"}, True),
        ("GET /api/crimes-street/{category}", {"lat": "52.98"}, False),  # lat needs lng
        ("GET /api/crimes-street/{category}", {"location_id": "1", "lng": "-2.1"}, False),
        ("GET /api/crimes-street/{category}", {}, False),  # somewhere is needed
        ("GET /api/crimes-street/{category}", {"lat": "95", "lng": "-2.13"}, False),
        ("GET /api/crimes-street/{category}", {"poly": "52.1,0.5:52.2,0.6"}, False),
        ("GET /api/crimes-at-location", {"lat": "52.98", "lng": "-2.13"}, True),
        ("GET /api/crimes-at-location", {"poly": "52.1,0.5:52.2,0.6:52.3,0.5"}, False),
        ("POST /api/stops-street", {"poly": "52.1,0.5:52.2,0.6:52.3,0.5", "date": "2025-02"}, True),
        ("POST /api/stops-street", {"date": "2025-02"}, False),
        ("POST /api/outcomes-at-location", {"location_id": "1001", "date": "2025-13"}, False),
    ],
)
def test_the_document_says_which_parameters_go_together(
    client: Client, db: None, key: str, values: dict[str, str], valid: bool
) -> None:
    validator = Draft202012Validator(
        area_schema(document(client), key), format_checker=Draft202012Validator.FORMAT_CHECKER
    )

    assert validator.is_valid(values) is valid


def test_the_document_is_the_one_the_api_object_makes() -> None:
    made = api.get_openapi_schema(path_prefix="/api/")
    assert "area" in {p["name"] for p in made["paths"]["/api/stops-street"]["get"]["parameters"]}
