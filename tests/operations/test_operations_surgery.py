"""The online surgery: residents ask, moderators approve or reject with a reason, officers
answer, and the residents' page (and its live address) shows only approved, answered questions,
never who asked. The world's surgery (Wednesday 4 March 2026, 7pm to 8pm) is moved in time by
each test to where it needs it: coming up, live or over."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beatbook.enquiries.views import QUESTIONS_PER_HOUR
from beatbook.operations import surgery
from beatbook.operations.models import Activity, SurgeryQuestion, SurgeryStatus

from .operations_world import PASSWORD, OperationsWorld

NAME = "Pat Q. Resident"
EMAIL = "pat.resident@example.org"
NASTY = '<script>alert("x")</script>'


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _move(
    world: OperationsWorld, *, starts_in: timedelta, lasts: timedelta = timedelta(hours=1)
) -> Activity:
    start = timezone.now() + starts_in
    Activity.objects.filter(pk=world.surgery.pk).update(start=start, end=start + lasts)
    world.surgery.refresh_from_db()
    return world.surgery


def live(world: OperationsWorld) -> Activity:
    return _move(world, starts_in=-timedelta(minutes=10))


def coming(world: OperationsWorld) -> Activity:
    return _move(world, starts_in=timedelta(days=1))


def over(world: OperationsWorld) -> Activity:
    return _move(world, starts_in=-timedelta(hours=3))


def page_url(world: OperationsWorld) -> str:
    return reverse("operations:surgery", args=[world.surgery.pk])


def live_url(world: OperationsWorld) -> str:
    return reverse("operations:surgery-live", args=[world.surgery.pk])


def moderate_url(world: OperationsWorld) -> str:
    return reverse("operations:surgery-moderate", args=[world.surgery.pk])


def ask_post(**changes: str) -> dict[str, str]:
    return {
        "body": "Will there be patrols on Uttoxeter Road?",
        "name": NAME,
        "email": EMAIL,
        **changes,
    }


def snapshot() -> list[tuple[Any, ...]]:
    return list(SurgeryQuestion.objects.order_by("pk").values_list())


def asked(world: OperationsWorld, body: str = "What about the park?") -> SurgeryQuestion:
    return surgery.surgery_question_ask(activity=world.surgery, body=body, name=NAME, email=EMAIL)


# --- the whole flow --------------------------------------------------------------------------


def test_a_question_goes_from_asked_to_the_transcript(world: OperationsWorld) -> None:
    live(world)
    resident = Client()
    sent = resident.post(page_url(world), ask_post())
    assert sent.status_code == 302
    assert sent["Location"] == page_url(world)
    assert "Your question has been sent" in resident.get(page_url(world)).content.decode()
    question = SurgeryQuestion.objects.get()
    assert (question.status, question.name, question.email) == ("waiting", NAME, EMAIL)
    # Waiting: nowhere public.
    assert question.body not in resident.get(page_url(world)).content.decode()
    assert resident.get(live_url(world)).json()["answers"] == []

    sergeant = _client("sergeant")
    moderation = sergeant.get(moderate_url(world)).content.decode()
    assert question.body in moderation
    assert NAME in moderation
    assert EMAIL in moderation
    approve = {"action": "approve", "question": str(question.pk)}
    assert sergeant.post(moderate_url(world), approve).status_code == 302
    question.refresh_from_db()
    assert question.status == SurgeryStatus.APPROVED
    assert question.moderated_by == world.sergeant
    # Approved but not answered: still not public.
    assert resident.get(live_url(world)).json()["answers"] == []
    assert question.body not in resident.get(page_url(world)).content.decode()

    answer = {"action": "answer", "question": str(question.pk), "answer": "Yes, every evening."}
    assert sergeant.post(moderate_url(world), answer).status_code == 302
    question.refresh_from_db()
    assert question.status == SurgeryStatus.ANSWERED
    assert question.answered_by == world.sergeant

    data = resident.get(live_url(world)).json()
    assert data["live"] is True
    assert data["open"] is True
    assert [(a["id"], a["question"], a["answer"]) for a in data["answers"]] == [
        (question.pk, question.body, "Yes, every evening.")
    ]
    page = resident.get(page_url(world)).content.decode()
    assert question.body in page
    assert "Yes, every evening." in page
    # The page's script asks only for what came after the last answer it shows.
    assert f'data-since="{question.pk}"' in page
    assert resident.get(live_url(world), {"since": question.pk}).json()["answers"] == []

    # Afterwards: the published, moderated transcript, and no more questions.
    over(world)
    transcript = resident.get(page_url(world)).content.decode()
    assert "Transcript" in transcript
    assert "This surgery has ended" in transcript
    assert question.body in transcript
    assert "Yes, every evening." in transcript
    assert 'name="body"' not in transcript
    assert resident.get(live_url(world)).json()["live"] is False


def test_the_live_address_sees_only_answered_questions_in_answer_order(
    world: OperationsWorld,
) -> None:
    live(world)
    first, second, waiting, rejected, approved = (asked(world, f"Question {n}") for n in range(5))
    sergeant = world.sergeant
    for question in (first, second, approved):
        surgery.surgery_question_approve(question=question, user=sergeant)
    surgery.surgery_question_reject(question=rejected, user=sergeant, reason="Names a person")
    now = timezone.now()
    # The second question is answered first: the transcript is in the order of the answers.
    surgery.surgery_question_answer(question=second, user=sergeant, answer="B", now=now)
    surgery.surgery_question_answer(
        question=first, user=sergeant, answer="A", now=now + timedelta(minutes=1)
    )

    answers = Client().get(live_url(world)).json()["answers"]
    assert [a["id"] for a in answers] == [second.pk, first.pk]
    assert {a["question"] for a in answers} == {"Question 0", "Question 1"}
    # An answer given later to an earlier question is still found from the last one shown.
    later = now + timedelta(minutes=5)
    surgery.surgery_question_answer(question=approved, user=sergeant, answer="C", now=later)
    since = Client().get(live_url(world), {"since": first.pk}).json()["answers"]
    assert [a["id"] for a in since] == [approved.pk]
    assert waiting.body not in str(since)
    # Nonsense after since= is treated as nothing yet shown.
    assert len(Client().get(live_url(world), {"since": "x'"}).json()["answers"]) == 3


def test_no_name_or_email_reaches_a_public_response(world: OperationsWorld) -> None:
    live(world)
    questions = [asked(world, f"Question {n}") for n in range(3)]
    surgery.surgery_question_approve(question=questions[0], user=world.sergeant)
    surgery.surgery_question_answer(question=questions[0], user=world.sergeant, answer="Done.")
    surgery.surgery_question_approve(question=questions[1], user=world.sergeant)
    resident = Client()
    responses = [
        resident.get(page_url(world)),
        resident.get(live_url(world)),
        resident.get(reverse("operations:public", args=[world.week.pk])),
        # The form shown again with its errors keeps what this resident typed, no one else's.
        resident.post(page_url(world), ask_post(body="", name="Al", email="al@example.org")),
    ]
    over(world)
    responses.append(resident.get(page_url(world)))
    assert "Question 0" in responses[0].content.decode()
    for response in responses:
        text = response.content.decode()
        assert NAME not in text
        assert EMAIL not in text
        assert "pat.resident" not in text


def test_the_public_operation_page_links_its_surgery(world: OperationsWorld) -> None:
    page = Client().get(reverse("operations:public", args=[world.week.pk])).content.decode()
    assert f'href="{page_url(world)}"' in page


def test_the_staff_operation_page_links_moderation_for_contributors(
    world: OperationsWorld,
) -> None:
    detail = reverse("operations:detail", args=[world.week.pk])
    assert moderate_url(world) in _client("coordinator").get(detail).content.decode()
    assert moderate_url(world) not in _client("analyst").get(detail).content.decode()


# --- the residents' form ---------------------------------------------------------------------


def test_it_refuses_a_question_after_the_end_and_changes_nothing(world: OperationsWorld) -> None:
    over(world)
    response = Client().post(page_url(world), ask_post())
    assert response.status_code == 200
    assert "no longer takes questions" in response.content.decode()
    assert SurgeryQuestion.objects.count() == 0
    with pytest.raises(ValidationError, match="no longer takes questions"):
        asked(world)
    assert SurgeryQuestion.objects.count() == 0


def test_questions_may_be_sent_before_the_surgery_starts(world: OperationsWorld) -> None:
    coming(world)
    page = Client().get(page_url(world)).content.decode()
    assert "has not started yet" in page
    assert 'http-equiv="refresh"' not in page  # nothing to refresh for yet
    assert Client().post(page_url(world), ask_post()).status_code == 302
    assert SurgeryQuestion.objects.get().status == SurgeryStatus.WAITING


def test_it_shows_errors_in_a_summary_and_changes_nothing(world: OperationsWorld) -> None:
    live(world)
    response = Client().post(page_url(world), ask_post(body=" ", email="not-an-address"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert '<a href="#id_body">Enter your question</a>' in html
    assert "Enter an email address in the correct format" in html
    assert "<title>Error: " in html
    assert 'http-equiv="refresh"' not in html  # it would throw away what was typed
    assert SurgeryQuestion.objects.count() == 0


def test_it_refuses_a_form_a_robot_filled_in(world: OperationsWorld) -> None:
    live(world)
    response = Client().post(page_url(world), ask_post(leave_this_empty="http://spam.example"))
    assert response.status_code == 400
    assert SurgeryQuestion.objects.count() == 0


def test_it_refuses_a_post_without_a_csrf_token(world: OperationsWorld) -> None:
    live(world)
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(page_url(world), ask_post()).status_code == 403
    assert SurgeryQuestion.objects.count() == 0
    token = strict.get(page_url(world)).cookies["csrftoken"].value
    assert (
        strict.post(page_url(world), {**ask_post(), "csrfmiddlewaretoken": token}).status_code
        == 302
    )
    assert SurgeryQuestion.objects.count() == 1


def test_the_moderators_forms_need_a_csrf_token(world: OperationsWorld) -> None:
    live(world)
    question = asked(world)
    strict = Client(enforce_csrf_checks=True)
    assert strict.login(username="sergeant", password=PASSWORD)
    approve = {"action": "approve", "question": str(question.pk)}
    assert strict.post(moderate_url(world), approve).status_code == 403
    question.refresh_from_db()
    assert question.status == SurgeryStatus.WAITING


def test_it_shares_the_question_forms_limit_per_address(world: OperationsWorld) -> None:
    live(world)
    client = Client()
    for _ in range(QUESTIONS_PER_HOUR):
        assert client.post(page_url(world), ask_post()).status_code == 302
    refused = client.post(page_url(world), ask_post())
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "You have sent too many questions" in refused.content.decode()
    assert SurgeryQuestion.objects.count() == QUESTIONS_PER_HOUR
    # The same bucket as the neighbourhood question form: no way around its limit.
    ask = reverse("enquiries:ask", args=["staffordshire", world.longton.code])
    question = {"kind": "question", "subject": "Patrols", "body": "When?"}
    assert client.post(ask, question).status_code == 429
    assert Client(REMOTE_ADDR="192.0.2.9").post(page_url(world), ask_post()).status_code == 302


def test_it_escapes_what_residents_type(world: OperationsWorld) -> None:
    live(world)
    question = asked(world, NASTY)
    surgery.surgery_question_approve(question=question, user=world.sergeant)
    surgery.surgery_question_answer(question=question, user=world.sergeant, answer="Noted.")
    page = Client().get(page_url(world)).content.decode()
    assert NASTY not in page
    assert "&lt;script&gt;" in page


def test_the_page_refreshes_itself_only_while_live(world: OperationsWorld) -> None:
    refresh = '<meta http-equiv="refresh" content="30">'
    live(world)
    page = Client().get(page_url(world)).content.decode()
    assert refresh in page
    assert "Refresh to see new answers" in page
    assert "Live now" in page
    assert re.search(r'<script type="module" src="[^"]*operations/surgery\.js', page)
    assert 'aria-live="polite"' in page
    over(world)
    ended = Client().get(page_url(world)).content.decode()
    assert refresh not in ended
    assert "surgery.js" not in ended


# --- what is not public ----------------------------------------------------------------------


def test_unpublished_restricted_and_other_activities_have_no_surgery_page(
    world: OperationsWorld,
) -> None:
    live(world)
    for activity in (world.enforcement, world.mobile_station):
        assert Client().get(reverse("operations:surgery", args=[activity.pk])).status_code == 404
    Activity.objects.filter(pk=world.surgery.pk).update(public=False)
    assert Client().get(page_url(world)).status_code == 404
    assert Client().get(live_url(world)).status_code == 404
    assert Client().post(page_url(world), ask_post()).status_code == 404
    Activity.objects.filter(pk=world.surgery.pk).update(public=True)
    world.week.public = False
    world.week.save()
    assert Client().get(page_url(world)).status_code == 404
    assert Client().get(live_url(world)).status_code == 404
    with pytest.raises(ValidationError, match="not taking questions"):
        asked(world)
    assert SurgeryQuestion.objects.count() == 0


# --- moderation ------------------------------------------------------------------------------


def test_a_rejection_needs_a_reason(world: OperationsWorld) -> None:
    live(world)
    question = asked(world)
    sergeant = _client("sergeant")
    before = snapshot()
    response = sergeant.post(
        moderate_url(world), {"action": "reject", "question": str(question.pk), "reason": "  "}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert f'href="#reject-{question.pk}-reason"' in html
    assert "Enter why the question is not taken" in html
    assert snapshot() == before
    with pytest.raises(ValidationError):
        surgery.surgery_question_reject(question=question, user=world.sergeant, reason="")
    assert snapshot() == before

    sergeant.post(
        moderate_url(world),
        {"action": "reject", "question": str(question.pk), "reason": "Names a neighbour"},
    )
    question.refresh_from_db()
    assert (question.status, question.moderation_reason) == ("rejected", "Names a neighbour")
    assert "Names a neighbour" in sergeant.get(moderate_url(world)).content.decode()
    assert question.body not in Client().get(page_url(world)).content.decode()


def test_only_approved_questions_are_answered(world: OperationsWorld) -> None:
    live(world)
    question = asked(world)
    before = snapshot()
    with pytest.raises(ValidationError, match="only an approved question"):
        surgery.surgery_question_answer(question=question, user=world.sergeant, answer="No")
    response = _client("sergeant").post(
        moderate_url(world), {"action": "answer", "question": str(question.pk), "answer": "No"}
    )
    assert response.status_code == 200
    assert "only an approved question can be answered" in response.content.decode()
    assert snapshot() == before
    surgery.surgery_question_approve(question=question, user=world.sergeant)
    with pytest.raises(ValidationError):
        surgery.surgery_question_answer(question=question, user=world.sergeant, answer=" ")
    answered = surgery.surgery_question_answer(question=question, user=world.sergeant, answer="Yes")
    with pytest.raises(ValidationError):
        surgery.surgery_question_reject(question=answered, user=world.sergeant, reason="Late")
    with pytest.raises(ValidationError):
        surgery.surgery_question_approve(question=answered, user=world.sergeant)


def test_a_partner_of_the_operation_may_moderate(world: OperationsWorld) -> None:
    live(world)
    question = asked(world)
    coordinator = _client("coordinator")
    page = coordinator.get(moderate_url(world))
    assert page.status_code == 200
    assert EMAIL in page.content.decode()
    coordinator.post(moderate_url(world), {"action": "approve", "question": str(question.pk)})
    question.refresh_from_db()
    assert question.status == SurgeryStatus.APPROVED
    assert question.moderated_by == world.coordinator


@pytest.mark.parametrize(("username", "status"), [("analyst", 403), ("cheshire", 404)])
def test_others_may_not_moderate_and_change_nothing(
    world: OperationsWorld, username: str, status: int
) -> None:
    live(world)
    question = asked(world)
    client = _client(username)
    before = snapshot()
    page = client.get(moderate_url(world))
    assert page.status_code == status
    assert EMAIL not in page.content.decode()
    for post in (
        {"action": "approve", "question": str(question.pk)},
        {"action": "reject", "question": str(question.pk), "reason": "No"},
    ):
        assert client.post(moderate_url(world), post).status_code == status
    assert snapshot() == before
    user = world.analyst if username == "analyst" else world.cheshire_officer
    with pytest.raises(PermissionDenied):
        surgery.surgery_question_approve(question=question, user=user)
    assert snapshot() == before


def test_visitors_are_sent_to_sign_in_and_other_activities_are_not_found(
    world: OperationsWorld,
) -> None:
    response = Client().get(moderate_url(world))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    other = reverse("operations:surgery-moderate", args=[world.mobile_station.pk])
    assert _client("sergeant").get(other).status_code == 404
