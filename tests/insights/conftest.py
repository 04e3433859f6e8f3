from __future__ import annotations

import pytest

from .insights_world import AnalyticsWorld, build_analytics_world


@pytest.fixture
def world(db: None) -> AnalyticsWorld:
    return build_analytics_world()


@pytest.fixture(autouse=True)
def _tasks_run_where_queued(settings: object) -> None:
    """No worker runs beside the tests: the pages' results are made on the request, as on a
    site whose tasks run where they are queued (tests of the worker's queue set their own)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}  # type: ignore[attr-defined]
