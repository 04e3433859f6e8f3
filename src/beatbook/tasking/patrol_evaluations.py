"""Did harm fall where officers patrolled? The domain side of the patrol evaluation: it reads the
visits done (``PlanVisit`` with a ``VisitResult`` marked done), the force's crimes per 250 m
cell and month (``insights.selectors.crime_positions``, up to the window's end only) and the
CCHI harm weights in force, and hands them to the pure ``analysis.patrol_evaluation``.

**Risk.** Cells are matched on their harm in the months before the start. The stored forecast
is not used: it is always the forecast of the month after the newest data, so by the time the
months after the start are published it has been made from them, and using it would let later
data change an answer already given. The page says so (``RISK_NOTE``).

Answers are kept per data version (street imports of the force) and per set of visits, as the
operations' evaluation page keeps its own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import pandas as pd
from django.db.models import Q
from django.utils import timezone

from beatbook.analysis.evaluation import MONTHS_BEFORE
from beatbook.analysis.patrol_evaluation import (
    RISK_FROM_HARM,
    PatrolEvaluation,
    cell_month_harm,
    patrol_evaluate,
)
from beatbook.common.months import add_months, check_month, month_number
from beatbook.insights.harm_in_force import harm_weights
from beatbook.insights.selectors import crime_positions, months_held
from beatbook.places.models import Force, Neighbourhood
from beatbook.records.models import SourceKind
from beatbook.records.versions import cached_for_version, data_version
from beatbook.tasking.models import PlanVisit
from beatbook.tasking.shifts import LONDON

MAX_MONTHS_AFTER = 12
RISK_NOTE = (
    "Places are matched on their harm in the months before the patrols began. The stored "
    "forecast is not used: it is remade from each month's new data, so it would let data from "
    "after the patrols change the answer."
)


@dataclass(frozen=True)
class PatrolEvaluationAnswer:
    force: Force
    neighbourhood: Neighbourhood | None
    evaluation: PatrolEvaluation
    first_visit: date | None
    last_visit: date | None


def _done_visits(force: Force) -> pd.DataFrame:
    rows = (
        PlanVisit.objects.filter(plan__force=force, result__done=True)
        .values_list("place__key", "starts", "result__minutes_in_place", "place__neighbourhood")
        .order_by("starts", "pk")
    )
    return pd.DataFrame(
        [
            (key, timezone.localtime(starts, LONDON).date(), minutes, neighbourhood)
            for key, starts, minutes, neighbourhood in rows
        ],
        columns=["cell", "day", "minutes", "neighbourhood"],
    )


def _in_scope(visits: pd.DataFrame, force: Force, neighbourhood: Neighbourhood | None) -> pd.Series:
    """Which visits belong to what is evaluated: all the force's, or those at places in the
    neighbourhood or in its team's own plans."""
    if neighbourhood is None:
        return pd.Series(True, index=visits.index)
    own = set(
        PlanVisit.objects.filter(plan__force=force, result__done=True)
        .filter(Q(place__neighbourhood=neighbourhood) | Q(plan__neighbourhood=neighbourhood))
        .values_list("place__key", flat=True)
    )
    return visits["cell"].isin(own)


def default_window(visits: pd.DataFrame) -> tuple[str, int] | None:
    """The months the visits span: from the first visit's month to the last's (at most
    ``MAX_MONTHS_AFTER``), or None without visits."""
    if visits.empty:
        return None
    first, last = min(visits["day"]), max(visits["day"])
    start = f"{first:%Y-%m}"
    months = month_number(f"{last:%Y-%m}") - month_number(start) + 1
    return start, max(1, min(MAX_MONTHS_AFTER, months))


def patrol_evaluation_for(
    *,
    force: Force,
    neighbourhood: Neighbourhood | None = None,
    start: str | None = None,
    months_after: int | None = None,
) -> PatrolEvaluationAnswer:
    """The evaluation of the patrols done in the force (or in ``neighbourhood``), from ``start``
    for ``months_after`` months (by default, the months the visits span). ValueError for a
    start that is not a month or a length out of range."""
    visits = _done_visits(force)
    scope = _in_scope(visits, force, neighbourhood)
    mine, others = visits[scope], visits[~scope]
    window = default_window(mine)
    if start is None or months_after is None:
        start, months_after = window or (f"{timezone.localdate():%Y-%m}", 1)
    check_month(start, label="start month")
    if not 1 <= months_after <= MAX_MONTHS_AFTER:
        raise ValueError(f"Look at 1 to {MAX_MONTHS_AFTER} months, not {months_after}.")
    digest = hashlib.sha256(
        pd.util.hash_pandas_object(mine[["cell", "day", "minutes"]].astype(str), index=False)
        .to_numpy()
        .tobytes()
        + pd.util.hash_pandas_object(others[["cell", "day"]].astype(str), index=False)
        .to_numpy()
        .tobytes()
    ).hexdigest()[:16]
    version = data_version(kinds=[SourceKind.STREET], force_ids=[force.pk])
    place = neighbourhood.pk if neighbourhood else "all"
    evaluation = cached_for_version(
        f"patrol-evaluation:{force.pk}:{place}:{start}:{months_after}:{digest}:{harm_weights().version}",
        version=version,
        build=lambda: _evaluate(force, mine, others, start, months_after),
    )
    return PatrolEvaluationAnswer(
        force=force,
        neighbourhood=neighbourhood,
        evaluation=evaluation,
        first_visit=min(mine["day"]) if len(mine) else None,
        last_visit=max(mine["day"]) if len(mine) else None,
    )


def _evaluate(
    force: Force, mine: pd.DataFrame, others: pd.DataFrame, start: str, months_after: int
) -> PatrolEvaluation:
    end = add_months(start, months_after - 1)
    first = add_months(start, -MONTHS_BEFORE)  # the most months before that are used
    held = [m for m in months_held(force_ids=[force.pk]) if first <= m <= end]
    if held and held[-1] >= first:
        crimes = crime_positions(force_id=force.pk, month_from=first, month_to=held[-1])
    else:
        crimes = pd.DataFrame(columns=["month", "category", "easting", "northing"])
    counts, harm = cell_month_harm(crimes, harm_weights().table("cchi"))
    return patrol_evaluate(
        counts,
        harm,
        mine[["cell", "day", "minutes"]],
        start=start,
        months_after=months_after,
        months_held=held,
        risk_source=RISK_FROM_HARM,
        other_visits=others[["cell", "day", "minutes"]],
        seed=0,
    )
