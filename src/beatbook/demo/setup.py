"""The demo's environment, set before Django reads its settings (``cli.main`` calls this).

The demo always runs on its own SQLite file in the data directory, whatever ``DATABASE_URL``
says, so trying the demo can never touch a real database; and never in debug mode.
"""

from __future__ import annotations

import os
from pathlib import Path

from beatbook.core.paths import data_dir

DATABASE_NAME = "demo.sqlite3"
PASSWORD_FILE_NAME = "demo-admin-password.txt"  # noqa: S105 (a file name, not a password)


def demo_database_path() -> Path:
    return data_dir() / DATABASE_NAME


def demo_password_path() -> Path:
    return data_dir() / PASSWORD_FILE_NAME


def prepare_demo_environment(argv: list[str]) -> None:
    """Point Django at the demo database and turn debug off. ``argv`` is the command line."""
    # A DATABASE_URL_FILE left in the environment would clash with the URL set here.
    os.environ.pop("DATABASE_URL_FILE", None)
    os.environ["DATABASE_URL"] = f"sqlite:///{demo_database_path()}"
    os.environ["DEBUG"] = "false"
