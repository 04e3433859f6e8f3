from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from beatbook.places.models import Force, Neighbourhood

pytestmark = pytest.mark.django_db

OGL = "Contains public sector information licensed under the Open Government Licence v3.0."
ONS_OS = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2025. "
    "Contains Royal Mail data © Royal Mail copyright and database right 2025."
)


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace(" .", ".")


def test_it_says_what_beatbook_is_and_that_no_data_is_held_yet(client: Client) -> None:
    response = client.get(reverse("home"))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<h1 class="govuk-heading-xl">Beatbook</h1>' in page
    assert "We do not hold data for any police force yet." in page


def test_it_lists_forces_with_crime_counts_months_and_neighbourhoods(
    client: Client, staffordshire_data: Force
) -> None:
    text = visible_text(client.get(reverse("home")).content.decode())

    assert "Staffordshire Police" in text
    assert "Crimes recorded 5" in text
    assert "January 2025 to February 2025 (2 months)" in text
    assert "Neighbourhoods 2" in text
    assert "Longton" in text
    assert "Meir North" in text
    assert "Cheshire" not in text


def test_it_always_shows_the_open_government_licence_and_ons_os_attributions(
    client: Client,
) -> None:
    page = client.get(reverse("home")).content.decode()
    text = visible_text(page)

    assert OGL in text
    assert ONS_OS in text
    assert (
        'href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"' in page
    )


def test_it_has_a_skip_link_phase_banner_and_no_inline_script(client: Client) -> None:
    page = client.get(reverse("home")).content.decode()

    assert '<a href="#main-content" class="govuk-skip-link"' in page
    assert 'id="main-content"' in page
    assert "This is a new service." in page
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S)
    assert scripts
    assert all(body.strip() == "" for body in scripts)
    assert "style=" not in page


def test_the_home_page_needs_the_same_few_queries_for_many_forces_and_neighbourhoods(
    client: Client, django_assert_max_num_queries, staffordshire_data: Force
) -> None:
    for force in Force.objects.exclude(pk="staffordshire")[:10]:
        Neighbourhood.objects.bulk_create(
            Neighbourhood(force=force, code=f"n{i}", name=f"Neighbourhood {i}") for i in range(20)
        )

    # Five for the forces and their neighbourhoods, one for the published partnerships.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("home"))

    assert response.content.decode().count('<h3 class="govuk-heading-m">') == 11


def test_the_stylesheet_and_script_are_served_without_collectstatic(client: Client) -> None:
    css = client.get("/static/govuk/govuk-frontend.min.css")
    js = client.get("/static/ui/beatbook.js")

    assert css.status_code == 200
    assert css["Content-Type"].startswith("text/css")
    assert b".govuk-template" in b"".join(css.streaming_content)
    assert js.status_code == 200
    assert "javascript" in js["Content-Type"]


def test_an_unknown_page_gets_a_plain_not_found_page(client: Client) -> None:
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
