"""The demo's perceptions survey made again and again: the same answers each time, no pile-up,
made afresh on a new day or when its linked priority is remade, and honest about its totals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from beatbook.demo.sample_surveys import SOURCE_MADE_UP, demo_surveys_fresh, demo_surveys_refresh
from beatbook.demo.sample_teams import demo_teams_refresh
from beatbook.places.models import Force, Lsoa, Neighbourhood
from beatbook.surveys.models import Margin, PriorityLink, Response, Survey, Wave
from beatbook.surveys.survey_services import survey_create

from .test_demo_sample_surveys import TODAY, answers, stoke_make, survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def stoke() -> list[Neighbourhood]:
    return stoke_make()


def test_without_census_populations_the_totals_are_plausible_and_say_so(
    stoke: list[Neighbourhood],
) -> None:
    Lsoa.objects.update(population_2011=None, population_2021=None)

    demo_surveys_refresh(force_id="staffordshire", today=TODAY)

    assert set(Margin.objects.values_list("source", flat=True)) == {SOURCE_MADE_UP}


def test_the_answers_are_the_same_each_time_it_is_made(stoke: list[Neighbourhood]) -> None:
    demo_surveys_refresh(force_id="staffordshire", today=TODAY)
    first = answers(survey())

    demo_surveys_refresh(force_id="staffordshire", today=TODAY)

    assert answers(survey()) == first
    assert len(first) > 10_000


def test_remaking_it_replaces_it_and_leaves_other_surveys_alone(
    stoke: list[Neighbourhood],
) -> None:
    force = Force.objects.get(pk="staffordshire")
    own = survey_create(
        force=force, title="Our own survey", purpose="Why", privacy_notice="What we keep"
    )
    first = demo_surveys_refresh(force_id="staffordshire", today=TODAY)

    again = demo_surveys_refresh(force_id="staffordshire", today=TODAY + timedelta(days=1))

    assert Survey.objects.filter(sample=True).count() == 1
    assert Survey.objects.filter(pk=own.pk).exists()
    assert again.responses == first.responses
    assert Response.objects.count() == again.responses
    assert Margin.objects.count() == 3 * 14
    assert Wave.objects.count() == 3
    assert PriorityLink.objects.count() == 1
    assert survey().slug == "stoke-on-trent-perceptions"


def test_it_is_fresh_for_the_day_it_was_made_until_its_priority_goes(
    stoke: list[Neighbourhood],
) -> None:
    assert not demo_surveys_fresh(force_id="staffordshire", today=TODAY)

    demo_surveys_refresh(force_id="staffordshire")
    today = Wave.objects.first().created_at.date()  # type: ignore[union-attr]

    assert demo_surveys_fresh(force_id="staffordshire", today=today)
    assert not demo_surveys_fresh(force_id="staffordshire", today=today + timedelta(days=1))
    # Remaking the sample priorities takes the link with them: the survey is made again.
    demo_teams_refresh(force_id="staffordshire", today=today)
    assert not PriorityLink.objects.exists()
    assert not demo_surveys_fresh(force_id="staffordshire", today=today)


def test_no_survey_without_neighbourhoods_in_stoke_on_trent() -> None:
    summary = demo_surveys_refresh(force_id="staffordshire", today=TODAY)

    assert summary.survey is None
    assert str(summary) == "No sample survey: the demo holds no neighbourhoods in Stoke-on-Trent."
    assert not Survey.objects.exists()
