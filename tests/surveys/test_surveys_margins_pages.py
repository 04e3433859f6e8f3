"""The margins page of a survey, by role: those who run it load figures; those who may only read
it see what is loaded; others do not find it. A bad file is refused with its problems listed
and nothing changed."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from beatbook.accounts.models import User
from beatbook.surveys.margin_services import margins_load
from beatbook.surveys.models import Margin

from .survey_world import SurveyWorld, survey_world_make
from .test_surveys_margins import full_csv, with_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> SurveyWorld:
    return survey_world_make()


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page(world: SurveyWorld) -> str:
    return reverse("survey_margins", kwargs={"slug": world.survey.slug})


def upload(text: str, name: str = "margins.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_the_page_says_nothing_is_loaded_and_offers_the_form_to_those_who_run_it(
    world: SurveyWorld,
) -> None:
    response = client_for(world.analyst).get(page(world))

    assert response.status_code == 200
    html = response.content.decode()
    assert "No population figures are loaded yet" in html
    assert 'type="file"' in html
    assert reverse("survey_margins_template", kwargs={"slug": "perceptions"}) in html
    assert "Create a custom dataset" in html


def test_an_officer_sees_what_is_loaded_but_no_form(world: SurveyWorld) -> None:
    margins_load(survey=world.survey, content=full_csv(), source="ONS Census 2021")

    response = client_for(world.officer).get(page(world))

    assert response.status_code == 200
    html = response.content.decode()
    assert "ONS Census 2021" in html
    assert "1,491" in html  # Longton: 100 + 101 + ... + 113
    assert "2,982 in 2 neighbourhoods" in html
    assert 'type="file"' not in html
    assert "Only those who run this survey" in html


def test_an_officer_may_not_load_figures(world: SurveyWorld) -> None:
    response = client_for(world.officer).post(page(world), {"file": upload(full_csv())})

    assert response.status_code == 403
    assert not Margin.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_of_another_force_do_not_find_it(world: SurveyWorld, method: str) -> None:
    client = client_for(world.outsider)

    assert getattr(client, method)(page(world)).status_code == 404
    template = reverse("survey_margins_template", kwargs={"slug": "perceptions"})
    assert client.get(template).status_code == 404
    assert not Margin.objects.exists()


def test_a_visitor_is_sent_to_sign_in(world: SurveyWorld) -> None:
    response = client_for(None).get(page(world))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_analyst_loads_a_file_and_sees_it(world: SurveyWorld) -> None:
    client = client_for(world.analyst)

    response = client.post(page(world), {"file": upload(full_csv()), "source": "Census 2021"})

    assert response.status_code == 302
    assert Margin.objects.filter(survey=world.survey, source="Census 2021").count() == 28
    shown = client.get(response["Location"]).content.decode()
    assert "The population figures are loaded." in shown
    assert "Census 2021" in shown


def test_without_a_source_the_file_name_is_kept(world: SurveyWorld) -> None:
    client_for(world.analyst).post(page(world), {"file": upload(full_csv(), "stoke.csv")})

    assert set(Margin.objects.values_list("source", flat=True)) == {"Uploaded file stoke.csv"}


def test_a_bad_file_is_refused_with_its_rows_named_and_nothing_changes(
    world: SurveyWorld,
) -> None:
    margins_load(survey=world.survey, content=full_csv(population=5), source="First")
    before = list(Margin.objects.values_list("pk", "population", "source"))
    bad = with_row(full_csv(areas=("SOT-LONGTON", "SOT-MEIR")), 3, "Atlantis,16-24,male,1")

    response = client_for(world.analyst).post(page(world), {"file": upload(bad)})

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The file was not loaded, so nothing has changed" in html
    assert "Row 3: &#x27;Atlantis&#x27; is not a neighbourhood of the survey&#x27;s area" in html
    assert list(Margin.objects.values_list("pk", "population", "source")) == before


def test_no_file_is_asked_for(world: SurveyWorld) -> None:
    response = client_for(world.analyst).post(page(world), {"source": "x"})

    assert response.status_code == 400
    assert "Choose a CSV file of population figures" in response.content.decode()
    assert not Margin.objects.exists()


def test_the_template_downloads_for_anyone_who_sees_the_survey(world: SurveyWorld) -> None:
    template = reverse("survey_margins_template", kwargs={"slug": "perceptions"})

    response = client_for(world.officer).get(template)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"] == 'attachment; filename="perceptions-margins.csv"'
    lines = response.content.decode().splitlines()
    assert lines[0] == "area,age_band,sex,population,neighbourhood_name"
    assert lines[1] == "SOT-LONGTON,16-24,female,,Longton"
    assert len(lines) == 29


def test_the_template_is_only_read(world: SurveyWorld) -> None:
    template = reverse("survey_margins_template", kwargs={"slug": "perceptions"})

    assert client_for(world.analyst).post(template).status_code == 405
