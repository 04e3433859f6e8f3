"""Who may see and do what in tasking (issue 15, ADR 19): every tasking page asks here.

- **Tasking sergeants** (``Role.TASKING_SERGEANT``, scoped to a force) see every request and
  plan in their force, decide requests, and make, change and issue plans.
- **Neighbourhood team members** (the other team roles: officers, PCSOs, inspectors,
  administrators) see their own neighbourhoods' requests and plans, and make requests for them.
  A tasking-team plan is theirs to see when one of its places lies in their neighbourhoods.
- **Officers** see the plans they are on, and log the results of their own visits.
- **Partners** and analysts see no request unless it is shared with one of their organisations,
  and no plan at all.
- A superuser sees and does everything; someone who is not a member of staff, nothing.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from beatbook.accounts.access import is_staff_member
from beatbook.accounts.models import Membership, Role, User
from beatbook.accounts.selectors import neighbourhoods_for_user
from beatbook.places.models import Force, Neighbourhood
from beatbook.tasking.models import Officer, PatrolPlan, PlanVisit, TaskingRequest, Unit

# The neighbourhood team roles that may ask the tasking team for help.
REQUESTING_ROLES: tuple[str, ...] = (
    Role.ADMINISTRATOR,
    Role.NEIGHBOURHOOD_OFFICER,
    Role.NEIGHBOURHOOD_INSPECTOR,
    Role.TASKING_SERGEANT,
)


def tasking_forces_for_user(*, user: User) -> QuerySet[Force]:
    """Forces where the user is a tasking sergeant (every force for a superuser)."""
    if not is_staff_member(user):
        return Force.objects.none()
    if user.is_superuser:
        return Force.objects.all()
    held = Membership.objects.filter(user=user, role=Role.TASKING_SERGEANT).exclude(force=None)
    return Force.objects.filter(pk__in=held.values("force"))


def is_tasking_sergeant(*, user: User, force_id: str) -> bool:
    return tasking_forces_for_user(user=user).filter(pk=force_id).exists()


def team_neighbourhoods(*, user: User) -> QuerySet[Neighbourhood]:
    """The neighbourhoods whose team the user belongs to, in a requesting role."""
    return neighbourhoods_for_user(user=user, roles=REQUESTING_ROLES)


def officer_for_user(*, user: User) -> Officer | None:
    """The officer record linked to the user's account, if they are a member of staff."""
    if not is_staff_member(user):
        return None
    return Officer.objects.filter(user=user, active=True).first()


def requests_for_user(*, user: User) -> QuerySet[TaskingRequest]:
    """The tasking requests the user may see."""
    if not is_staff_member(user):
        return TaskingRequest.objects.none()
    if user.is_superuser:
        return TaskingRequest.objects.all()
    organisations = Membership.objects.filter(user=user).values("organisation")
    return TaskingRequest.objects.filter(
        Q(force__in=tasking_forces_for_user(user=user))
        | Q(neighbourhood__in=team_neighbourhoods(user=user))
        | Q(shared_with__in=organisations)
    ).distinct()


def may_request_for(*, user: User, neighbourhood: Neighbourhood) -> bool:
    """Whether the user may ask the tasking team for help for this neighbourhood."""
    if not is_staff_member(user):
        return False
    return team_neighbourhoods(user=user).filter(pk=neighbourhood.pk).exists()


def may_decide_request(*, user: User, request: TaskingRequest) -> bool:
    """Only a tasking sergeant of the request's force approves or declines it."""
    return is_tasking_sergeant(user=user, force_id=request.force_id)


def may_change_request(*, user: User, request: TaskingRequest) -> bool:
    """The requesting team may change or withdraw a request until it is decided; the tasking
    sergeants may record its outcome at any time."""
    if may_decide_request(user=user, request=request):
        return True
    return may_request_for(user=user, neighbourhood=request.neighbourhood)


def plans_for_user(*, user: User) -> QuerySet[PatrolPlan]:
    """The patrol plans the user may see: the force's for a tasking sergeant; their teams' own
    plans and the tasking team's plans that visit their neighbourhoods; the plans they are on."""
    if not is_staff_member(user):
        return PatrolPlan.objects.none()
    if user.is_superuser:
        return PatrolPlan.objects.all()
    neighbourhoods = team_neighbourhoods(user=user)
    on_plan = PlanVisit.objects.filter(officer__user=user, officer__active=True)
    return PatrolPlan.objects.filter(
        Q(force__in=tasking_forces_for_user(user=user))
        | Q(neighbourhood__in=neighbourhoods)
        | Q(places__neighbourhood__in=neighbourhoods)
        | Q(pk__in=on_plan.values("plan"))
    ).distinct()


def may_change_plan(*, user: User, plan: PatrolPlan) -> bool:
    """Tasking sergeants change any plan of their force; a neighbourhood team's members with a
    team role change their own team's plans."""
    if is_tasking_sergeant(user=user, force_id=plan.force_id):
        return True
    if plan.neighbourhood_id is None:
        return False
    return team_neighbourhoods(user=user).filter(pk=plan.neighbourhood_id).exists()


def may_log_result(*, user: User, visit: PlanVisit) -> bool:
    """The officer on the visit, or anyone who may change the plan, logs what came of it."""
    if not is_staff_member(user):
        return False
    if visit.officer.user_id == user.pk and visit.officer.active:
        return True
    return may_change_plan(user=user, plan=visit.plan)


# --- Resources: officers, stations, the rota, abstractions and link officers (h2) -------------


def may_use_tasking(*, user: User) -> bool:
    """Whether the user has any part in tasking: a tasking sergeant, a neighbourhood team member
    (a team role), or an officer with a record here. Analysts and partners have none: the
    tasking pages, and the navigation's link to them, are not theirs."""
    if not is_staff_member(user):
        return False
    if user.is_superuser or officer_for_user(user=user) is not None:
        return True
    return tasking_forces_for_user(user=user).exists() or team_neighbourhoods(user=user).exists()


def resource_forces_for_user(*, user: User) -> QuerySet[Force]:
    """The forces whose stations and tasking team the user sees: those they are a tasking
    sergeant of, and those of their teams' neighbourhoods."""
    if not is_staff_member(user):
        return Force.objects.none()
    if user.is_superuser:
        return Force.objects.all()
    teams = team_neighbourhoods(user=user).values("force")
    return Force.objects.filter(
        Q(pk__in=tasking_forces_for_user(user=user).values("pk")) | Q(pk__in=teams)
    )


def officers_for_user(*, user: User) -> QuerySet[Officer]:
    """The officers the user sees: every officer of a force they are a tasking sergeant of; the
    neighbourhood officers of their teams and the tasking team of those teams' forces; and
    themselves."""
    if not is_staff_member(user):
        return Officer.objects.none()
    if user.is_superuser:
        return Officer.objects.all()
    teams = team_neighbourhoods(user=user)
    return Officer.objects.filter(
        Q(force__in=tasking_forces_for_user(user=user))
        | Q(unit=Unit.NPT, neighbourhood__in=teams)
        | Q(unit=Unit.NTT, force__in=teams.values("force"))
        | Q(user=user)
    ).distinct()


def abstraction_officers_for_user(*, user: User) -> QuerySet[Officer]:
    """The neighbourhood officers whose abstractions the user records: their teams' officers
    (team roles), or every neighbourhood officer of a force they are a tasking sergeant of."""
    if not is_staff_member(user):
        return Officer.objects.none()
    npt = Officer.objects.filter(unit=Unit.NPT)
    if user.is_superuser:
        return npt
    return npt.filter(
        Q(force__in=tasking_forces_for_user(user=user))
        | Q(neighbourhood__in=team_neighbourhoods(user=user))
    ).distinct()


def may_record_abstraction(*, user: User, officer: Officer) -> bool:
    return abstraction_officers_for_user(user=user).filter(pk=officer.pk).exists()
