"""The API's human-readable page, and postcodes.io's path for clients that geocode first."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from beatbook.policeapi import examples
from beatbook.policeapi.api import postcode_response


def api_index(request: HttpRequest) -> HttpResponse:
    base = request.build_absolute_uri("/api/")
    context = {
        "base": base,
        "routes": examples.routes(examples.samples()),
        "area_limit": settings.API_AREA_LIMIT,
        "rate": settings.API_RATE_LIMIT_PER_SECOND,
        "burst": settings.API_RATE_LIMIT_BURST,
        "rate_limited": settings.API_RATE_LIMIT_ENABLED,
    }
    return render(request, "policeapi/index.html", context)


def postcode(request: HttpRequest, postcode: str) -> HttpResponse:
    return postcode_response(postcode)
