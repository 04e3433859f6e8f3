"""The demo's community safety partnership: the Stoke-on-Trent Safer City Partnership as issue
16 describes it. Its aim, its area (the local authority Stoke-on-Trent, as the LSOA data names
it), its members (community members, elected members, service users, Staffordshire Fire and
Rescue, Staffordshire Police, probation, the clinical commissioning group, the city council,
the youth offending service and the voluntary sector), and those it works with (the county
council and the Police and Crime Commissioner).

It meets as a strategy group and two JAGs. The strategy group met five weeks ago (its minutes,
decisions and actions are recorded, the agenda kept with them) and meets again in three weeks;
the North JAG meets next week. The meetings and actions are remade from today on each refresh
and flagged ``sample``; the partnership, its members and groups are kept.

Everything goes through the partnership services, so the demo is held to the same checks as
anyone's input. A partner user at the city council (no password, like the demo's other named
people: an administrator sets one in the admin to sign in as them) sees the partnership and
its actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from beatbook.accounts.models import Organisation, OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.demo.bundle import FORCE_ID
from beatbook.demo.people import POLICE
from beatbook.partnerships import partnership_services as services
from beatbook.partnerships.meeting_agendas import LONDON
from beatbook.partnerships.meeting_services import (
    NewAction,
    action_update,
    meeting_minutes_save,
    meeting_schedule,
)
from beatbook.partnerships.models import (
    Action,
    ActionStatus,
    GroupKind,
    Meeting,
    MemberStanding,
    Partnership,
    PartnershipGroup,
)
from beatbook.places.models import Force

NAME = "Stoke-on-Trent Safer City Partnership"
AIM = (
    "A safer, stronger and healthier city by reducing crime, disorder, substance misuse and "
    "associated problems"
)
GET_INVOLVED = (
    "Tell us what matters where you live: ask your neighbourhood team a question on Beatbook, "
    "come to a community meeting, or volunteer with a local group. Residents' questions are "
    "read by the partnership when it sets its priorities."
)
AUTHORITY = "Stoke-on-Trent"
PARTNER_USERNAME = "demo-partnership-officer"

FIRE = "Staffordshire Fire and Rescue Service"
COUNCIL = "Stoke-on-Trent City Council"
COUNTY = "Staffordshire County Council"
YOUTH = "Stoke-on-Trent Youth Offending Service"
PROBATION = "Probation Service (Staffordshire and Stoke-on-Trent)"
HEALTH = "Stoke-on-Trent Clinical Commissioning Group"

# (organisation or None, name of a member that is not one, standing, representative, role)
R, M, W = MemberStanding.RESPONSIBLE, MemberStanding.MEMBER, MemberStanding.WORKS_WITH
MEMBERS: tuple[tuple[str | None, str, str, str, str], ...] = (
    (None, "Community members", M, "", "Residents' representatives"),
    (None, "Elected members", M, "", "City councillors"),
    (None, "Service users", M, "", "People who use the partnership's services"),
    (FIRE, "", R, "Dana Hughes", "Group manager, community safety"),
    (POLICE, "", R, "Chris Walker", "Chief superintendent, Stoke-on-Trent"),
    (PROBATION, "", R, "Priya Shaw", "Head of service"),
    (HEALTH, "", R, "Tom Evans", "Commissioning manager"),
    (COUNCIL, "", R, "Aisha Khan", "Community safety manager"),
    (YOUTH, "", M, "Kofi Turner", "Youth offending service manager"),
    (None, "Voluntary sector", M, "", "Voluntary and community groups"),
    (COUNTY, "", W, "", "Works with the partnership"),
    (None, "Police and Crime Commissioner", W, "", "Staffordshire Commissioner's office"),
)
NEW_ORGANISATIONS = {
    PROBATION: OrganisationKind.PROBATION,
    HEALTH: OrganisationKind.HEALTH,
}
GROUPS: tuple[tuple[str, str, str, str], ...] = (
    (
        GroupKind.STRATEGY,
        "Safer City Strategy Group",
        "Sets the partnership's priorities and plan, and holds its members to them.",
        "Quarterly",
    ),
    (
        GroupKind.JAG,
        "North Stoke JAG",
        "Problem-solving for Tunstall, Burslem and Hanley.",
        "Monthly",
    ),
    (
        GroupKind.JAG,
        "South Stoke JAG",
        "Problem-solving for Stoke, Fenton, Longton and Meir.",
        "Monthly",
    ),
)


@dataclass(frozen=True)
class DemoPartnership:
    partnership: Partnership
    meetings: int
    actions: int
    partner_user: User


def _organisation(name: str, force: Force) -> Organisation:
    found = Organisation.objects.filter(name=name).first()
    if found is not None:
        return found
    kind = NEW_ORGANISATIONS.get(name, OrganisationKind.LOCAL_AUTHORITY)
    if name == POLICE:
        kind = OrganisationKind.POLICE_FORCE
    elif name == FIRE:
        kind = OrganisationKind.FIRE_AND_RESCUE
    elif name == YOUTH:
        kind = OrganisationKind.YOUTH_OFFENDING
    return organisation_create(name=name, kind=kind, force=force)


def _partnership() -> Partnership:
    details = services.PartnershipDetails(
        name=NAME, slug="stoke-on-trent", aim=AIM, get_involved=GET_INVOLVED, published=True
    )
    found = Partnership.objects.filter(name=NAME).first()
    if found is None:
        return services.partnership_create(details=details, sample=True)
    return services.partnership_update(partnership=found, details=details)


def _members(partnership: Partnership, force: Force) -> None:
    for order, (organisation, name, standing, representative, role) in enumerate(MEMBERS):
        found = (
            partnership.members.filter(organisation__name=organisation)
            if organisation
            else partnership.members.filter(organisation=None, name=name)
        )
        if found.exists():
            continue
        services.partnership_member_add(
            partnership=partnership,
            details=services.MemberDetails(
                organisation=_organisation(organisation, force) if organisation else None,
                name=name,
                standing=standing,
                representative=representative,
                representative_role=role,
                order=order,
            ),
        )


def _groups(partnership: Partnership) -> list[PartnershipGroup]:
    groups = []
    for kind, name, remit, cadence in GROUPS:
        found = partnership.groups.filter(name=name).first()
        groups.append(
            found
            or services.partnership_group_create(
                partnership=partnership, kind=kind, name=name, remit=remit, cadence=cadence
            )
        )
    return groups


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=LONDON)


def _past_meeting(group: PartnershipGroup, today: date) -> Meeting:
    meeting = meeting_schedule(
        group=group,
        starts_at=_at(today - timedelta(weeks=5), 10),
        place="Civic Centre, Hanley",
        sample=True,
    )
    organisation = {
        o.name: o for o in Organisation.objects.filter(name__in=[POLICE, COUNCIL, FIRE, YOUTH])
    }
    return meeting_minutes_save(
        meeting=meeting,
        minutes=(
            "The group reviewed the agenda Beatbook built: the hotspots that had grown since "
            "the last meeting, the actions overdue and the operations in the city since.\n\n"
            "Members agreed to focus the next quarter on anti-social behaviour around Hanley "
            "bus station and on violence in the night-time economy."
        ),
        decisions=[
            "Anti-social behaviour around Hanley bus station is the North Stoke JAG's first "
            "problem to solve this quarter.",
            "The night-time economy working group reports to the next strategy group.",
        ],
        actions=[
            NewAction(
                "Set up a problem-solving plan for Hanley bus station with the JAG.",
                organisation[POLICE],
                "Chris Walker",
                today - timedelta(days=7),
            ),
            NewAction(
                "Review lighting and CCTV coverage around Hanley bus station.",
                organisation[COUNCIL],
                "Aisha Khan",
                today + timedelta(days=28),
            ),
            NewAction(
                "Offer fire safety and well-being visits to flats near the bus station.",
                organisation[FIRE],
                "Dana Hughes",
                today - timedelta(days=14),
            ),
            NewAction(
                "Run two diversionary youth sessions in Hanley during the school holidays.",
                organisation[YOUTH],
                "Kofi Turner",
                today + timedelta(days=30),
            ),
        ],
        now=_at(today - timedelta(weeks=5), 12),
        sample=True,
    )


def _progress(meeting: Meeting, today: date) -> None:
    """Some actions moved on since the meeting, as members update them."""
    for action in meeting.actions.select_related("owner"):
        if action.owner.name == FIRE:
            action_update(
                action=action,
                status=ActionStatus.DONE,
                progress_note="38 homes offered a visit; 21 visits made.",
                today=today - timedelta(days=10),
            )
        elif action.owner.name == COUNCIL:
            action_update(
                action=action,
                status=ActionStatus.IN_PROGRESS,
                progress_note="Survey of lighting done; CCTV review booked.",
                today=today,
            )


def _partner_user(force: Force) -> User:
    user = User.objects.filter(username=PARTNER_USERNAME).first()
    if user is None:
        user = user_create(
            username=PARTNER_USERNAME,
            password=None,
            first_name="Aisha",
            last_name="Khan",
            is_staff=True,
        )
    council = _organisation(COUNCIL, force)
    if not user.memberships.filter(organisation=council, role=Role.PARTNER).exists():
        membership_grant(user=user, organisation=council, role=Role.PARTNER)
    return user


@transaction.atomic
def demo_partnership_ensure(*, today: date | None = None) -> DemoPartnership:
    """The demo partnership, its members and groups (kept), and its meetings and actions
    (remade from ``today``)."""
    day = today or timezone.now().astimezone(LONDON).date()
    force = Force.objects.get(pk=FORCE_ID)
    partnership = _partnership()
    services.partnership_authorities_set(partnership=partnership, names=[AUTHORITY])
    _members(partnership, force)
    strategy, north, _south = _groups(partnership)
    Action.objects.filter(partnership=partnership, sample=True).delete()
    Meeting.objects.filter(group__partnership=partnership, sample=True).delete()
    past = _past_meeting(strategy, day)
    _progress(past, day)
    meeting_schedule(
        group=strategy, starts_at=_at(day + timedelta(weeks=3), 10), place=past.place, sample=True
    )
    meeting_schedule(
        group=north,
        starts_at=_at(day + timedelta(weeks=1), 14),
        place="Tunstall Town Hall",
        sample=True,
    )
    return DemoPartnership(
        partnership=partnership,
        meetings=Meeting.objects.filter(group__partnership=partnership).count(),
        actions=partnership.actions.count(),
        partner_user=_partner_user(force),
    )
