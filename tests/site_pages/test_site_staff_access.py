"""Every staff page, with every kind of user: the one staff check, and the scope behind it.

The pages are read from the URL resolver: every route under ``/staff/``, ``/analysis/`` and
``/admin/`` (but the admin's own sign-in and sign-out), so a page added later is walked
without being listed here. Each is asked for, with GET and with a POST that would change
something if it were let through, by a visitor; a signed-in person with no staff status and no
membership; the audit's attacker (no staff status, but a neighbourhood officer's membership
of the neighbourhood: finding 3 of issue 11); staff of another force; an analyst and a partner
agency worker of the force; the neighbourhood's own officer; and an administrator. Each gets
the status below, and no refused POST changes the database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.admin.utils import unquote
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from beatbook.accounts.models import OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.enquiries.contact_log import Requester, contact_shown_record
from beatbook.enquiries.models import ContactDetailAccess, ContactPurpose, Question, QuestionStatus
from beatbook.enquiries.outbox import outgoing_email_queue
from beatbook.enquiries.services import question_ask
from beatbook.operations import services as operations
from beatbook.operations.models import (
    Activity,
    ActivityType,
    AreaChoice,
    Operation,
    OperationKind,
    VisitRoute,
)
from beatbook.partnerships.models import (
    Action,
    Assessment,
    GroupKind,
    Measure,
    Meeting,
    Objective,
    Partnership,
    PartnershipAuthority,
    PartnershipGroup,
    PartnershipMember,
    PartnershipPlan,
    PlanPriority,
)
from beatbook.places.models import Force, Lsoa, Neighbourhood
from beatbook.surveys.models import Question as SurveyQuestion
from beatbook.surveys.models import Survey, Wave
from beatbook.surveys.survey_services import (
    question_from_bank_add,
    survey_create,
    wave_close,
    wave_create,
    wave_open,
)
from beatbook.tasking import resources as tasking_resources
from beatbook.tasking import rosters
from beatbook.tasking.models import (
    Abstraction,
    Duty,
    Officer,
    PatrolPlan,
    PlanPlace,
    PlanVisit,
    ProblemLink,
    Rank,
    ShiftKind,
    Station,
    Tactic,
    TaskingRequest,
    Unit,
)
from beatbook.tasking.request_services import RequestDetails, request_create
from beatbook.tasking.shifts import shift_kinds_ensure, shift_times
from beatbook.teams import services as teams
from beatbook.teams.models import Event, Priority, TeamMember

pytestmark = pytest.mark.django_db

PREFIXES = ("staff/", "analysis/", "admin/")
MADE_UP_ID = 999_999
# The admin's own sign-in and sign-out are how one gets in and out, not staff pages.
# Sign-in and sign-out, and the redirect from where import records were before ADR 17 (it leads
# to their admin pages, which are checked here under their own address).
NOT_STAFF_PAGES = {"admin:login", "admin:logout", "admin-sourcefile-moved"}

VISITOR = "visitor"
NO_STAFF = "signed in, no staff status, no membership"
ATTACKER = "no staff status, the neighbourhood's officer membership"
OTHER_FORCE = "staff of another force"
ANALYST = "analyst of the force"
PARTNER = "partner agency worker of the force"
OFFICER = "the neighbourhood's officer"
ADMINISTRATOR = "administrator (superuser)"
KINDS = (VISITOR, NO_STAFF, ATTACKER, OTHER_FORCE, ANALYST, PARTNER, OFFICER, ADMINISTRATOR)
# Turned away from every staff page by the staff check itself.
NOT_STAFF = (VISITOR, NO_STAFF, ATTACKER)
# Members of staff who may not change anything in the neighbourhood (nor see who asked).
CANNOT_CHANGE = (OTHER_FORCE, ANALYST, PARTNER)

# What each member of staff gets from each kind of Beatbook staff page (the staff check lets
# them in; the scope decides). A page of a kind not listed in ACCESS fails the walk.
EVERY_STAFF = dict.fromkeys((OTHER_FORCE, ANALYST, PARTNER, OFFICER, ADMINISTRATOR), 200)
EXPECTED: dict[str, dict[str, int]] = {
    # Lists scoped to what the user works in: every member of staff opens them.
    "list": EVERY_STAFF,
    # A download that needs its form filled in: a plain 400 without it.
    "download": dict.fromkeys(EVERY_STAFF, 400),
    # One force's list: only for those who work in that force.
    "force": {**EVERY_STAFF, OTHER_FORCE: 404},
    # A neighbourhood's pages: for those who work there.
    "neighbourhood": {**EVERY_STAFF, OTHER_FORCE: 404},
    # Changing a neighbourhood's team, priorities or events: the team only.
    "change": {**EVERY_STAFF, OTHER_FORCE: 404, ANALYST: 403, PARTNER: 403},
    "change by POST": {
        OTHER_FORCE: 404,
        ANALYST: 403,
        PARTNER: 403,
        OFFICER: 405,
        ADMINISTRATOR: 405,
    },
    # A resident's question (who asked, the answer): the answering team only.
    "question": {**EVERY_STAFF, OTHER_FORCE: 404, ANALYST: 404, PARTNER: 404},
    "question by POST": dict.fromkeys(EVERY_STAFF, 405),
    # Planning an operation: anyone who acts for an organisation (not an analyst).
    "plan": {**EVERY_STAFF, ANALYST: 403},
    # An operation: the people of its lead organisation and of its partners (the council).
    "operation": {**EVERY_STAFF, OTHER_FORCE: 404},
    # Adding to it: the same, but not read-only roles.
    "contribute": {**EVERY_STAFF, OTHER_FORCE: 404, ANALYST: 403},
    # A JSON address the page's script POSTs to: GET is not allowed, whoever asks.
    "JSON by POST": dict.fromkeys(EVERY_STAFF, 405),
    # A patrol plan (tasking): the tasking sergeants, its team, and the officers on it.
    "patrol plan": {**EVERY_STAFF, OTHER_FORCE: 404, ANALYST: 404, PARTNER: 404},
    # Making a patrol plan: tasking sergeants and neighbourhood teams (Carol's, in Cheshire).
    "make a patrol plan": {**EVERY_STAFF, ANALYST: 403, PARTNER: 403},
    "patrol plan by POST": dict.fromkeys(EVERY_STAFF, 405),
    # Tasking (ADR 19): for tasking sergeants, neighbourhood teams and officers; not for analysts
    # or partners. The neighbourhood's officer and the other force's officer see their teams.
    "tasking": {**EVERY_STAFF, ANALYST: 403, PARTNER: 403},
    # Adding officers, stations and duties: a tasking sergeant (here, only the administrator).
    "tasking sergeant": {**dict.fromkeys(EVERY_STAFF, 403), ADMINISTRATOR: 200},
    # Changing one of the force's officers, stations or links: the team sees it, may not change.
    "tasking change": {**EVERY_STAFF, OTHER_FORCE: 404, ANALYST: 403, PARTNER: 403, OFFICER: 403},
    "tasking change by POST": {
        OTHER_FORCE: 404,
        ANALYST: 403,
        PARTNER: 403,
        OFFICER: 403,
        ADMINISTRATOR: 405,
    },
    # Administrators only.
    "administrators": {**dict.fromkeys(EVERY_STAFF, 403), ADMINISTRATOR: 200},
    # Asking the tasking team for help: anyone in a neighbourhood team (not read-only roles).
    "tasking ask": {**EVERY_STAFF, ANALYST: 403, PARTNER: 403},
    # A tasking request: its neighbourhood's team, the force's tasking sergeants, and partners
    # it is shared with (this one is shared with none).
    "tasking request": {**EVERY_STAFF, OTHER_FORCE: 404, ANALYST: 404, PARTNER: 404},
    "tasking request by POST": {
        OTHER_FORCE: 404,
        ANALYST: 404,
        PARTNER: 404,
        OFFICER: 405,
        ADMINISTRATOR: 405,
    },
    # Approving or declining it: the force's tasking sergeants only.
    "tasking decision": {**EVERY_STAFF, OTHER_FORCE: 404, ANALYST: 404, PARTNER: 404, OFFICER: 403},
    # The tasking meeting: tasking sergeants and neighbourhood inspectors (none in this world).
    "tasking meeting": {**dict.fromkeys(EVERY_STAFF, 403), ADMINISTRATOR: 200},
    # A visit of a plan: the officer on it and those who may change the plan (the team).
    "tasking visit": {**EVERY_STAFF, OTHER_FORCE: 404, ANALYST: 404, PARTNER: 404},
    # A request's outcome: the force's tasking sergeants; the requesting team sees it only.
    "tasking outcome": {
        **EVERY_STAFF,
        OTHER_FORCE: 404,
        ANALYST: 404,
        PARTNER: 404,
        OFFICER: 403,
    },
    # Tasking's results: tasking sergeants and neighbourhood teams (their own), not partners
    # or analysts, who see no plan.
    "tasking team": {**EVERY_STAFF, ANALYST: 403, PARTNER: 403},
    # Partnerships (issue 16): the police and the council are members of the world's partnership.
    # Setting one up: administrators (here, only the superuser).
    "partnership create": {**dict.fromkeys(EVERY_STAFF, 403), ADMINISTRATOR: 200},
    # A partnership's pages, its meetings, and an action of one of its members: its people.
    "partnership": {**EVERY_STAFF, OTHER_FORCE: 404},
    # Its set-up: administrators of a member organisation (here, only the superuser).
    "partnership set up": {
        OTHER_FORCE: 404,
        ANALYST: 403,
        PARTNER: 403,
        OFFICER: 403,
        ADMINISTRATOR: 200,
    },
    "partnership set up by POST": {
        OTHER_FORCE: 404,
        ANALYST: 403,
        PARTNER: 403,
        OFFICER: 403,
        ADMINISTRATOR: 405,
    },
    # Its meetings and minutes: its planners (analysts, partner agency workers, inspectors).
    "partnership plan": {**EVERY_STAFF, OTHER_FORCE: 404, OFFICER: 403},
    # A partnership's plan (issue 16): its member organisations' people. This world's
    # partnership has only the fire service as a member (no one here works there), so that no
    # kind of user who must change nothing could plan (partners and analysts of a member may):
    # tests/partnerships/test_partnerships_plan_pages.py checks each role of a member.
    "partnership strategy": {**dict.fromkeys(EVERY_STAFF, 404), ADMINISTRATOR: 200},
    "partnership strategy by POST": {**dict.fromkeys(EVERY_STAFF, 404), ADMINISTRATOR: 405},
    # Surveys (issue 17): the force's survey. Starting one: those who run surveys (analysts,
    # inspectors, administrators of a force); the other force's officer and partners do not.
    "survey create": {**dict.fromkeys(EVERY_STAFF, 403), ANALYST: 200, ADMINISTRATOR: 200},
    # Its overview and waves: everyone with a role in its force.
    "survey": {**EVERY_STAFF, OTHER_FORCE: 404},
    # Building and running it, and who asked to be contacted: those who run surveys in its force.
    "survey manage": {**EVERY_STAFF, OTHER_FORCE: 404, PARTNER: 403, OFFICER: 403},
    "survey manage by POST": {
        OTHER_FORCE: 404,
        ANALYST: 405,
        PARTNER: 403,
        OFFICER: 403,
        ADMINISTRATOR: 405,
    },
}
ACCESS = {
    "staff": "list",
    "staff-neighbourhoods": "force",
    "enquiries:staff-list": "list",
    "enquiries:staff-detail": "question",
    "enquiries:staff-publish": "question by POST",
    "enquiries:staff-unpublish": "question by POST",
    "enquiries:staff-close": "question by POST",
    "enquiries:outbox": "administrators",
    "workspace:dashboard": "list",
    "workspace:guarantee": "list",
    "teams:team": "neighbourhood",
    "teams:priorities": "neighbourhood",
    "teams:events": "neighbourhood",
    "teams:team-contact": "change",
    "teams:team-member-add": "change",
    "teams:team-member-edit": "change",
    "teams:team-member-delete": "change",
    "teams:priority-add": "change",
    "teams:priority-edit": "change",
    "teams:priority-delete": "change",
    "teams:priority-review": "change by POST",
    "teams:event-add": "change",
    "teams:event-edit": "change",
    "teams:event-delete": "change",
    "analytics:index": "list",
    "analytics:hotspots": "list",
    "analytics:trends": "list",
    "analytics:harm-weights": "list",
    "analytics:forecast": "list",
    "analytics:hotspots-download": "download",
    "analytics:forecast-download": "download",
    "operations:list": "list",
    "operations:create": "plan",
    "operations:detail": "operation",
    "operations:evaluation": "operation",
    "operations:edit": "change",
    "operations:partner-add": "change",
    "operations:publish": "change by POST",
    "operations:partner-remove": "change by POST",
    "operations:activity-add": "contribute",
    "operations:activity-edit": "change",
    "operations:activity-delete": "change",
    "operations:surgery-moderate": "contribute",
    "operations:results": "operation",
    "operations:summary-pdf": "operation",
    "operations:posts": "operation",
    "operations:activity-results": "change",
    "operations:routes": "operation",
    "operations:route-sheet": "operation",
    "operations:route-log": "contribute",
    "operations:route-visits": "JSON by POST",
    "tasking:request-list": "list",
    "tasking:request-create": "tasking ask",
    "tasking:request-cells": "download",
    "tasking:request-detail": "tasking request",
    "tasking:request-edit": "tasking request",
    "tasking:request-share": "tasking request",
    "tasking:request-withdraw": "tasking request by POST",
    "tasking:request-decide": "tasking decision",
    "tasking:meeting": "tasking meeting",
    "tasking:plan-list": "list",
    "tasking:plan-make": "make a patrol plan",
    "tasking:plan-detail": "patrol plan",
    "tasking:plan-change": "patrol plan",
    "tasking:plan-issue": "patrol plan by POST",
    "tasking:plan-officer": "patrol plan",
    "tasking:plan-briefing": "patrol plan",
    "tasking:plan-calendar": "patrol plan",
    "tasking:my-shift": "list",
    "tasking:index": "tasking",
    "tasking:officers": "tasking",
    "tasking:officer-create": "tasking sergeant",
    "tasking:officer-edit": "tasking change",
    "tasking:officer-status": "tasking change by POST",
    "tasking:stations": "tasking",
    "tasking:station-create": "tasking sergeant",
    "tasking:station-edit": "tasking change",
    "tasking:rota": "tasking",
    "tasking:rota-add": "tasking sergeant",
    "tasking:duty-remove": "tasking change by POST",
    # Longton's team records its officers' abstractions.
    "tasking:abstractions": "tasking",
    "tasking:abstraction-delete": "change by POST",
    "tasking:links": "tasking",
    "tasking:link-set": "tasking change",
    "tasking:visit-result": "tasking visit",
    "tasking:request-outcome": "tasking outcome",
    "tasking:results": "tasking team",
    "tasking:evaluation": "tasking team",
    "partnerships:partnership_list": "list",
    "partnerships:partnership_create": "partnership create",
    "partnerships:partnership_actions": "list",
    # The police's action: its people (the officer), and the partnership's planners.
    "partnerships:partnership_action": "partnership",
    "partnerships:partnership_detail": "partnership",
    "partnerships:partnership_edit": "partnership set up",
    "partnerships:partnership_members": "partnership set up",
    "partnerships:partnership_member_remove": "partnership set up by POST",
    "partnerships:partnership_member_change": "partnership set up",
    "partnerships:partnership_groups": "partnership set up",
    "partnerships:meeting_schedule": "partnership plan",
    "partnerships:meeting_detail": "partnership",
    "partnerships:meeting_minutes": "partnership plan",
    "partnerships:plan_list": "partnership strategy",
    "partnerships:plan_create": "partnership strategy",
    "partnerships:plan_detail": "partnership strategy",
    "partnerships:plan_edit": "partnership strategy",
    "partnerships:plan_progress": "partnership strategy",
    "partnerships:plan_publish": "partnership strategy by POST",
    "partnerships:plan_move": "partnership strategy by POST",
    "partnerships:plan_remove": "partnership strategy by POST",
    "partnerships:plan_priority_new": "partnership strategy",
    "partnerships:plan_priority_edit": "partnership strategy",
    "partnerships:plan_objective_new": "partnership strategy",
    "partnerships:plan_objective_edit": "partnership strategy",
    "partnerships:plan_action_new": "partnership strategy",
    "partnerships:plan_action_edit": "partnership strategy",
    "partnerships:plan_measure_new": "partnership strategy",
    "partnerships:plan_measure_edit": "partnership strategy",
    # Assessing any area one may see: the form is for every member of staff.
    "partnerships:assessment_any": "list",
    "partnerships:assessment_list": "partnership",
    "partnerships:assessment_detail": "partnership",
    "survey_margins": "survey",
    "survey_margins_template": "survey",
    "survey_results": "survey",
    "survey_wave_results": "survey",
    "survey_priority_links": "survey manage",
    "survey_list": "list",
    "survey_create": "survey create",
    "survey_detail": "survey",
    "survey_edit": "survey manage",
    "survey_question_bank": "survey manage",
    "survey_question_new": "survey manage",
    "survey_question_edit": "survey manage",
    "survey_question_move": "survey manage by POST",
    "survey_question_retire": "survey manage by POST",
    "survey_question_delete": "survey manage",
    "survey_wave_new": "survey manage",
    "survey_wave": "survey",
    "survey_wave_open": "survey manage",
    "survey_wave_close": "survey manage by POST",
    "survey_wave_publish": "survey manage by POST",
    "survey_wave_delete": "survey manage",
    "survey_invitations": "survey manage",
    "survey_contacts": "survey manage",
    "survey_import": "survey manage",
    "survey_import_mapping": "survey manage",
    "survey_import_check": "survey manage",
}
# Rows a refused request may add or touch without changing anything: the signed-in sessions,
# the record of refused requests for contact details (tested in tests/enquiries), and the
# rate-limit buckets.
NOT_SNAPSHOT = {"sessions.Session", "enquiries.ContactDetailAccess", "core.RateBucket"}


@dataclass
class World:
    longton: Neighbourhood
    question: Question
    member: TeamMember
    priority: Priority
    event: Event
    users: dict[str, User | None] = field(default_factory=dict)
    operation: Operation | None = None
    surgery: Activity | None = None
    route: VisitRoute | None = None
    tasking_request: TaskingRequest | None = None
    patrol_plan: PatrolPlan | None = None
    tasking: TaskingRows | None = None
    tasking_visit: PlanVisit | None = None
    approved_request: TaskingRequest | None = None
    partnership: PartnershipRows | None = None
    partnership_plan: PartnershipPlan | None = None
    survey: SurveyRows | None = None


@dataclass(frozen=True)
class TaskingRows:
    station: Station
    officer: Officer
    duty: Duty
    abstraction: Abstraction


@dataclass(frozen=True)
class PartnershipRows:
    partnership: Partnership
    member: PartnershipMember
    meeting: Meeting
    action: Action
    assessment: Assessment


@dataclass(frozen=True)
class SurveyRows:
    survey: Survey
    wave: Wave
    question: SurveyQuestion


@dataclass(frozen=True)
class Page:
    route: str
    name: str
    url: str
    model_admin: ModelAdmin | None  # type: ignore[type-arg]
    object_id: str | None = None  # the row an admin page names


def _row_visible(world: World, kind: str, page: Page) -> bool:
    """Whether the row an admin page names is one the model's admin lets ``kind`` find (its
    queryset may be scoped, as the questions' is); a made-up id is found by no one."""
    model_admin = page.model_admin
    assert model_admin is not None
    request = RequestFactory().get(page.url)
    request.user = world.users[kind]  # type: ignore[assignment]
    return model_admin.get_object(request, unquote(str(page.object_id))) is not None


def _user(username: str, **flags: bool) -> User:
    return user_create(username=username, password=None, **flags)


def _member(
    username: str, organisation: Any, role: str, *, staff: bool = True, **scope: Any
) -> User:
    user = _user(username, is_staff=staff)
    membership_grant(user=user, organisation=organisation, role=role, **scope)
    return user


@pytest.fixture
def world(django_capture_on_commit_callbacks: Any) -> World:
    staffs = Force.objects.get(pk="staffordshire")
    cheshire = Force.objects.get(pk="cheshire")
    longton = Neighbourhood.objects.create(force=staffs, code="longton", name="Longton")
    Neighbourhood.objects.create(force=cheshire, code="crewe", name="Crewe")
    police = organisation_create(
        name="Staffordshire Police", kind=OrganisationKind.POLICE_FORCE, force=staffs
    )
    constabulary = organisation_create(
        name="Cheshire Constabulary", kind=OrganisationKind.POLICE_FORCE, force=cheshire
    )
    council = organisation_create(
        name="Stoke-on-Trent City Council", kind=OrganisationKind.LOCAL_AUTHORITY, force=staffs
    )
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=False):
        question = question_ask(
            neighbourhood=longton,
            kind="question",
            subject="Parking on the pavement",
            body="Cars park on the pavement every evening.",
            name="Pat Resident",
            email="pat@example.org",
        )
        outgoing_email_queue(to="team@example.police.uk", subject="A notice", body="Hello")
    Group.objects.create(name="Walkers")
    teams.neighbourhood_contact_set(neighbourhood=longton, contact_details={"telephone": "101"})
    world = World(
        longton=longton,
        question=question,
        member=teams.team_member_create(neighbourhood=longton, name="Jo Bloggs", rank="PC"),
        priority=teams.priority_create(
            neighbourhood=longton, issue="<p>Speeding</p>", issue_date=now
        ),
        event=teams.event_create(
            neighbourhood=longton,
            title="Surgery",
            start=now + timedelta(days=2),
            end=now + timedelta(days=2, hours=1),
        ),
    )
    officer = Role.NEIGHBOURHOOD_OFFICER
    world.users = {
        VISITOR: None,
        NO_STAFF: _user("rita"),
        ATTACKER: _member("mallory", police, officer, staff=False, neighbourhoods=[longton]),
        OTHER_FORCE: _member("carol", constabulary, officer),
        ANALYST: _member("ana", police, Role.ANALYST),
        PARTNER: _member("pat", council, Role.PARTNER),
        OFFICER: _member("olu", police, officer, neighbourhoods=[longton]),
        ADMINISTRATOR: _user("root", is_superuser=True),
    }
    world.operation, world.surgery = _operation(police, council, world.users[OFFICER], longton)
    world.route = _route(world.operation, police)
    world.tasking = _tasking(staffs, longton)
    world.tasking_request = _tasking_request(world)
    world.patrol_plan = _patrol_plan(staffs, longton)
    world.approved_request, world.tasking_visit = _tasking_visit(world.users[OFFICER], longton)
    world.partnership = _partnership(police, council)
    world.partnership_plan = _partnership_plan()
    world.survey = _survey(staffs, longton)
    # A row of the contact-detail record, so its admin pages name a real one.
    contact_shown_record(
        requester=Requester(user=world.users[ADMINISTRATOR]),  # type: ignore[arg-type]
        question=question,
        purpose=ContactPurpose.ANSWERING,
    )
    return world


def _operation(
    police: Any, council: Any, lead: Any, longton: Neighbourhood
) -> tuple[Operation, Activity]:
    """Longton's week, led by the police with the council as partner, and its online surgery
    (the police's alone: the council's worker may not change it)."""
    today = timezone.localdate()
    operation = operations.operation_create(
        by=lead,
        details=operations.OperationDetails(
            name="Longton week of action",
            kind=OperationKind.objects.get(slug="week-of-action"),
            lead=lead,
            lead_organisation=police,
            first_day=today,
            last_day=today + timedelta(days=5),
            public=True,
            area_choice=AreaChoice.LSOAS,
            lsoa_codes=[Lsoa.objects.create(code="E01014220", census_year=2011).code],
        ),
    )
    operations.partner_add(operation=operation, organisation=council, contact_name="Dee")
    start = timezone.now() + timedelta(days=1)
    surgery = operations.activity_create(
        operation=operation,
        details=operations.ActivityDetails(
            type=ActivityType.ONLINE_SURGERY,
            title="Online surgery",
            start=start,
            end=start + timedelta(hours=1),
            online=True,
            joining_details="On the surgery page",
            public=True,
            organisations=[police],
        ),
    )
    return operation, surgery


def _survey(staffs: Force, longton: Neighbourhood) -> SurveyRows:
    """Longton's survey, its one wave closed and its question asked (so locked). A POST the
    walk's data would let through for its analyst still changes nothing: the wave can be
    neither opened, closed nor deleted, the question neither changed nor deleted, and the
    buttons' POSTs (move, retire, publish) need a field the walk does not send."""
    survey = survey_create(
        force=staffs,
        title="Longton Listens",
        slug="longton-listens",
        purpose="How safe you feel.",
        privacy_notice="Kept for a year.",
        neighbourhoods=[longton],
    )
    question = question_from_bank_add(survey=survey, key="safe-after-dark")
    today = timezone.localdate()
    wave = wave_create(survey=survey, name="Spring", opens_on=today, closes_on=today)
    wave_close(wave=wave_open(wave=wave))
    wave.refresh_from_db()
    return SurveyRows(survey, wave, question)


def _partnership(police: Any, council: Any) -> PartnershipRows:
    """Stoke-on-Trent's partnership: the police and the council are members; a JAG meeting,
    and an action of the police's."""
    partnership = Partnership.objects.create(name="Safer City", slug="safer-city")
    PartnershipAuthority.objects.create(partnership=partnership, name="Stoke-on-Trent")
    member = PartnershipMember.objects.create(partnership=partnership, organisation=police)
    PartnershipMember.objects.create(partnership=partnership, organisation=council)
    group = PartnershipGroup.objects.create(
        partnership=partnership, kind=GroupKind.JAG, name="North JAG"
    )
    meeting = Meeting.objects.create(group=group, starts_at=timezone.now() - timedelta(days=1))
    action = Action.objects.create(
        partnership=partnership,
        meeting=meeting,
        description="Patrol the park",
        owner=police,
        due=timezone.localdate() + timedelta(days=7),
    )
    assessment = Assessment.objects.create(
        partnership=partnership,
        area_label=partnership.name,
        year=2025,
        data_version="files-0",
        summary={"categories": {"all-crime": {"label": "All crime and ASB", "count": 0}}},
    )
    return PartnershipRows(partnership, member, meeting, action, assessment)


def _route(operation: Operation, police: Any) -> VisitRoute:
    """A walking route of the week's door-to-door visits (the police's and, as the lead's
    partner, the council's to log)."""
    start = timezone.now() + timedelta(days=2)
    doors = Activity.objects.create(
        operation=operation,
        type=ActivityType.DOOR_TO_DOOR,
        title="Door-to-door visits",
        start=start,
        end=start + timedelta(hours=4),
        venue_name="Longton streets",
    )
    doors.organisations.set([police])
    stop = {"postcode": "ST3 1AA", "latitude": 52.99, "longitude": -2.14, "households": 4}
    return VisitRoute.objects.create(activity=doors, number=1, stops=[stop], households=4)


def _partnership_plan() -> PartnershipPlan:
    """A partnership whose only member organisation is the fire service, with a plan that has
    one of each part."""
    fire = organisation_create(
        name="Staffordshire Fire and Rescue Service", kind=OrganisationKind.FIRE_AND_RESCUE
    )
    partnership = Partnership.objects.create(name="Fire Plan Partnership", slug="fire-plan")
    PartnershipMember.objects.create(partnership=partnership, organisation=fire)
    plan = PartnershipPlan.objects.create(
        partnership=partnership, title="Plan", year_from=2026, year_to=2028
    )
    priority = PlanPriority.objects.create(plan=plan, title="Violent crime")
    objective = Objective.objects.create(priority=priority, text="Fewer violent crimes")
    Action.objects.create(
        partnership=partnership,
        objective=objective,
        description="Patrols",
        owner=fire,
        due=timezone.localdate(),
    )
    Measure.objects.create(
        objective=objective, indicator="all-crime/count", baseline_year=2025, baseline=1, target=1
    )
    return plan


def _tasking_request(world: World) -> TaskingRequest:
    """Longton's request to the tasking team, made by its officer and shared with no one."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    return request_create(
        user=world.users[OFFICER],  # type: ignore[arg-type]
        neighbourhood=world.longton,
        details=RequestDetails(
            title="Speeding on the high street",
            problem="Speeding every evening.",
            link=ProblemLink.PRIORITY,
            priority=world.priority,
            cells=["E391000N343500"],
            first_day=tomorrow,
            last_day=tomorrow,
            hours_from=time(18),
            hours_to=time(20),
            tactic=Tactic.HIGH_VISIBILITY,
            officers_wanted=1,
            minutes_wanted=30,
            evidence="Residents' speed watch.",
        ),
    )


def _patrol_plan(force: Force, longton: Neighbourhood) -> PatrolPlan:
    """Longton team's plan for tomorrow's early shift: one officer, one visit."""
    station = Station.objects.get(force=force, name="Longton")  # made by ``_tasking``
    officer = Officer.objects.create(
        force=force,
        collar_number="1234",
        name="PC Shah",
        rank=Rank.CONSTABLE,
        unit=Unit.NPT,
        neighbourhood=longton,
        station=station,
    )
    kind = ShiftKind.objects.get(force=force, slug="early")  # made by ``_tasking``
    day = timezone.localdate() + timedelta(days=1)
    starts, ends = shift_times(kind=kind, day=day)
    Duty.objects.create(officer=officer, date=day, shift_kind=kind, starts=starts, ends=ends)
    plan = PatrolPlan.objects.create(
        force=force,
        unit=Unit.NPT,
        neighbourhood=longton,
        date=day,
        shift_kind=kind,
        starts=starts,
        ends=ends,
        rules={"visit_minutes": 15},
    )
    place = PlanPlace.objects.create(
        plan=plan,
        key="E393000N343000",
        easting=393000,
        northing=343000,
        latitude=52.99,
        longitude=-2.14,
        value=1.0,
        neighbourhood=longton,
        reasons={"harm_shift": 1.0, "harm_month": 90.0, "forecast_month": "2026-01"},
    )
    visit_start = starts + timedelta(hours=1)
    PlanVisit.objects.create(
        plan=plan,
        officer=officer,
        place=place,
        order=1,
        starts=visit_start,
        ends=visit_start + timedelta(minutes=15),
    )
    return plan


def _tasking(force: Force, longton: Neighbourhood) -> TaskingRows:
    """Longton's neighbourhood officer on today's early shift, with two hours of it abstracted."""
    station = tasking_resources.station_create(
        force=force, name="Longton", latitude=52.988, longitude=-2.133
    )
    officer = tasking_resources.officer_create(
        force=force,
        details=tasking_resources.OfficerDetails(
            collar_number="3100",
            name="Jo Bloggs",
            rank=Rank.CONSTABLE,
            unit=Unit.NPT,
            station=station,
            neighbourhood=longton,
        ),
    )
    today = timezone.localdate()
    early = shift_kinds_ensure(force=force)[0]
    duty = rosters.duty_add(officer=officer, kind=early, day=today)
    abstraction = rosters.abstraction_record(
        officer=officer, day=today, reason="training", hours=Decimal(2)
    )
    return TaskingRows(station=station, officer=officer, duty=duty, abstraction=abstraction)


def _tasking_visit(officer: Any, longton: Neighbourhood) -> tuple[TaskingRequest, PlanVisit]:
    """Longton's approved request to the tasking team, and a visit yesterday in Longton's own
    patrol plan by a PCSO without an account (the team may log it)."""
    staffs = longton.force
    yesterday = timezone.localdate() - timedelta(days=1)
    request = TaskingRequest.objects.create(
        force=staffs,
        neighbourhood=longton,
        requested_by=officer,
        title="Car crime on Uttoxeter Road",
        problem="Cars broken into at night.",
        link="hotspot",
        first_day=yesterday,
        last_day=yesterday,
        hours_from=time(7),
        hours_to=time(15),
        tactic="high_visibility",
        officers_wanted=1,
        minutes_wanted=30,
        evidence="Twelve thefts in a month.",
        status="approved",
        decided_at=timezone.now(),
    )
    early = next(kind for kind in shift_kinds_ensure(force=staffs) if kind.slug == "early")
    starts, ends = shift_times(kind=early, day=yesterday)
    station = Station.objects.get(force=staffs, name="Longton")  # made by ``_tasking``
    pcso = Officer.objects.create(
        force=staffs,
        collar_number="7001",
        name="Sam Lee",
        rank="pcso",
        unit="npt",
        neighbourhood=longton,
        station=station,
    )
    plan = PatrolPlan.objects.create(
        force=staffs,
        unit="npt",
        neighbourhood=longton,
        date=yesterday,
        shift_kind=early,
        starts=starts,
        ends=ends,
    )
    place = PlanPlace.objects.create(
        plan=plan,
        key="E391000N343000",
        easting=391000,
        northing=343000,
        latitude=52.99,
        longitude=-2.13,
        value=1.0,
        neighbourhood=longton,
    )
    visit = PlanVisit.objects.create(
        plan=plan,
        officer=pcso,
        place=place,
        order=0,
        starts=starts + timedelta(hours=1),
        ends=starts + timedelta(hours=1, minutes=15),
    )
    return request, visit


# --- The pages, from the URL resolver ---------------------------------------------------------


def _routes(
    patterns: list[Any], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, Any]]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern).lstrip("^")
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, f"{namespace}{pattern.name or ''}", pattern


def _argument(world: World, route: str, name: str, model_admin: Any) -> str:
    """A real value for one URL argument, so that a refusal is the access check, not a 404 for
    an id that does not exist (the admin's models that hold no row here get a made-up id)."""
    if name == "pk" and route.endswith("<int:pk>/routes/") and world.route is not None:
        return str(world.route.activity_id)  # a door-to-door activity's routes
    if name == "pk" and route.endswith("requests/<int:pk>/outcome/"):
        return str(world.approved_request.pk)  # an outcome is set on an approved request
    if name == "pk":
        segment = route.split("<int:pk>")[0].rstrip("/").rsplit("/", 1)[-1]
        rows = {
            "neighbourhoods": world.longton,
            "team": world.member,
            "priorities": world.priority,
            "events": world.event,
            "operations": world.operation,
            "activities": world.surgery,
            "routes": world.route,
            "partners": world.operation.partners.first() if world.operation else None,
            "requests": world.tasking_request,
            "plans": world.patrol_plan,
            "stations": world.tasking.station if world.tasking else None,
            "officers": world.tasking.officer if world.tasking else None,
            "duties": world.tasking.duty if world.tasking else None,
            "abstractions": world.tasking.abstraction if world.tasking else None,
            "links": world.longton,
            "visits": world.tasking_visit,
            "members": world.partnership.member if world.partnership else None,
            "questions": world.survey.question if world.survey else None,
            "meetings": world.partnership.meeting if world.partnership else None,
            "actions": world.partnership.action if world.partnership else None,
            "assessments": world.partnership.assessment if world.partnership else None,
        }
        row = rows[segment]  # a KeyError: a new kind of page needs a row here
        assert row is not None
        return str(row.pk)
    if name in {"object_id", "id"}:
        model = model_admin.model if model_admin is not None else Neighbourhood
        first = model._default_manager.order_by("pk").first()
        return str(first.pk if first is not None else MADE_UP_ID)
    values = {
        "reference": world.question.reference,
        "force_id": "staffordshire",
        "content_type_id": str(ContentType.objects.get_for_model(Neighbourhood).pk),
        "app_label": "enquiries",
        "url": "no-such-page/",
        "officer_pk": str(world.patrol_plan.visits.get().officer_id) if world.patrol_plan else "",
        "slug": world.partnership.partnership.slug if world.partnership else "",
        **_partnership_arguments(world.partnership_plan, route),
        **_survey_arguments(world.survey, route),
    }
    return values[name]


def _survey_arguments(rows: SurveyRows | None, route: str) -> dict[str, str]:
    """The survey's slug for the survey pages' routes (the partnerships' use their own), and
    its wave's."""
    if rows is None or not route.startswith("staff/surveys/"):
        return {}
    return {"slug": rows.survey.slug, "wave": rows.wave.slug}


def _partnership_arguments(plan: PartnershipPlan | None, route: str) -> dict[str, str]:
    """The plan world's arguments; its partnership's slug for the plan's own routes only (the
    other partnership routes are walked in the partnership of ``_partnership``)."""
    if plan is None:
        return {}
    measure = Measure.objects.get(objective__priority__plan=plan)
    slugs = {"slug": plan.partnership.slug} if "/plans/" in route else {}
    return {
        **slugs,
        "plan_pk": str(plan.pk),
        "priority_pk": str(measure.objective.priority_id),
        "objective_pk": str(measure.objective_id),
        "action_pk": str(Action.objects.get(objective__priority__plan=plan).pk),
        "measure_pk": str(measure.pk),
    }


def _url(world: World, route: str, model_admin: Any) -> str:
    def fill(match: re.Match[str]) -> str:
        return _argument(world, route, match.group("name"), model_admin)

    url = re.sub(r"\(\?P<(?P<name>\w+)>[^)]*\)", fill, route)  # a regular expression's group
    url = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", fill, url)  # a path converter
    return "/" + url.rstrip("$")


def _model_admin(route: str) -> ModelAdmin | None:  # type: ignore[type-arg]
    """The admin of the model whose pages ``route`` is one of (``admin/<app>/<model>/...``)."""
    parts = route.split("/")
    if parts[0] != "admin" or len(parts) < 3:
        return None
    registry = {(m._meta.app_label, m._meta.model_name): a for m, a in admin.site._registry.items()}
    return registry.get((parts[1], parts[2]))


def staff_pages(world: World) -> list[Page]:
    pages = []
    for route, name, pattern in _routes(get_resolver().url_patterns):
        if not route.startswith(PREFIXES) or name in NOT_STAFF_PAGES:
            continue
        model_admin = _model_admin(route)
        url = _url(world, route, model_admin)
        assert resolve(url).func is pattern.callback, f"{url} does not reach {route}"
        object_id = resolve(url).kwargs.get("object_id")
        pages.append(Page(route, name, url, model_admin, object_id))
    return pages


# --- What each kind of user must get ----------------------------------------------------------


def _sent_to_sign_in(response: Any, page: Page) -> bool:
    sign_in = "/admin/login/" if page.url.startswith("/admin/") else "/accounts/login/"
    return response.status_code == 302 and response["Location"].startswith(sign_in)


def _admin_expected(world: World, kind: str, page: Page, method: str) -> int:
    """The admin: its site-wide pages for every member of staff; a model's pages as the
    model's admin allows (no member of staff here but the administrator holds a Django
    permission)."""
    if page.model_admin is None:
        return _admin_site_expected(kind, page, method)
    action = page.name.rsplit("_", 1)[-1]
    if page.name == "admin:":
        return 302  # "<id>/" sends you on to "<id>/change/"
    found = page.object_id is None or _row_visible(world, kind, page)
    if action == "history" and not found:
        return 302  # for a row it cannot find, Django sends everyone to the admin's index first
    if kind != ADMINISTRATOR:
        return 403
    return _administrator_expected(page, action, found)


def _admin_site_expected(kind: str, page: Page, method: str) -> int:
    site = {
        "admin:index": 200,
        "admin:password_change": 200,
        "admin:password_change_done": 200,
        "admin:jsi18n": 200,
        "admin:autocomplete": 403 if method == "GET" else 405,  # GET without its questions
        "admin:view_on_site": 404,  # a neighbourhood has no page of its own to go to
        "admin:app_list": 200 if kind == ADMINISTRATOR else 404,
        "admin:": 404,  # the catch-all: no such admin page
    }
    return site[page.name]


def _administrator_expected(page: Page, action: str, found: bool) -> int:
    model_admin = page.model_admin
    assert model_admin is not None
    administrator = User(is_superuser=True, is_active=True, is_staff=True)
    request = type("Request", (), {"user": administrator})()
    allowed = {
        "add": model_admin.has_add_permission(request),
        "delete": model_admin.has_delete_permission(request),
    }
    if action in allowed and not allowed[action]:
        return 403  # imported data and the contact-detail record: nobody adds or deletes
    if action in {"change", "delete"} and not found:
        return 302
    return 200


def expected(world: World, kind: str, page: Page, method: str = "GET") -> int:
    if kind == VISITOR or (kind in NOT_STAFF and page.url.startswith("/admin/")):
        return 302
    if kind in NOT_STAFF:
        return 403
    if page.url.startswith("/admin/"):
        return _admin_expected(world, kind, page, method)
    assert page.name in ACCESS, (
        f"{page.route} ({page.name}) is a staff page the walk does not know: add it to ACCESS"
    )
    return EXPECTED[ACCESS[page.name]][kind]


def _client(world: World, kind: str) -> Client:
    client = Client()
    user = world.users[kind]
    if user is not None:
        client.force_login(user)
    return client


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, but those a refused request may touch (``NOT_SNAPSHOT``)."""
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.label not in NOT_SNAPSHOT and model._meta.managed
    }


def would_change(world: World) -> dict[str, Any]:
    """A POST every staff page would act on if it let the request through: valid workspace
    forms, an answer, an admin delete confirmation, a password change."""
    start = timezone.localtime() + timedelta(days=5)
    return {
        "name": "Intruder",
        "rank": "PC",
        "order": "1",
        "email": "intruder@example.org",
        "telephone": "101",
        "issue": "Changed by the walk",
        "issue_date_day": "1",
        "issue_date_month": "1",
        "issue_date_year": "2025",
        "title": "Changed",
        "type": "meeting",
        "address": "Somewhere",
        "start_date_day": str(start.day),
        "start_date_month": str(start.month),
        "start_date_year": str(start.year),
        "start_time": "10:00",
        "end_time": "11:00",
        "answer": "An answer from someone who must not answer.",
        "publish": "on",
        "post": "yes",
        "new_password1": "a new password for the walk",
        "new_password2": "a new password for the walk",
    }


# --- The walk ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_every_staff_page_answers_each_kind_of_user_as_expected(world: World, kind: str) -> None:
    client = _client(world, kind)
    wrong = []
    for page in staff_pages(world):
        response = client.get(page.url)
        want = expected(world, kind, page)
        if response.status_code != want:
            wrong.append(f"GET {page.url} ({page.name}): {response.status_code}, expected {want}")
        elif kind in NOT_STAFF and want == 302 and not _sent_to_sign_in(response, page):
            wrong.append(f"GET {page.url}: sent to {response['Location']}, not to sign in")
    assert wrong == []


@pytest.mark.parametrize("kind", [*NOT_STAFF, *CANNOT_CHANGE])
def test_no_refused_post_changes_anything(world: World, kind: str) -> None:
    client = _client(world, kind)
    data = would_change(world)
    before = snapshot()
    wrong = []
    for page in staff_pages(world):
        response = client.post(page.url, data)
        want = expected(world, kind, page, "POST")
        refused = kind in NOT_STAFF or want in {403, 404}
        if refused and response.status_code != want:
            wrong.append(f"POST {page.url} ({page.name}): {response.status_code}, expected {want}")
    assert wrong == []
    assert snapshot() == before
    world.question.refresh_from_db()
    assert world.question.status == QuestionStatus.OPEN


def test_the_same_posts_change_things_for_the_neighbourhoods_officer(world: World) -> None:
    """The positive control: the walk's POST is valid, so the refusals above are the checks."""
    client = _client(world, OFFICER)
    data = would_change(world)
    pages = {page.name: page for page in staff_pages(world)}

    answered = client.post(pages["enquiries:staff-detail"].url, data)
    edited = client.post(pages["teams:priority-edit"].url, data)

    assert answered.status_code == 302
    world.question.refresh_from_db()
    assert world.question.status == QuestionStatus.ANSWERED
    assert world.question.answer == data["answer"]
    assert edited.status_code == 302
    world.priority.refresh_from_db()
    assert world.priority.issue == "<p>Changed by the walk</p>"


def test_the_same_post_deletes_in_the_admin_for_an_administrator(world: World) -> None:
    """The admin's positive control: its delete confirmation in the walk's POST is valid."""
    pages = {page.name: page for page in staff_pages(world)}

    response = _client(world, ADMINISTRATOR).post(
        pages["admin:teams_event_delete"].url, would_change(world)
    )

    assert response.status_code == 302
    assert not Event.objects.filter(pk=world.event.pk).exists()


def test_the_attacker_is_refused_and_recorded_but_the_visitor_leaves_no_trace(world: World) -> None:
    attacker = _client(world, ATTACKER)
    detail = f"/staff/questions/{world.question.reference}/"

    assert attacker.get(detail).status_code == 403
    assert attacker.post(detail, would_change(world)).status_code == 403
    assert _client(world, VISITOR).get(detail).status_code == 302

    refused = ContactDetailAccess.objects.exclude(user__is_superuser=True)
    assert list(refused.values_list("user__username", "outcome")) == [
        ("mallory", "refused"),
        ("mallory", "refused"),
    ]


def test_the_walk_reaches_every_kind_of_staff_page(world: World) -> None:
    """The walk is only as good as the pages it finds: every Beatbook staff page and the
    admin's pages for every model."""
    names = {page.name for page in staff_pages(world)}
    models = {page.model_admin.model for page in staff_pages(world) if page.model_admin}

    assert set(ACCESS) <= names
    assert models == set(admin.site._registry)
