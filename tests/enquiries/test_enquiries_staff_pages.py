"""The team's pages: each officer sees, answers and changes only their own neighbourhoods'
questions, and only they see who asked."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beatbook.accounts.models import Role
from beatbook.accounts.services import membership_grant, user_create
from beatbook.enquiries.mail import HOLD_BACKEND
from beatbook.enquiries.models import OutgoingEmail, Question, QuestionStatus
from beatbook.enquiries.outbox import outgoing_emails_send_due
from beatbook.enquiries.services import (
    question_answer,
    question_close,
    question_publish,
    question_unpublish,
)

from .enquiries_world import PASSWORD, World, make_question

pytestmark = pytest.mark.django_db


def detail(question: Question, action: str = "detail") -> str:
    return reverse(f"enquiries:staff-{action}", args=[question.reference])


def test_the_list_needs_a_signed_in_member_of_staff(client: Client, world: World) -> None:
    response = client.get(reverse("enquiries:staff-list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    client.force_login(user_create(username="rita", password=None))
    assert client.get(reverse("enquiries:staff-list")).status_code == 403


def test_the_list_puts_overdue_first_and_says_the_time_left(client: Client, world: World) -> None:
    now = timezone.now()
    make_question(world.longton, subject="Fresh one", asked_at=now - timedelta(hours=2))
    make_question(world.longton, subject="Late one", asked_at=now - timedelta(hours=75))
    make_question(world.longton, subject="Answered one", answered_after=timedelta(hours=4))
    client.force_login(world.alice)

    html = client.get(reverse("enquiries:staff-list")).content.decode()

    assert html.index("Late one") < html.index("Fresh one") < html.index("Answered one")
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong> 3 hours overdue' in html
    assert "2 days 21 hours left" in html or "2 days 22 hours left" in html
    assert "answered in 4 hours" in html


def test_the_list_costs_the_same_queries_for_many_questions(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    for _ in range(30):
        make_question(world.longton)
        make_question(world.meir, answered_after=timedelta(hours=2))
    client.force_login(world.bob)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("enquiries:staff-list"))
    assert response.content.decode().count("/staff/questions/Q-") == 60


def test_an_officer_of_another_force_can_neither_read_nor_change_a_question(
    client: Client, world: World
) -> None:
    question = make_question(world.longton, email="pat@example.org")
    client.force_login(world.carol)

    listing = client.get(reverse("enquiries:staff-list")).content.decode()
    assert question.reference not in listing
    assert client.get(detail(question)).status_code == 404
    answer = client.post(detail(question), {"answer": "Not ours", "publish": "on"})
    assert answer.status_code == 404
    for action in ("publish", "unpublish", "close"):
        assert client.post(detail(question, action)).status_code == 404
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN
    assert question.answer == ""
    assert OutgoingEmail.objects.count() == 0


def test_a_member_without_staff_status_can_neither_read_nor_answer_a_question(
    client: Client, world: World
) -> None:
    """Finding 3 of issue 11: someone whose staff status was taken away, but who still held a
    neighbourhood officer's membership, read the resident's e-mail address and answered."""
    question = make_question(world.longton, email="pat@example.org")
    mallory = user_create(username="mallory", password=None)
    police = world.alice.memberships.get().organisation
    membership_grant(
        user=mallory,
        organisation=police,
        role=Role.NEIGHBOURHOOD_OFFICER,
        neighbourhoods=[world.longton],
    )
    client.force_login(mallory)

    page = client.get(detail(question))
    answer = client.post(detail(question), {"answer": "Hello from mallory", "publish": "on"})
    listing = client.get(reverse("enquiries:staff-list"))
    actions = [client.post(detail(question, action)) for action in ("publish", "close")]

    assert page.status_code == 403
    assert "pat@example.org" not in page.content.decode()
    assert answer.status_code == 403
    assert listing.status_code == 403
    assert [response.status_code for response in actions] == [403, 403]
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN
    assert question.answer == ""
    assert OutgoingEmail.objects.count() == 0
    with pytest.raises(PermissionDenied):
        question_answer(question=question, user=mallory, answer="By the back door", publish=False)


def test_services_refuse_an_officer_of_another_force(world: World) -> None:
    question = make_question(world.longton)
    answered = make_question(world.longton, answered_after=timedelta(hours=1))
    for outsider in (world.carol, world.dave):
        with pytest.raises(PermissionDenied):
            question_answer(question=question, user=outsider, answer="x", publish=True)
        with pytest.raises(PermissionDenied):
            question_close(question=question, user=outsider)
        with pytest.raises(PermissionDenied):
            question_publish(question=answered, user=outsider)
        with pytest.raises(PermissionDenied):
            question_unpublish(question=answered, user=outsider)
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN


def test_an_officer_for_another_neighbourhood_of_the_same_force_is_refused(
    client: Client, world: World
) -> None:
    in_meir = make_question(world.meir)
    client.force_login(world.alice)  # Longton only

    assert client.get(detail(in_meir)).status_code == 404
    assert client.post(detail(in_meir), {"answer": "Hello"}).status_code == 404


def test_a_partner_agency_worker_sees_no_questions(client: Client, world: World) -> None:
    question = make_question(world.longton)
    client.force_login(world.dave)

    assert question.reference not in client.get(reverse("enquiries:staff-list")).content.decode()
    assert client.get(detail(question)).status_code == 404


def test_the_answering_team_sees_who_asked(client: Client, world: World) -> None:
    question = make_question(world.longton, email="pat@example.org")
    client.force_login(world.alice)

    html = client.get(detail(question)).content.decode()

    assert "pat@example.org" in html
    assert "Pat Resident" in html


def test_an_officer_answers_and_publishes(
    client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    question = make_question(world.longton, email="pat@example.org")
    client.force_login(world.alice)

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            detail(question), {"answer": "We will patrol there at 6pm.", "publish": "on"}
        )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED
    assert question.answered_by == world.alice
    assert question.published
    assert question.published_at is not None
    outgoing_emails_send_due()
    [message] = mail.outbox
    assert message.to == ["pat@example.org"]
    assert "We will patrol there at 6pm." in message.body
    page = client.get(detail(question)).content.decode()
    assert "is answered." in page
    assert "not been emailed" not in page
    assert "Take off the neighbourhood page" in page


def test_an_officer_is_told_when_the_answer_waits_in_the_outbox(
    client: Client, world: World, settings: Any
) -> None:
    settings.EMAIL_BACKEND = HOLD_BACKEND
    question = make_question(world.longton, email="pat@example.org")
    client.force_login(world.alice)

    page = client.post(detail(question), {"answer": "We will patrol."}, follow=True)

    assert "Email is not set up, so the answer waits in the outbox" in page.content.decode()
    assert OutgoingEmail.objects.get().status == "pending"


def test_an_empty_answer_is_refused_and_changes_nothing(client: Client, world: World) -> None:
    question = make_question(world.longton)
    client.force_login(world.alice)

    html = client.post(detail(question), {"answer": "   "}).content.decode()

    assert "There is a problem" in html
    assert "Enter an answer" in html
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN


def test_an_answered_question_cannot_be_answered_again(world: World) -> None:
    question = make_question(world.longton, answered_after=timedelta(hours=1))
    with pytest.raises(ValidationError, match="only a question waiting for an answer"):
        question_answer(question=question, user=world.alice, answer="Again", publish=False)


def test_publish_unpublish_and_close_through_the_pages(client: Client, world: World) -> None:
    answered = make_question(world.longton, answered_after=timedelta(hours=1))
    still_open = make_question(world.longton)
    client.force_login(world.bob)

    client.post(detail(answered, "publish"))
    answered.refresh_from_db()
    assert answered.published
    client.post(detail(answered, "unpublish"))
    answered.refresh_from_db()
    assert not answered.published
    refused = client.post(detail(still_open, "publish"), follow=True).content.decode()
    assert "answer it before publishing it" in refused
    client.post(detail(still_open, "close"))
    still_open.refresh_from_db()
    assert still_open.status == QuestionStatus.CLOSED
    assert client.get(detail(answered, "publish")).status_code == 405


def test_the_admin_shows_staff_only_their_own_questions(client: Client, world: World) -> None:
    ours = make_question(world.longton, email="ours@example.org")
    theirs = make_question(world.crewe, email="theirs@example.org")
    carol = world.carol
    carol.is_staff = True
    carol.save()
    carol.user_permissions.add(
        Permission.objects.get(codename="view_question", content_type__app_label="enquiries")
    )
    client.force_login(carol)

    listing = client.get(reverse("admin:enquiries_question_changelist")).content.decode()
    assert theirs.reference in listing
    assert ours.reference not in listing
    change = reverse("admin:enquiries_question_change", args=[ours.pk])
    assert client.get(change).status_code in {302, 404}
    assert client.get(reverse("admin:enquiries_outgoingemail_changelist")).status_code == 403

    root = user_create(username="root", password=PASSWORD, is_superuser=True)
    client.force_login(root)
    listing = client.get(reverse("admin:enquiries_question_changelist")).content.decode()
    assert ours.reference in listing
    assert theirs.reference in listing


def test_the_question_page_costs_a_fixed_number_of_queries(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    question = make_question(world.longton, answered_after=timedelta(hours=2))
    client.force_login(world.alice)
    # 9: two are the navigation's checks for the Tasking and Partnerships links.
    with django_assert_max_num_queries(9):
        response = client.get(detail(question))
    assert response.status_code == 200
