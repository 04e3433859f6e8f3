"""Repeat and unwanted answers: invitation links answer once and show their token in no later
page, an invitation-only wave refuses its open link, the honeypot stores nothing but looks like
success, a per-address limit on answers sent by open link, and the back button after sending
cannot send twice."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from beatbook.enquiries.forms import HONEYPOT_FIELD
from beatbook.surveys.models import Invitation, Response, Wave
from beatbook.surveys.survey_services import wave_close
from beatbook.surveys.tokens import token_hash, token_new

from .answer_support import (
    CHECK,
    FULL_ANSWERS,
    SENT,
    START,
    about,
    answer_every_page,
    answer_world_make,
)
from .survey_world import SurveyWorld

pytestmark = pytest.mark.django_db


def _invitation(world: SurveyWorld) -> tuple[str, Invitation]:
    token = token_new()
    invitation = Invitation.objects.create(
        wave=world.wave, token_hash=token_hash(token), batch="Letters, 1 August"
    )
    return token, invitation


def _answer_and_send(client: Client, **extra: Any) -> Any:
    for path, data in FULL_ANSWERS:
        client.post(path, data, **extra)
    return client.post(CHECK, {}, **extra)


def test_an_invitation_answers_once_and_its_token_is_shown_in_no_page() -> None:
    world = answer_world_make()
    token, invitation = _invitation(world)
    client = Client()

    arrived = client.get(f"/surveys/i/{token}/")
    start = client.get(START)
    client.post(START, {"consent": "on"})
    pages = [client.get(path).text for path, _ in FULL_ANSWERS[:1]]
    for path, data in FULL_ANSWERS:
        pages.append(client.post(path, data, follow=True).text)
    pages.append(client.get(CHECK).text)
    sent = client.post(CHECK, {})

    assert arrived.status_code == 302
    assert arrived["Location"] == START
    assert "You are answering with your invitation" in start.text
    assert sent["Location"] == SENT
    assert all(token not in page for page in [start.text, *pages])
    assert token not in str(dict(client.session))
    response = Response.objects.get()
    assert response.channel == "invitation"
    assert response.invitation == invitation
    invitation.refresh_from_db()
    assert invitation.used_on == response.submitted_on

    again = Client().get(f"/surveys/i/{token}/")
    assert again.status_code == 200
    assert "This invitation has already been used" in again.text


def test_an_unknown_invitation_is_not_found() -> None:
    answer_world_make()

    page = Client().get("/surveys/i/not-a-real-token/")

    assert page.status_code == 404
    assert "Page not found" in page.text


def test_an_invitation_used_meanwhile_in_another_browser_is_refused() -> None:
    world = answer_world_make()
    token, _ = _invitation(world)
    first, second = Client(), Client()
    for client in (first, second):
        client.get(f"/surveys/i/{token}/")
        client.post(START, {"consent": "on"})
        for path, data in FULL_ANSWERS:
            client.post(path, data)

    assert first.post(CHECK, {})["Location"] == SENT
    refused = second.post(CHECK, {})

    assert refused.status_code == 200
    assert "This invitation has already been used to answer" in refused.text
    assert Response.objects.count() == 1


def test_an_invitation_only_wave_refuses_the_open_link() -> None:
    world = answer_world_make()
    Wave.objects.filter(pk=world.wave.pk).update(open_link=False)
    client = Client()

    page = client.get(START)
    started = client.post(START, {"consent": "on"})

    assert "This survey is answered by invitation only" in page.text
    assert "Start now" not in page.text
    assert started.status_code == 200
    assert client.get(about("postcode"))["Location"] == START
    assert not Response.objects.exists()

    token, _ = _invitation(world)
    invited = Client()
    invited.get(f"/surveys/i/{token}/")
    assert invited.post(START, {"consent": "on"})["Location"] == about("postcode")
    assert _answer_and_send(invited)["Location"] == SENT
    assert Response.objects.get().channel == "invitation"


def test_an_open_link_wave_that_turns_invitation_only_part_way_stores_nothing() -> None:
    world = answer_world_make()
    client = Client()
    answer_every_page(client)

    Wave.objects.filter(pk=world.wave.pk).update(open_link=False)
    refused = client.post(CHECK, {})

    assert "This survey is answered by invitation only" in refused.text
    assert not Response.objects.exists()


def test_an_invitation_to_a_closed_wave_says_the_survey_is_closed() -> None:
    world = answer_world_make()
    token, _ = _invitation(world)
    wave_close(wave=world.wave)

    page = Client().get(f"/surveys/i/{token}/")

    assert "is not taking answers at the moment" in page.text


def test_a_filled_honeypot_on_the_start_page_stores_nothing_but_looks_like_success() -> None:
    answer_world_make()
    client = Client()

    started = client.post(START, {"consent": "on", HONEYPOT_FIELD: "http://spam.example"})

    assert started["Location"] == SENT
    assert "Answers sent" in client.get(SENT).text
    assert client.get(about("postcode"))["Location"] == START
    assert not Response.objects.exists()


def test_a_filled_honeypot_on_the_check_page_stores_nothing_but_looks_like_success() -> None:
    answer_world_make()
    client = Client()
    answer_every_page(client)

    sent = client.post(CHECK, {HONEYPOT_FIELD: "http://spam.example"})

    assert sent["Location"] == SENT
    assert "Answers sent" in client.get(SENT).text
    assert not Response.objects.exists()


def test_the_back_button_after_sending_cannot_send_twice() -> None:
    answer_world_make()
    client = Client()
    answer_every_page(client)
    client.post(CHECK, {})

    again = client.post(CHECK, {})
    page_again = client.post(FULL_ANSWERS[-1][0], {})

    assert again["Location"] == START
    assert page_again["Location"] == START
    assert Response.objects.count() == 1


def test_the_confirmation_page_is_only_for_those_who_sent_answers() -> None:
    answer_world_make()

    assert Client().get(SENT)["Location"] == START


def test_answers_by_open_link_are_limited_per_address(settings: Settings) -> None:
    answer_world_make()
    settings.SURVEY_RATE_BURST = 2
    settings.SURVEY_RATE_PER_HOUR = 1
    sent = []
    for _ in range(3):
        client = Client(REMOTE_ADDR="198.51.100.7")
        client.post(START, {"consent": "on"}, REMOTE_ADDR="198.51.100.7")
        sent.append((client, _answer_and_send(client, REMOTE_ADDR="198.51.100.7")))

    refused_client, refused = sent[-1]
    elsewhere = Client()
    elsewhere.post(START, {"consent": "on"}, REMOTE_ADDR="198.51.100.8")
    other = _answer_and_send(elsewhere, REMOTE_ADDR="198.51.100.8")

    assert [response.status_code for _, response in sent] == [302, 302, 429]
    assert "Too many answers have been sent from your connection" in refused.text
    assert int(refused["Retry-After"]) > 0
    # The refused resident's answers wait on the Check page for them.
    assert refused_client.get(CHECK, REMOTE_ADDR="198.51.100.7").status_code == 200
    assert other.status_code == 302
    assert Response.objects.count() == 3


def test_invitations_are_not_rate_limited(settings: Settings) -> None:
    world = answer_world_make()
    settings.SURVEY_RATE_BURST = 1
    settings.SURVEY_RATE_PER_HOUR = 1
    for _ in range(3):
        token, _ = _invitation(world)
        client = Client()
        client.get(f"/surveys/i/{token}/", REMOTE_ADDR="198.51.100.9")
        client.post(START, {"consent": "on"}, REMOTE_ADDR="198.51.100.9")
        assert _answer_and_send(client, REMOTE_ADDR="198.51.100.9")["Location"] == SENT

    assert Response.objects.filter(channel="invitation").count() == 3
