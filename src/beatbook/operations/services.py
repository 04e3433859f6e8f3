"""Writes for operations: planning one, its partners and activities, and publishing it.

Every service checks the whole row and raises ``ValidationError`` (by field) before it writes,
in one transaction, so bad input changes nothing. Who may call them is checked by the caller
through ``operations.selectors`` (``may_change_operation``, ``may_contribute``...); the services
keep the rules that hold whoever asks: dates, the area, the venue, and that enforcement and
warrants are never public.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction

from beatbook.accounts.models import Organisation, User
from beatbook.operations.models import (
    ONLINE_TYPES,
    RESTRICTED_TYPES,
    Activity,
    AreaChoice,
    Operation,
    OperationKind,
    OperationPartner,
)
from beatbook.operations.operation_areas import (
    VENUE_TOLERANCE_METRES,
    area_lsoas,
    area_shape,
    metres_outside,
)
from beatbook.places.models import Force, Neighbourhood, Postcode
from beatbook.teams.models import Priority
from beatbook.teams.venue import postcode_in

LONDON = ZoneInfo("Europe/London")


@dataclass
class OperationDetails:
    """What a sergeant or a partner's coordinator says about an operation when planning it."""

    name: str
    kind: OperationKind
    lead: User
    lead_organisation: Organisation
    first_day: date
    last_day: date
    summary: str = ""
    objectives: str = ""
    public: bool = False
    area_choice: str = AreaChoice.NEIGHBOURHOODS
    neighbourhoods: Sequence[Neighbourhood] = ()
    lsoa_codes: Sequence[str] = ()
    area_polygon: dict[str, Any] | None = None
    priorities: Sequence[Priority] = field(default_factory=list)


def _force_of(details: OperationDetails) -> Force:
    forces = {n.force_id for n in details.neighbourhoods}
    if details.lead_organisation.force_id:
        forces.add(details.lead_organisation.force_id)
    if len(forces) > 1:
        raise ValidationError(
            {"neighbourhoods": "Choose neighbourhoods of the lead organisation's force only"}
        )
    if not forces:
        raise ValidationError(
            {"lead_organisation": "The lead organisation serves no force: choose another"}
        )
    return Force.objects.get(pk=forces.pop())


def _check_priorities(details: OperationDetails, force: Force) -> None:
    wrong = [p for p in details.priorities if p.neighbourhood.force_id != force.pk]
    if wrong:
        raise ValidationError({"priorities": "Link only priorities of this force's neighbourhoods"})


def _apply(operation: Operation, details: OperationDetails) -> None:
    force = _force_of(details)
    _check_priorities(details, force)
    lsoas = area_lsoas(
        area_choice=details.area_choice,
        neighbourhoods=details.neighbourhoods,
        lsoa_codes=details.lsoa_codes,
        polygon=details.area_polygon,
    )
    for name in ("name", "kind", "lead", "lead_organisation", "first_day", "last_day"):
        setattr(operation, name, getattr(details, name))
    operation.force = force
    operation.summary = details.summary
    operation.objectives = details.objectives
    operation.public = details.public
    operation.area_choice = details.area_choice
    operation.area_polygon = (
        details.area_polygon if details.area_choice == AreaChoice.POLYGON else None
    )
    operation.full_clean(exclude=["created_by"])
    _check_activities_still_fit(operation)
    operation.save()
    operation.lsoas.set(lsoas)
    chosen = details.neighbourhoods if details.area_choice == AreaChoice.NEIGHBOURHOODS else ()
    operation.neighbourhoods.set(chosen)
    operation.priorities.set(details.priorities)


def _check_activities_still_fit(operation: Operation) -> None:
    if operation.pk is None:
        return
    outside = [
        activity.title
        for activity in operation.activities.all()
        if not _within_days(operation, activity.start, activity.end)
    ]
    if outside:
        raise ValidationError(
            {
                "last_day": "These activities would fall outside the new dates: "
                f"{', '.join(outside[:3])}. Move them first"
            }
        )


@transaction.atomic
def operation_create(*, by: User, details: OperationDetails) -> Operation:
    operation = Operation(created_by=by)
    _apply(operation, details)
    return operation


@transaction.atomic
def operation_update(*, operation: Operation, details: OperationDetails) -> Operation:
    _apply(operation, details)
    return operation


@transaction.atomic
def operation_publish(*, operation: Operation, public: bool) -> Operation:
    """Publish or withdraw the operation. Its restricted activities stay private either way."""
    operation.public = public
    operation.save(update_fields=["public", "updated_at"])
    return operation


@transaction.atomic
def operation_delete(*, operation: Operation) -> None:
    operation.delete()


# --- partners --------------------------------------------------------------------------------


@transaction.atomic
def partner_add(
    *,
    operation: Operation,
    organisation: Organisation,
    contact_name: str,
    contact_email: str = "",
    contact_telephone: str = "",
) -> OperationPartner:
    if organisation.pk == operation.lead_organisation_id:
        raise ValidationError({"organisation": f"{organisation} already leads this operation"})
    if operation.partners.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": f"{organisation} is already a partner"})
    partner = OperationPartner(
        operation=operation,
        organisation=organisation,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        contact_telephone=contact_telephone.strip(),
    )
    if not partner.contact_name:
        raise ValidationError({"contact_name": "Name the partner's contact for the operation"})
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def partner_remove(*, partner: OperationPartner) -> None:
    assigned = partner.operation.activities.filter(organisations=partner.organisation)
    if assigned.exists():
        raise ValidationError(
            f"{partner.organisation} is assigned to activities in this operation: take it off "
            "them first"
        )
    partner.delete()


# --- activities ------------------------------------------------------------------------------


@dataclass
class ActivityDetails:
    type: str
    title: str
    start: datetime
    end: datetime
    description: str = ""
    online: bool = False
    joining_details: str = ""
    venue_name: str = ""
    venue_address: str = ""
    latitude: float | None = None
    longitude: float | None = None
    public: bool = False
    organisations: Sequence[Organisation] = ()
    staff: Sequence[User] = ()


def _within_days(operation: Operation, start: datetime, end: datetime) -> bool:
    first = start.astimezone(LONDON).date()
    last = end.astimezone(LONDON).date()
    return operation.first_day <= first and last <= operation.last_day


def _check_when(operation: Operation, details: ActivityDetails) -> None:
    if details.start.tzinfo is None or details.end.tzinfo is None:
        raise ValueError("Activity times must be aware datetimes")
    if details.end <= details.start:
        raise ValidationError({"end": "The activity must end after it starts"})
    if not _within_days(operation, details.start, details.end):
        raise ValidationError(
            {
                "start": "The activity must take place during the operation, from "
                f"{operation.first_day:%-d %B %Y} to {operation.last_day:%-d %B %Y}"
            }
        )


def _venue_position(details: ActivityDetails) -> tuple[float, float]:
    if details.latitude is not None and details.longitude is not None:
        return details.latitude, details.longitude
    postcode = postcode_in(details.venue_address)
    if postcode is None:
        raise ValidationError(
            {"venue_address": "End the venue's address with its postcode, like ST3 2AA"}
        )
    row = Postcode.objects.filter(pk=postcode).values_list("latitude", "longitude").first()
    if row is None or row[0] is None or row[1] is None:
        raise ValidationError(
            {
                "venue_address": f"We cannot place the postcode {postcode}: check it, or import "
                "Code-Point Open for its area"
            }
        )
    return row[0], row[1]


def _check_where(operation: Operation, details: ActivityDetails) -> None:
    if details.online or details.type in ONLINE_TYPES:
        if details.venue_name.strip() or details.venue_address.strip():
            raise ValidationError({"venue_address": "An online activity has no venue"})
        if not details.joining_details.strip():
            raise ValidationError(
                {"joining_details": "Say how residents join, like a link to the surgery page"}
            )
        details.online, details.latitude, details.longitude = True, None, None
        return
    if not details.venue_name.strip():
        raise ValidationError({"venue_name": "Name the venue, like Tesco Extra Longton"})
    details.latitude, details.longitude = _venue_position(details)
    outline = area_shape(lsoas=list(operation.lsoas.all()), polygon=operation.area_polygon)
    if outline is None:
        return
    away = metres_outside(outline, latitude=details.latitude, longitude=details.longitude)
    if away > VENUE_TOLERANCE_METRES:
        raise ValidationError(
            {
                "venue_address": f"The venue is {away / 1000:.1f} km outside the operation's "
                "area. Choose a venue in the area, or change the area first"
            }
        )


def _check_organisations(operation: Operation, details: ActivityDetails) -> None:
    taking_part = {operation.lead_organisation_id} | set(
        operation.partners.values_list("organisation_id", flat=True)
    )
    strangers = [o.name for o in details.organisations if o.pk not in taking_part]
    if strangers:
        raise ValidationError(
            {
                "organisations": f"Add {', '.join(strangers)} as a partner in the operation "
                "before assigning it to an activity"
            }
        )


def _check_public(details: ActivityDetails) -> None:
    if details.public and details.type in RESTRICTED_TYPES:
        raise ValidationError(
            {"public": "Enforcement and warrants are never published, before or after"}
        )


def _save_activity(activity: Activity, details: ActivityDetails) -> Activity:
    operation = activity.operation
    _check_public(details)
    _check_when(operation, details)
    _check_where(operation, details)
    _check_organisations(operation, details)
    for name in (
        "type",
        "title",
        "description",
        "start",
        "end",
        "online",
        "joining_details",
        "venue_name",
        "venue_address",
        "latitude",
        "longitude",
        "public",
    ):
        setattr(activity, name, getattr(details, name))
    if activity.online:
        activity.venue_name = activity.venue_address = ""
    else:
        activity.joining_details = ""
    activity.full_clean()
    activity.save()
    activity.organisations.set(details.organisations)
    activity.staff.set(details.staff)
    return activity


@transaction.atomic
def activity_create(*, operation: Operation, details: ActivityDetails) -> Activity:
    """Add an activity. A restricted one with no organisation assigned is given to the lead
    organisation, so that somebody can see it."""
    activity = _save_activity(Activity(operation=operation), details)
    if activity.restricted and not activity.organisations.exists():
        activity.organisations.add(operation.lead_organisation)
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, details: ActivityDetails) -> Activity:
    return _save_activity(activity, details)


@transaction.atomic
def activity_delete(*, activity: Activity) -> None:
    activity.delete()
