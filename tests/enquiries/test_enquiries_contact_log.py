"""Every showing of a resident's name and e-mail is recorded: who, when, which question and
why; a refusal is recorded as refused. The record keeps nothing of the resident, cannot be
changed, and is read-only in the admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beatbook.accounts.services import user_create
from beatbook.enquiries.models import (
    ContactAccessOutcome,
    ContactDetailAccess,
    ContactPurpose,
    Question,
)
from beatbook.enquiries.selectors import question_contact_for

from .enquiries_world import PASSWORD, World, make_question

pytestmark = pytest.mark.django_db


def _detail(question: Question) -> str:
    return reverse("enquiries:staff-detail", args=[question.reference])


def test_showing_contact_details_records_who_when_which_and_why(world: World) -> None:
    question = make_question(world.longton)
    before = timezone.now()

    question_contact_for(user=world.alice, question=question, purpose=ContactPurpose.ANSWERING)

    access = ContactDetailAccess.objects.get()
    assert access.user == world.alice
    assert access.question_id == question.pk
    assert access.purpose == ContactPurpose.ANSWERING
    assert access.outcome == ContactAccessOutcome.SHOWN
    assert before <= access.at <= timezone.now()


def test_a_refusal_is_recorded_as_refused_not_as_shown(world: World) -> None:
    question = make_question(world.longton)

    for outsider in (world.carol, world.dave):
        with pytest.raises(PermissionDenied):
            question_contact_for(user=outsider, question=question, purpose=ContactPurpose.ANSWERING)

    outcomes = ContactDetailAccess.objects.order_by("id").values_list("user__username", "outcome")
    assert list(outcomes) == [("carol", "refused"), ("dave", "refused")]
    assert not ContactDetailAccess.objects.filter(outcome=ContactAccessOutcome.SHOWN).exists()


def test_an_unknown_purpose_is_refused_before_anything_is_shown(world: World) -> None:
    question = make_question(world.longton)

    with pytest.raises(ValueError, match="curiosity"):
        question_contact_for(user=world.alice, question=question, purpose="curiosity")  # type: ignore[arg-type]
    assert not ContactDetailAccess.objects.exists()


def test_each_opening_of_the_question_page_is_recorded(client: Client, world: World) -> None:
    question = make_question(world.longton, email="pat@example.org")
    client.force_login(world.alice)

    for _ in range(2):
        page = client.get(_detail(question)).content.decode()
        assert "pat@example.org" in page
    assert "your name and the time are recorded" in page
    response = client.post(_detail(question), {"answer": ""})  # shown again with the error
    assert "pat@example.org" in response.content.decode()

    accesses = ContactDetailAccess.objects.filter(question_id=question.pk)
    assert accesses.count() == 3
    assert set(accesses.values_list("user", "purpose", "outcome")) == {
        (world.alice.pk, "answering", "shown")
    }


def test_a_page_that_shows_no_details_records_nothing(client: Client, world: World) -> None:
    question = make_question(world.longton, email="pat@example.org")
    client.force_login(world.dave)
    assert client.get(_detail(question)).status_code == 404
    client.force_login(world.alice)
    assert question.reference in client.get(reverse("enquiries:staff-list")).content.decode()
    assert not ContactDetailAccess.objects.exists()


def test_the_record_keeps_nothing_of_the_resident_and_outlives_the_question(
    world: World,
) -> None:
    question = make_question(world.longton, email="pat@example.org")
    question_contact_for(user=world.alice, question=question, purpose=ContactPurpose.ANSWERING)
    row = ContactDetailAccess.objects.values().get()
    stored = " ".join(str(value) for value in row.values())
    assert "Pat Resident" not in stored
    assert "pat@example.org" not in stored
    assert question.reference not in stored

    question_id = question.pk
    question.delete()

    assert ContactDetailAccess.objects.get().question_id == question_id


def test_the_record_cannot_be_changed(world: World) -> None:
    question = make_question(world.longton)
    question_contact_for(user=world.alice, question=question, purpose=ContactPurpose.ANSWERING)
    access = ContactDetailAccess.objects.get()

    access.user = world.bob
    with pytest.raises(DatabaseError), transaction.atomic():
        access.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        ContactDetailAccess.objects.update(outcome=ContactAccessOutcome.REFUSED)

    assert ContactDetailAccess.objects.values_list("user", "outcome").get() == (
        world.alice.pk,
        "shown",
    )


def test_the_admin_shows_the_record_read_only(client: Client, world: World) -> None:
    question = make_question(world.longton)
    gone = make_question(world.longton)
    for shown in (question, gone):
        question_contact_for(user=world.alice, question=shown, purpose=ContactPurpose.ANSWERING)
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

    access = ContactDetailAccess.objects.get(question_id=question.pk)
    change = reverse("admin:enquiries_contactdetailaccess_change", args=[access.pk])
    page = client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
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
