"""A survey's waves on the builder's pages: made, opened after a confirmation, closed, their
results published and unpublished, a draft deleted; a batch of invitation links downloaded once
(only their fingerprints kept); the residents who asked to be contacted. Every refusal changes
nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from beatbook.surveys.invitation_services import invitations_make
from beatbook.surveys.models import Invitation, Response, Wave, WaveQuestion
from beatbook.surveys.response_services import AnswerSet, response_record
from beatbook.surveys.survey_services import SurveyError, wave_close, wave_create
from beatbook.surveys.tokens import token_hash

from .survey_world import SurveyWorld, survey_world_make

pytestmark = pytest.mark.django_db
DAY = dt.date(2023, 8, 2)


@pytest.fixture
def world(settings: Any) -> SurveyWorld:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return survey_world_make()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _url(name: str, wave: Wave) -> str:
    return reverse(name, kwargs={"slug": wave.survey.slug, "wave": wave.slug})


def _draft(world: SurveyWorld) -> Wave:
    return wave_create(
        survey=world.survey,
        name="February 2024",
        opens_on=dt.date(2024, 2, 1),
        closes_on=dt.date(2024, 2, 29),
    )


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return {
        model.__name__: list(model.objects.order_by("pk").values_list())
        for model in (Wave, WaveQuestion, Invitation, Response)
    }


WAVE = {
    "name": "February 2024",
    "opens_on_day": "1",
    "opens_on_month": "2",
    "opens_on_year": "2024",
    "closes_on_day": "29",
    "closes_on_month": "2",
    "closes_on_year": "2024",
    "open_link": "no",
}


def test_a_wave_is_made_as_a_draft(world: SurveyWorld) -> None:
    response = _client(world.analyst).post(
        reverse("survey_wave_new", kwargs={"slug": "perceptions"}), WAVE
    )

    wave = world.survey.waves.get(slug="february-2024")
    assert response.status_code == 302
    assert response["Location"] == _url("survey_wave", wave)
    assert (wave.status, wave.open_link) == ("draft", False)
    assert (wave.opens_on, wave.closes_on) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter the wave&#x27;s name"),
        ({"name": "New"}, "Choose a name with letters or numbers"),
        ({"name": "August 2023"}, "already has a wave called"),
        ({"closes_on_day": "31", "closes_on_month": "1"}, "must be on or after the date it opens"),
        ({"opens_on_day": "30"}, "The date it opens must be a real date"),
        ({"open_link": ""}, "Choose who may answer"),
    ],
)
def test_a_wave_that_cannot_be_made_is_refused_and_nothing_changes(
    world: SurveyWorld, changes: dict[str, str], message: str
) -> None:
    before = _snapshot()

    response = _client(world.analyst).post(
        reverse("survey_wave_new", kwargs={"slug": "perceptions"}), {**WAVE, **changes}
    )

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()
    assert _snapshot() == before


def test_a_draft_opens_only_after_its_confirmation_page(world: SurveyWorld) -> None:
    wave_close(wave=world.wave)
    draft = _draft(world)
    client = _client(world.analyst)

    confirm = client.get(_url("survey_wave_open", draft)).content.decode()
    assert "Opening fixes the questions it asks and locks them" in confirm
    assert "How safe do you feel walking alone in this area after dark?" in confirm
    draft.refresh_from_db()
    assert draft.status == "draft"

    response = client.post(_url("survey_wave_open", draft))

    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.status == "open"
    assert draft.questions.count() == 5


def test_a_wave_cannot_open_while_another_is_open(world: SurveyWorld) -> None:
    draft = _draft(world)
    before = _snapshot()

    response = _client(world.analyst).post(_url("survey_wave_open", draft))

    assert "Another wave of this survey is open: close it first" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert _snapshot() == before


def test_an_open_wave_closes_and_its_results_are_published_then_withdrawn(
    world: SurveyWorld,
) -> None:
    client = _client(world.analyst)
    wave_page = _url("survey_wave", world.wave)
    assert "Close the wave" in client.get(wave_page).content.decode()

    client.post(_url("survey_wave_close", world.wave))
    world.wave.refresh_from_db()
    assert world.wave.status == "closed"
    assert "Publish the results" in client.get(wave_page).content.decode()

    client.post(_url("survey_wave_publish", world.wave), {"published": "yes"})
    world.wave.refresh_from_db()
    assert world.wave.results_published
    client.post(_url("survey_wave_publish", world.wave), {"published": "no"})
    world.wave.refresh_from_db()
    assert not world.wave.results_published


def test_an_open_waves_results_are_not_published(world: SurveyWorld) -> None:
    before = _snapshot()

    response = _client(world.analyst).post(
        _url("survey_wave_publish", world.wave), {"published": "yes"}, follow=True
    )

    assert "must be closed before its results are published" in response.content.decode()
    assert _snapshot() == before


def test_publishing_without_saying_which_way_is_a_bad_request(world: SurveyWorld) -> None:
    wave_close(wave=world.wave)
    before = _snapshot()

    response = _client(world.analyst).post(_url("survey_wave_publish", world.wave))

    assert response.status_code == 400
    assert _snapshot() == before


def test_closing_a_closed_wave_says_so_and_changes_nothing(world: SurveyWorld) -> None:
    wave_close(wave=world.wave)
    before = _snapshot()

    response = _client(world.analyst).post(_url("survey_wave_close", world.wave), follow=True)

    assert "August 2023 is not open" in response.content.decode()
    assert _snapshot() == before


def test_a_draft_is_deleted_but_an_opened_wave_is_kept(world: SurveyWorld) -> None:
    draft = _draft(world)
    client = _client(world.analyst)

    client.post(_url("survey_wave_delete", draft))
    before = _snapshot()
    refused = client.post(_url("survey_wave_delete", world.wave))

    assert not Wave.objects.filter(pk=draft.pk).exists()
    assert "has opened, so it is kept with its answers" in refused.content.decode()
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("survey_wave_open", {}),
        ("survey_wave_close", {}),
        ("survey_wave_publish", {"published": "yes"}),
        ("survey_wave_delete", {}),
        ("survey_invitations", {"batch": "Letters", "count": "5"}),
    ],
)
def test_the_officer_and_the_outsider_change_no_wave(
    world: SurveyWorld, name: str, data: dict[str, str]
) -> None:
    wave = world.wave if name != "survey_wave_delete" else _draft(world)
    before = _snapshot()

    officer = _client(world.officer).post(_url(name, wave), data)
    outsider = _client(world.outsider).post(_url(name, wave), data)

    assert (officer.status_code, outsider.status_code) == (403, 404)
    assert _snapshot() == before


def test_the_officer_reads_a_wave_but_sees_no_button_or_batch(world: SurveyWorld) -> None:
    invitations_make(wave=world.wave, count=3, batch="Letters")

    page = _client(world.officer).get(_url("survey_wave", world.wave)).content.decode()

    assert "August 2023" in page
    for hidden in ("Close the wave", "Invitation links", "Letters", "contacted"):
        assert hidden not in page


def test_the_wave_page_counts_answers_by_channel(world: SurveyWorld) -> None:
    answers = AnswerSet(answers={"safe-after-dark": "very-safe"}, neighbourhood=world.meir)
    response_record(wave=world.wave, answer_set=answers, submitted_on=DAY)
    response_record(wave=world.wave, answer_set=answers, submitted_on=DAY)

    page = _client(world.officer).get(_url("survey_wave", world.wave)).content.decode()

    assert "2 in all: 0 by invitation link, 2 by the open link, 0 imported" in page


# --- invitations ------------------------------------------------------------------------------


def test_a_batch_of_links_is_downloaded_once_and_only_fingerprints_are_kept(
    world: SurveyWorld, settings: Any
) -> None:
    settings.ALLOWED_HOSTS = ["beatbook.example.org"]
    client = _client(world.analyst)

    response = client.post(
        _url("survey_invitations", world.wave),
        {"batch": "Letters, 1 August", "count": "250"},
        HTTP_HOST="beatbook.example.org",
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="perceptions-')
    assert response["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["invitation_number", "link"]
    assert len(rows) == 251
    assert rows[1][0] == "1"
    prefix = "http://beatbook.example.org/surveys/i/"
    assert all(link.startswith(prefix) for _, link in rows[1:])
    tokens = [link.removeprefix(prefix).rstrip("/") for _, link in rows[1:]]
    assert len(set(tokens)) == 250
    kept = set(
        Invitation.objects.filter(batch="Letters, 1 August").values_list("token_hash", flat=True)
    )
    assert kept == {token_hash(token) for token in tokens}
    assert not Invitation.objects.filter(token_hash__in=tokens).exists()


def test_the_page_shows_each_batch_made_and_used(world: SurveyWorld) -> None:
    tokens = invitations_make(wave=world.wave, count=4, batch="Letters")
    invitations_make(wave=world.wave, count=2, batch="Panel")
    invitation = Invitation.objects.get(token_hash=token_hash(tokens[0]))
    answers = AnswerSet(answers={"safe-after-dark": "very-safe"})
    response_record(wave=world.wave, answer_set=answers, submitted_on=DAY, invitation=invitation)

    page = _client(world.analyst).get(_url("survey_invitations", world.wave)).content.decode()

    assert page.index("Letters") < page.index("Panel")
    letters = page[page.index(">Letters<") :]
    assert '"Links">4<' in letters
    assert '"Used to answer">1<' in letters


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"batch": "Letters", "count": "0"}, "Make at least 1 link"),
        ({"batch": "Letters", "count": "20001"}, "Make at most 20,000 links at a time"),
        ({"batch": "", "count": "5"}, "Name the batch"),
        ({"batch": "Letters", "count": "many"}, "Enter a whole number"),
        ({"batch": "Taken", "count": "5"}, "already has a batch called"),
    ],
)
def test_a_batch_that_cannot_be_made_is_refused(
    world: SurveyWorld, data: dict[str, str], message: str
) -> None:
    invitations_make(wave=world.wave, count=1, batch="Taken")
    before = _snapshot()

    response = _client(world.analyst).post(_url("survey_invitations", world.wave), data)

    assert response["Content-Type"].startswith("text/html")
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()
    assert _snapshot() == before


def test_a_closed_wave_gets_no_more_links(world: SurveyWorld) -> None:
    wave_close(wave=world.wave)
    before = _snapshot()

    with pytest.raises(SurveyError, match="is closed"):
        invitations_make(wave=world.wave, count=5, batch="Late")
    response = _client(world.analyst).post(
        _url("survey_invitations", world.wave), {"batch": "Late", "count": "5"}
    )

    assert "is closed" in response.content.decode()
    assert _snapshot() == before


def test_twenty_thousand_links_are_made_at_once(world: SurveyWorld) -> None:
    tokens = invitations_make(wave=world.wave, count=20_000, batch="Everyone")

    assert len(set(tokens)) == 20_000
    assert Invitation.objects.filter(batch="Everyone").count() == 20_000


# --- contacts ---------------------------------------------------------------------------------


def test_those_who_run_it_see_who_asked_to_be_contacted(world: SurveyWorld) -> None:
    asked = AnswerSet(
        answers={"safe-after-dark": "very-unsafe"},
        neighbourhood=world.meir,
        contact_name="Pat Resident",
        contact_email="pat@example.org",
        contact_consent=True,
    )
    response_record(wave=world.wave, answer_set=asked, submitted_on=DAY)
    response_record(
        wave=world.wave,
        answer_set=AnswerSet(answers={"safe-after-dark": "very-safe"}),
        submitted_on=DAY,
    )
    url = _url("survey_contacts", world.wave)

    page = _client(world.analyst).get(url).content.decode()

    assert "Pat Resident" in page
    assert "pat@example.org" in page
    assert '"Neighbourhood">Meir<' in page
    assert page.count('data-label="Name"') == 1
    assert _client(world.officer).get(url).status_code == 403
    assert _client(world.outsider).get(url).status_code == 404
