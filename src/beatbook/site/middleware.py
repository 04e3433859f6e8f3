"""Input refused before any view, session or database sees it, for every route alike.

A NUL character (``%00``) cannot be stored in PostgreSQL text at all (the query fails, and the
request with it: a 500), while SQLite stores it: refusing it here makes both databases answer
the same clear 400. Form bodies over Django's upload limits are refused here too, in words,
rather than with Django's bare "Bad Request (400)". The open API's answers keep the API's
plain-text shape; pages get an HTML page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from beatbook.policeapi.errors import BadRequestError
from beatbook.policeapi.middleware import API_PREFIXES
from beatbook.policeapi.responses import error_response

NUL = "\x00"
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
NEVER_VALID = "holds a NUL character (%00), which is never valid here"


class RequestInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = input_problem(request)
        if problem is None:
            return self.get_response(request)
        return bad_request(request, problem)


def input_problem(request: HttpRequest) -> str | None:
    """What is wrong with the request's address, query or form body, in words; None if nothing."""
    if NUL in request.path:
        return f"the address {NEVER_VALID}"
    try:
        found = _nul_in(request.GET, "parameter")
        if found is None and request.method == "POST" and request.content_type in FORM_TYPES:
            found = _nul_in(request.POST, "form field")
    except RequestDataTooBig:
        return f"the request body is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes"
    except TooManyFieldsSent:
        return f"the request has more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} parameters"
    return found


def _nul_in(values: QueryDict, what: str) -> str | None:
    for key, items in values.lists():
        if NUL in key or any(NUL in item for item in items):
            shown = key.replace(NUL, "%00")
            return f"{what} {shown!r} {NEVER_VALID}"
    return None


def bad_request(request: HttpRequest, problem: str) -> HttpResponse:
    if request.path.startswith(API_PREFIXES):
        response = error_response(BadRequestError(problem))
        # Browser apps read the API from other origins: let them read why, too.
        response["Access-Control-Allow-Origin"] = "*"
        return response
    return render(request, "site/bad_request.html", {"problem": problem}, status=400)
