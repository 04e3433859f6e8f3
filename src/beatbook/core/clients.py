"""Who a request came from, as far as the server can tell: one reader for every app."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# Longer than any IPv6 address with a zone; what a forwarding header may add beyond it is noise.
ADDRESS_LENGTH = 90


def client_address(request: HttpRequest) -> str:
    """The client's address; behind a trusted proxy (API_TRUST_X_FORWARDED_FOR), the one it
    forwarded (the last entry: the one the proxy itself saw)."""
    address = str(request.META.get("REMOTE_ADDR", ""))
    if settings.API_TRUST_X_FORWARDED_FOR:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        if forwarded.strip():
            address = forwarded.split(",")[-1].strip()
    return address[:ADDRESS_LENGTH]


def sign_in_client_address(request: HttpRequest) -> str | None:
    """The address the sign-in lock-out (django-axes) counts failures against: the same client
    as every other limit, so that behind a trusted proxy one person's failed sign-ins do not
    lock a user name out for everyone behind it. Axes stores it as an IP address, so anything
    forwarded that is not one falls back to the direct connection's address."""
    address = client_address(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return str(request.META.get("REMOTE_ADDR", "")) or None
