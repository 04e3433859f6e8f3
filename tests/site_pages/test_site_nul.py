"""A NUL character (``%00``) anywhere in a page request is a clear 400, on both databases
(issue 11, finding 7): PostgreSQL text cannot hold one, so pages such as
``/neighbourhoods/?q=%00`` answered 500 there while SQLite stored or searched for it.

Every URL pattern of the site (the admin's and the API's included) is swept, signed in as a
superuser so that nothing stops at the sign-in page: a NUL in each path segment in turn, in
each query parameter any page reads, and in each field of any of Beatbook's forms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from beatbook.accounts.services import user_create
from beatbook.places.models import Force

# Parameters pages read from the query string directly (not through a form).
QUERY_NAMES = {"q", "postcode", "lat", "lng", "page", "period", "force", "format", "area"}
# The admin's 197 addresses share a few generic views: their own parameters and form fields.
ADMIN_QUERY_NAMES = {"q", "o", "p", "_changelist_filters", "_popup", "_to_field", "all"}
ADMIN_FIELDS = {"username", "password", "name", "action", "_selected_action", "post"}
# Values for the parts of a pattern, so that the rest of the address reaches a view.
SAMPLES = {
    "force_id": "staffordshire",
    "force": "staffordshire",
    "neighbourhood_id": "longton",
    "neighbourhood": "longton",
    "reference": "BB-7Q2K-9XJ4",
    "app_label": "accounts",
    "url": "anything",
    "category": "all-crime",
    "persistent_id": "a1" * 32,
    "postcode": "ST31AA",
}
_PART = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def patterns(
    found: list[URLPattern | URLResolver] | None = None, prefix: str = ""
) -> Iterator[str]:
    for item in get_resolver().url_patterns if found is None else found:
        if isinstance(item, URLResolver):
            yield from patterns(item.url_patterns, prefix + str(item.pattern))
        else:
            yield prefix + str(item.pattern)


def sample_url(pattern: str) -> str:
    def value(match: re.Match[str]) -> str:
        return SAMPLES.get(match.group(1) or match.group(2), "1")

    return "/" + _PART.sub(value, pattern).replace("^", "").replace("$", "")


def with_nul_in_each_segment(url: str) -> list[str]:
    segments = url.strip("/").split("/")
    ending = "/" if url.endswith("/") and url != "/" else ""
    return [
        "/" + "/".join([*segments[:i], "%00", *segments[i + 1 :]]) + ending
        for i in range(len(segments))
    ]


def form_field_names() -> set[str]:
    """Every field of every form Beatbook defines, and of the sign-in form."""
    names = set(AuthenticationForm.base_fields)
    stack: list[type[forms.BaseForm]] = [forms.Form, forms.ModelForm]
    while stack:
        form = stack.pop()
        stack.extend(form.__subclasses__())
        if form.__module__.startswith("beatbook."):
            names |= set(form.base_fields)
    return names


URLS = sorted({sample_url(pattern) for pattern in patterns()})
FIELDS = sorted(form_field_names())


@pytest.fixture
def superuser_client(client: Client, db: None) -> Client:
    user = user_create(username="root", password=None, is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def assert_refused(response: HttpResponse, url: str, what: str) -> None:
    assert response.status_code == 400, what
    content = response.content
    if url.startswith(("/api/", "/postcodes/")):
        assert content.startswith(b"Bad Request: "), what
    else:
        assert b"which is never valid here" in content, what
        assert b'<h1 class="govuk-heading-xl">' in content, what


def test_the_sweep_covers_the_whole_site() -> None:
    assert len(URLS) > 100
    assert "/neighbourhoods/staffordshire/longton/" in URLS
    assert "/staff/questions/BB-7Q2K-9XJ4/" in URLS
    assert "/admin/accounts/user/1/change/" in URLS
    assert {"username", "password", "body", "email"} <= set(FIELDS)


def test_a_nul_in_any_path_segment_is_a_clear_400(superuser_client: Client) -> None:
    Force.objects.get(pk="staffordshire")  # the sample force exists, as on a real site
    for url in URLS:
        for variant in with_nul_in_each_segment(url):
            assert_refused(superuser_client.get(variant), variant, variant)


def test_a_nul_in_any_query_parameter_is_a_clear_400(superuser_client: Client) -> None:
    for url in URLS:
        admin = url.startswith("/admin/")
        for name in sorted(ADMIN_QUERY_NAMES if admin else QUERY_NAMES | set(FIELDS)):
            response = superuser_client.get(url, {name: "x\x00"})
            assert_refused(response, url, f"{url}?{name}")


def test_a_nul_in_any_form_field_is_a_clear_400(superuser_client: Client) -> None:
    for url in URLS:
        for name in sorted(ADMIN_FIELDS) if url.startswith("/admin/") else FIELDS:
            response = superuser_client.post(url, {name: "\x00"})
            assert_refused(response, url, f"POST {url} {name}")


def test_the_pages_the_audit_named_are_refused(superuser_client: Client) -> None:
    for url in (
        "/neighbourhoods/?q=%00",
        "/neighbourhoods/?postcode=ST3%001AA",
        "/questions/?reference=%00",
        "/neighbourhoods/staffordshire/%00/",
    ):
        response = superuser_client.get(url)
        assert response.status_code == 400, url
        assert response["Content-Type"] == "text/html; charset=utf-8"
        assert b"Nothing was changed: " in response.content


def test_a_nul_in_a_multipart_form_is_refused_but_not_in_an_uploaded_file(
    superuser_client: Client,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("binary.bin", b"\x00\x01\x02")
    field = superuser_client.post("/neighbourhoods/", {"q": "\x00", "file": upload})
    file_only = superuser_client.post("/neighbourhoods/", {"file": upload})

    assert field.status_code == 400
    assert file_only.status_code != 400
