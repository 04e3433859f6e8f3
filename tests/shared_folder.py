"""The real open data in ``../shared/data``: tests that need it run, skip or fail.

Imported by the root ``conftest.py`` and by its own test: this folder is on the import path
(pytest puts it there for the root ``conftest.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest


def shared_data_folder(folder: Path, environ: Mapping[str, str]) -> Path:
    """The folder where it is here. Where it is not, the test skips on a developer's machine
    but fails under CI=true: a CI run that skipped them would pass having read no real file."""
    if folder.is_dir():
        return folder
    if environ.get("CI") == "true":
        pytest.fail(
            f"CI=true but the real open data folder {folder} is not here: put it there, or point "
            "BEATBOOK_SHARED_DATA at it (a CI run must not skip the tests that read it)",
            pytrace=False,
        )
    pytest.skip(f"the real open data folder {folder} is not here")
