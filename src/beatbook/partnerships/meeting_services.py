"""Meetings of a partnership's groups: scheduling one, recording its minutes (decisions and new
actions, each assigned to a member organisation), and updating an action's progress.

Saving the minutes keeps the agenda as it stood (``Meeting.agenda``): built from the data the
first time the minutes are saved, and kept as it was when they are saved again, so the record
of what the meeting looked at never changes. Minutes are for a meeting that has started. Each
change is all or nothing; bad input raises a ``ValidationError`` in plain English.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from beatbook.accounts.models import Organisation
from beatbook.partnerships.meeting_agendas import (
    LONDON,
    agenda_to_json,
    meeting_agenda_build,
)
from beatbook.partnerships.models import (
    Action,
    ActionStatus,
    Decision,
    Meeting,
    PartnershipGroup,
)


@transaction.atomic
def meeting_schedule(
    *, group: PartnershipGroup, starts_at: datetime, place: str = "", sample: bool = False
) -> Meeting:
    if timezone.is_naive(starts_at):
        raise ValidationError({"starts_at": "Give the meeting's time with its time zone"})
    if Meeting.objects.filter(group=group, starts_at=starts_at).exists():
        raise ValidationError({"starts_at": f"{group.name} already meets at that time"})
    return Meeting.objects.create(
        group=group, starts_at=starts_at, place=place.strip(), sample=sample
    )


@transaction.atomic
def meeting_reschedule(*, meeting: Meeting, starts_at: datetime, place: str) -> Meeting:
    if meeting.minutes_saved_at is not None:
        raise ValidationError("The meeting has minutes: it cannot be moved")
    clash = Meeting.objects.filter(group=meeting.group, starts_at=starts_at).exclude(pk=meeting.pk)
    if clash.exists():
        raise ValidationError({"starts_at": f"{meeting.group.name} already meets at that time"})
    meeting.starts_at = starts_at
    meeting.place = place.strip()
    meeting.save(update_fields=["starts_at", "place", "updated_at"])
    return meeting


@dataclass(frozen=True)
class NewAction:
    description: str
    owner: Organisation | None
    lead: str
    due: date | None


def _checked_actions(meeting: Meeting, actions: Sequence[NewAction]) -> None:
    members = set(
        meeting.group.partnership.members.exclude(organisation=None).values_list(
            "organisation_id", flat=True
        )
    )
    for number, action in enumerate(actions, start=1):
        where = f"Action {number}"
        if not action.description.strip():
            raise ValidationError({"actions": f"{where}: say what is to be done"})
        if action.owner is None:
            raise ValidationError({"actions": f"{where}: choose the member organisation"})
        if action.owner.pk not in members:
            raise ValidationError(
                {"actions": f"{where}: {action.owner.name} is not a member of the partnership"}
            )
        if action.due is None:
            raise ValidationError({"actions": f"{where}: give the date it is due"})


@transaction.atomic
def meeting_minutes_save(
    *,
    meeting: Meeting,
    minutes: str,
    decisions: Sequence[str] = (),
    actions: Sequence[NewAction] = (),
    now: datetime | None = None,
    sample: bool = False,
) -> Meeting:
    """Record the minutes, add the decisions and new actions, and keep the agenda as it stood.

    Decisions and actions are added to those already recorded (minutes saved again add more)."""
    moment = now or timezone.now()
    locked = Meeting.objects.select_for_update().select_related("group__partnership")
    meeting = locked.get(pk=meeting.pk)
    if meeting.starts_at > moment:
        raise ValidationError("Minutes can be recorded once the meeting has started")
    if not minutes.strip():
        raise ValidationError({"minutes": "Enter the minutes"})
    _checked_actions(meeting, actions)
    if meeting.agenda is None:
        meeting.agenda = agenda_to_json(meeting_agenda_build(meeting=meeting, now=moment))
    meeting.minutes = minutes.strip()
    meeting.minutes_saved_at = moment
    meeting.save(update_fields=["agenda", "minutes", "minutes_saved_at", "updated_at"])
    start = meeting.decisions.count()
    texts = [text.strip() for text in decisions if text.strip()]
    Decision.objects.bulk_create(
        Decision(meeting=meeting, text=text, order=start + index)
        for index, text in enumerate(texts)
    )
    for action in actions:
        assert action.owner is not None
        assert action.due is not None
        Action.objects.create(
            partnership=meeting.group.partnership,
            meeting=meeting,
            description=action.description.strip(),
            owner=action.owner,
            lead=action.lead.strip(),
            due=action.due,
            sample=sample,
        )
    return meeting


@transaction.atomic
def action_update(
    *, action: Action, status: str, progress_note: str, today: date | None = None
) -> Action:
    """Set an action's status and progress note; "Done" records the day it was done."""
    if status not in ActionStatus.values:
        raise ValidationError({"status": "Choose the action's status"})
    day = today or timezone.now().astimezone(LONDON).date()
    action.status = status
    action.progress_note = progress_note.strip()
    if status == ActionStatus.DONE:
        action.completed_on = action.completed_on or day
    else:
        action.completed_on = None
    action.save(update_fields=["status", "progress_note", "completed_on", "updated_at"])
    return action
