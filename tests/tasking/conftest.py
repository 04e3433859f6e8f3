from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper


@pytest.fixture(autouse=True)
def _quick_passwords(settings: SettingsWrapper) -> None:
    """Tests here sign several people in: a fast hash keeps them quick. How passwords are kept
    is tested in tests/accounts, with the real hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
