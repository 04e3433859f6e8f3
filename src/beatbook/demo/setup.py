"""The demo's environment, set before Django reads its settings (``cli.main`` calls this).

The demo always runs on its own SQLite file in the data directory, whatever ``DATABASE_URL``
says, so trying the demo can never touch a real database; never in debug mode; and never with
a real mail server, so it e-mails nobody and prints no e-mail to the log: it keeps every e-mail
in the outbox, where the demo administrator reads them (``/staff/outbox/``).
"""

from __future__ import annotations

import os
from pathlib import Path

from beatbook.core.paths import data_dir

DATABASE_NAME = "demo.sqlite3"
PASSWORD_FILE_NAME = "demo-admin-password.txt"  # noqa: S105 (a file name, not a password)
# beatbook.enquiries.mail.HOLD_BACKEND, named here without importing Django before its set-up.
EMAIL_BACKEND = "beatbook.enquiries.mail.HoldBackend"


def demo_database_path() -> Path:
    return data_dir() / DATABASE_NAME


def demo_password_path() -> Path:
    return data_dir() / PASSWORD_FILE_NAME


def prepare_demo_environment(argv: list[str]) -> None:
    """Point Django at the demo database, turn debug off and keep e-mail in the outbox.
    ``argv`` is the command line. The task worker the demo starts inherits all three."""
    # A DATABASE_URL_FILE left in the environment would clash with the URL set here.
    os.environ.pop("DATABASE_URL_FILE", None)
    os.environ["DATABASE_URL"] = f"sqlite:///{demo_database_path()}"
    os.environ["DEBUG"] = "false"
    os.environ["EMAIL_BACKEND"] = EMAIL_BACKEND
