"""What the browser tests share besides fixtures: a police member who can sign in, the
sign-in form they fill in with the same password, and the emptying of the contact-detail record
that a browser test must do before its database is flushed."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from beatbook.accounts.models import OrganisationKind, User
from beatbook.accounts.services import membership_grant, organisation_create, user_create
from beatbook.demo.bundle import CREWE_WEST_LSOAS, FORCE_ID
from beatbook.demo.loader import demo_data_load
from beatbook.demo.people import demo_admin_ensure, demo_organisations_ensure
from beatbook.demo.sample_operations import demo_operations_refresh
from beatbook.demo.sample_partnership import demo_partnership_ensure
from beatbook.demo.sample_partnership_plan import (
    demo_partnership_assessment_ensure,
    demo_partnership_plan_ensure,
)
from beatbook.demo.sample_questions import demo_questions_refresh
from beatbook.demo.sample_surveys import demo_surveys_refresh
from beatbook.demo.sample_tasking import demo_tasking_refresh
from beatbook.demo.sample_tasking_work import demo_tasking_requests_refresh
from beatbook.demo.sample_teams import demo_teams_refresh
from beatbook.enquiries.models import ContactDetailAccess
from beatbook.places.models import Force, Neighbourhood

PASSWORD = "correct horse battery staple"


def police_member_create(
    *,
    force: Force,
    organisation_name: str,
    username: str,
    role: str,
    neighbourhoods: Iterable[Neighbourhood] = (),
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
) -> User:
    """A police force's organisation with one member in ``role``, who signs in with PASSWORD."""
    police = organisation_create(
        name=organisation_name, kind=OrganisationKind.POLICE_FORCE, force=force
    )
    member = user_create(
        username=username,
        password=PASSWORD,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff,
    )
    membership_grant(user=member, organisation=police, role=role, neighbourhoods=neighbourhoods)
    return member


def sign_in(page: Any, username: str) -> None:
    """Fill in and send the sign-in form on the page now open, with the shared password.

    Where the browser goes next is left to the test: it may follow ``next`` or wait elsewhere.
    """
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def contact_log_empty() -> None:
    """Delete every row of the contact-detail record, which the database keeps append-only.

    Only for a browser test's teardown: its database is emptied after each test, and the
    record's triggers refuse that (Beatbook itself never deletes a row). The triggers are set
    aside for the one DELETE, in one transaction, and are in place again after it.
    """
    table = ContactDetailAccess._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a fixed table name
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            return
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [table],
        )
        triggers = cursor.fetchall()
        for name, _ in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a fixed table name
        for _, sql in triggers:
            cursor.execute(sql)


def demo_site_make(*, password_file: Path) -> Any:
    """What ``beatbook demo`` makes: its data, sample teams, operations, the tasking team and
    its requests, questions, the perceptions survey, organisations, the partnership and its
    plan, and its administrator (returned, with ``password`` set to what was written to
    password_file)."""
    demo_data_load()
    demo_teams_refresh(force_id=FORCE_ID)
    demo_operations_refresh(force_id=FORCE_ID, crewe_lsoas=CREWE_WEST_LSOAS)
    demo_tasking_refresh(force_id=FORCE_ID)
    # Its requests, which are quick; not its patrol plans, which need a forecast (half a
    # minute) and which the demo makes in its background worker.
    demo_tasking_requests_refresh(force_id=FORCE_ID)
    demo_questions_refresh(force_id=FORCE_ID)
    demo_surveys_refresh(force_id=FORCE_ID)
    demo_organisations_ensure()
    partnership = demo_partnership_ensure()
    assessment = demo_partnership_assessment_ensure(partnership.partnership)
    demo_partnership_plan_ensure(partnership.partnership, assessment=assessment)
    return demo_admin_ensure(password_file=password_file)
