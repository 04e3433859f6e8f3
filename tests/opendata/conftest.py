from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def policeuk(fixtures_dir: Path) -> Path:
    return fixtures_dir / "policeuk"
