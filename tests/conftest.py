"""Test set-up: a real SQLite file by default, PostgreSQL when DATABASE_URL names one.

Tests that need the real open data in ``../shared/data`` use the ``shared_data`` fixture and
skip, saying why, where that folder is absent, except under CI=true, where its absence fails them.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from shared_folder import shared_data_folder

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_DATA = Path(os.environ.get("BEATBOOK_SHARED_DATA", REPO_ROOT.parent / "shared" / "data"))

# pytest-django loads the settings before this file, so scripts/test points BEATBOOK_DATA_DIR
# at a scratch folder; a bare `pytest` uses the user's own (only its secret key is touched).
# Subprocesses the tests start get a scratch folder of their own unless a test says otherwise.
os.environ.setdefault("BEATBOOK_DATA_DIR", tempfile.mkdtemp(prefix="beatbook-test-"))


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    database = settings.DATABASES["default"]
    if str(database["ENGINE"]).endswith("sqlite3"):
        # A real file, not SQLite's in-memory database: the same engine paths as production.
        scratch = Path(tempfile.mkdtemp(prefix="beatbook-test-db-"))
        database.setdefault("TEST", {})["NAME"] = str(scratch / "test.sqlite3")
    # A live-server request runs on a thread that a client's kept-alive HTTP connection keeps
    # open after its test; with persistent database connections each such thread would still
    # hold a PostgreSQL session when the test database is dropped at the end of the run.
    database["CONN_MAX_AGE"] = 0
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _empty_rate_buckets() -> None:
    """On SQLite the rate limiter's buckets are kept in a file of their own, outside each test's
    transaction: every test starts with them empty, as it does with the database's own rows."""
    from django.db import connection

    from beatbook.core.bucket_store import forget_all

    # Only once the test database is in place: never the buckets of the user's own database.
    if connection.settings_dict["NAME"] == connection.settings_dict.get("TEST", {}).get("NAME"):
        forget_all()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    return shared_data_folder(SHARED_DATA, os.environ)


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
