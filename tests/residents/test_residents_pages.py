"""The residents' pages on a small hand-made world: finding, the page, its numbers and feeds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from icalendar import Calendar

from beatbook.opendata.models import Crime
from beatbook.places.models import Force, Lsoa, Neighbourhood, Postcode
from beatbook.places.spatial import forget_cached_indexes
from beatbook.records.models import SourceFile, SourceKind, SourceStatus
from beatbook.surveys.models import Wave
from beatbook.surveys.survey_services import (
    question_from_bank_add,
    survey_create,
    wave_close,
    wave_create,
    wave_open,
)
from beatbook.teams.models import Event

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[-2.15, 52.975], [-2.11, 52.975], [-2.11, 53.0], [-2.15, 53.0], [-2.15, 52.975]]
    ],
}


@pytest.fixture(autouse=True)
def _fresh() -> None:
    cache.clear()
    forget_cached_indexes()


@pytest.fixture
def longton() -> Neighbourhood:
    force = Force.objects.get(pk="staffordshire")
    bounds = {
        "min_lat": 52.975,
        "max_lat": 53.0,
        "min_lng": -2.15,
        "max_lng": -2.11,
        "centre_lat": 52.9875,
        "centre_lng": -2.13,
    }
    hood = Neighbourhood.objects.create(
        force=force, code="SOT.LONGTON", name="Longton", boundary=SQUARE, **bounds
    )
    lsoa = Lsoa.objects.create(
        code="E01014213",
        name="Stoke-on-Trent 040A",
        census_year=2011,
        population_2021=2000,
        population_2011=1900,
        force=force,
    )
    hood.lsoas.add(lsoa)
    Postcode.objects.create(postcode="ST3 1AA", quality=1, latitude=52.9875, longitude=-2.1305)
    Postcode.objects.create(postcode="SW1A 1AA", quality=1, latitude=51.501, longitude=-0.141)
    # 2024 and 2025 held; 2025: 3 burglaries and 1 drugs; 2024: 1 burglary.
    for month_number in range(1, 13):
        for year in (2024, 2025):
            month = f"{year}-{month_number:02d}"
            source = SourceFile.objects.create(
                kind=SourceKind.STREET,
                path="x",
                sha256="0" * 64,
                force=force,
                month=month,
                status=SourceStatus.LOADED,
                started_at=timezone.now(),
            )
            if (year, month_number) in {(2025, 1), (2025, 2), (2025, 3), (2024, 5)}:
                Crime.objects.create(
                    force=force,
                    month=month,
                    category="burglary",
                    latitude=52.98,
                    longitude=-2.13,
                    neighbourhood=hood,
                    source=source,
                )
    Crime.objects.create(
        force=force, month="2025-06", category="drugs", neighbourhood=hood, source=source
    )
    start = timezone.now() + timedelta(days=3)
    Event.objects.create(
        neighbourhood=hood,
        title="Mobile police station",
        type="surgery",
        address="Market Square, ST3 1AA",
        start=start,
        end=start + timedelta(hours=2),
    )
    return hood


def test_a_postcode_goes_to_its_neighbourhood(client: Client, longton: Neighbourhood) -> None:
    response = client.get("/neighbourhoods/", {"postcode": "st31aa"})
    assert response.status_code == 302
    assert response["Location"] == "/neighbourhoods/staffordshire/SOT.LONGTON/"


@pytest.mark.parametrize(
    ("postcode", "message"),
    [
        ("ST3", "Enter a full postcode"),
        ("ST3 9ZZ", "We cannot find the postcode ST3 9ZZ"),
        ("SW1A 1AA", "outside the areas we cover"),
    ],
)
def test_bad_postcodes_get_a_helpful_message(
    client: Client, longton: Neighbourhood, postcode: str, message: str
) -> None:
    response = client.get("/neighbourhoods/", {"postcode": postcode})
    assert response.status_code == 200
    text = response.content.decode()
    assert "govuk-error-summary" in text
    assert 'id="postcode-error"' in text
    assert message in text


def test_what_a_resident_types_is_escaped(client: Client, longton: Neighbourhood) -> None:
    typed = '<script>alert("x")</script>'
    response = client.get("/neighbourhoods/", {"q": typed})
    text = response.content.decode()
    assert typed not in text
    assert "&lt;script&gt;" in text


def test_a_name_search_never_searches_lsoa_names(client: Client, longton: Neighbourhood) -> None:
    # Longton's LSOA is "Stoke-on-Trent 040A": statistical names are not places residents know.
    response = client.get("/neighbourhoods/", {"q": "040A"})
    assert response.status_code == 200
    assert "We cannot find a place or neighbourhood called" in response.content.decode()


def test_the_page_counts_crime_against_a_hand_count(
    client: Client, longton: Neighbourhood, django_assert_max_num_queries: object
) -> None:
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        response = client.get("/neighbourhoods/staffordshire/SOT.LONGTON/")
    assert response.status_code == 200
    crime = response.context["crime"]
    burglary = next(row for row in crime.categories if row.slug == "burglary")
    assert (burglary.count, burglary.previous, burglary.change) == (3, 1, 2)
    assert burglary.rate == 1.5  # 3 per 2,000 residents (Census 2021)
    assert crime.total.count == 4
    assert crime.population.source == "Census 2021"
    assert "Content-Security-Policy" in response


def test_the_calendar_feeds_are_valid(client: Client, longton: Neighbourhood) -> None:
    response = client.get("/neighbourhoods/staffordshire/SOT.LONGTON/events.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "URL", "GEO"):
        assert name in events[0]
    assert events[0].decoded("DTSTART").tzinfo is not None
    event = Event.objects.get()
    one = client.get(f"/neighbourhoods/staffordshire/SOT.LONGTON/events/{event.pk}.ics")
    assert "attachment" in one["Content-Disposition"]
    assert Calendar.from_ical(one.content).walk("VEVENT")[0]["SUMMARY"] == event.title


def test_the_chart_and_locations(client: Client, longton: Neighbourhood) -> None:
    chart = client.get("/neighbourhoods/staffordshire/SOT.LONGTON/crime-chart.svg")
    assert chart["Content-Type"] == "image/svg+xml"
    assert b"<svg" in chart.content
    places = client.get("/neighbourhoods/staffordshire/SOT.LONGTON/crime-locations.geojson")
    assert places.json()["type"] == "FeatureCollection"


def _longton_survey(longton: Neighbourhood, *, slug: str, published: bool) -> None:
    survey = survey_create(
        force=longton.force,
        title=f"Survey {slug}",
        purpose="How safe you feel.",
        privacy_notice="Kept for two years.",
        neighbourhoods=[longton] if published else [],
        slug=slug,
    )
    question_from_bank_add(survey=survey, key="safe-after-dark")
    today = timezone.localdate()
    wave = wave_open(wave=wave_create(survey=survey, name="First", opens_on=today, closes_on=today))
    if published:
        wave_close(wave=wave)
        Wave.objects.filter(pk=wave.pk).update(results_published=True)


def test_the_page_invites_residents_to_open_surveys_and_links_their_results(
    client: Client, longton: Neighbourhood, django_assert_max_num_queries: object
) -> None:
    """A survey of the whole force open now, and one of Longton with published results; one of
    another neighbourhood, and one with nothing to show, are not mentioned."""
    _longton_survey(longton, slug="whole-force", published=False)
    _longton_survey(longton, slug="longton-listens", published=True)
    meir = Neighbourhood.objects.create(force=longton.force, code="SOT.MEIR", name="Meir")
    elsewhere = survey_create(
        force=longton.force,
        title="Meir only",
        purpose="p",
        privacy_notice="n",
        neighbourhoods=[meir],
    )
    question_from_bank_add(survey=elsewhere, key="safe-after-dark")
    with django_assert_max_num_queries(20):  # type: ignore[operator]
        page = client.get("/neighbourhoods/staffordshire/SOT.LONGTON/").content.decode()

    assert 'href="/surveys/whole-force/"' in page
    assert 'href="/surveys/longton-listens/results/SOT.LONGTON/"' in page
    assert '/surveys/longton-listens/"' not in page  # its wave is closed: nothing to answer
    assert "Meir only" not in page
    assert "Nothing yet" not in page
