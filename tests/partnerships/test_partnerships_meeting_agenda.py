"""The agenda Beatbook builds for a meeting, section by section, checked against counts made
straight from the rows; and its honesty: once the minutes are saved, it never changes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db.models import Count
from scipy import stats

from beatbook.accounts.models import User
from beatbook.opendata.models import Crime
from beatbook.operations import services as operations
from beatbook.operations.models import Activity, ActivityType, AreaChoice, Operation, OperationKind
from beatbook.operations.operation_results import activity_results_record
from beatbook.partnerships.meeting_agendas import (
    agenda_from_json,
    agenda_to_json,
    meeting_agenda,
    meeting_agenda_build,
)
from beatbook.partnerships.meeting_services import meeting_minutes_save, meeting_schedule
from beatbook.partnerships.models import (
    Action,
    ActionStatus,
    Measure,
    Meeting,
    Objective,
    PartnershipPlan,
    PlanPriority,
)

from .partnerships_world_meetings import (
    CHESHIRE_EAST,
    STOKE,
    MeetingWorld,
    at,
    build_meeting_world,
    crimes_add,
)

pytestmark = pytest.mark.django_db

# Per LSOA and month: STOKE[0] flares up after April; STOKE[1] stays steady and high;
# STOKE[5] appears in the top ten; March 2025 is never published.
BEFORE_MONTHS = ("2025-01", "2025-02")
RECENT_MONTHS = ("2025-04", "2025-05", "2025-06")


def _crimes(world: MeetingWorld) -> None:
    for month in BEFORE_MONTHS:
        crimes_add(world.staffs, month, {STOKE[0]: 2, STOKE[1]: 9, STOKE[2]: 1, STOKE[3]: 1})
    for month in RECENT_MONTHS:
        crimes_add(world.staffs, month, {STOKE[0]: 12, STOKE[1]: 9, STOKE[5]: 3})
    # The same months across the border: never in Stoke-on-Trent's agenda.
    for month in BEFORE_MONTHS + RECENT_MONTHS:
        crimes_add(world.cheshire, month, {CHESHIRE_EAST[0]: 40})


@pytest.fixture
def world() -> MeetingWorld:
    built = build_meeting_world()
    _crimes(built)
    return built


@pytest.fixture
def meetings(world: MeetingWorld) -> tuple[Meeting, Meeting]:
    first = meeting_schedule(group=world.strategy, starts_at=at("2025-04-10"), place="Civic Centre")
    second = meeting_schedule(
        group=world.strategy, starts_at=at("2025-07-10"), place="Civic Centre"
    )
    return first, second


def direct_counts(months: tuple[str, ...]) -> dict[str, int]:
    rows = (
        Crime.objects.filter(month__in=months, lsoa_code__in=STOKE)
        .values("lsoa_code")
        .annotate(n=Count("id"))
    )
    return {row["lsoa_code"]: row["n"] for row in rows}


def test_hotspots_compare_the_months_since_the_last_meeting_with_those_before(
    meetings: tuple[Meeting, Meeting],
) -> None:
    section = meeting_agenda_build(meeting=meetings[1]).hotspots
    recent, before = direct_counts(RECENT_MONTHS), direct_counts(BEFORE_MONTHS)

    assert section.compared
    assert section.recent_months == list(RECENT_MONTHS)
    assert section.before_months == list(BEFORE_MONTHS)
    assert section.missing_months == ["2025-03"]
    assert any("March 2025" in note and "not counted as no crime" in note for note in section.notes)
    rows = {row.lsoa_code: row for row in section.rows}
    for code, row in rows.items():
        assert (row.recent, row.before) == (recent.get(code, 0), before.get(code, 0))
    # STOKE[0]: 36 crimes in 3 months against 4 in 2; the exact test, done here by hand.
    p = stats.binomtest(recent[STOKE[0]], recent[STOKE[0]] + before[STOKE[0]], 3 / 5).pvalue
    assert p < 0.05
    assert rows[STOKE[0]].growing
    assert rows[STOKE[0]].p_value == pytest.approx(p)
    assert rows[STOKE[5]].new
    assert rows[STOKE[5]].rate_ratio is None
    assert STOKE[1] not in rows  # steady: neither new nor growing
    assert CHESHIRE_EAST[0] not in rows


def test_without_data_since_the_last_meeting_the_latest_months_are_compared(
    world: MeetingWorld, meetings: tuple[Meeting, Meeting]
) -> None:
    later = meeting_schedule(group=world.strategy, starts_at=at("2025-08-05"))

    section = meeting_agenda_build(meeting=later).hotspots

    assert (
        "No crime data is published yet for the months since the last meeting (July 2025)"
        in (section.notes[0])
    )
    assert section.recent_months == list(RECENT_MONTHS)


def test_a_groups_first_meeting_compares_the_latest_three_months_held(
    world: MeetingWorld,
) -> None:
    first = meeting_schedule(group=world.jag, starts_at=at("2025-08-01"))

    section = meeting_agenda_build(meeting=first).hotspots

    assert "has not met before" in section.notes[0]
    assert section.recent_months == list(RECENT_MONTHS)
    assert section.before_months == list(BEFORE_MONTHS)


def test_too_few_months_are_said_not_compared(meetings: tuple[Meeting, Meeting]) -> None:
    section = meeting_agenda_build(meeting=meetings[0]).hotspots

    assert not section.compared
    assert section.rows == []
    assert "There are not enough months of crime data to compare." in section.notes


def _action(world: MeetingWorld, due: str, status: str = ActionStatus.NOT_STARTED) -> Action:
    return Action.objects.create(
        partnership=world.partnership,
        description=f"Due {due}, {status}",
        owner=world.council,
        due=date.fromisoformat(due),
        status=status,
        completed_on=date.fromisoformat(due) if status == ActionStatus.DONE else None,
    )


def test_overdue_actions_are_the_open_ones_due_before_the_meeting(
    world: MeetingWorld, meetings: tuple[Meeting, Meeting]
) -> None:
    late = _action(world, "2025-06-01")
    started = _action(world, "2025-07-09", ActionStatus.IN_PROGRESS)
    _action(world, "2025-06-01", ActionStatus.DONE)
    _action(world, "2025-07-10")  # due on the day: not overdue yet

    listed = meeting_agenda_build(meeting=meetings[1]).overdue_actions

    assert [a.description for a in listed] == [late.description, started.description]
    assert listed[0].days_overdue == 39
    assert listed[0].owner == "Stoke-on-Trent City Council"


def _operation(world: MeetingWorld, lead: User, codes: list[str], first: str) -> Operation:
    day = date.fromisoformat(first)
    return operations.operation_create(
        by=lead,
        details=operations.OperationDetails(
            name=f"Operation in {codes[0]} from {first}",
            kind=OperationKind.objects.get(slug="week-of-action"),
            lead=lead,
            lead_organisation=lead.memberships.get().organisation,
            first_day=day,
            last_day=day + timedelta(days=2),
            area_choice=AreaChoice.LSOAS,
            lsoa_codes=codes,
        ),
    )


def test_operations_in_the_area_since_the_last_meeting_with_their_results(
    world: MeetingWorld, meetings: tuple[Meeting, Meeting]
) -> None:
    officer = world.users["officer"]
    inside = _operation(world, officer, [STOKE[0], STOKE[1]], "2025-05-01")
    activity = Activity.objects.create(
        operation=inside,
        type=ActivityType.LITTER_PICK,
        title="Litter pick",
        start=at("2025-05-01", 10),
        end=at("2025-05-01", 12),
    )
    activity_results_record(
        activity=activity, organisation=world.police, counts={"litter-bags": 14}, by=officer
    )
    _operation(world, officer, [STOKE[2]], "2025-03-01")  # before the last meeting
    _operation(world, world.users["outsider"], [STOKE[3]], "2025-05-01")  # not a member's
    _operation(world, world.users["outsider"], [CHESHIRE_EAST[0]], "2025-05-01")

    listed = meeting_agenda_build(meeting=meetings[1]).operations

    assert [o.name for o in listed] == [inside.name]
    assert listed[0].figures == [("Bags of litter collected", 14)]
    assert "14 bags of litter" in listed[0].results[0]


def test_plan_progress_counts_the_latest_plans_overdue_actions_and_measures(
    world: MeetingWorld, meetings: tuple[Meeting, Meeting]
) -> None:
    assert meeting_agenda_build(meeting=meetings[1]).plan_progress is None
    plan = PartnershipPlan.objects.create(
        partnership=world.partnership, title="Plan 2025-2028", year_from=2025, year_to=2028
    )
    objective = Objective.objects.create(
        priority=PlanPriority.objects.create(plan=plan, title="Anti-social behaviour"),
        text="Fewer incidents",
    )
    Measure.objects.create(
        objective=objective,
        indicator="anti-social-behaviour/count",
        baseline_year=2024,
        baseline=100,
        target=90,
    )
    overdue = _action(world, "2025-06-01")
    overdue.objective = objective
    overdue.save()
    _action(world, "2025-06-01")  # overdue but not under the plan

    progress = meeting_agenda_build(meeting=meetings[1]).plan_progress

    assert progress is not None
    assert (progress.plan_title, progress.overdue_actions, progress.measures) == (
        "Plan 2025-2028",
        1,
        1,
    )
    # April to June held (March never was): 3 months of 12 + 9 + 3 incidents, at an annual rate;
    # the line runs from 100 at the end of 2024 to 90 at the end of 2028.
    (line,) = progress.lines
    assert (line.value, line.status, line.target) == (72 * 4, "Off track", 90)
    assert line.expected == pytest.approx(100 - 10 * 0.5 / 4)
    assert line.quarter == "April to June 2025"

    # Later months are not the meeting's to know: July, August and September change nothing.
    for month in ("2025-07", "2025-08", "2025-09"):
        crimes_add(world.staffs, month, {STOKE[0]: 1})
    later = meeting_agenda_build(meeting=meetings[1]).plan_progress
    assert later is not None
    assert later.lines == progress.lines


def test_the_agenda_kept_with_the_minutes_never_changes(
    world: MeetingWorld, meetings: tuple[Meeting, Meeting]
) -> None:
    _action(world, "2025-06-01")
    saved = meeting_minutes_save(meeting=meetings[1], minutes="We met.", now=at("2025-07-10", 12))
    kept = agenda_to_json(meeting_agenda(meeting=saved))

    crimes_add(world.staffs, "2025-06", {STOKE[7]: 50})
    crimes_add(world.staffs, "2025-03", {STOKE[8]: 30})
    Action.objects.update(status=ActionStatus.DONE, completed_on=date(2025, 7, 1))
    saved.refresh_from_db()

    shown = meeting_agenda(meeting=saved)
    assert shown.kept
    assert agenda_to_json(shown) == {**kept, "kept": True}
    assert agenda_to_json(meeting_agenda_build(meeting=saved)) != kept  # the data did change
    assert agenda_from_json(saved.agenda or {}).overdue_actions[0].owner == world.council.name


def test_a_partnership_without_an_area_says_so(world: MeetingWorld) -> None:
    world.partnership.authorities.all().delete()
    meeting = meeting_schedule(group=world.jag, starts_at=at("2025-08-01"))

    agenda = meeting_agenda_build(meeting=meeting)

    assert agenda.hotspots.notes == [
        "Stoke-on-Trent Safer City Partnership has no local authorities in its area yet."
    ]
    assert agenda.operations == []
