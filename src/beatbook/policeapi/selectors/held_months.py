"""Which months the server holds, from the import records (a small table), newest first."""

from __future__ import annotations

from django.db.models import Max

from beatbook.opendata.models import Crime, StopAndSearch
from beatbook.policeapi.errors import NotFoundError
from beatbook.policeapi.params import parse_month
from beatbook.records.models import SourceFile, SourceKind, SourceStatus
from beatbook.records.versions import data_version

# Months held by kind, as of a data version. Every request asks which months are held; the
# answer changes only with an import, so each process reads the table again only when the
# version moves (the same one indexed look-up the answer cache makes).
_held: tuple[str | None, dict[str, list[str]]] = (None, {})


def held_months(kind: str) -> list[str]:
    """Months with a loaded file of this kind, newest first."""
    global _held
    version = data_version()
    if _held[0] != version:
        _held = (version, _months_by_kind())
    return _held[1].get(kind, [])


def _months_by_kind() -> dict[str, list[str]]:
    rows = (
        SourceFile.objects.filter(status=SourceStatus.LOADED)
        .exclude(month="")
        .values_list("kind", "month")
        .distinct()
    )
    months: dict[str, set[str]] = {}
    for kind, month in rows:
        months.setdefault(kind, set()).add(month)
    return {kind: sorted(held, reverse=True) for kind, held in months.items()}


def latest_held_month(kind: str) -> str | None:
    months = held_months(kind)
    return months[0] if months else _latest_loaded_row_month(kind)


def _latest_loaded_row_month(kind: str) -> str | None:
    # Rows loaded without a monthly file record: the indexed month column answers cheaply.
    model = StopAndSearch if kind == SourceKind.STOP_AND_SEARCH else Crime
    latest: str | None = model.objects.aggregate(latest=Max("month"))["latest"]
    return latest


def resolve_month(raw: str | None, *, kind: str = SourceKind.STREET) -> str | None:
    """The month a query is for: the one asked (checked), or the latest held.

    Returns None when nothing is held. A month after the latest is returned as is (the
    query then finds nothing: police.uk answers ``[]``); one before the earliest held month is
    404, as police.uk answers for a month before its window.
    """
    month = parse_month(raw)
    months = held_months(kind)
    if month is None:
        return months[0] if months else _latest_loaded_row_month(kind)
    if months and month < months[-1]:
        raise NotFoundError(f"no data is held for {month}: the earliest month is {months[-1]}")
    return month


def availability() -> list[tuple[str, list[str]]]:
    """(month, forces with stop and search that month), newest first."""
    stop_forces: dict[str, set[str]] = {}
    stops = (
        SourceFile.objects.filter(kind=SourceKind.STOP_AND_SEARCH, status=SourceStatus.LOADED)
        .exclude(month="")
        .exclude(force=None)
        .values_list("month", "force_id")
        .distinct()
    )
    for month, force_id in stops:
        stop_forces.setdefault(month, set()).add(force_id)
    months = set(held_months(SourceKind.STREET)) | set(stop_forces)
    return [(month, sorted(stop_forces.get(month, ()))) for month in sorted(months, reverse=True)]
