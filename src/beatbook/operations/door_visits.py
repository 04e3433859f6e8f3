"""Writes for door-to-door visits: one entry per door, stored exactly once.

An entry carries a ``client_id`` made where it was written (the visitor's browser, or the page
for a visitor without JavaScript). Sent again after a lost connection, or twice at once, it is
stored once: the second send gets the stored entry back and creates nothing. The same id sent
for another route is refused.

A concern raised at the door may become a resident question for the neighbourhood team (a
concern in ``enquiries``, with its reference and 72-hour deadline, made by ``question_ask`` and
linked to the visit; no contact details are taken at the door) or a note for the team
(``TeamNote``). Bad input raises ``ValidationError`` by field and changes nothing; someone who
may not add to the operation, or cannot see the activity, gets ``PermissionDenied``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from beatbook.accounts.models import User
from beatbook.enquiries.models import QuestionKind
from beatbook.enquiries.services import question_ask
from beatbook.operations import selectors
from beatbook.operations.models import (
    AdviceTopic,
    ConcernAction,
    DoorVisit,
    Referral,
    TeamNote,
    VisitRoute,
)
from beatbook.places.models import Neighbourhood
from beatbook.places.postcode import normalise_postcode
from beatbook.places.selectors import LocateError, neighbourhood_of_point

DOOR_MAX = 80
CONCERNS_MAX = 2000
SUBJECT_MAX = 150


@dataclass(frozen=True)
class DoorEntry:
    """What a visitor logs at one door."""

    postcode: str
    answered: bool | None
    door: str = ""
    advice: Sequence[str] = ()
    referrals: Sequence[str] = ()
    concerns: str = ""
    concern_action: str = ConcernAction.NONE
    visited_at: datetime | None = None


@dataclass(frozen=True)
class DoorVisitRecorded:
    visit: DoorVisit
    created: bool


def client_id_parse(value: object) -> uuid.UUID:
    """The entry's id as a UUID, or ``ValidationError``."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise ValidationError({"client_id": "This entry has no valid id."}) from None


def route_stop(route: VisitRoute, postcode: str) -> dict[str, object] | None:
    """The route's stop at this postcode, or None."""
    for stop in route.stops:
        if isinstance(stop, dict) and stop.get("postcode") == postcode:
            return stop
    return None


def _check_access(route: VisitRoute, by: User) -> None:
    operation = route.activity.operation
    visible = selectors.activities_for_user(user=by, operation=operation)
    if not visible.filter(pk=route.activity_id).exists():
        raise PermissionDenied("Not an activity you can see.")
    if not selectors.may_contribute(user=by, operation=operation):
        raise PermissionDenied("You may look at this operation but not add to it.")


def _stored(client_id: uuid.UUID, route: VisitRoute) -> DoorVisit | None:
    """The entry already stored with this id, or None; refused if it is another route's."""
    found = DoorVisit.objects.filter(client_id=client_id).first()
    if found is not None and found.route_id != route.pk:
        raise ValidationError({"client_id": "This entry was logged on another route."})
    return found


def _text(value: str, *, field: str, label: str, maximum: int) -> str:
    cleaned = value.replace("\x00", "").strip()
    if len(cleaned) > maximum:
        raise ValidationError({field: f"{label} must be {maximum} characters or fewer."})
    return cleaned


def _postcode(route: VisitRoute, value: str) -> str:
    postcode = normalise_postcode(value or "")
    if postcode is None or route_stop(route, postcode) is None:
        raise ValidationError({"postcode": "Select a postcode on this route."})
    return postcode


def _advice(slugs: Sequence[str], answered: bool) -> list[AdviceTopic]:
    wanted = sorted(set(slugs))
    if wanted and not answered:
        raise ValidationError({"advice": "Advice can only be given at a door that was answered."})
    # Any topic on the list, even one switched off since: an entry kept on a phone while the
    # list changed must still be stored. The form offers active topics only.
    topics = list(AdviceTopic.objects.filter(slug__in=wanted))
    if len(topics) != len(wanted):
        raise ValidationError({"advice": "Select advice from the list."})
    return topics


def _referrals(values: Sequence[str], answered: bool) -> list[str]:
    wanted = sorted(set(values))
    if wanted and not answered:
        raise ValidationError(
            {"referrals": "Referrals can only be made at a door that was answered."}
        )
    if any(value not in Referral.values for value in wanted):
        raise ValidationError({"referrals": "Select referrals from the list."})
    return wanted


def _concern(entry: DoorEntry) -> tuple[str, str]:
    concerns = _text(entry.concerns, field="concerns", label="Concerns", maximum=CONCERNS_MAX)
    action = entry.concern_action or ConcernAction.NONE
    if action not in ConcernAction.values:
        raise ValidationError({"concern_action": "Select what to do with the concern."})
    if action != ConcernAction.NONE and not concerns:
        raise ValidationError({"concerns": "Describe the concern to pass it on."})
    return concerns, action


def _visited_at(value: datetime | None, now: datetime) -> datetime:
    if value is None:
        return now
    if timezone.is_naive(value):
        raise ValidationError({"visited_at": "The time of the visit has no time zone."})
    # A phone's clock may run fast: a visit is never stored as later than its arrival.
    return min(value, now)


def _checked(route: VisitRoute, entry: DoorEntry, now: datetime) -> DoorVisit:
    """The entry as an unsaved ``DoorVisit`` (advice and follow-ups aside), or ValidationError."""
    if entry.answered is None:
        raise ValidationError({"answered": "Select whether the door was answered."})
    concerns, action = _concern(entry)
    return DoorVisit(
        route=route,
        postcode=_postcode(route, entry.postcode),
        door=" ".join(_text(entry.door, field="door", label="Door", maximum=DOOR_MAX).split()),
        answered=entry.answered,
        referrals=_referrals(entry.referrals, entry.answered),
        concerns=concerns,
        concern_action=action,
        visited_at=_visited_at(entry.visited_at, now),
    )


def _team_neighbourhood(visit: DoorVisit) -> Neighbourhood:
    """The neighbourhood team the question goes to: the one the door's postcode is in, among
    those the operation covers, or else the first the operation covers."""
    operation = visit.route.activity.operation
    covering = (
        Neighbourhood.objects.filter(Q(operations=operation) | Q(lsoas__operations=operation))
        .distinct()
        .order_by("name", "pk")
    )
    stop = route_stop(visit.route, visit.postcode) or {}
    latitude, longitude = stop.get("latitude"), stop.get("longitude")
    if isinstance(latitude, int | float) and isinstance(longitude, int | float):
        try:
            here = neighbourhood_of_point(latitude=float(latitude), longitude=float(longitude))
        except LocateError:
            here = None
        if here is not None and covering.filter(pk=here.pk).exists():
            return here
    first = covering.first()
    if first is None:
        raise ValidationError(
            {"concern_action": "The operation covers no neighbourhood team to ask."}
        )
    return first


def _raise_question(visit: DoorVisit, by: User) -> None:
    where = f"{visit.door} {visit.postcode}".strip()
    route = visit.route
    operation = route.activity.operation
    visitor = by.get_full_name() or by.get_username()
    local = timezone.localtime(visit.visited_at)
    body = (
        f"{visit.concerns}\n\n"
        f"Raised at the door of {where} by {visitor} during {operation.name} "
        f"({route.activity.title}, route {route.number}) on {local:%d %B %Y at %H:%M}. "
        "No contact details were taken at the door."
    )
    visit.question = question_ask(
        neighbourhood=_team_neighbourhood(visit),
        kind=QuestionKind.CONCERN,
        subject=f"Raised at the door: {where}"[:SUBJECT_MAX],
        body=body,
        now=visit.visited_at,
    )
    visit.save(update_fields=["question"])


def _follow_up(visit: DoorVisit, by: User) -> None:
    if visit.concern_action == ConcernAction.QUESTION:
        _raise_question(visit, by)
    elif visit.concern_action == ConcernAction.TEAM_NOTE:
        TeamNote.objects.create(
            operation=visit.route.activity.operation,
            door_visit=visit,
            text=f"{visit.door} {visit.postcode}: {visit.concerns}".strip(),
            created_by=by,
        )


@transaction.atomic
def door_visit_record(
    *,
    route: VisitRoute,
    client_id: uuid.UUID | str,
    entry: DoorEntry,
    by: User,
    now: datetime | None = None,
) -> DoorVisitRecorded:
    """Store one door's entry once, with its advice and its concern passed on as asked.

    Sent again (the same ``client_id``), it returns the stored entry and creates nothing, even
    when the first send is still being written by another connection.
    """
    _check_access(route, by)
    key = client_id_parse(client_id)
    stored = _stored(key, route)
    if stored is not None:
        return DoorVisitRecorded(visit=stored, created=False)
    visit = _checked(route, entry, now or timezone.now())
    topics = _advice(entry.advice, visit.answered)
    visit.client_id = key
    visit.logged_by = by
    try:
        with transaction.atomic():
            visit.save(force_insert=True)
    except IntegrityError:
        # Another connection stored the same entry after we looked: theirs is the one.
        stored = _stored(key, route)
        if stored is None:
            raise
        return DoorVisitRecorded(visit=stored, created=False)
    visit.advice.set(topics)
    _follow_up(visit, by)
    return DoorVisitRecorded(visit=visit, created=True)
