"""What the open API needs around every request: police.uk's request-line limit, the rate
limit, and CORS for reading from browser apps."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from beatbook.core.ratelimit import client_limit_check
from beatbook.policeapi.cache import RESPONSES, Entry, cache_bytes, is_cacheable
from beatbook.policeapi.errors import BadRequestError
from beatbook.policeapi.responses import error_response
from beatbook.records.versions import data_version

# police.uk (and gunicorn's default) refuse a request line longer than this.
MAX_REQUEST_LINE = 4094
API_PREFIXES = ("/api/", "/postcodes/")
MIN_GZIP_LENGTH = 1000
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


class OpenApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIXES):
            return self.get_response(request)
        if request.method == "OPTIONS":
            return _preflight()
        # HEAD is answered as GET without the body, as HTTP asks (the routes declare only GET).
        head = request.method == "HEAD"
        if head:
            request.method = "GET"
        response = self._refusal(request) or self._answer(request)
        if request.method == "GET":
            response["Access-Control-Allow-Origin"] = "*"
        return _without_body(response) if head else response

    def _answer(self, request: HttpRequest) -> HttpResponse:
        if request.method != "GET" or not is_cacheable(request.path):
            return _gzipped(request, self.get_response(request))
        key = (request.get_full_path(), _accepts_gzip(request))
        version = data_version()
        entry = RESPONSES.get(key, version)
        if entry is not None:
            return _from_cache(entry)
        response = _gzipped(request, self.get_response(request))
        if response.status_code == 200 and not response.streaming:
            entry = Entry(
                version=version,
                body=response.content,
                content_type=response["Content-Type"],
                content_encoding=response.get("Content-Encoding", ""),
            )
            RESPONSES.put(key, entry, max_bytes=cache_bytes())
        return response

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        if request.method == "GET" and _request_line_length(request) > MAX_REQUEST_LINE:
            return error_response(
                BadRequestError(
                    f"request line longer than {MAX_REQUEST_LINE} characters: POST the poly"
                )
            )
        if not settings.API_RATE_LIMIT_ENABLED:
            return None
        decision = client_limit_check(
            request,
            scope="ip",
            rate=float(settings.API_RATE_LIMIT_PER_SECOND),
            burst=int(settings.API_RATE_LIMIT_BURST),
        )
        if decision.allowed:
            return None
        response = HttpResponse(
            "Too Many Requests\n", content_type="text/plain; charset=utf-8", status=429
        )
        response["Retry-After"] = str(decision.retry_after)
        return response


def _gzipped(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Compress JSON at gzip's fastest level: Django's GZipMiddleware (level 6, run after this
    and skipping what is already encoded) takes several times longer on a busy square mile's
    answer for a few per cent less. API answers hold no secrets, so BREACH does not apply."""
    if (
        response.streaming
        or response.has_header("Content-Encoding")
        or len(response.content) < MIN_GZIP_LENGTH
        or not _accepts_gzip(request)
    ):
        return response
    response.content = gzip.compress(response.content, compresslevel=1, mtime=0)
    response["Content-Encoding"] = "gzip"
    response["Content-Length"] = str(len(response.content))
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _preflight() -> HttpResponse:
    """CORS preflight: browsers may read with GET and send areas with a form POST."""
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Allow-Methods"] = "GET, POST, HEAD, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Content-Type"
    response["Access-Control-Max-Age"] = "86400"
    return response


def _without_body(response: HttpResponse) -> HttpResponse:
    if not response.streaming:
        length = len(response.content)
        response.content = b""
        response["Content-Length"] = str(length)
    return response


def _accepts_gzip(request: HttpRequest) -> bool:
    return bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))


def _from_cache(entry: Entry) -> HttpResponse:
    response = HttpResponse(entry.body, content_type=entry.content_type)
    if entry.content_encoding:
        response["Content-Encoding"] = entry.content_encoding
        response["Content-Length"] = str(len(entry.body))
    patch_vary_headers(response, ("Accept-Encoding",))
    return response


def _request_line_length(request: HttpRequest) -> int:
    # "GET /api/...?... HTTP/1.1", as sent (percent-encoding included).
    query = request.META.get("QUERY_STRING", "")
    path = request.META.get("RAW_URI") or (request.path + (f"?{query}" if query else ""))
    return len(request.method or "GET") + 1 + len(path) + len(" HTTP/1.1")
