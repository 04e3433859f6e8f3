"""The before-and-after evaluation of an area, from the force's police.uk street files alone.

``evaluation_for_area`` checks what it is given, reads the force's crimes per LSOA and month
(``opendata.selectors.force_lsoa_month_counts``: one aggregate query, no boundaries and no
neighbourhoods, so it works for any force as soon as its data is loaded) and hands them to the
pure ``analysis.evaluation``. ``beatbook evaluate`` calls it, and so will the operation's page.

The counts are shaped exactly as ``analysis.evaluation.evaluate`` shapes one row per crime: the
LSOAs are those with a crime of any category up to the end of the window, their names are those
first published, and the months are those held. So later data changes nothing here either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from beatbook.analysis.evaluation import MONTHS_AFTER, Evaluation, evaluate_counts
from beatbook.common.months import add_months, is_month, month_name
from beatbook.common.policeuk import CRIME_TYPES
from beatbook.opendata.selectors import ForceLsoaCrimes, force_lsoa_month_counts
from beatbook.places.models import Force

# An LSOA code of England (E01) or Wales (W01), 2011 or 2021.
LSOA_CODE = re.compile(r"[EW]01[0-9]{6}")
CATEGORIES = tuple(sorted(set(CRIME_TYPES.values())))
_SHOWN = 5  # codes named in an error before "..."


class EvaluationInputError(ValueError):
    """The force, area, start, length or category cannot be evaluated; the text says why."""


class StartAfterDataError(EvaluationInputError):
    """The start is after the last month held: nothing from it is published yet. A page may
    show this as "too early to tell"; the command refuses it as a start after the data."""


@dataclass(frozen=True)
class AreaEvaluation:
    """An evaluation and what it was of."""

    force_name: str
    lsoa_codes: tuple[str, ...]
    start: str
    months_after: int
    category: str | None
    evaluation: Evaluation
    # LSOAs of the area with no crime at all in the force's street data, left out when asked
    # (an operation's area may use LSOA codes of another census than the crime files).
    left_out: tuple[str, ...] = ()


def evaluation_for_area(
    *,
    force_id: str,
    lsoa_codes: Iterable[str],
    start: str,
    months_after: int = MONTHS_AFTER,
    category: str | None = None,
    leave_out_unknown: bool = False,
) -> AreaEvaluation:
    """Did recorded crime in ``lsoa_codes`` change from ``start`` for ``months_after`` months,
    against what comparable LSOAs of the force predict? ``category`` is a police.uk slug
    (every crime in the street files when None). Bad input raises EvaluationInputError.

    With ``leave_out_unknown``, LSOAs that have no crime in the force's data are left out (and
    named in ``left_out``) rather than refused, as long as at least one remains."""
    force = _force(force_id)
    area = _area_codes(lsoa_codes)
    if not is_month(start):
        raise EvaluationInputError(
            f"The start month must be a month written YYYY-MM (like 2025-01), not {start!r}."
        )
    if months_after < 1:
        raise EvaluationInputError(
            f"The months after the start must be 1 or more, not {months_after}."
        )
    if category is not None and category not in CATEGORIES:
        raise EvaluationInputError(
            f"{category!r} is not a police.uk crime category: use one of {', '.join(CATEGORIES)}."
        )
    data = force_lsoa_month_counts(force_id=force.pk, category=category)
    left_out: tuple[str, ...] = ()
    if leave_out_unknown:
        known = {count.lsoa_code for count in data.counts}
        left_out = tuple(code for code in area if code not in known)
        area = [code for code in area if code in known] or area
    _check_data(force, data, area, start)
    end = add_months(start, months_after - 1)
    counts, names = _counts_up_to(data, end)
    try:
        evaluation = evaluate_counts(counts, area, start, months_after=months_after, names=names)
    except ValueError as error:
        raise EvaluationInputError(str(error)) from error
    return AreaEvaluation(
        force_name=force.name,
        lsoa_codes=tuple(area),
        start=start,
        months_after=months_after,
        category=category,
        evaluation=evaluation,
        left_out=left_out,
    )


def _force(force_id: str) -> Force:
    force = Force.objects.filter(pk=force_id.strip().lower()).first()
    if force is None:
        raise EvaluationInputError(
            f"No force has the id {force_id!r}: use police.uk's id, such as merseyside."
        )
    return force


def _area_codes(lsoa_codes: Iterable[str]) -> list[str]:
    codes = sorted({code.strip().upper() for code in lsoa_codes if code.strip()})
    if not codes:
        raise EvaluationInputError("The area has no LSOAs: give at least one LSOA code.")
    malformed = [code for code in codes if not LSOA_CODE.fullmatch(code)]
    if malformed:
        raise EvaluationInputError(
            f"Not LSOA codes (E01 or W01 and six digits, like E01006512): {_listed(malformed)}."
        )
    return codes


def _listed(codes: list[str]) -> str:
    return ", ".join(codes[:_SHOWN]) + (" ..." if len(codes) > _SHOWN else "")


def _check_data(force: Force, data: ForceLsoaCrimes, area: list[str], start: str) -> None:
    if not data.months_held:
        raise EvaluationInputError(
            f"No street-level crime is loaded for {force.name}: load its police.uk street "
            "files with `beatbook ingest` first."
        )
    known = {count.lsoa_code for count in data.counts}
    unknown = [code for code in area if code not in known]
    if unknown:
        raise EvaluationInputError(
            f"{len(unknown)} of the area's LSOAs {'has' if len(unknown) == 1 else 'have'} no "
            f"crime in {force.name}'s street data: {_listed(unknown)}."
        )
    first, last = data.months_held[0], data.months_held[-1]
    if start < first:
        raise EvaluationInputError(
            f"The start month {start} is before {force.name}'s data, which begins "
            f"{month_name(first)} ({first}): there are no months before it to compare with."
        )
    if start > last:
        raise StartAfterDataError(
            f"The start month {start} is after {force.name}'s data, which ends "
            f"{month_name(last)} ({last}): nothing from the start is published yet."
        )


def _counts_up_to(data: ForceLsoaCrimes, end: str) -> tuple[pd.DataFrame, pd.Series]:
    """Counts per LSOA (rows) and month held up to ``end`` (columns), for the LSOAs with a
    crime of any category by then, and their names as first published."""
    months = [month for month in data.months_held if month <= end]
    seen = [count for count in data.counts if count.month <= end]
    codes = sorted({count.lsoa_code for count in seen})
    frame = pd.DataFrame(
        [(count.lsoa_code, count.month, count.chosen) for count in seen],
        columns=["lsoa_code", "month", "chosen"],
    )
    counts = (
        frame.pivot_table(
            index="lsoa_code", columns="month", values="chosen", aggfunc="sum", fill_value=0
        )
        if len(frame)
        else pd.DataFrame()
    )
    counts = counts.reindex(index=codes, columns=months, fill_value=0).astype("int64")
    first_names: dict[str, tuple[str, str]] = {}
    for count in seen:
        if count.lsoa_name and (
            count.lsoa_code not in first_names
            or (count.month, count.lsoa_name) < first_names[count.lsoa_code]
        ):
            first_names[count.lsoa_code] = (count.month, count.lsoa_name)
    names = pd.Series({code: name for code, (_, name) in first_names.items()}, dtype=object)
    return counts, names
