"""The ADBC writer's cases (``adbc_cases.py``), run in a pytest process of their own.

ADBC brings a second SQLite library into the process, and two SQLite libraries must never have
the same file open at once (closing one's descriptor drops the other's locks: ADR 6). This test
process may hold such connections, left by the live server the browser tests start, so the
cases run where nothing else touches the database, as ``beatbook ingest`` does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

CASES = Path(__file__).with_name("adbc_cases.py")
REPO = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_adbc_writer_cases_pass_in_a_process_of_their_own() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the ADBC writer is for SQLite files; PostgreSQL writes with COPY")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", str(CASES), "-q", "-p", "no:cacheprovider", "-rs"],
        cwd=REPO,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert " passed" in done.stdout
