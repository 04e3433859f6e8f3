"""Scheduling meetings, recording minutes with decisions and actions assigned to member
organisations, and members updating their own actions; bad input changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from beatbook.partnerships.meeting_services import (
    NewAction,
    action_update,
    meeting_minutes_save,
    meeting_reschedule,
    meeting_schedule,
)
from beatbook.partnerships.models import Action, ActionStatus, Decision, Meeting
from beatbook.partnerships.selectors import actions_for_user, may_update_action

from .partnerships_world_meetings import MeetingWorld, at, build_meeting_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> MeetingWorld:
    return build_meeting_world()


@pytest.fixture
def meeting(world: MeetingWorld) -> Meeting:
    return meeting_schedule(group=world.jag, starts_at=at("2025-05-01"), place="Hanley Town Hall")


def test_a_group_does_not_meet_twice_at_once(world: MeetingWorld, meeting: Meeting) -> None:
    with pytest.raises(ValidationError, match="North JAG already meets at that time"):
        meeting_schedule(group=world.jag, starts_at=at("2025-05-01"))
    other = meeting_schedule(group=world.strategy, starts_at=at("2025-05-01"))
    assert other.group == world.strategy


def test_minutes_record_decisions_and_actions_for_member_organisations(
    world: MeetingWorld, meeting: Meeting
) -> None:
    saved = meeting_minutes_save(
        meeting=meeting,
        minutes="The JAG looked at ASB in Hanley.",
        decisions=["Target Hanley Park", "", "Review in June"],
        actions=[
            NewAction("Patrol Hanley Park", world.police, "Insp. Khan", date(2025, 5, 31)),
            NewAction("Fire safety visits", world.fire, "", date(2025, 6, 30)),
        ],
        now=at("2025-05-01", 12),
    )

    assert saved.minutes_saved_at == at("2025-05-01", 12)
    assert saved.agenda is not None
    assert saved.agenda["meeting_day"] == "2025-05-01"
    assert list(saved.decisions.values_list("text", flat=True)) == [
        "Target Hanley Park",
        "Review in June",
    ]
    actions = list(saved.actions.order_by("due"))
    assert [(a.owner, a.lead, a.partnership) for a in actions] == [
        (world.police, "Insp. Khan", world.partnership),
        (world.fire, "", world.partnership),
    ]


@pytest.mark.parametrize(
    ("minutes", "action", "message"),
    [
        ("", None, "Enter the minutes"),
        ("Met.", NewAction("", None, "", date(2025, 5, 31)), "Action 1: say what is to be done"),
        ("Met.", NewAction("Do it", None, "", date(2025, 5, 31)), "choose the member organisation"),
        ("Met.", NewAction("Do it", "outsider", "", date(2025, 5, 31)), "is not a member"),
        ("Met.", NewAction("Do it", "police", "", None), "give the date it is due"),
    ],
)
def test_bad_minutes_change_nothing(
    world: MeetingWorld, meeting: Meeting, minutes: str, action: NewAction | None, message: str
) -> None:
    if action is not None and isinstance(action.owner, str):
        owner = {"outsider": world.outsider, "police": world.police}[action.owner]
        action = NewAction(action.description, owner, action.lead, action.due)
    with pytest.raises(ValidationError, match=message):
        meeting_minutes_save(
            meeting=meeting,
            minutes=minutes,
            decisions=["A decision"],
            actions=[action] if action else [],
            now=at("2025-05-02"),
        )
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.agenda, meeting.minutes_saved_at) == ("", None, None)
    assert not Decision.objects.exists()
    assert not Action.objects.exists()


def test_minutes_wait_for_the_meeting(meeting: Meeting) -> None:
    with pytest.raises(ValidationError, match="once the meeting has started"):
        meeting_minutes_save(meeting=meeting, minutes="Early", now=at("2025-04-30"))


def test_saving_again_keeps_the_first_agenda_and_adds_decisions(meeting: Meeting) -> None:
    first = meeting_minutes_save(
        meeting=meeting, minutes="Met.", decisions=["One"], now=at("2025-05-01", 12)
    )
    agenda = first.agenda
    again = meeting_minutes_save(
        meeting=first, minutes="Met, and more.", decisions=["Two"], now=at("2025-05-03")
    )

    assert again.agenda == agenda
    assert again.minutes == "Met, and more."
    assert list(again.decisions.values_list("text", flat=True)) == ["One", "Two"]
    with pytest.raises(ValidationError, match="cannot be moved"):
        meeting_reschedule(meeting=again, starts_at=at("2025-05-08"), place="")


def test_members_see_and_update_their_own_organisations_actions(
    world: MeetingWorld, meeting: Meeting
) -> None:
    saved = meeting_minutes_save(
        meeting=meeting,
        minutes="Met.",
        actions=[
            NewAction("Fire safety visits", world.fire, "", date(2025, 6, 30)),
            NewAction("Patrols", world.police, "", date(2025, 6, 30)),
        ],
        now=at("2025-05-01", 12),
    )
    fire_action = saved.actions.get(owner=world.fire)
    firefighter, officer = world.users["firefighter"], world.users["officer"]

    assert list(actions_for_user(user=firefighter)) == [fire_action]
    assert may_update_action(user=firefighter, action=fire_action)
    assert not may_update_action(user=officer, action=fire_action)
    assert not may_update_action(user=world.users["outsider"], action=fire_action)

    done = action_update(
        action=fire_action,
        status=ActionStatus.DONE,
        progress_note="40 homes",
        today=date(2025, 6, 1),
    )
    assert (done.status, done.completed_on, done.progress_note) == (
        "done",
        date(2025, 6, 1),
        "40 homes",
    )
    reopened = action_update(action=done, status=ActionStatus.IN_PROGRESS, progress_note="")
    assert reopened.completed_on is None
    with pytest.raises(ValidationError, match="Choose the action's status"):
        action_update(action=reopened, status="finished", progress_note="")
