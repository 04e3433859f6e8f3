"""The per-process answer cache: reused until the next import, never stale, bounded in size."""

from __future__ import annotations

import gzip

import pytest
from django.test import Client
from django.utils import timezone
from police_world import CENTRE, PoliceData
from pytest_django import DjangoAssertNumQueries
from pytest_django.fixtures import Settings

from beatbook.opendata.models import Crime
from beatbook.policeapi.cache import Entry, ResponseCache
from beatbook.records.models import SourceFile, SourceKind, SourceStatus

URL = f"/api/crimes-street/all-crime?lat={CENTRE[0]}&lng={CENTRE[1]}&date=2025-02"


@pytest.fixture
def cache_on(settings: Settings) -> None:
    settings.API_RESPONSE_CACHE_MB = 8


def test_a_repeated_query_is_answered_from_the_cache_with_one_query(
    client: Client,
    police_data: PoliceData,
    cache_on: None,
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    first = client.get(URL)
    with django_assert_num_queries(1):  # the data version
        again = client.get(URL)
    assert again.content == first.content
    assert again["Content-Type"] == "application/json"
    assert again["Access-Control-Allow-Origin"] == "*"


def test_gzip_and_plain_answers_are_kept_apart(
    client: Client, police_data: PoliceData, cache_on: None
) -> None:
    plain = client.get(URL).content
    zipped = client.get(URL, HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain
    zipped_again = client.get(URL, HTTP_ACCEPT_ENCODING="gzip")
    assert zipped_again["Content-Encoding"] == "gzip"
    assert zipped_again.content == zipped.content
    assert "Content-Encoding" not in client.get(URL)


def test_an_import_makes_every_cached_answer_stale(
    client: Client, police_data: PoliceData, cache_on: None
) -> None:
    before = client.get(URL).json()
    source = SourceFile.objects.create(
        kind=SourceKind.STREET,
        path="/data/2025-02-staffordshire-street.csv",
        sha256="9" * 64,
        force=police_data.force,
        month="2025-02",
        status=SourceStatus.LOADED,
        started_at=timezone.now(),
    )
    Crime.objects.create(
        force=police_data.force,
        month="2025-02",
        category="robbery",
        persistent_id="9a" * 32,
        location=police_data.market_street,
        latitude=police_data.market_street.latitude,
        longitude=police_data.market_street.longitude,
        source=source,
    )
    after = client.get(URL).json()
    assert len(after) == len(before) + 1


def test_errors_and_team_answers_are_not_cached(
    client: Client, police_data: PoliceData, cache_on: None
) -> None:
    assert client.get("/api/crimes-street/all-crime?lat=x&lng=1").status_code == 400
    assert client.get("/api/crimes-street/all-crime?lat=x&lng=1").status_code == 400
    events = client.get("/api/staffordshire/SOT.LONGTON/events").json()
    police_data.longton.events.all().delete()
    assert events
    assert client.get("/api/staffordshire/SOT.LONGTON/events").json() == []


def test_the_cache_keeps_to_its_size_dropping_the_least_recently_used() -> None:
    cache = ResponseCache()
    body = b"x" * 100
    for n in range(12):
        cache.put(
            (f"/api/stops-force?n={n}", False),
            Entry("v1", body, "application/json", ""),
            max_bytes=1000,
        )
        if n >= 1:
            assert cache.get(("/api/stops-force?n=1", False), "v1") is not None  # kept in use
    assert cache.get(("/api/stops-force?n=0", False), "v1") is None
    assert cache.get(("/api/stops-force?n=11", False), "v1") is not None
    assert cache.get(("/api/stops-force?n=11", False), "v2") is None  # another data version
    # An answer bigger than a tenth of the cache is not kept at all.
    cache.put(("/api/big", False), Entry("v1", b"y" * 200, "application/json", ""), max_bytes=1000)
    assert cache.get(("/api/big", False), "v1") is None
