"""How long a test's own database connection may wait for another connection's locks.

Imported by tests as ``from database_locks import ...``: this folder is on the import path
(pytest puts it there for the root ``conftest.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def waiting_for_locks_at_most(seconds: float) -> Iterator[None]:
    """The test's own database connection gives up waiting for a lock after ``seconds``, so a
    request that would wait for another connection's lock (an import's) fails fast instead of
    after SQLite's 30 s busy timeout or PostgreSQL's endless wait."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
        else:
            cursor.execute(f"SET lock_timeout = '{int(seconds * 1000)}ms'")
    try:
        yield
    finally:
        connection.close()
