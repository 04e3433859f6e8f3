from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from .operations_world import OperationsWorld, build_operations_world


@pytest.fixture(autouse=True)
def _quick_passwords(settings: SettingsWrapper) -> None:
    """The world signs in seven people in most tests: a fast hash keeps each test under a
    second. What is tested here is who may do what, not how passwords are kept (tests/accounts
    tests that, with the real hasher)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db: None) -> OperationsWorld:
    return build_operations_world()
