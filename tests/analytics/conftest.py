from __future__ import annotations

import pytest

from .analytics_world import AnalyticsWorld, build_analytics_world


@pytest.fixture
def world(db: None) -> AnalyticsWorld:
    return build_analytics_world()
