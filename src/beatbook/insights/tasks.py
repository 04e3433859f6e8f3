"""Background tasks of the analysis pages: each takes plain settings and calls one service."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from beatbook.insights.stored_results import result_make, result_spec


@task()
def analysis_result_task(kind: str, params: dict[str, Any]) -> str:
    """Make one page's result for the data held now, unless it is made or being made."""
    outcome = result_make(result_spec(kind, params))
    if outcome is None:
        return "being made elsewhere"
    return "no result: " + outcome.error if outcome.error else "made"
