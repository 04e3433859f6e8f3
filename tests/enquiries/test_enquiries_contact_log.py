"""Every showing of a resident's name and e-mail is recorded: who, when, from which address
and browser, which question and why; every refusal is recorded as refused, and only what was
really shown counts as shown. The record keeps nothing of the resident, can be neither changed
nor deleted, on SQLite and PostgreSQL, and is read-only in the admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beatbook.accounts.models import Organisation, OrganisationKind, Role, User
from beatbook.accounts.services import membership_grant, user_create
from beatbook.enquiries.contact_log import Requester
from beatbook.enquiries.models import (
    ContactAccessOutcome,
    ContactDetailAccess,
    ContactPurpose,
    Question,
    QuestionStatus,
)
from beatbook.enquiries.selectors import question_contact_for

from .enquiries_world import PASSWORD, World, make_question

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"


def _detail(question: Question, action: str = "detail") -> str:
    return reverse(f"enquiries:staff-{action}", args=[question.reference])


def _show(user: User, question: Question, **requester: str) -> None:
    question_contact_for(
        requester=Requester(user=user, **requester),
        question=question,
        purpose=ContactPurpose.ANSWERING,
    )


def _browser(user: User) -> Client:
    client = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="198.51.100.7")
    client.force_login(user)
    return client


def test_showing_contact_details_records_who_when_which_why_and_from_where(world: World) -> None:
    question = make_question(world.longton)
    before = timezone.now()

    _show(world.alice, question, address="198.51.100.7", user_agent=BROWSER)

    access = ContactDetailAccess.objects.get()
    assert access.user == world.alice
    assert access.question_id == question.pk
    assert access.purpose == ContactPurpose.ANSWERING
    assert access.outcome == ContactAccessOutcome.SHOWN
    assert access.address == "198.51.100.7"
    assert access.user_agent == BROWSER
    assert before <= access.at <= timezone.now()


def test_a_refusal_is_recorded_as_refused_not_as_shown(world: World) -> None:
    question = make_question(world.longton)

    for outsider in (world.carol, world.dave):
        with pytest.raises(PermissionDenied):
            _show(outsider, question)

    outcomes = ContactDetailAccess.objects.order_by("id").values_list("user__username", "outcome")
    assert list(outcomes) == [("carol", "refused"), ("dave", "refused")]
    assert not ContactDetailAccess.objects.filter(outcome=ContactAccessOutcome.SHOWN).exists()


def test_an_unknown_purpose_is_refused_before_anything_is_shown(world: World) -> None:
    question = make_question(world.longton)

    with pytest.raises(ValueError, match="curiosity"):
        question_contact_for(
            requester=Requester(user=world.alice),
            question=question,
            purpose="curiosity",  # type: ignore[arg-type]
        )
    assert not ContactDetailAccess.objects.exists()


def test_each_opening_of_the_question_page_is_recorded_with_the_browser_and_address(
    world: World,
) -> None:
    question = make_question(world.longton, email="pat@example.org")
    client = _browser(world.alice)

    for _ in range(2):
        page = client.get(_detail(question)).content.decode()
        assert "pat@example.org" in page
    assert "your name and the time are recorded" in page

    accesses = ContactDetailAccess.objects.filter(question_id=question.pk)
    assert (
        list(accesses.values_list("user", "purpose", "outcome", "address", "user_agent"))
        == [(world.alice.pk, "answering", "shown", "198.51.100.7", BROWSER)] * 2
    )


def test_a_head_request_shows_nothing_and_is_not_counted_as_shown(world: World) -> None:
    question = make_question(world.longton, email="pat@example.org")
    client = _browser(world.alice)

    response = client.head(_detail(question))

    assert response.status_code == 200
    assert not ContactDetailAccess.objects.exists()


def test_an_answer_that_failed_shows_no_details_and_is_not_counted_as_shown(
    world: World,
) -> None:
    question = make_question(world.longton, email="pat@example.org")
    client = _browser(world.alice)

    response = client.post(_detail(question), {"answer": "   "})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter an answer" in page
    assert "pat@example.org" not in page
    assert "Pat Resident" not in page
    assert "Open the question again" in page
    assert not ContactDetailAccess.objects.exists()
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN


def test_a_page_that_fails_while_being_made_is_not_counted_as_shown(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = make_question(world.longton, email="pat@example.org")
    client = _browser(world.alice)

    def broken(self: Question) -> str:
        raise RuntimeError("the page could not be made")

    monkeypatch.setattr(Question, "get_kind_display", broken)
    with pytest.raises(RuntimeError, match="could not be made"):
        client.get(_detail(question))

    assert not ContactDetailAccess.objects.exists()


def test_every_refusal_is_recorded_with_who_and_from_where(world: World) -> None:
    question = make_question(world.longton, email="pat@example.org")
    carol = _browser(world.carol)  # another force's officer
    assert carol.get(_detail(question)).status_code == 404
    assert carol.post(_detail(question), {"answer": "Not ours"}).status_code == 404
    assert carol.post(_detail(question, "close")).status_code == 404
    assert _browser(world.dave).get(_detail(question)).status_code == 404  # a partner
    mallory = _member_without_staff_status(world)
    assert _browser(mallory).get(_detail(question)).status_code == 403
    assert _browser(mallory).post(_detail(question), {"answer": "Hi"}).status_code == 403

    refused = ContactDetailAccess.objects.order_by("id")
    assert list(refused.values_list("user__username", "question_id", "outcome")) == [
        ("carol", question.pk, "refused"),
        ("carol", question.pk, "refused"),
        ("carol", question.pk, "refused"),
        ("dave", question.pk, "refused"),
        ("mallory", question.pk, "refused"),
        ("mallory", question.pk, "refused"),
    ]
    assert set(refused.values_list("address", "user_agent")) == {("198.51.100.7", BROWSER)}
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN


def test_a_reference_no_question_has_and_a_visitor_leave_no_record(world: World) -> None:
    question = make_question(world.longton)
    assert _browser(world.carol).get("/staff/questions/Q-ZZZZ-ZZZZ/").status_code == 404
    anonymous = Client().get(_detail(question))
    assert anonymous.status_code == 302
    assert not ContactDetailAccess.objects.exists()


def _member_without_staff_status(world: World) -> User:
    """The audit's attacker: staff status taken away, a neighbourhood officer's role kept."""
    mallory = user_create(username="mallory", password=PASSWORD)
    police = Organisation.objects.get(kind=OrganisationKind.POLICE_FORCE, force_id="staffordshire")
    membership_grant(
        user=mallory,
        organisation=police,
        role=Role.NEIGHBOURHOOD_OFFICER,
        neighbourhoods=[world.longton],
    )
    return mallory


def test_the_list_shows_no_details_and_records_nothing(client: Client, world: World) -> None:
    question = make_question(world.longton, email="pat@example.org")
    client.force_login(world.alice)
    page = client.get(reverse("enquiries:staff-list")).content.decode()
    assert question.reference in page
    assert "pat@example.org" not in page
    assert not ContactDetailAccess.objects.exists()


def test_the_record_keeps_nothing_of_the_resident_and_outlives_the_question(
    world: World,
) -> None:
    question = make_question(world.longton, email="pat@example.org")
    _show(world.alice, question)
    row = ContactDetailAccess.objects.values().get()
    stored = " ".join(str(value) for value in row.values())
    assert "Pat Resident" not in stored
    assert "pat@example.org" not in stored
    assert question.reference not in stored

    question_id = question.pk
    question.delete()

    assert ContactDetailAccess.objects.get().question_id == question_id


def test_the_record_can_be_neither_changed_nor_deleted(world: World) -> None:
    question = make_question(world.longton)
    _show(world.alice, question)
    access = ContactDetailAccess.objects.get()
    table = ContactDetailAccess._meta.db_table

    access.user = world.bob
    with pytest.raises(DatabaseError), transaction.atomic():
        access.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        ContactDetailAccess.objects.update(outcome=ContactAccessOutcome.REFUSED)
    with pytest.raises(DatabaseError), transaction.atomic():
        access.delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        ContactDetailAccess.objects.all().delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a fixed table name
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table}")

    assert ContactDetailAccess.objects.values_list("user", "outcome").get() == (
        world.alice.pk,
        "shown",
    )


def test_the_admin_shows_the_record_read_only(client: Client, world: World) -> None:
    question = make_question(world.longton)
    gone = make_question(world.longton)
    for shown in (question, gone):
        _show(world.alice, shown, address="198.51.100.7", user_agent=BROWSER)
    gone.delete()
    root = user_create(username="root", password=PASSWORD, is_superuser=True)
    client.force_login(root)

    listing = client.get(reverse("admin:enquiries_contactdetailaccess_changelist"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert question.reference in html
    assert "Deleted" in html
    assert "Answering the question" in html
    assert "alice" in html
    assert "198.51.100.7" in html

    access = ContactDetailAccess.objects.get(question_id=question.pk)
    change = reverse("admin:enquiries_contactdetailaccess_change", args=[access.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert BROWSER in page.content.decode()
    assert client.post(change, {"outcome": "refused"}).status_code == 403
    delete = reverse("admin:enquiries_contactdetailaccess_delete", args=[access.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    add = reverse("admin:enquiries_contactdetailaccess_add")
    assert client.get(add).status_code == 403
    assert ContactDetailAccess.objects.count() == 2
    assert ContactDetailAccess.objects.get(pk=access.pk).outcome == "shown"


def test_only_those_allowed_to_view_the_record_see_it_in_the_admin(
    client: Client, world: World
) -> None:
    carol = world.carol
    carol.is_staff = True
    carol.save()
    client.force_login(carol)
    url = reverse("admin:enquiries_contactdetailaccess_changelist")
    assert client.get(url).status_code == 403
    carol.user_permissions.add(Permission.objects.get(codename="view_contactdetailaccess"))
    assert client.get(url).status_code == 200


def test_the_question_admin_leaves_out_the_residents_details(client: Client, world: World) -> None:
    question = make_question(world.longton, email="pat@example.org")
    client.force_login(user_create(username="root", password=PASSWORD, is_superuser=True))

    page = client.get(reverse("admin:enquiries_question_change", args=[question.pk]))

    assert page.status_code == 200
    assert question.subject in page.content.decode()
    assert "pat@example.org" not in page.content.decode()
    assert "Pat Resident" not in page.content.decode()
    assert not ContactDetailAccess.objects.exists()
