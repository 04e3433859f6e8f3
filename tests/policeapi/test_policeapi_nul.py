"""A NUL character (``%00``) anywhere in an API request is a clear 400, on both databases
(issue 11, finding 7): PostgreSQL text cannot hold one, so on PostgreSQL 14 routes answered 500.

Every route of the OpenAPI document is swept: a NUL in each path parameter, each query
parameter and each form field in turn, the others holding values that reach the database.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from police_world import CENTRE, P_THEFT, PoliceData

from beatbook.policeapi.api import api

SAMPLES = {
    "category": "all-crime",
    "force": "staffordshire",
    "neighbourhood": "SOT.LONGTON",
    "persistent_id": P_THEFT,
    "postcode": "ST31AA",
    "lat": str(CENTRE[0]),
    "lng": str(CENTRE[1]),
    "poly": "52.98,-2.14:52.98,-2.12:52.995,-2.12",
    "date": "2025-02",
    "location_id": "1001",
    "q": f"{CENTRE[0]},{CENTRE[1]}",
}
NULS = ("%00", "staff%00ordshire")


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    document = api.get_openapi_schema(path_prefix="/api/")
    return [
        (method, path, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    ]


def query_names(parameter: dict[str, Any]) -> list[str]:
    """A parameter's name, or, for a group sent as its own keys (form, exploded), theirs."""
    schema = parameter["schema"]
    if schema.get("type") == "object" and parameter.get("explode", True):
        return list(schema["properties"])
    return [parameter["name"]]


def form_fields(operation: dict[str, Any]) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/x-www-form-urlencoded", {}).get("schema", {})
    return list(schema.get("properties", {}))


def variants(path: str, operation: dict[str, Any]) -> list[tuple[str, dict[str, str]]]:
    """(url, form) with a NUL in one place each: a path segment, a query value, a form field."""
    parameters = operation.get("parameters", [])
    in_path = [p["name"] for p in parameters if p["in"] == "path"]
    in_query = [name for p in parameters if p["in"] == "query" for name in query_names(p)]
    fields = form_fields(operation)

    def url(nul_in: str | None, nul: str) -> str:
        filled = path
        for name in in_path:
            filled = filled.replace(f"{{{name}}}", nul if name == nul_in else SAMPLES[name])
        query = "&".join(f"{n}={nul if n == nul_in else SAMPLES[n]}" for n in in_query)
        return f"{filled}?{query}" if query else filled

    found = []
    for nul in NULS:
        found += [(url(name, nul), {}) for name in in_path + in_query]
        for field in fields:
            form = {name: SAMPLES[name] for name in fields}
            found.append((url(None, nul), {**form, field: nul.replace("%00", "\x00")}))
        found.append((url(None, nul) + ("&" if in_query else "?") + f"{nul}=1", {}))
    return found


OPERATIONS = operations()


def test_the_sweep_covers_every_route_of_the_document() -> None:
    assert len(OPERATIONS) == 26
    assert sum(1 for method, _, _ in OPERATIONS if method == "post") == 3


@pytest.mark.parametrize(
    ("method", "path", "operation"), OPERATIONS, ids=[f"{m} {p}" for m, p, _ in OPERATIONS]
)
def test_a_nul_anywhere_in_an_api_request_is_a_clear_400(
    client: Client, police_data: PoliceData, method: str, path: str, operation: dict[str, Any]
) -> None:
    for url, form in variants(path, operation):
        response = client.post(url, form) if method == "post" else client.get(url)

        assert response.status_code == 400, (method, url, form)
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response["Access-Control-Allow-Origin"] == "*"
        text = response.content.decode()
        assert text.startswith("Bad Request: "), text
        assert "holds a NUL character (%00), which is never valid here" in text


@pytest.mark.parametrize(
    "url", ["/postcodes/%00", "/postcodes/ST3%001AA", "/api/?q=%00", "/api/%00"]
)
def test_the_routes_beside_the_document_refuse_a_nul_too(
    client: Client, police_data: PoliceData, url: str
) -> None:
    response = client.get(url)

    assert response.status_code == 400
    assert response.content.startswith(b"Bad Request: ")


def test_the_refusal_names_the_parameter(client: Client, police_data: PoliceData) -> None:
    query = client.get("/api/stops-force?date=2025-02&force=%00")
    path = client.get("/api/forces/%00")
    form = client.post("/api/stops-street", {"poly": "52.98,-2.14\x00:52.98,-2.12"})

    assert query.content == (
        b"Bad Request: parameter 'force' holds a NUL character (%00), which is never valid here\n"
    )
    assert path.content == (
        b"Bad Request: the address holds a NUL character (%00), which is never valid here\n"
    )
    assert form.content == (
        b"Bad Request: form field 'poly' holds a NUL character (%00), which is never valid here\n"
    )
