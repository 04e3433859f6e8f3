from __future__ import annotations

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper


@pytest.fixture(autouse=True)
def _quick_passwords(settings: SettingsWrapper) -> None:
    """Who may do what is tested here, not how passwords are kept: a fast hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
