"""The results pages: staff figures as the estimates give them, interim and unweighted labels,
waves compared, the public pages of published closed waves only with generated headlines, free
text never public, and who may open what."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from beatbook.analysis.survey_estimates import headline_text
from beatbook.surveys.models import PriorityLink
from beatbook.surveys.result_services import POSITIVE, wave_estimates
from beatbook.teams import services as teams

from .survey_results_world import TEXT, answers_add, margins_add, wave_next, wave_publish
from .survey_world import SurveyWorld, survey_world_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _thresholds(settings: Any) -> None:
    """The small world's neighbourhoods answer in tens: thresholds to match, not the defaults."""
    settings.SURVEY_SUPPRESS_BELOW = 10
    settings.SURVEY_FLAG_BELOW = 30


STAFF = "/staff/surveys/perceptions/results/"
PUBLIC = "/surveys/perceptions/results/"


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _answered(world: SurveyWorld) -> None:
    answers_add(world.wave, world.longton, 60, seed=1)
    answers_add(world.wave, world.meir, 6, seed=2)


def test_the_staff_page_shows_the_estimates_and_the_interim_label() -> None:
    world = survey_world_make()
    _answered(world)
    estimates = wave_estimates(wave=world.wave)
    row = estimates.headline(question="safe-after-dark")
    assert row is not None

    page = _client(world.officer).get(STAFF + "august-2023/").content.decode()

    assert "Interim results, for staff only" in page
    assert "These figures are not weighted to the population" in page
    expected = headline_text(
        estimate=row["estimate"],
        ci_low=row["ci_low"],
        ci_high=row["ci_high"],
        phrase="feel safe walking alone in this area after dark",
    )
    assert expected in page
    assert f"{row['estimate'] * 100:.0f}%" in page
    assert "Too few answers (fewer than 10)" in page  # Meir's six


def test_the_neighbourhood_filter_shows_one_neighbourhood_or_says_what_is_wrong() -> None:
    world = survey_world_make()
    _answered(world)
    client = _client(world.analyst)

    meir = client.get(STAFF + "august-2023/", {"neighbourhood": "SOT-MEIR"})
    wrong = client.get(STAFF + "august-2023/", {"neighbourhood": "CE-CREWE"})

    assert meir.status_code == 200
    assert "results in Meir" in meir.content.decode()
    assert meir.content.decode().count("Too few answers (fewer than 10)") >= 4
    assert wrong.status_code == 400
    assert "Choose one of the survey&#x27;s neighbourhoods" in wrong.content.decode()


def test_free_text_is_shown_only_to_those_who_run_the_survey_and_never_in_public() -> None:
    world = survey_world_make()
    _answered(world)
    wave_publish(world.wave)

    analyst = _client(world.analyst).get(STAFF + "august-2023/").content.decode()
    officer = _client(world.officer).get(STAFF + "august-2023/").content.decode()
    public = Client().get(PUBLIC).content.decode()
    local = Client().get(PUBLIC + "SOT-LONGTON/").content.decode()

    assert TEXT in analyst
    assert TEXT not in officer
    assert TEXT not in public
    assert TEXT not in local


def test_waves_are_compared_and_only_a_real_change_is_called_one() -> None:
    world = survey_world_make()
    answers_add(world.wave, world.longton, 200, seed=1, safe=0.8)
    wave_publish(world.wave)
    later = wave_next(world, "February 2024", dt.date(2024, 2, 1))
    answers_add(later, world.longton, 200, seed=2, safe=0.3, prefix="feb")
    wave_publish(later)

    staff = _client(world.analyst).get(STAFF + "february-2024/").content.decode()
    public = Client().get(PUBLIC).content.decode()

    assert "August 2023 against February 2024" in staff
    assert "A real change" in staff
    assert "Fewer people feel safe walking alone in this area after dark than in August 2023" in (
        public
    )
    # Confidence was drawn the same way in both waves: no sentence claims it changed.
    assert "people have confidence in the police in this area than in" not in public


def test_the_public_pages_show_only_the_latest_published_closed_wave() -> None:
    world = survey_world_make()
    _answered(world)
    assert Client().get(PUBLIC).status_code == 404  # open: staff only

    august = wave_publish(world.wave)
    later = wave_next(world, "February 2024", dt.date(2024, 2, 1))
    answers_add(later, world.longton, 30, seed=5, prefix="feb")

    page = Client().get(PUBLIC)
    assert page.status_code == 200
    assert "August 2023" in page.content.decode()
    assert "February 2024" not in page.content.decode()
    assert Client().get(PUBLIC + "SOT-MEIR/").status_code == 200
    assert Client().get(PUBLIC + "CE-CREWE/").status_code == 404
    assert Client().get("/surveys/no-such-survey/results/").status_code == 404
    assert august.results_published


def test_the_public_headlines_are_generated_and_say_how_the_figures_were_weighted() -> None:
    world = survey_world_make()
    _answered(world)
    margins_add(world.survey, [world.longton, world.meir])
    wave_publish(world.wave)
    estimates = wave_estimates(wave=world.wave)

    page = Client().get(PUBLIC).content.decode()
    meir = Client().get(PUBLIC + "SOT-MEIR/").content.decode()

    for code in ("safe-after-dark", "overall-confidence", "seen-or-heard"):
        row = estimates.headline(question=code)
        assert row is not None
        question = world.survey.questions.get(code=code)
        sentence = headline_text(
            estimate=row["estimate"],
            ci_low=row["ci_low"],
            ci_high=row["ci_high"],
            phrase=question.headline,
        )
        assert sentence.replace("'", "&#x27;") in page
    assert "The answers are weighted" in page
    assert "66 people answered" in page
    assert "6 people answered in Meir" in meir
    assert "Too few people answered here to say" in meir
    assert "Speeding and dangerous driving" in page  # the top priority


def test_a_priority_linked_to_the_wave_is_linked_from_the_public_page() -> None:
    world = survey_world_make()
    _answered(world)
    wave_publish(world.wave)
    priority = teams.priority_create(
        neighbourhood=world.meir, issue="<p>Speeding on Weston Road</p>", issue_date=timezone.now()
    )
    client = _client(world.analyst)
    url = STAFF + "august-2023/priorities/"

    refused = client.post(url, {"priority": priority.pk, "note": ""})
    made = client.post(url, {"priority": priority.pk, "note": "Speeding topped the ranking."})
    twice = client.post(url, {"priority": priority.pk, "note": "Again."})

    assert refused.status_code == 400
    assert "Say what in the answers" in refused.content.decode()
    assert made.status_code == 302
    assert twice.status_code == 400
    assert "already linked" in twice.content.decode()
    assert PriorityLink.objects.filter(wave=world.wave).count() == 1
    page = Client().get(PUBLIC + "SOT-MEIR/").content.decode()
    assert "Speeding topped the ranking." in page
    assert 'href="/neighbourhoods/staffordshire/SOT-MEIR/"' in page
    link = PriorityLink.objects.get()
    assert client.post(url, {"remove": link.pk}).status_code == 302
    assert not PriorityLink.objects.exists()


def test_who_may_open_the_staff_results() -> None:
    world = survey_world_make()
    _answered(world)
    wave = STAFF + "august-2023/"
    links = wave + "priorities/"

    assert Client().get(wave).status_code == 302  # to sign in
    assert _client(world.outsider).get(STAFF).status_code == 404
    assert _client(world.outsider).get(wave).status_code == 404
    assert _client(world.officer).get(STAFF).status_code == 200
    assert _client(world.officer).get(wave).status_code == 200
    assert _client(world.officer).get(links).status_code == 403
    assert _client(world.analyst).get(links).status_code == 200
    assert _client(world.analyst).get(STAFF + "no-such-wave/").status_code == 404


def test_the_survey_page_lists_its_waves_with_their_headlines() -> None:
    world = survey_world_make()
    _answered(world)

    page = _client(world.officer).get(STAFF).content.decode()

    assert "August 2023" in page
    assert "Open: interim results, staff only" in page
    assert "not weighted to the population" in page
    assert POSITIVE not in page
