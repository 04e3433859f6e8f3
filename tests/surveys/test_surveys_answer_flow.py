"""A resident answers a survey through its pages: the start page and its consent, one page for
each question of each kind, skipping, required questions, the Check page and its change links,
postcodes placed in the survey's area or refused, and a wave that closes part way."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from beatbook.surveys.models import Answer, Response, WaveStatus
from beatbook.surveys.survey_services import wave_close

from .answer_support import (
    CHECK,
    CREWE_POSTCODE,
    FULL_ANSWERS,
    LONGTON_LSOA,
    SENT,
    START,
    UNKNOWN_POSTCODE,
    about,
    answer_every_page,
    answer_world_make,
    begin,
    question,
)

pytestmark = pytest.mark.django_db


def _stored() -> list[tuple[str, str, int | None]]:
    rows = Answer.objects.order_by("question__code", "rank", "option__code")
    return [(a.question.code, a.option.code if a.option else a.text, a.rank) for a in rows]


def test_the_start_page_says_who_asks_why_how_long_and_what_is_kept() -> None:
    answer_world_make()

    page = Client().get(START).content.decode()

    assert "Perceptions Survey" in page
    assert "Staffordshire Police is asking people who live in Longton and Meir" in page
    assert "We want to know how safe you feel" in page  # the survey's purpose
    assert "We keep your answers for two years" in page  # its own privacy notice
    assert "We do not keep your postcode, your IP address or the time of day" in page
    assert "It takes about 4 minutes" in page  # 10 pages
    assert "I agree to my answers being used as described" in page


def test_nothing_starts_without_consent() -> None:
    answer_world_make()
    client = Client()

    refused = client.post(START, {})

    assert refused.status_code == 200
    assert "Tick the box to agree to your answers being used as described" in refused.text
    assert refused.text.count("govuk-error-summary") >= 1
    assert "survey_answering" not in client.session
    assert client.get(question("safe-after-dark"))["Location"] == START
    assert client.get(CHECK)["Location"] == START


def test_a_resident_answers_every_kind_of_question_and_sends_them() -> None:
    world = answer_world_make()
    client = Client()

    answer_every_page(client)
    check = client.get(CHECK)
    assert check.status_code == 200
    for shown in (
        "In Longton",
        "35 to 44",
        "Female",
        "Fairly safe",
        "Tend to agree",
        "1. Drug dealing and drug use",
        "2. Anti-social behaviour",
        "More patrols on the high street, please.",
        "The park",
        "The station",
    ):
        assert shown in check.text, shown
    sent = client.post(CHECK, {})

    assert sent["Location"] == SENT
    assert "Answers sent" in client.get(SENT).text
    response = Response.objects.get()
    assert response.wave == world.wave
    assert response.channel == "open"
    assert response.neighbourhood == world.longton
    assert response.lsoa_code == LONGTON_LSOA
    assert (response.age_band, response.sex) == ("35-44", "female")
    assert response.submitted_on == timezone.localdate()
    assert not response.contact_consent
    assert not response.contact_email
    assert _stored() == [
        ("anything-else", "More patrols on the high street, please.", None),
        ("overall-confidence", "tend-to-agree", None),
        ("priorities", "drugs", 1),
        ("priorities", "asb", 2),
        ("safe-after-dark", "fairly-safe", None),
        ("seen-or-heard", "yes", None),
        ("unsafe-places", "park", None),
        ("unsafe-places", "station", None),
    ]


def test_each_page_shows_its_place_and_a_back_link() -> None:
    answer_world_make()
    client = Client()
    begin(client)

    first = client.get(about("postcode")).text
    client.post(about("postcode"), {"skip": "yes"})
    second = client.get(about("age")).text

    assert "Question 1 of 10" in first
    assert f'href="{START}" class="govuk-back-link"' in first
    assert "Question 2 of 10" in second
    assert f'href="{about("postcode")}" class="govuk-back-link"' in second
    assert "Prefer not to say" in second


def test_pages_ahead_of_the_first_unanswered_one_send_the_resident_back_to_it() -> None:
    answer_world_make()
    client = Client()
    begin(client)

    assert client.get(question("priorities"))["Location"] == about("postcode")
    assert client.get(CHECK)["Location"] == about("postcode")
    assert client.get(question("no-such-question")).status_code == 404


def test_questions_not_required_may_be_skipped_and_nothing_is_stored_for_them() -> None:
    answer_world_make()
    client = Client()
    skipped = [(path, {"skip": "yes", "answer": "ignored"}) for path, _ in FULL_ANSWERS]

    answer_every_page(client, skipped)
    check = client.get(CHECK).text
    client.post(CHECK, {})

    assert check.count("Not answered") == 7  # the postcode and the six questions
    assert check.count("Prefer not to say") == 2
    response = Response.objects.get()
    assert (response.neighbourhood, response.age_band, response.sex) == (None, "", "")
    assert not Answer.objects.exists()


def test_an_empty_page_counts_as_skipping_it() -> None:
    answer_world_make()
    client = Client()
    empty = [(path, {}) for path, _ in FULL_ANSWERS]

    answer_every_page(client, empty)
    client.post(CHECK, {})

    assert Response.objects.count() == 1
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    ("code", "data", "message"),
    [
        ("safe-after-dark", {}, "Select an answer"),
        ("unsafe-places", {}, "Select at least one answer"),
        ("priorities", {"rank_1": ""}, "Choose the most important"),
        ("anything-else", {"answer": "   "}, "Enter an answer"),
    ],
)
def test_a_required_question_cannot_be_skipped(
    code: str, data: dict[str, str], message: str
) -> None:
    world = answer_world_make()
    world.survey.questions.filter(code=code).update(required=True)
    client = Client()
    pages = [(path, {"skip": "yes"}) for path, _ in FULL_ANSWERS]
    place = [path for path, _ in pages].index(question(code))
    answer_every_page(client, pages[:place])

    page = client.get(question(code)).text
    skipped = client.post(question(code), {"skip": "yes", **data})
    refused = client.post(question(code), data)

    assert "(you must answer this one)" in page
    assert "Skip this question" not in page
    assert skipped.status_code == 200
    assert message in skipped.text
    assert refused.status_code == 200
    assert message in refused.text
    assert refused.text.startswith("<!DOCTYPE html>")
    assert "<title>Error: " in refused.text
    assert client.get(CHECK)["Location"] == question(code)


def test_a_ranking_refuses_the_same_answer_twice_and_gaps() -> None:
    answer_world_make()
    client = Client()
    answer_every_page(client, FULL_ANSWERS[:6])

    twice = client.post(question("priorities"), {"rank_1": "asb", "rank_2": "asb"})
    gap = client.post(question("priorities"), {"rank_1": "", "rank_2": "drugs"})
    unknown = client.post(question("priorities"), {"rank_1": "parking"})
    fine = client.post(question("priorities"), {"rank_1": "burglary", "rank_3": ""})

    assert "Anti-social behaviour is chosen twice" in twice.text
    assert "with no gaps" in gap.text
    assert "Choose one of the answers in the list" in unknown.text
    assert fine.status_code == 302
    assert "Most important" in client.get(question("priorities")).text
    assert "Third most important" in client.get(question("priorities")).text


def test_free_text_has_a_character_limit() -> None:
    answer_world_make()
    client = Client()
    answer_every_page(client, FULL_ANSWERS[:7])

    page = client.get(question("anything-else")).text
    too_long = client.post(question("anything-else"), {"answer": "x" * 1001})

    assert "govuk-character-count" in page
    assert "up to 1000 characters" in page
    assert "Your answer must be 1,000 characters or fewer" in too_long.text


def test_a_change_link_goes_to_the_question_and_back_to_the_check_page() -> None:
    answer_world_make()
    client = Client()
    answer_every_page(client)
    check = client.get(CHECK).text
    change = question("safe-after-dark") + "?change=yes"
    assert f'href="{change}"' in check

    page = client.get(change).text
    saved = client.post(change, {"answer": "very-unsafe"})

    assert 'class="govuk-back-link"' in page
    assert f'href="{CHECK}" class="govuk-back-link"' in page
    assert 'value="fairly-safe" checked' in page  # what was said before is shown
    assert saved["Location"] == CHECK
    assert "Very unsafe" in client.get(CHECK).text
    client.post(CHECK, {})
    assert ("safe-after-dark", "very-unsafe", None) in _stored()


def test_a_changed_answer_can_be_skipped_from_the_check_page_too() -> None:
    answer_world_make()
    client = Client()
    answer_every_page(client)

    client.post(about("age") + "?change=yes", {"skip": "yes"})
    client.post(question("unsafe-places") + "?change=yes", {"skip": "yes"})
    client.post(CHECK, {})

    response = Response.objects.get()
    assert response.age_band == ""
    assert not Answer.objects.filter(question__code="unsafe-places").exists()


@pytest.mark.parametrize(
    ("postcode", "message"),
    [
        ("not a postcode", "Enter a full postcode, like ST3 2AA"),
        (UNKNOWN_POSTCODE, "We cannot find that postcode"),
        (CREWE_POSTCODE, "That postcode is outside the area this survey covers (Longton and Meir)"),
    ],
)
def test_a_postcode_that_cannot_place_the_answer_is_refused_on_its_page(
    postcode: str, message: str
) -> None:
    answer_world_make()
    client = Client()
    begin(client)

    refused = client.post(about("postcode"), {"answer": postcode})

    assert refused.status_code == 200
    assert message in refused.text
    assert 'href="#id_answer"' in refused.text  # the error summary links to the box
    assert "survey_answering" in client.session
    assert about("postcode") not in str(client.session["survey_answering"])
    # The resident corrects it, or skips it.
    corrected = client.post(about("postcode"), {"answer": "st31aa"})
    assert corrected["Location"] == about("age")


def test_a_wrong_postcode_may_be_skipped() -> None:
    answer_world_make()
    client = Client()
    begin(client)

    client.post(about("postcode"), {"answer": CREWE_POSTCODE})
    skipped = client.post(about("postcode"), {"answer": CREWE_POSTCODE, "skip": "yes"})

    assert skipped["Location"] == about("age")


def test_a_postcode_is_placed_and_then_forgotten() -> None:
    answer_world_make()
    client = Client()
    begin(client)

    client.post(about("postcode"), {"answer": "ST3 1AA"})

    held = str(client.session["survey_answering"])
    assert "ST3" not in held
    assert "st3" not in held
    assert LONGTON_LSOA in held
    assert "ST3 1AA" not in client.get(about("postcode")).text


def test_contact_details_are_kept_only_with_consent() -> None:
    answer_world_make()
    client = Client()
    answer_every_page(client, FULL_ANSWERS[:-1])

    no_consent = client.post(about("contact"), {"name": "Pat", "email": "pat@example.org"})
    no_email = client.post(about("contact"), {"name": "Pat", "consent": "on"})
    given = client.post(
        about("contact"), {"name": "Pat", "email": "pat@example.org", "consent": "on"}
    )
    check = client.get(CHECK).text
    client.post(CHECK, {})

    assert "Tick the box if we may contact you" in no_consent.text
    assert "Enter your email address, so that we can contact you" in no_email.text
    assert given["Location"] == CHECK
    assert "pat@example.org" in check
    response = Response.objects.get()
    assert (response.contact_name, response.contact_email) == ("Pat", "pat@example.org")
    assert response.contact_consent


def test_no_open_wave_is_said_plainly() -> None:
    world = answer_world_make()
    wave_close(wave=world.wave)

    page = Client().get(START)

    assert page.status_code == 200
    assert "Perceptions Survey is not taking answers at the moment" in page.text
    assert "Start now" not in page.text
    assert Client().get("/surveys/no-such-survey/").status_code == 404


def test_a_wave_that_closes_part_way_stops_the_flow() -> None:
    world = answer_world_make()
    client = Client()
    answer_every_page(client)

    wave_close(wave=world.wave)
    stopped = client.get(CHECK)
    sent = client.post(CHECK, {})

    assert stopped.status_code == 200
    assert "This survey closed before you sent your answers" in stopped.text
    assert "survey_answering" not in client.session or not client.session["survey_answering"]
    assert sent["Location"] == START
    assert not Response.objects.exists()
    assert world.wave.__class__.objects.get(pk=world.wave.pk).status == WaveStatus.CLOSED


def test_a_resident_who_comes_back_to_the_start_page_may_carry_on() -> None:
    answer_world_make()
    client = Client()
    answer_every_page(client, FULL_ANSWERS[:3])

    page = client.get(START).text

    assert "Carry on where you left off" in page
    assert f'href="{question("safe-after-dark")}"' in page


def test_the_day_is_kept_but_no_time_of_day() -> None:
    answer_world_make()
    client = Client()
    answer_every_page(client)
    client.post(CHECK, {})

    submitted = Response.objects.values_list("submitted_on", flat=True).get()

    assert type(submitted) is dt.date
