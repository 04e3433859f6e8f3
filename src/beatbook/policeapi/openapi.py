"""The open API's OpenAPI document: exactly what each route takes, and every answer it gives.

django-ninja writes the routes' paths and 200 answers. The query parameters and form bodies
are declared here instead, because the routes read them tolerantly (``params``) from the query
string and the form body alike, and because some go together in ways a flat list of optional
parameters cannot say: ``lat`` needs ``lng``, and an area route needs a point, a polygon or a
location. Such a group is one query parameter of object type (``style: form``,
``explode: true``: each property is its own ``key=value``) whose schema says which keys are
required together, in JSON Schema's own terms (``anyOf`` of ``required``, ``dependentRequired``).

Every route also declares the errors it can answer, in police.uk's plain-text shape
(``Bad Request: <what is wrong>``): 400 (malformed input, a NUL character, a request line over
4,094 characters, a body over the upload limit), 404 (an unknown force, neighbourhood, crime or
location, or a malformed or too-early month), 429 (the rate limit, with ``Retry-After``) and,
for custom areas, 503 (more records than ``API_AREA_LIMIT``).
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI

from beatbook.common.months import MONTH_PATTERN

Json = dict[str, Any]

NO_NUL = r"^[^\u0000]+$"
LAT: Json = {
    "type": "string",
    "pattern": r"^-?(90(\.0+)?|[1-8]?[0-9](\.[0-9]+)?)$",
    "description": "Latitude in decimal degrees (WGS84), -90 to 90.",
    "examples": ["52.629729"],
}
LNG: Json = {
    "type": "string",
    "pattern": r"^-?(180(\.0+)?|(1[0-7][0-9]|[1-9]?[0-9])(\.[0-9]+)?)$",
    "description": "Longitude in decimal degrees (WGS84), -180 to 180.",
    "examples": ["-1.131592"],
}
_VERTEX = r"-?[0-9]{1,2}(\.[0-9]+)?,-?[0-9]{1,3}(\.[0-9]+)?"
POLY: Json = {
    "type": "string",
    "format": "polygon",
    "pattern": rf"^({_VERTEX}:){{2,}}{_VERTEX}$",
    "description": (
        "A custom area: lat,lng pairs joined by ':' (closed automatically), at least three "
        "distinct and at most 10,000 vertices, forming a ring whose edges do not cross or "
        "touch (400 otherwise, saying where). Longer than a GET line allows: POST it."
    ),
    "examples": ["52.268,0.543:52.794,0.238:52.130,0.478"],
}
LOCATION_ID: Json = {
    "type": "string",
    "pattern": r"^-?[0-9]{1,18}$",
    "description": "A published location's id (a crime's location.street.id).",
    "examples": ["1737432"],
}
MONTH: Json = {
    "type": "string",
    "pattern": MONTH_PATTERN,
    "description": (
        "YYYY-MM; the latest month held when absent. A month before the first held is 404, "
        "one after the latest an empty list."
    ),
    "examples": ["2024-01"],
}
FORCE: Json = {
    "type": "string",
    "pattern": r"^[a-z0-9-]+$",
    "description": "A force id from /forces.",
    "examples": ["leicestershire"],
}
TEXT: Json = {"type": "string", "pattern": NO_NUL}
Q: Json = {
    "type": "string",
    "pattern": r"^ *-?[0-9]{1,3}(\.[0-9]+)? *, *-?[0-9]{1,3}(\.[0-9]+)? *$",
    "description": "lat,lng (404 when no neighbourhood covers it, or it is not a point).",
    "examples": ["52.629729,-1.131592"],
}

POINT_TOGETHER: Json = {"lat": ["lng"], "lng": ["lat"]}


def area(properties: Json, *needs: str) -> Json:
    """An object schema: the given keys, at least one of ``needs``, lat only with lng."""
    return {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
        "anyOf": [{"required": [need]} for need in needs],
        "dependentRequired": {k: v for k, v in POINT_TOGETHER.items() if k in properties},
    }


POINT_OR_POLY = {"lat": LAT, "lng": LNG, "poly": POLY}
ANY_AREA = {**POINT_OR_POLY, "location_id": LOCATION_ID}
AT_LOCATION = {"location_id": LOCATION_ID, "lat": LAT, "lng": LNG}

AREAS: dict[str, Json] = {
    "/crimes-street/{category}": area(ANY_AREA, "lat", "poly", "location_id"),
    "/crimes-at-location": area(AT_LOCATION, "location_id", "lat"),
    "/outcomes-at-location": area(ANY_AREA, "lat", "poly", "location_id"),
    "/stops-street": area(POINT_OR_POLY, "lat", "poly"),
}
AREA_DESCRIPTION = (
    "Where: lat and lng (within a mile), poly (inside a polygon) or location_id, each sent as "
    "its own query parameter."
)
# Plain parameters: (name, schema, required).
QUERIES: dict[str, list[tuple[str, Json, bool]]] = {
    "/crimes-street/{category}": [("date", MONTH, False)],
    "/crimes-at-location": [("date", MONTH, False)],
    "/crimes-no-location": [
        ("force", FORCE, True),
        ("category", TEXT, False),
        ("date", MONTH, False),
    ],
    "/crime-categories": [("date", MONTH, False)],
    "/outcomes-at-location": [("date", MONTH, False)],
    "/stops-street": [("date", MONTH, False)],
    "/stops-at-location": [("location_id", LOCATION_ID, True), ("date", MONTH, False)],
    "/stops-no-location": [("force", FORCE, True), ("date", MONTH, False)],
    "/stops-force": [("force", FORCE, True), ("date", MONTH, False)],
    "/locate-neighbourhood": [("q", Q, False)],
}
# Routes that can answer 404 (all but the three that take nothing), and 503 (custom areas).
NO_404 = {"/crime-last-updated", "/crimes-street-dates", "/forces"}
MAY_503 = set(AREAS) - {"/crimes-at-location"}


def _text(reason: str, what: str) -> Json:
    return {
        "description": what,
        "content": {
            "text/plain": {"schema": {"type": "string", "pattern": f"^{reason}"}},
        },
    }


BAD_REQUEST = _text(
    "Bad Request: ",
    "Malformed or missing parameters, a NUL character (%00) anywhere, a GET request line "
    "over 4,094 characters (POST the poly instead), or a body over the upload limit. The "
    "text after 'Bad Request: ' says what is wrong.",
)
NOT_FOUND = _text(
    "Not Found",
    "An unknown force, neighbourhood, crime or location; a malformed month, or one before "
    "the first held.",
)
POSTCODE_NOT_FOUND: Json = {
    "description": "An unknown postcode, as postcodes.io answers it.",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {
                    "status": {"type": "integer", "enum": [404]},
                    "error": {"type": "string"},
                },
                "required": ["status", "error"],
            }
        },
        "text/plain": {"schema": {"type": "string", "pattern": "^Not Found"}},
    },
}
TOO_MANY = {
    **_text("Too Many Requests", "Over the rate limit: wait the seconds Retry-After says."),
    "headers": {
        "Retry-After": {
            "description": "Seconds to wait before the next request.",
            "required": True,
            "schema": {"type": "string", "pattern": "^[0-9]+$"},
        }
    },
}
AREA_TOO_LARGE = _text(
    "Service Unavailable: ",
    "The custom area holds more records than the server's limit (API_AREA_LIMIT, 10,000 by "
    "default), or its bounding box more than five times that: draw a smaller one.",
)


class PoliceApi(NinjaAPI):
    """django-ninja's API with the document completed by ``documented``."""

    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        prefix = kwargs.get("path_prefix")
        if prefix is None:
            prefix = self.get_root_path(kwargs.get("path_params") or {})
        for path, methods in schema["paths"].items():
            route = "/" + path.removeprefix(prefix).lstrip("/")
            for method, operation in methods.items():
                documented(route, method, operation)
        return schema


def documented(route: str, method: str, operation: Json) -> None:
    """Complete one operation of ninja's document, in place."""
    for parameter in operation.get("parameters", []):
        # Path segments are never empty, and no text here may hold a NUL (400).
        parameter["schema"] = {**parameter["schema"], "minLength": 1, "pattern": NO_NUL}
    if method == "post":
        operation["requestBody"] = _form_body(route)
    else:
        operation.setdefault("parameters", []).extend(_query(route))
    responses = operation["responses"]
    responses["400"] = BAD_REQUEST
    responses["429"] = TOO_MANY
    if route.startswith("/postcodes/"):
        responses["404"] = POSTCODE_NOT_FOUND
    elif route not in NO_404:
        responses["404"] = NOT_FOUND
    if route in MAY_503:
        responses["503"] = AREA_TOO_LARGE


def _query(route: str) -> list[Json]:
    parameters = [
        {"in": "query", "name": name, "schema": schema, "required": required}
        for name, schema, required in QUERIES.get(route, [])
    ]
    if route in AREAS:
        parameters.insert(
            0,
            {
                "in": "query",
                "name": "area",
                "style": "form",
                "explode": True,
                "required": True,
                "description": AREA_DESCRIPTION,
                "schema": AREAS[route],
            },
        )
    return parameters


def _form_body(route: str) -> Json:
    schema = AREAS[route]
    body = {**schema, "properties": {**schema["properties"], "date": MONTH}}
    return {
        "required": True,
        "content": {"application/x-www-form-urlencoded": {"schema": body}},
        "description": "The GET's parameters, form-encoded (for polygons too long for a URL).",
    }
