"""Requests from neighbourhood teams to the tasking team: made, changed, withdrawn, decided,
shared; and the approved requests a patrol plan must meet (issue 15, ADR 19).

Every change checks the whole request first and raises ``ValidationError`` by field before it
writes, inside one transaction, so bad input changes nothing. Who may act is checked with
``tasking.selectors`` here as well as in the pages (``PermissionDenied``).

A request's days and hours are London days and London wall-clock hours: a window from 10pm to
6am runs into the next morning, and on the days the clocks change it is an hour shorter or
longer (``request_windows``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from beatbook.accounts.models import Organisation, User
from beatbook.operations.models import Operation
from beatbook.operations.selectors import operations_for_user
from beatbook.places.models import Force, Neighbourhood
from beatbook.places.postcode import normalise_postcode
from beatbook.tasking import selectors
from beatbook.tasking.models import (
    ProblemLink,
    RequestStatus,
    Skill,
    Tactic,
    TaskingRequest,
    Urgency,
)
from beatbook.tasking.patrol_cells import MAX_CELLS, cell_parse, cells_in_polygon, cells_parse
from beatbook.tasking.request_places import cells_outside
from beatbook.ui.templatetags.beatbook_ui import govuk_time

LONDON = ZoneInfo("Europe/London")
UTC = ZoneInfo("UTC")
MAX_OFFICERS = 10
MAX_DAYS = 92  # about three months: a longer need is a new request, decided afresh
# The skill a tactic needs of every officer sent (slug, name); other skills (drugs, driver...)
# are the requester's choice.
TACTIC_SKILLS: dict[str, tuple[str, str]] = {
    Tactic.ANPR: ("anpr", "ANPR"),
    Tactic.PLAIN_CLOTHES: ("plain-clothes", "Plain clothes"),
}
# A crime or occurrence reference: letters, digits, "/" and "-", with at least one digit, no
# spaces (so a name or an address never fits), e.g. CRI/12345/26 or 20-000123-26.
_REFERENCE = re.compile(r"^[A-Z0-9][A-Z0-9/\-]{2,39}$", re.IGNORECASE)
_PHONE = re.compile(r"^(?:\+?44|0)\d{9,10}$")
REFERENCE_MESSAGE = (
    "Enter the crime or occurrence reference only, like CRI/12345/26: never a name, address, "
    "e-mail address or phone number"
)
URGENCY_ORDER = Case(
    When(urgency=Urgency.HIGH, then=Value(0)),
    When(urgency=Urgency.MEDIUM, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


@dataclass(frozen=True, kw_only=True)
class RequestDetails:
    """What a requester says: the form's answers, as the model's values."""

    title: str
    problem: str
    link: str
    priority: Any = None  # teams.Priority
    operation: Operation | None = None
    hotspot_cell: str = ""
    repeat_victim_reference: str = ""
    cells: Sequence[str] = ()
    polygon: dict[str, Any] | None = None
    first_day: date
    last_day: date
    hours_from: time
    hours_to: time
    tactic: str
    skills: Sequence[Skill] = field(default_factory=tuple)
    officers_wanted: int
    minutes_wanted: int
    urgency: str = Urgency.MEDIUM
    evidence: str


def window_minutes(hours_from: time, hours_to: time) -> int:
    """The length of a daily window in wall-clock minutes (through midnight when it ends
    before it opens)."""
    opens = hours_from.hour * 60 + hours_from.minute
    closes = hours_to.hour * 60 + hours_to.minute
    return (closes - opens) % (24 * 60)


def reference_problem(text: str) -> str:
    """Why ``text`` is not a crime or occurrence reference ("" when it is one)."""
    value = text.strip()
    if not value:
        return "Enter the crime or occurrence reference of the repeat victim"
    compact = re.sub(r"[\s\-()]", "", value)
    if (
        "@" in value
        or _PHONE.match(compact)
        or normalise_postcode(value) is not None
        or not _REFERENCE.match(value)
        or not any(ch.isdigit() for ch in value)
    ):
        return REFERENCE_MESSAGE
    return ""


Wrong = Callable[[str, str], None]


def _check(
    details: RequestDetails,
    *,
    user: User,
    neighbourhood: Neighbourhood,
    today: date | None,
) -> dict[str, Any]:
    """The model's values for ``details``, or ValidationError naming every field that is wrong.
    ``today`` (on making a request) refuses days already past."""
    errors: dict[str, list[str]] = {}

    def wrong(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    texts = (("title", "a short title"), ("problem", "the problem"), ("evidence", "the evidence"))
    for name, noun in texts:
        if not str(getattr(details, name)).strip():
            wrong(name, f"Enter {noun}")
    values: dict[str, Any] = {
        "title": details.title.strip()[:200],
        "problem": details.problem.strip(),
        "evidence": details.evidence.strip(),
        "link": details.link,
        "priority": None,
        "operation": None,
        "hotspot_cell": "",
        "repeat_victim_reference": "",
    }
    check_link = _LINK_CHECKS.get(details.link)
    if check_link is None:
        wrong("link", "Select what the problem is linked to")
    else:
        check_link(details, user, neighbourhood, values, wrong)
    _check_days(details, today, wrong)
    keys = _check_cells(details, neighbourhood, wrong)
    _check_effort(details, wrong)
    if errors:
        raise ValidationError(errors)
    values.update(
        cells=keys,
        polygon=details.polygon or None,
        first_day=details.first_day,
        last_day=details.last_day,
        hours_from=details.hours_from,
        hours_to=details.hours_to,
        tactic=details.tactic,
        officers_wanted=details.officers_wanted,
        minutes_wanted=details.minutes_wanted,
        urgency=details.urgency,
    )
    return values


def _check_days(details: RequestDetails, today: date | None, wrong: Wrong) -> None:
    if details.last_day < details.first_day:
        wrong("last_day", "The last day must be the same as or after the first day")
    elif (details.last_day - details.first_day).days > MAX_DAYS:
        wrong("last_day", "Ask for at most three months: make a new request after that")
    if today is not None and details.first_day < today:
        wrong("first_day", "The first day must be today or later")
    if window_minutes(details.hours_from, details.hours_to) == 0:
        wrong("hours_to", "The hours must not open and close at the same time")


def _check_effort(details: RequestDetails, wrong: Wrong) -> None:
    """The tactic, the officers and minutes wanted, and the urgency."""
    if details.tactic not in Tactic.values:
        wrong("tactic", "Select the tactic")
    if not 1 <= details.officers_wanted <= MAX_OFFICERS:
        wrong("officers_wanted", f"Ask for from 1 to {MAX_OFFICERS} officers")
    minutes = window_minutes(details.hours_from, details.hours_to)
    most = minutes * max(1, min(details.officers_wanted, MAX_OFFICERS))
    if details.minutes_wanted < 1:
        wrong("minutes_wanted", "Ask for at least 1 minute in place each day")
    elif minutes and details.minutes_wanted > most:
        wrong(
            "minutes_wanted",
            f"Ask for at most {most} minutes a day: the hours times the officers wanted",
        )
    if details.urgency not in Urgency.values:
        wrong("urgency", "Select how urgent it is")


def _link_priority(
    details: RequestDetails, user: User, hood: Neighbourhood, values: dict[str, Any], wrong: Wrong
) -> None:
    priority = details.priority
    if priority is None:
        wrong("priority", "Select the neighbourhood priority")
    elif priority.neighbourhood_id != hood.pk:
        wrong("priority", f"Select one of {hood.name}'s priorities")
    values["priority"] = priority


def _link_operation(
    details: RequestDetails, user: User, hood: Neighbourhood, values: dict[str, Any], wrong: Wrong
) -> None:
    operation = details.operation
    if operation is None:
        wrong("operation", "Select the operation")
    elif (
        operation.force_id != hood.force_id
        or not operations_for_user(user=user).filter(pk=operation.pk).exists()
    ):
        wrong("operation", "Select an operation of this force that you are part of")
    values["operation"] = operation


def _link_hotspot(
    details: RequestDetails, user: User, hood: Neighbourhood, values: dict[str, Any], wrong: Wrong
) -> None:
    if not details.hotspot_cell.strip():
        wrong("hotspot_cell", "Enter the hotspot's cell")
        return
    try:
        values["hotspot_cell"] = cell_parse(details.hotspot_cell).key
    except ValueError as error:
        wrong("hotspot_cell", str(error))


def _link_repeat_victim(
    details: RequestDetails, user: User, hood: Neighbourhood, values: dict[str, Any], wrong: Wrong
) -> None:
    problem = reference_problem(details.repeat_victim_reference)
    if problem:
        wrong("repeat_victim_reference", problem)
    values["repeat_victim_reference"] = details.repeat_victim_reference.strip().upper()


# What each kind of link checks: the one thing linked, of that kind; the others stay empty.
_LINK_CHECKS: dict[str, Callable[..., None]] = {
    ProblemLink.PRIORITY: _link_priority,
    ProblemLink.OPERATION: _link_operation,
    ProblemLink.HOTSPOT: _link_hotspot,
    ProblemLink.REPEAT_VICTIM: _link_repeat_victim,
}


def _check_cells(details: RequestDetails, neighbourhood: Neighbourhood, wrong: Wrong) -> list[str]:
    """The keys of the cells asked for and of those inside a drawn area, each once."""
    try:
        cells = cells_parse(details.cells)
        if details.polygon:
            cells = cells_parse([c.key for c in [*cells, *cells_in_polygon(details.polygon)]])
    except (ValueError, TypeError, KeyError) as error:
        message = str(error) if isinstance(error, ValueError) else "The drawn area is not a polygon"
        wrong("cells", message)
        return []
    if not cells:
        wrong("cells", "Choose the place: at least one cell on the map, or a postcode")
    elif len(cells) > MAX_CELLS:
        wrong("cells", f"Choose at most {MAX_CELLS} cells")
    else:
        outside = cells_outside(neighbourhood.force, cells)
        if outside:
            shown = ", ".join(c.key for c in outside[:3])
            wrong(
                "cells",
                f"{len(outside)} of the cells are outside {neighbourhood.force.name}: {shown}",
            )
    return [c.key for c in cells]


def _skills_for(details: RequestDetails) -> list[Skill]:
    """The skills asked for, and the one the tactic needs (made the first time it is needed,
    so an ANPR request always asks for ANPR-trained officers)."""
    chosen = {skill.pk: skill for skill in details.skills}
    needed = TACTIC_SKILLS.get(details.tactic)
    if needed is not None:
        skill, _ = Skill.objects.get_or_create(slug=needed[0], defaults={"name": needed[1]})
        chosen.setdefault(skill.pk, skill)
    return list(chosen.values())


def _london_today() -> date:
    return timezone.localtime(timezone=LONDON).date()


def request_create(
    *, user: User, neighbourhood: Neighbourhood, details: RequestDetails
) -> TaskingRequest:
    """A new request, waiting for the tasking team's decision."""
    if not selectors.may_request_for(user=user, neighbourhood=neighbourhood):
        raise PermissionDenied("You may not ask for help for this neighbourhood.")
    values = _check(details, user=user, neighbourhood=neighbourhood, today=_london_today())
    with transaction.atomic():
        made = TaskingRequest.objects.create(
            force_id=neighbourhood.force_id,
            neighbourhood=neighbourhood,
            requested_by=user,
            **values,
        )
        made.skills.set(_skills_for(details))
    return made


def _locked(request: TaskingRequest) -> TaskingRequest:
    return TaskingRequest.objects.select_for_update().get(pk=request.pk)


def _requesting_team_only(user: User, request: TaskingRequest) -> None:
    if not selectors.may_request_for(user=user, neighbourhood=request.neighbourhood):
        raise PermissionDenied("Only the requesting team changes or withdraws a request.")


def request_update(
    *, user: User, request: TaskingRequest, details: RequestDetails
) -> TaskingRequest:
    """Change a request the tasking team has not decided yet. A first day moved earlier must
    not be in the past."""
    _requesting_team_only(user, request)
    today = _london_today() if details.first_day != request.first_day else None
    values = _check(details, user=user, neighbourhood=request.neighbourhood, today=today)
    with transaction.atomic():
        current = _locked(request)
        if current.status != RequestStatus.SUBMITTED:
            raise ValidationError(
                f"This request is {current.get_status_display().lower()}: "
                "it can no longer be changed"
            )
        for name, value in values.items():
            setattr(current, name, value)
        current.save()
        current.skills.set(_skills_for(details))
    # The caller's object shows the change too, so a later save() never puts the old back.
    request.refresh_from_db()
    return request


def request_withdraw(*, user: User, request: TaskingRequest) -> TaskingRequest:
    """The requesting team no longer needs the help: waiting or approved, it is withdrawn and
    plans made from now on leave it out."""
    _requesting_team_only(user, request)
    with transaction.atomic():
        current = _locked(request)
        if current.status not in (RequestStatus.SUBMITTED, RequestStatus.APPROVED):
            raise ValidationError(
                f"This request is {current.get_status_display().lower()}: "
                "there is nothing to withdraw"
            )
        current.status = RequestStatus.WITHDRAWN
        current.save(update_fields=["status", "updated_at"])
    # The caller's object shows the change too, so a later save() never puts the old back.
    request.refresh_from_db()
    return request


def _decide(user: User, request: TaskingRequest, status: str, reason: str) -> TaskingRequest:
    if not selectors.may_decide_request(user=user, request=request):
        raise PermissionDenied("Only a tasking sergeant of the force decides a request.")
    with transaction.atomic():
        current = _locked(request)
        if current.status != RequestStatus.SUBMITTED:
            raise ValidationError(
                f"This request is already {current.get_status_display().lower()}: "
                "it cannot be decided again"
            )
        current.status = status
        current.decided_by = user
        current.decided_at = timezone.now()
        current.decision_reason = reason.strip()
        current.save(
            update_fields=["status", "decided_by", "decided_at", "decision_reason", "updated_at"]
        )
    # The caller's object shows the change too, so a later save() never puts the old back.
    request.refresh_from_db()
    return request


def request_approve(*, user: User, request: TaskingRequest, reason: str = "") -> TaskingRequest:
    """A tasking sergeant approves the request: plans must now meet it."""
    return _decide(user, request, RequestStatus.APPROVED, reason)


def request_decline(*, user: User, request: TaskingRequest, reason: str) -> TaskingRequest:
    """A tasking sergeant declines the request, saying why (the team sees the reason)."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the request is declined"})
    return _decide(user, request, RequestStatus.DECLINED, reason)


def share_choices(request: TaskingRequest) -> list[Organisation]:
    """The partner organisations a request may be shared with: those serving its force's area
    that are not police forces."""
    return list(
        Organisation.objects.filter(force_id=request.force_id)
        .exclude(kind="police")
        .order_by("name")
    )


def request_share(
    *, request: TaskingRequest, organisations: Sequence[Organisation]
) -> TaskingRequest:
    """Share the request with exactly these partner organisations (none: with none)."""
    allowed = {o.pk for o in share_choices(request)}
    strangers = ", ".join(o.name for o in organisations if o.pk not in allowed)
    if strangers:
        message = f"Share only with partners of this force's area, not {strangers}"
        raise ValidationError({"organisations": message})
    with transaction.atomic():
        request.shared_with.set(organisations)
    return request


# --- Reads for plans ---------------------------------------------------------------------------


def request_windows(
    request: TaskingRequest, starts: datetime, ends: datetime
) -> list[tuple[datetime, datetime]]:
    """The request's daily hours on each of its days (London wall-clock hours), clipped to
    [``starts``, ``ends``]; empty pieces are left out. They are aware datetimes in UTC: Python
    subtracts and compares two datetimes of the same zone by their wall clocks, so London
    datetimes would make the night the clocks go back an hour too short.

    A window whose close is not after its open runs into the next day. A wall-clock time the
    clocks skip (1:30am on the last Sunday of March) is read as the moment after the jump, and
    every time is normalised through UTC so window lengths are real durations."""
    found: list[tuple[datetime, datetime]] = []
    day = request.first_day
    while day <= request.last_day:
        close_day = day if request.hours_to > request.hours_from else day + timedelta(days=1)
        opens = _london(day, request.hours_from)
        closes = _london(close_day, request.hours_to)
        start, end = max(opens, starts.astimezone(UTC)), min(closes, ends.astimezone(UTC))
        if end > start:
            found.append((start.astimezone(UTC), end.astimezone(UTC)))
        day += timedelta(days=1)
    return found


def _london(day: date, moment: time) -> datetime:
    """A London wall-clock time as a real moment (through UTC, so a skipped time moves on)."""
    return (
        datetime.combine(day, moment, tzinfo=LONDON).astimezone(ZoneInfo("UTC")).astimezone(LONDON)
    )


def approved_requests_for(
    *, force: Force, starts: datetime, ends: datetime
) -> list[TaskingRequest]:
    """The force's approved requests with hours inside [``starts``, ``ends``], most urgent
    first, then oldest first."""
    first = starts.astimezone(LONDON).date() - timedelta(days=1)  # a window from the day before
    last = ends.astimezone(LONDON).date()
    candidates = (
        TaskingRequest.objects.filter(
            force=force, status=RequestStatus.APPROVED, first_day__lte=last, last_day__gte=first
        )
        .select_related("neighbourhood")
        .prefetch_related("skills")
        .annotate(urgency_order=URGENCY_ORDER)
        .order_by("urgency_order", "created_at", "pk")
    )
    return [r for r in candidates if request_windows(r, starts, ends)]


def request_hours_text(request: TaskingRequest) -> str:
    """ "10pm to 6am the next day" as GOV.UK writes times."""
    text = f"{govuk_time(request.hours_from)} to {govuk_time(request.hours_to)}"  # type: ignore[arg-type]
    return text + (" the next day" if request.hours_to <= request.hours_from else "")
