"""JSON rendered with orjson, and police.uk's plain-text error answers."""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpResponse

from beatbook.policeapi.errors import ApiError


def json_response(data: Any, status: int = 200) -> HttpResponse:
    return HttpResponse(orjson.dumps(data), content_type="application/json", status=status)


def error_response(error: ApiError) -> HttpResponse:
    reason = {400: "Bad Request", 404: "Not Found", 503: "Service Unavailable"}.get(
        error.status, "Error"
    )
    return HttpResponse(
        f"{reason}: {error.message}\n",
        content_type="text/plain; charset=utf-8",
        status=error.status,
    )
