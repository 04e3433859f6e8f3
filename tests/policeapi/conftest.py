"""Fixtures for the open API's tests: the hand-made world of ``police_world``, with the rate
limit off (its own tests switch it on)."""

from __future__ import annotations

import pytest
from police_world import PoliceData, build_police_data
from pytest_django.fixtures import Settings as SettingsWrapper

from beatbook.places.spatial import forget_cached_indexes
from beatbook.policeapi.cache import RESPONSES


@pytest.fixture(autouse=True)
def _api_defaults(settings: SettingsWrapper) -> None:
    settings.API_RATE_LIMIT_ENABLED = False
    settings.API_AREA_LIMIT = 10_000
    # Off here so query budgets count the real work; test_policeapi_cache switches it on.
    settings.API_RESPONSE_CACHE_MB = 0
    RESPONSES.clear()
    forget_cached_indexes()


@pytest.fixture
def police_data(db: None) -> PoliceData:
    return build_police_data()


@pytest.fixture
def live_police_data(transactional_db: None) -> PoliceData:
    return build_police_data()
