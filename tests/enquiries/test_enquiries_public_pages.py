from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from beatbook.enquiries.models import OutgoingEmail, Question
from beatbook.enquiries.views import QUESTIONS_PER_HOUR, STATUS_PAGES_BURST
from beatbook.teams.models import NeighbourhoodContact

from .enquiries_world import World, make_question

pytestmark = pytest.mark.django_db(transaction=False)

NASTY = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def ask_url(world: World) -> str:
    return reverse("enquiries:ask", args=["staffordshire", world.longton.code])


def good_post(**changes: str) -> dict[str, str]:
    return {
        "kind": "concern",
        "subject": "Speeding on Church Street",
        "body": "Cars race down Church Street after school.\nSomeone will get hurt.",
        "name": "Pat Resident",
        "email": "pat@example.org",
        **changes,
    }


def test_it_shows_the_form_for_a_known_neighbourhood_only(client: Client, world: World) -> None:
    page = client.get(ask_url(world))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ask your neighbourhood team a question" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "you can read the answer only by entering your reference number" in html
    missing = reverse("enquiries:ask", args=["staffordshire", "nowhere"])
    assert client.get(missing).status_code == 404


def test_it_takes_a_question_and_gives_a_reference(
    client: Client, world: World, django_capture_on_commit_callbacks: object
) -> None:
    NeighbourhoodContact.objects.create(
        neighbourhood=world.longton, contact_details={"email": "longton@example.police.uk"}
    )
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(ask_url(world), good_post())

    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("enquiries:sent", args=[question.reference])
    assert re.fullmatch(r"Q-[2-9A-Y]{4}-[2-9A-Y]{4}", question.reference)
    assert question.due_at - question.asked_at == timedelta(hours=72)
    page = client.get(response["Location"]).content.decode()
    assert question.reference in page
    assert set(OutgoingEmail.objects.values_list("to", flat=True)) == {
        "pat@example.org",
        "longton@example.police.uk",
    }


def test_it_shows_errors_in_a_summary_and_keeps_what_was_typed(
    client: Client, world: World
) -> None:
    response = client.post(ask_url(world), good_post(kind="", body="", email="not-an-address"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert '<a href="#id_kind_0">Select whether this is a question or a concern</a>' in html
    assert '<a href="#id_body">Enter your question or concern</a>' in html
    assert "Enter an email address in the correct format, like name@example.com" in html
    assert 'value="Speeding on Church Street"' in html
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Error: " in html
    assert Question.objects.count() == 0


def test_it_refuses_a_form_a_robot_filled_in(client: Client, world: World) -> None:
    response = client.post(ask_url(world), good_post(leave_this_empty="http://spam.example"))

    assert response.status_code == 400
    assert Question.objects.count() == 0


def test_it_refuses_a_post_without_a_csrf_token(world: World) -> None:
    strict = Client(enforce_csrf_checks=True)

    assert strict.post(ask_url(world), good_post()).status_code == 403
    assert Question.objects.count() == 0
    page = strict.get(ask_url(world))
    token = page.cookies["csrftoken"].value
    response = strict.post(ask_url(world), {**good_post(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_it_limits_questions_from_one_address(client: Client, world: World) -> None:
    for _ in range(QUESTIONS_PER_HOUR):
        assert client.post(ask_url(world), good_post()).status_code == 302
    refused = client.post(ask_url(world), good_post())

    assert refused.status_code == 429
    # The wait in whole minutes, as the page says it (the password reset's header gives seconds).
    minutes = int(refused["Retry-After"]) // 60
    assert int(refused["Retry-After"]) == minutes * 60 > 0
    assert f"Try again in {minutes} minutes" in refused.content.decode()
    assert "You have sent too many questions" in refused.content.decode()
    assert Question.objects.count() == QUESTIONS_PER_HOUR
    other = client.post(ask_url(world), good_post(), REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302
    # The other address's question did not make room for the first one's.
    assert client.post(ask_url(world), good_post()).status_code == 429


def test_it_does_not_count_invalid_forms_against_the_limit(client: Client, world: World) -> None:
    for _ in range(QUESTIONS_PER_HOUR + 2):
        client.post(ask_url(world), good_post(subject=""))
    assert client.post(ask_url(world), good_post()).status_code == 302


def test_looking_questions_up_is_limited_per_address(world: World) -> None:
    """Finding 9 of issue 11: the question status pages had no rate limit, so anyone could
    try references by the thousand."""
    question = make_question(world.longton)
    status = reverse("enquiries:status", args=[question.reference])
    client = Client(REMOTE_ADDR="203.0.113.50")  # an address no other test uses

    let_through = 0
    for _ in range(STATUS_PAGES_BURST + 10):
        response = client.get(status)
        if response.status_code != 200:
            break
        let_through += 1

    assert STATUS_PAGES_BURST <= let_through <= STATUS_PAGES_BURST + 2  # a few drain meanwhile
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 5
    page = response.content.decode()
    assert "You have looked up too many questions" in page
    assert question.subject not in page
    # The confirmation and find pages count against the same limit; other addresses do not.
    assert client.get(reverse("enquiries:find"), {"reference": "Q-AAAA-AAAA"}).status_code == 429
    sent = reverse("enquiries:sent", args=[question.reference])
    assert client.get(sent).status_code == 429
    assert Client(REMOTE_ADDR="203.0.113.51").get(status).status_code == 200


def test_it_escapes_everything_a_resident_types(client: Client, world: World) -> None:
    client.post(ask_url(world), good_post(subject=NASTY, body=NASTY, name=NASTY))
    question = Question.objects.get()
    pages = [
        client.get(reverse("enquiries:sent", args=[question.reference])),
        client.get(reverse("enquiries:status", args=[question.reference])),
    ]
    client.force_login(world.alice)
    pages.append(client.get(reverse("enquiries:staff-list")))
    pages.append(client.get(reverse("enquiries:staff-detail", args=[question.reference])))
    # An invalid form shows back what was typed: escaped too.
    pages.append(client.post(ask_url(world), good_post(subject=NASTY, body="")))

    for page in pages:
        html = page.content.decode()
        assert "<script>alert" not in html
        assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in pages[1].content.decode()


def test_the_status_page_shows_the_answer_but_never_contact_details(
    client: Client, world: World
) -> None:
    question = make_question(
        world.longton, answered_after=timedelta(hours=3), email="secret@example.org"
    )
    page = client.get(reverse("enquiries:status", args=[question.reference.lower()]), follow=True)
    html = page.content.decode()

    assert page.status_code == 200
    assert "We have spoken to the drivers" in html
    assert "secret@example.org" not in html
    assert "Pat Resident" not in html
    assert client.get(reverse("enquiries:status", args=["Q-AAAA-AAAA"])).status_code == 404


def test_a_resident_finds_a_question_by_typing_its_reference(client: Client, world: World) -> None:
    question = make_question(world.longton)
    found = client.get(reverse("enquiries:find"), {"reference": question.reference.lower()})
    assert found.status_code == 302
    assert found["Location"] == reverse("enquiries:status", args=[question.reference])
    missing = client.get(reverse("enquiries:find"), {"reference": "Q-AAAA-AAAA"})
    assert "We cannot find a question with that reference number" in missing.content.decode()


def test_the_neighbourhood_include_lists_published_answers_in_one_query(
    world: World, django_assert_num_queries: object
) -> None:
    from django.template.loader import render_to_string

    for number in range(4):
        make_question(
            world.longton,
            subject=f"Published {number}",
            answered_after=timedelta(hours=number + 1),
            published=True,
        )
    make_question(world.longton, subject="Not published", answered_after=timedelta(hours=1))
    make_question(world.longton, subject="Still open", email="hidden@example.org")

    with django_assert_num_queries(1):  # type: ignore[operator]
        html = render_to_string(
            "enquiries/includes/neighbourhood_questions.html", {"neighbourhood": world.longton}
        )

    assert html.count('<h3 class="govuk-summary-card__title">') == 4
    assert "Not published" not in html
    assert "Still open" not in html
    assert "Pat Resident" not in html
    assert "hidden@example.org" not in html
    assert ask_url(world) in html
    assert not mail.outbox
