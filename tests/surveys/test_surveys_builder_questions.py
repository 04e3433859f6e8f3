"""A survey's questions on the builder's pages: from the item bank, its own (answers typed one a
line), changed, moved, retired and deleted; a locked question refuses every change but moving
and retiring, saying to add a new question, and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from beatbook.surveys.models import Option, Question, Survey
from beatbook.surveys.question_services import (
    OptionSpec,
    QuestionDetails,
    options_parse,
    question_create,
    question_update,
)
from beatbook.surveys.survey_services import SurveyError, survey_create

from .survey_world import SurveyWorld, survey_world_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings: Any) -> SurveyWorld:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return survey_world_make()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _draft(world: SurveyWorld) -> Survey:
    """A second survey with no wave yet: its questions are not locked."""
    return survey_create(
        force=world.staffordshire,
        title="Meir Listens",
        purpose="p",
        privacy_notice="n",
        slug="meir-listens",
    )


def _snapshot() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    return (
        list(Question.objects.order_by("pk").values_list()),
        list(Option.objects.order_by("pk").values_list()),
    )


def _url(name: str, survey: Survey, question: Question | None = None) -> str:
    kwargs: dict[str, Any] = {"slug": survey.slug}
    if question is not None:
        kwargs["pk"] = question.pk
    return reverse(name, kwargs=kwargs)


OWN = {
    "text": "How often do you see litter in your street?",
    "kind": "single",
    "options": "daily | Every day *\nWeekly\nhardly | Hardly ever",
    "code": "",
    "headline": "",
}


# --- typing answers ---------------------------------------------------------------------------


def test_answers_are_read_one_a_line_with_codes_made_and_positives_marked() -> None:
    assert options_parse("very | Very safe *\n\nA bit unsafe\n  Don't know  ") == [
        OptionSpec("very", "Very safe", True),
        OptionSpec("a-bit-unsafe", "A bit unsafe", False),
        OptionSpec("dont-know", "Don't know", False),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Very Safe | Very safe", "'Very Safe' is not a code"),
        ("yes | Yes\nyes | Of course", "yes is used twice"),
        ("Yes\nyes | Yes please", "yes is used twice"),
        ("maybe | ", "needs a label"),
    ],
)
def test_answers_that_cannot_be_read_are_named(text: str, message: str) -> None:
    with pytest.raises(SurveyError, match=message):
        options_parse(text)


# --- adding -----------------------------------------------------------------------------------


def test_the_bank_page_shows_each_items_wording_answers_and_source(world: SurveyWorld) -> None:
    survey = _draft(world)

    page = _client(world.analyst).get(_url("survey_question_bank", survey)).content.decode()

    assert "How safe do you feel walking alone in this area after dark?" in page
    assert "Very safe (counts towards the headline)" in page
    assert "Source: The Crime Survey for England and Wales statement battery" in page


def test_a_bank_question_is_added_with_its_standard_wording(world: SurveyWorld) -> None:
    survey = _draft(world)
    client = _client(world.analyst)

    response = client.post(_url("survey_question_bank", survey), {"key": "safe-after-dark"})

    question = survey.questions.get()
    assert response.status_code == 302
    assert question.bank_key == "safe-after-dark"
    assert [o.code for o in question.options.all()][:2] == ["very-safe", "fairly-safe"]
    page = client.get(_url("survey_question_bank", survey)).content.decode()
    assert 'value="safe-after-dark"' not in page  # asked already: no longer offered


def test_choosing_no_bank_question_says_so(world: SurveyWorld) -> None:
    survey = _draft(world)

    response = _client(world.analyst).post(_url("survey_question_bank", survey), {})

    assert "Choose a question to add" in response.content.decode()
    assert not survey.questions.exists()


def test_an_own_question_is_added_with_its_typed_answers(world: SurveyWorld) -> None:
    survey = _draft(world)

    response = _client(world.analyst).post(_url("survey_question_new", survey), OWN)

    question = survey.questions.get()
    assert response.status_code == 302
    assert question.code == "how-often-do-you-see-litter-in-your-stre"
    options = [(o.code, o.label, o.positive) for o in question.options.all()]
    assert options == [
        ("daily", "Every day", True),
        ("weekly", "Weekly", False),
        ("hardly", "Hardly ever", False),
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"text": ""}, "Enter the question"),
        ({"kind": ""}, "Choose how residents answer"),
        ({"options": "Only one"}, "needs at least two answers"),
        ({"options": "A | A\nb | B"}, "&#x27;A&#x27; is not a code"),
        ({"code": "Bad Code"}, "The code must be lower-case letters"),
        ({"code": "sex"}, "names a respondent&#x27;s own column"),
        ({"kind": "rank", "rank_limit": "5"}, "Residents can rank between 1 and 3"),
        ({"code": "safe-after-dark"}, "already has a question with the code"),
    ],
)
def test_a_question_that_cannot_be_added_is_refused_and_nothing_changes(
    world: SurveyWorld, changes: dict[str, str], message: str
) -> None:
    before = _snapshot()

    response = _client(world.analyst).post(
        _url("survey_question_new", world.survey), {**OWN, **changes}
    )

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()
    assert _snapshot() == before


def test_a_free_text_question_needs_no_answers(world: SurveyWorld) -> None:
    survey = _draft(world)

    _client(world.analyst).post(
        _url("survey_question_new", survey),
        {**OWN, "kind": "text", "options": "", "code": "tell-us"},
    )

    assert survey.questions.get(code="tell-us").options.count() == 0


# --- changing an unlocked question ------------------------------------------------------------


def test_a_question_not_yet_asked_can_change_its_wording_and_answers(world: SurveyWorld) -> None:
    survey = _draft(world)
    client = _client(world.analyst)
    client.post(_url("survey_question_new", survey), {**OWN, "code": "litter"})
    question = survey.questions.get()
    form = client.get(_url("survey_question_edit", survey, question)).content.decode()
    assert "daily | Every day *" in form

    client.post(
        _url("survey_question_edit", survey, question),
        {**OWN, "code": "litter", "text": "How often do you see litter?", "options": "A\nB *"},
    )

    question.refresh_from_db()
    assert question.text == "How often do you see litter?"
    assert [(o.code, o.positive) for o in question.options.all()] == [("a", False), ("b", True)]


def test_questions_move_up_and_down_and_are_numbered_afresh(world: SurveyWorld) -> None:
    client = _client(world.analyst)
    last = world.survey.questions.get(code="anything-else")  # position 99

    client.post(_url("survey_question_move", world.survey, last), {"direction": "up"})
    first = world.survey.questions.get(code="safe-after-dark")
    client.post(_url("survey_question_move", world.survey, first), {"direction": "down"})

    order = list(world.survey.questions.order_by("position").values_list("code", "position"))
    assert order == [
        ("overall-confidence", 0),
        ("safe-after-dark", 1),
        ("seen-or-heard", 2),
        ("anything-else", 3),
        ("priorities", 4),
    ]


def test_the_first_question_cannot_move_up(world: SurveyWorld) -> None:
    first = world.survey.questions.get(code="safe-after-dark")
    before = _snapshot()

    response = _client(world.analyst).post(
        _url("survey_question_move", world.survey, first), {"direction": "up"}, follow=True
    )

    assert "safe-after-dark is already first" in response.content.decode()
    assert _snapshot() == before


def test_a_move_without_a_direction_is_a_bad_request(world: SurveyWorld) -> None:
    first = world.survey.questions.get(code="safe-after-dark")
    before = _snapshot()

    response = _client(world.analyst).post(_url("survey_question_move", world.survey, first))

    assert response.status_code == 400
    assert _snapshot() == before


def test_a_question_never_asked_can_be_deleted(world: SurveyWorld) -> None:
    survey = _draft(world)
    client = _client(world.analyst)
    client.post(_url("survey_question_new", survey), OWN)
    question = survey.questions.get()
    assert (
        "Delete the question"
        in client.get(_url("survey_question_delete", survey, question)).content.decode()
    )

    response = client.post(_url("survey_question_delete", survey, question))

    assert response.status_code == 302
    assert not survey.questions.exists()


# --- a locked question ------------------------------------------------------------------------


def test_a_locked_question_says_so_and_refuses_every_change(world: SurveyWorld) -> None:
    question = world.survey.questions.get(code="safe-after-dark")
    client = _client(world.analyst)
    url = _url("survey_question_edit", world.survey, question)
    assert "it is locked" in client.get(url).content.decode()
    before = _snapshot()
    attempts = [
        {"text": "How safe do you feel at night?"},
        {"options": "very-safe | Very safe indeed *\nfairly-safe | Fairly safe"},
        {"options": "very-safe | Very safe\nfairly-safe | Fairly safe *\na-bit-unsafe | A bit"},
        {"code": "safe-at-night"},
        {"hint": "Think of the last month."},
    ]
    current = {**OWN, **QuestionFormValues.of(question)}

    for attempt in attempts:
        response = client.post(url, {**current, **attempt})
        page = response.content.decode()
        assert response.status_code == 200
        assert "Add a new question instead" in page
        assert "There is a problem" in page

    assert _snapshot() == before


def test_the_service_refuses_a_locked_question_too(world: SurveyWorld) -> None:
    question = world.survey.questions.get(code="seen-or-heard")
    before = _snapshot()

    with pytest.raises(SurveyError, match="Add a new question instead"):
        question_update(
            question=question,
            details=QuestionDetails(
                text="Changed", kind="single", options=[OptionSpec("a", "A"), OptionSpec("b", "B")]
            ),
        )

    assert _snapshot() == before


def test_a_locked_question_is_retired_and_brought_back(world: SurveyWorld) -> None:
    question = world.survey.questions.get(code="seen-or-heard")
    client = _client(world.analyst)
    url = _url("survey_question_retire", world.survey, question)

    client.post(url, {"retired": "yes"})
    question.refresh_from_db()
    assert question.retired
    page = client.get(_url("survey_detail", world.survey)).content.decode()
    assert ">Retired</strong>" in page
    assert "Ask it again" in page

    client.post(url, {"retired": "no"})
    question.refresh_from_db()
    assert not question.retired


def test_a_retire_without_saying_which_way_is_a_bad_request(world: SurveyWorld) -> None:
    question = world.survey.questions.get(code="seen-or-heard")
    before = _snapshot()

    response = _client(world.analyst).post(_url("survey_question_retire", world.survey, question))

    assert response.status_code == 400
    assert _snapshot() == before


def test_a_question_asked_cannot_be_deleted_and_is_kept(world: SurveyWorld) -> None:
    question = world.survey.questions.get(code="priorities")
    client = _client(world.analyst)
    url = _url("survey_question_delete", world.survey, question)
    assert "Retire it instead" in client.get(url).content.decode()
    before = _snapshot()

    response = client.post(url)

    assert "retire it instead" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert _snapshot() == before


# --- who may --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("survey_question_bank", {"key": "good-job"}),
        ("survey_question_new", OWN),
    ],
)
def test_the_officer_and_the_outsider_add_nothing(
    world: SurveyWorld, name: str, data: dict[str, str]
) -> None:
    before = _snapshot()

    officer = _client(world.officer).post(_url(name, world.survey), data)
    outsider = _client(world.outsider).post(_url(name, world.survey), data)

    assert (officer.status_code, outsider.status_code) == (403, 404)
    assert _snapshot() == before


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("survey_question_edit", {**OWN, "text": "Changed"}),
        ("survey_question_move", {"direction": "down"}),
        ("survey_question_retire", {"retired": "yes"}),
        ("survey_question_delete", {}),
    ],
)
def test_the_officer_and_the_outsider_change_no_question(
    world: SurveyWorld, name: str, data: dict[str, str]
) -> None:
    survey = _draft(world)
    question = question_create(
        survey=survey,
        details=QuestionDetails(
            text="Q?", kind="single", code="q", options=[OptionSpec("a", "A"), OptionSpec("b", "B")]
        ),
    )
    question_create(survey=survey, details=QuestionDetails(text="Tell us", kind="text"))
    before = _snapshot()

    officer = _client(world.officer).post(_url(name, survey, question), data)
    outsider = _client(world.outsider).post(_url(name, survey, question), data)

    assert (officer.status_code, outsider.status_code) == (403, 404)
    assert _snapshot() == before


def test_a_question_of_another_survey_is_not_found(world: SurveyWorld) -> None:
    survey = _draft(world)
    question = world.survey.questions.get(code="priorities")

    response = _client(world.analyst).get(_url("survey_question_edit", survey, question))

    assert response.status_code == 404


class QuestionFormValues:
    @staticmethod
    def of(question: Question) -> dict[str, str]:
        from beatbook.surveys.builder_forms import QuestionForm

        values = QuestionForm.initial_for(question)
        return {key: str(value) for key, value in values.items() if value not in (False, None)}
