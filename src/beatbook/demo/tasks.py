"""Background tasks of the demo: each takes plain values and calls one service."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from beatbook.demo.sample_tasking_work import demo_tasking_plans_refresh


@task()
def demo_tasking_plans_task(force_id: str, today: str) -> str:
    """Make the demo's sample patrol plans and results for ``today`` (an ISO date): in the
    worker, because the first plan may make the month's forecast, which takes a while."""
    return str(demo_tasking_plans_refresh(force_id=force_id, today=date.fromisoformat(today)))
