"""Tolerant parsing of police.uk query parameters (compatibility rule 3 of the reference).

Parameters may come from the query string, a form-encoded POST body, or both. Empty
segments (``?&date=``, ``&&``) and unknown parameters are ignored; whitespace around numbers is
stripped; a polygon may be closed or open, and pyrozza's repeated ``poly=`` keys are re-paired.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.http import HttpRequest

from beatbook.common.months import is_month
from beatbook.policeapi.errors import BadRequestError, NotFoundError

MAX_POLYGON_VERTICES = 10_000


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


def merged_params(request: HttpRequest) -> dict[str, list[str]]:
    """Query string and form body together; the body wins for a key given in both."""
    params: dict[str, list[str]] = {key: request.GET.getlist(key) for key in request.GET}
    if request.method == "POST":
        content_type = request.content_type or ""
        if content_type not in {"application/x-www-form-urlencoded", "multipart/form-data", ""}:
            raise BadRequestError(f"send the parameters form-encoded, not as {content_type}")
        for key in request.POST:
            params[key] = request.POST.getlist(key)
    return params


def first(params: dict[str, list[str]], key: str) -> str | None:
    """The first non-empty value of a parameter, stripped; None if absent or empty."""
    for value in params.get(key, []):
        if value.strip():
            return value.strip()
    return None


def parse_month(raw: str | None) -> str | None:
    """``YYYY-MM`` checked, or None for "the latest month".

    police.uk answers a malformed month (``2026-13``, ``July2026``) with 404, and so do we; a
    year before 1900 too, which police.uk never publishes.
    """
    if raw is None:
        return None
    if not is_month(raw) or int(raw[:4]) < 1900:
        raise NotFoundError(f"date must be a month as YYYY-MM, not {raw!r}")
    return raw


def parse_float(raw: str, name: str) -> float:
    try:
        value = float(raw.strip())
    except ValueError:
        raise BadRequestError(f"{name} must be a number, not {raw!r}") from None
    if not math.isfinite(value):
        raise BadRequestError(f"{name} must be a finite number, not {raw!r}")
    return value


def parse_coordinates(latitude: str, longitude: str) -> Point:
    lat = parse_float(latitude, "lat")
    lng = parse_float(longitude, "lng")
    if not -90 <= lat <= 90:
        raise BadRequestError(f"lat must be between -90 and 90, not {lat}")
    if not -180 <= lng <= 180:
        raise BadRequestError(f"lng must be between -180 and 180, not {lng}")
    return Point(lat, lng)


def parse_point(params: dict[str, list[str]]) -> Point | None:
    """``lat`` and ``lng`` as a point; None when neither is given; 400 when one is missing."""
    lat, lng = first(params, "lat"), first(params, "lng")
    if lat is None and lng is None:
        return None
    if lat is None or lng is None:
        raise BadRequestError("give both lat and lng")
    return parse_coordinates(lat, lng)


def parse_poly(params: dict[str, list[str]]) -> list[Point] | None:
    """``poly=lat,lng:lat,lng:…`` as vertices (at least three distinct); None when absent.

    The vertices are counted before any is parsed, so an over-long poly costs one split.
    """
    values = [value.strip() for value in params.get("poly", []) if value.strip()]
    if not values:
        return None
    points = _split_poly(values[0]) if len(values) == 1 else _pair_repeated(values)
    if len(set(points)) < 3:
        raise BadRequestError("poly needs at least three distinct lat,lng points")
    return points


def _too_many_vertices(count: int) -> None:
    if count > MAX_POLYGON_VERTICES:
        raise BadRequestError(
            f"poly has {count} vertices; the most this server takes is {MAX_POLYGON_VERTICES}"
        )


def _split_poly(text: str) -> list[Point]:
    vertices = [vertex for vertex in text.split(":") if vertex.strip()]
    _too_many_vertices(len(vertices))
    points = []
    for vertex in vertices:
        parts = vertex.split(",")
        if len(parts) != 2:
            raise BadRequestError(
                f"poly vertices must be lat,lng pairs separated by ':', not {vertex!r}"
            )
        points.append(parse_coordinates(parts[0], parts[1]))
    return points


def _pair_repeated(values: list[str]) -> list[Point]:
    # pyrozza sends a list of (lat, lng) tuples through requests, which flattens it into
    # poly=lat&poly=lng&poly=lat...; whole "lat,lng:..." strings repeated are joined instead.
    if any("," in value for value in values):
        return _split_poly(":".join(values))
    if len(values) % 2:
        raise BadRequestError("repeated poly values must come in lat, lng pairs")
    _too_many_vertices(len(values) // 2)
    return [parse_coordinates(values[i], values[i + 1]) for i in range(0, len(values), 2)]


def parse_location_id(raw: str | None) -> int | None:
    if raw is None:
        return None
    try:
        value = int(raw)
    except ValueError:
        raise BadRequestError(f"location_id must be a whole number, not {raw!r}") from None
    if not -(2**63) <= value < 2**63:
        raise NotFoundError(f"no location {raw}")
    return value


def parse_q(raw: str | None) -> Point:
    """locate-neighbourhood's ``q=lat,lng`` (spaces allowed around either number).

    police.uk answers a malformed ``q`` with 404, which clients take as "not found".
    """
    if raw is None:
        raise NotFoundError("give q=lat,lng")
    parts = raw.split(",")
    if len(parts) != 2:
        raise NotFoundError(f"q must be lat,lng, not {raw!r}")
    try:
        return parse_coordinates(parts[0], parts[1])
    except BadRequestError as exc:
        raise NotFoundError(exc.message) from None
