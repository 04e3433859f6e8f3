"""The builder's list, overview and details pages, for each kind of user: the analyst who runs
the survey manages it, the neighbourhood officer only reads it, the other force's analyst gets
nothing; every refusal changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from beatbook.accounts.models import OrganisationKind, Role
from beatbook.accounts.services import membership_grant, organisation_create
from beatbook.places.models import Neighbourhood
from beatbook.surveys.models import Survey

from .survey_world import SurveyWorld, _person, survey_world_make

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _details(**changes: Any) -> dict[str, Any]:
    return {
        "title": "Meir Listens",
        "purpose": "How safe you feel in Meir.",
        "privacy_notice": "We keep your answers for a year.",
        "contact_email": "listens@example.police.uk",
        "demographics": ["age_band", "sex"],
        **changes,
    }


def _rows() -> list[tuple[Any, ...]]:
    return list(Survey.objects.order_by("pk").values_list())


@pytest.fixture
def world(settings: Any) -> SurveyWorld:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # quick to make
    return survey_world_make()


def test_the_list_shows_the_surveys_each_may_see_and_who_may_start_one(world: SurveyWorld) -> None:
    analyst = _client(world.analyst).get(reverse("survey_list")).content.decode()
    officer = _client(world.officer).get(reverse("survey_list")).content.decode()
    outsider = _client(world.outsider).get(reverse("survey_list")).content.decode()

    assert "Perceptions Survey" in analyst
    assert "Start a survey" in analyst
    assert "August 2023 (open for answers)" in analyst
    assert "Perceptions Survey" in officer
    assert "Start a survey" not in officer
    assert "Perceptions Survey" not in outsider
    assert "Start a survey" in outsider  # an analyst in Cheshire runs surveys there


def test_the_overview_shows_questions_in_order_the_lock_and_the_waves(world: SurveyWorld) -> None:
    url = reverse("survey_detail", kwargs={"slug": "perceptions"})

    page = _client(world.analyst).get(url).content.decode()

    codes = ["safe-after-dark", "overall-confidence", "seen-or-heard", "priorities"]
    places = [page.index(f"<code>{code}</code>") for code in [*codes, "anything-else"]]
    assert places == sorted(places)
    assert page.count(">Locked</strong>") == 5
    assert "Very safe (counts towards the headline)" in page
    assert "Rank the top priorities (3)" in page
    assert "August 2023" in page
    assert ">Open</strong>" in page
    assert "Change the details" in page
    assert "Add a wave" in page


def test_the_officer_reads_the_overview_without_any_button(world: SurveyWorld) -> None:
    url = reverse("survey_detail", kwargs={"slug": "perceptions"})

    page = _client(world.officer).get(url).content.decode()

    assert "Perceptions Survey" in page
    for button in ("Change the details", "Add a wave", "Move up", "Retire", "Add your own"):
        assert button not in page


def test_another_forces_staff_cannot_find_the_survey(world: SurveyWorld) -> None:
    client = _client(world.outsider)
    for name in ("survey_detail", "survey_edit"):
        assert client.get(reverse(name, kwargs={"slug": "perceptions"})).status_code == 404
    before = _rows()
    response = client.post(reverse("survey_edit", kwargs={"slug": "perceptions"}), _details())
    assert response.status_code == 404
    assert _rows() == before


def test_the_officer_may_not_change_the_details_and_nothing_changes(world: SurveyWorld) -> None:
    client = _client(world.officer)
    url = reverse("survey_edit", kwargs={"slug": "perceptions"})
    before = _rows()

    assert client.get(url).status_code == 403
    response = client.post(url, _details())

    assert response.status_code == 403
    assert "Only those who run surveys" in response.content.decode()
    assert _rows() == before


def test_an_analyst_starts_a_survey_of_some_neighbourhoods(world: SurveyWorld) -> None:
    client = _client(world.analyst)
    form = client.get(reverse("survey_create")).content.decode()
    assert "Force: Staffordshire Police" in form  # one force: no choice to make
    assert "Crewe" not in form

    response = client.post(
        reverse("survey_create"),
        _details(force="staffordshire", neighbourhoods=[world.meir.pk], demographics=["sex"]),
    )

    survey = Survey.objects.get(title="Meir Listens")
    assert response.status_code == 302
    assert response["Location"] == reverse("survey_detail", kwargs={"slug": "meir-listens"})
    assert list(survey.neighbourhoods.all()) == [world.meir]
    assert (survey.ask_age_band, survey.ask_sex, survey.ask_postcode) == (False, True, False)
    assert survey.contact_email == "listens@example.police.uk"
    assert survey.created_by == world.analyst


def test_a_survey_of_no_neighbourhood_covers_the_whole_force(world: SurveyWorld) -> None:
    _client(world.analyst).post(reverse("survey_create"), _details(force="staffordshire"))

    page = _client(world.analyst).get(reverse("survey_detail", args=["meir-listens"]))

    assert "The whole of Staffordshire Police" in page.content.decode()


@pytest.mark.parametrize("title", ["New", "I"])
def test_a_survey_named_like_another_page_gets_an_address_of_its_own(
    world: SurveyWorld, title: str
) -> None:
    """ "new" would be the builder's page; "i" the residents' invitation links."""
    _client(world.analyst).post(
        reverse("survey_create"), _details(force="staffordshire", title=title)
    )

    assert Survey.objects.filter(title=title).get().slug == f"survey-{title.lower()}"


def test_a_survey_with_a_missing_purpose_is_refused_with_a_message(world: SurveyWorld) -> None:
    before = _rows()

    response = _client(world.analyst).post(
        reverse("survey_create"), _details(force="staffordshire", purpose="")
    )

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "Say why you are asking" in response.content.decode()
    assert _rows() == before


def test_a_neighbourhood_of_another_force_is_no_choice(world: SurveyWorld) -> None:
    before = _rows()

    response = _client(world.analyst).post(
        reverse("survey_create"), _details(force="staffordshire", neighbourhoods=[world.crewe.pk])
    )

    assert "is not one of the available choices" in response.content.decode()
    assert _rows() == before


def test_the_officer_may_not_start_a_survey(world: SurveyWorld) -> None:
    before = _rows()
    client = _client(world.officer)

    assert client.get(reverse("survey_create")).status_code == 403
    assert client.post(reverse("survey_create"), _details(force="staffordshire")).status_code == 403
    assert _rows() == before


def test_one_who_runs_surveys_in_two_forces_chooses_the_force(world: SurveyWorld) -> None:
    both = _person("two-forces", world.staffordshire, Role.ANALYST)
    cheshire = organisation_create(
        name="Cheshire analysts", kind=OrganisationKind.POLICE_FORCE, force=world.cheshire
    )
    membership_grant(user=both, organisation=cheshire, role=Role.ANALYST)
    client = _client(both)

    form = client.get(reverse("survey_create")).content.decode()
    client.post(
        reverse("survey_create"), _details(force="cheshire", neighbourhoods=[world.crewe.pk])
    )

    assert '<select class="govuk-select" id="id_force"' in form
    assert Survey.objects.get(title="Meir Listens").force == world.cheshire


def test_the_details_change_but_not_the_area_once_a_wave_has_opened(world: SurveyWorld) -> None:
    client = _client(world.analyst)
    url = reverse("survey_edit", kwargs={"slug": "perceptions"})
    form = client.get(url).content.decode()
    assert "Perceptions Survey" in form
    assert "Force:" not in form

    kept = _details(title="Perceptions", neighbourhoods=[world.longton.pk, world.meir.pk])
    client.post(url, kept)
    before = _rows()
    refused = client.post(url, _details(title="Longton only", neighbourhoods=[world.longton.pk]))

    survey = Survey.objects.get(slug="perceptions")
    assert survey.title == "Perceptions"
    assert "The area cannot change once a wave has opened" in refused.content.decode()
    assert _rows() == before
    assert set(survey.neighbourhoods.all()) == {world.longton, world.meir}


def test_the_staff_page_links_to_the_surveys_for_those_with_one(world: SurveyWorld) -> None:
    nobody = _person("no-surveys", world.cheshire, Role.NEIGHBOURHOOD_OFFICER)

    officer = _client(world.officer).get(reverse("staff")).content.decode()
    stranger = _client(nobody).get(reverse("staff")).content.decode()

    starter = _client(world.outsider).get(reverse("staff")).content.decode()

    assert f'href="{reverse("survey_list")}"' in officer  # sees one
    assert f'href="{reverse("survey_list")}"' in starter  # has none yet, but may start one
    assert f'href="{reverse("survey_list")}"' not in stranger


def test_the_list_needs_the_same_few_queries_however_many_surveys(
    world: SurveyWorld, django_assert_max_num_queries: Any
) -> None:
    for number in range(15):
        survey = Survey.objects.create(
            force=world.staffordshire,
            title=f"Survey {number}",
            slug=f"s-{number}",
            purpose="p",
            privacy_notice="n",
        )
        survey.neighbourhoods.set(Neighbourhood.objects.filter(pk=world.meir.pk))
    client = _client(world.analyst)

    with django_assert_max_num_queries(8):
        response = client.get(reverse("survey_list"))

    assert "Survey 14" in response.content.decode()
