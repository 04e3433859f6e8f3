from __future__ import annotations

import pytest

from .operations_world import OperationsWorld, build_operations_world


@pytest.fixture
def world(db: None) -> OperationsWorld:
    return build_operations_world()
