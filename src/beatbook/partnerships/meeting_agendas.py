"""The agenda Beatbook builds for a strategy group or JAG meeting (issue 16, item 4): plan
progress, new or growing hotspots since the group last met, overdue actions, and operations in
the area since the last meeting with their results.

Every figure is computed from the data as it stood for the meeting: actions due before the
meeting's day, crimes of months before the meeting's month, operations up to its day, results
that could be published on that day. When the minutes are saved the agenda as it stood is kept
with them (``Meeting.agenda``, the JSON of ``Agenda``), so a past meeting's agenda never changes
when later crimes or results arrive.

**Hotspots.** The partnership area's LSOAs are compared between the months since the group's
previous meeting (the previous meeting's month up to the month before this one) and as many
months just before, with ``analysis.hotspot_changes``. A month police.uk has not published for
every force of the area is named and left out, never counted as a month of no crime. When no
month since the last meeting is published yet, or the group has not met before, the latest
three months held are compared with the three before, and the agenda says so.

**Operations.** Those whose LSOAs overlap the area, running at any time since the previous
meeting (or in the 90 days before a group's first meeting), that are public or that a member
organisation leads or takes part in. Their results are the figures recorded for them that
could be published on the meeting's day (``operations.operation_results``).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q

from beatbook.analysis.hotspot_changes import hotspot_changes
from beatbook.common.months import add_months, month_name, month_range, month_window
from beatbook.insights.areas import Area, AreaError
from beatbook.insights.selectors import months_held_by_force
from beatbook.opendata.models import Crime
from beatbook.operations import operation_results
from beatbook.operations.models import Operation
from beatbook.operations.summaries import what_we_did
from beatbook.partnerships import strategy_progress
from beatbook.partnerships.models import (
    OPEN_ACTION_STATUSES,
    Action,
    Meeting,
    Partnership,
    PartnershipPlan,
)
from beatbook.partnerships.partnership_areas import partnership_area
from beatbook.places.models import Force, Lsoa

LONDON = ZoneInfo("Europe/London")
FALLBACK_MONTHS = 3
FIRST_MEETING_LOOKBACK = timedelta(days=90)


@dataclass(frozen=True)
class OverdueAction:
    description: str
    owner: str
    lead: str
    due: str  # ISO date
    status: str
    days_overdue: int


@dataclass(frozen=True)
class HotspotRow:
    lsoa_code: str
    lsoa_name: str
    recent: int
    before: int
    rate_ratio: float | None  # None where it cannot be given (no crimes before)
    p_value: float
    new: bool
    growing: bool
    reasons: str


@dataclass(frozen=True)
class HotspotSection:
    recent_months: list[str]
    before_months: list[str]
    missing_months: list[str]
    notes: list[str]
    rows: list[HotspotRow]
    compared: bool


@dataclass(frozen=True)
class OperationRow:
    name: str
    first_day: str
    last_day: str
    lead_organisation: str
    ended: bool
    results: list[str]  # "what we did" paragraphs; empty when nothing is recorded
    figures: list[tuple[str, int]]  # (measure label, total)


@dataclass(frozen=True)
class MeasureLine:
    """A measure of the plan as it stood before the meeting: its latest quarter to end before
    the meeting's month, against the line from baseline to target."""

    label: str
    quarter: str  # the quarter's label; empty when no quarter before the meeting has data
    value: float | None  # at an annual rate
    expected: float | None
    target: float
    status: str  # "On track", "Off track" or "Not enough data"


@dataclass(frozen=True)
class PlanProgress:
    """The plan-progress item: the partnership's latest plan on the day of the meeting."""

    plan_title: str
    overdue_actions: int
    measures: int
    lines: list[MeasureLine] = field(default_factory=list)
    rule: str = ""


@dataclass(frozen=True)
class Agenda:
    meeting_day: str
    previous_meeting: str | None  # ISO date and time of the group's previous meeting
    area_note: str
    plan_progress: PlanProgress | None
    hotspots: HotspotSection
    overdue_actions: list[OverdueAction]
    operations: list[OperationRow]
    kept: bool = False
    built_at: str = ""
    operations_since: str = ""


# --- when -------------------------------------------------------------------------------------


def meeting_day(meeting: Meeting) -> date:
    return meeting.starts_at.astimezone(LONDON).date()


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The same group's meeting before this one."""
    earlier = Meeting.objects.filter(group_id=meeting.group_id, starts_at__lt=meeting.starts_at)
    return earlier.exclude(pk=meeting.pk).order_by("-starts_at").first()


# --- overdue actions --------------------------------------------------------------------------


def overdue_actions(partnership: Partnership, on: date) -> list[OverdueAction]:
    """The partnership's open actions due before ``on``, longest overdue first."""
    found = (
        Action.objects.filter(partnership=partnership, status__in=OPEN_ACTION_STATUSES, due__lt=on)
        .select_related("owner")
        .order_by("due", "id")
    )
    return [
        OverdueAction(
            description=a.description,
            owner=a.owner.name,
            lead=a.lead,
            due=a.due.isoformat(),
            status=a.get_status_display(),
            days_overdue=(on - a.due).days,
        )
        for a in found
    ]


# --- plan progress ----------------------------------------------------------------------------


def plan_progress(partnership: Partnership, on: date) -> PlanProgress | None:
    """The latest plan's overdue actions on the day, and each measure's latest quarter that ended
    before the meeting's month (a quarter published after the meeting is not the meeting's to
    know), or None without a plan."""
    plan = PartnershipPlan.objects.filter(partnership=partnership).order_by("-year_from").first()
    if plan is None:
        return None
    progress = strategy_progress.plan_progress(plan=plan, today=on)
    meeting_month = f"{on.year:04d}-{on.month:02d}"
    lines = [_measure_line(measure, meeting_month) for measure in progress.measures]
    return PlanProgress(
        plan_title=plan.title,
        overdue_actions=len(progress.overdue),
        measures=len(progress.measures),
        lines=lines,
        rule=progress.rule,
    )


def _measure_line(measure: strategy_progress.MeasureProgress, before_month: str) -> MeasureLine:
    known = [
        quarter
        for quarter in measure.quarters
        if quarter.found.period.months[-1] < before_month
        and quarter.status != strategy_progress.NO_DATA
    ]
    latest = known[-1] if known else None
    return MeasureLine(
        label=measure.label,
        quarter=latest.label if latest else "",
        value=latest.value if latest else None,
        expected=latest.expected if latest else None,
        target=measure.measure.target,
        status=strategy_progress.STATUS_LABELS[
            latest.status if latest else strategy_progress.NO_DATA
        ],
    )


# --- hotspots ---------------------------------------------------------------------------------


def _months_held(area: Area) -> tuple[set[str], list[str]]:
    """Months held for every force of the area that holds any, and the forces holding none."""
    by_force = months_held_by_force(force_ids=list(area.force_ids))
    holding = [set(by_force[f]) for f in area.force_ids if by_force.get(f)]
    without = [f for f in area.force_ids if not by_force.get(f)]
    held = set.intersection(*holding) if holding else set()
    return held, without


def _windows(
    held: set[str], last_possible: str, since: datetime | None
) -> tuple[list[str], list[str]]:
    """The recent window of calendar months and the notes on how it was chosen."""
    notes: list[str] = []
    if since is not None:
        first = since.astimezone(LONDON).strftime("%Y-%m")
        window = month_range(first, last_possible) if first <= last_possible else []
        if any(m in held for m in window):
            return window, notes
        waiting = ", ".join(month_name(m) for m in window)
        notes.append(
            f"No crime data is published yet for the months since the last meeting"
            f"{f' ({waiting})' if waiting else ''}: the latest {FALLBACK_MONTHS} months held "
            f"are compared with the {FALLBACK_MONTHS} before instead."
        )
    else:
        notes.append(
            f"The group has not met before: the latest {FALLBACK_MONTHS} months held are "
            f"compared with the {FALLBACK_MONTHS} before."
        )
    usable = sorted(m for m in held if m <= last_possible)
    return (month_window(usable[-1], FALLBACK_MONTHS) if usable else []), notes


def _counts(area: Area, months: list[str]) -> dict[str, int]:
    if not months:
        return {}
    rows = (
        Crime.objects.filter(
            force_id__in=list(area.force_ids),
            month__in=months,
            lsoa_code__in=list(area.lsoa_codes or ()),
        )
        .order_by()
        .values("lsoa_code")
        .annotate(n=Count("id"))
    )
    return {row["lsoa_code"]: row["n"] for row in rows}


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _rows(recent: dict[str, int], before: dict[str, int], r: int, b: int) -> list[HotspotRow]:
    changes = hotspot_changes(recent, before, months_recent=r, months_before=b)
    names = dict(
        Lsoa.objects.filter(code__in=[c.unit for c in changes]).values_list("code", "name")
    )
    return [
        HotspotRow(
            lsoa_code=c.unit,
            lsoa_name=names.get(c.unit) or c.unit,
            recent=c.recent,
            before=c.before,
            rate_ratio=_finite(c.rate_ratio),
            p_value=c.p_value,
            new=c.new,
            growing=c.growing,
            reasons=c.reasons,
        )
        for c in changes
    ]


def _force_names(force_ids: list[str]) -> str:
    return ", ".join(Force.objects.filter(pk__in=force_ids).values_list("name", flat=True))


def hotspot_section(area: Area, day: date, since: datetime | None) -> HotspotSection:
    held, without = _months_held(area)
    last_possible = add_months(day.strftime("%Y-%m"), -1)
    window, notes = _windows(held, last_possible, since)
    if without:
        notes.append(f"No crime data is held for {_force_names(without)}.")
    if not window:
        notes.append("No month of crime data before the meeting is held for the area.")
        return HotspotSection([], [], [], notes, [], compared=False)
    before_window = month_window(add_months(window[0], -1), len(window))
    recent_held = [m for m in window if m in held]
    before_held = [m for m in before_window if m in held]
    missing = [m for m in before_window + window if m not in held]
    if missing:
        notes.append(
            "Not published, so left out (not counted as no crime): "
            + ", ".join(month_name(m) for m in missing)
            + "."
        )
    if not recent_held or not before_held:
        notes.append("There are not enough months of crime data to compare.")
        return HotspotSection(recent_held, before_held, missing, notes, [], compared=False)
    rows = _rows(
        _counts(area, recent_held),
        _counts(area, before_held),
        len(recent_held),
        len(before_held),
    )
    return HotspotSection(recent_held, before_held, missing, notes, rows, compared=True)


# --- operations -------------------------------------------------------------------------------


def _operation_row(operation: Operation, day: date) -> OperationRow:
    activities = operation_results.publishable_activities(operation, today=day)
    figures = operation_results.operation_figures(operation, activities=activities)
    return OperationRow(
        name=operation.name,
        first_day=operation.first_day.isoformat(),
        last_day=operation.last_day.isoformat(),
        lead_organisation=operation.lead_organisation.name,
        ended=operation_results.operation_ended(operation, today=day),
        results=what_we_did(figures) if figures.has_figures else [],
        figures=[(label, figures.totals[m]) for m, label in figures.measures],
    )


def operations_in_area(
    partnership: Partnership, area: Area, start: date, day: date
) -> list[OperationRow]:
    """Operations over the area running between ``start`` and ``day``: public ones, and those
    a member organisation leads or takes part in."""
    members = partnership.members.exclude(organisation=None).values("organisation")
    found = (
        Operation.objects.filter(
            lsoas__code__in=list(area.lsoa_codes or ()), last_day__gte=start, first_day__lte=day
        )
        .filter(
            Q(public=True)
            | Q(lead_organisation__in=members)
            | Q(partners__organisation__in=members)
        )
        .distinct()
        .select_related("lead_organisation")
        .order_by("first_day", "name")
    )
    return [_operation_row(operation, day) for operation in found]


# --- the agenda -------------------------------------------------------------------------------


def meeting_agenda_build(*, meeting: Meeting, now: datetime | None = None) -> Agenda:
    """The agenda as the data stands now, for this meeting."""
    partnership = meeting.group.partnership
    day = meeting_day(meeting)
    before = previous_meeting(meeting)
    since = before.starts_at if before is not None else None
    start = since.astimezone(LONDON).date() if since else day - FIRST_MEETING_LOOKBACK
    try:
        area = partnership_area(partnership=partnership)
    except AreaError as error:
        area_note = str(error)
        hotspots = HotspotSection([], [], [], [area_note], [], compared=False)
        operations: list[OperationRow] = []
    else:
        area_note = f"{len(area.lsoa_codes or ())} LSOAs"
        hotspots = hotspot_section(area, day, since)
        operations = operations_in_area(partnership, area, start, day)
    return Agenda(
        meeting_day=day.isoformat(),
        previous_meeting=since.isoformat() if since else None,
        area_note=area_note,
        plan_progress=plan_progress(partnership, day),
        hotspots=hotspots,
        overdue_actions=overdue_actions(partnership, day),
        operations=operations,
        built_at=(now or datetime.now(tz=LONDON)).isoformat(),
        operations_since=start.isoformat(),
    )


def agenda_to_json(agenda: Agenda) -> dict[str, Any]:
    return asdict(agenda)


def agenda_from_json(data: dict[str, Any]) -> Agenda:
    """An agenda kept with the minutes, as it was."""
    hot = data["hotspots"]
    plan = data.get("plan_progress")
    return Agenda(
        meeting_day=data["meeting_day"],
        previous_meeting=data.get("previous_meeting"),
        area_note=data.get("area_note", ""),
        plan_progress=_plan_progress_from(plan) if plan else None,
        hotspots=HotspotSection(
            recent_months=hot["recent_months"],
            before_months=hot["before_months"],
            missing_months=hot["missing_months"],
            notes=hot["notes"],
            rows=[HotspotRow(**row) for row in hot["rows"]],
            compared=hot["compared"],
        ),
        overdue_actions=[OverdueAction(**a) for a in data["overdue_actions"]],
        operations=[
            OperationRow(**{**o, "figures": [tuple(f) for f in o["figures"]]})
            for o in data["operations"]
        ],
        kept=True,
        built_at=data.get("built_at", ""),
        operations_since=data.get("operations_since", ""),
    )


def _plan_progress_from(data: dict[str, Any]) -> PlanProgress:
    lines = [MeasureLine(**line) for line in data.get("lines", [])]
    return PlanProgress(**{**data, "lines": lines})


def meeting_agenda(*, meeting: Meeting) -> Agenda:
    """The agenda kept with the minutes once they are saved; until then, built afresh."""
    if meeting.agenda:
        return agenda_from_json(meeting.agenda)
    return meeting_agenda_build(meeting=meeting)
