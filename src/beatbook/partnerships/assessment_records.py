"""Keeping a partnership's strategic assessment: its summary (the ``summary.json`` of
``beatbook assess``), the data version it was made from, and who made it.

The report itself is not stored: it is made again from the same data on demand, and is the same
each time. A stored summary whose data version differs from today's says so on its page.
"""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction

from beatbook.accounts.models import User
from beatbook.insights.selectors import months_held_by_force
from beatbook.partnerships.assessment_data import (
    AssessmentArea,
    assessment_make,
    assessment_partnership_area,
)
from beatbook.partnerships.assessment_report import assessment_json
from beatbook.partnerships.models import Assessment, Partnership


def assessment_store(*, partnership: Partnership, year: int, user: User | None) -> Assessment:
    """Make the partnership's assessment for ``year`` and keep its summary.

    Raises ``AssessmentError`` (nothing stored) when it cannot be made."""
    data = assessment_make(area=assessment_partnership_area(partnership=partnership), year=year)
    summary: dict[str, Any] = json.loads(assessment_json(data))
    with transaction.atomic():
        return Assessment.objects.create(
            partnership=partnership,
            area_label=data.area.label,
            year=year,
            data_version=data.data_version,
            summary=summary,
            made_by=user,
        )


def assessment_latest_year(*, area: AssessmentArea) -> int | None:
    """The latest year with street-level crime held for the area's forces."""
    held = months_held_by_force(force_ids=list(area.force_ids))
    months = [month for months in held.values() for month in months]
    return int(max(months)[:4]) if months else None
