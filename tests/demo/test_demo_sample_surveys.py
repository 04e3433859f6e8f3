"""The demo's Stoke-on-Trent Perceptions Survey (issue 17): over the demo's Stoke-on-Trent
neighbourhoods, with two closed waves a year apart and one open now, margins that cover every
neighbourhood, simulated answers that are the same every time, a priority linked to the latest
wave, and no pile-up when the demo remakes it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum

from beatbook.demo.sample_surveys import (
    ADULT_SHARE,
    CENSUS_2021_SHARES,
    SOURCE,
    TITLE,
    DemoSurveySummary,
    demo_surveys_refresh,
)
from beatbook.demo.sample_teams import demo_teams_refresh
from beatbook.places.models import Force, Lsoa, Neighbourhood
from beatbook.surveys.margin_services import margin_coverage_problems
from beatbook.surveys.models import (
    Answer,
    Margin,
    PriorityLink,
    Response,
    Survey,
    Wave,
    WaveStatus,
)
from beatbook.surveys.selectors import survey_neighbourhoods

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 16)
STOKE = ("Longton", "Meir North", "Hanley")


def stoke_make() -> list[Neighbourhood]:
    """Three neighbourhoods of Stoke-on-Trent (two LSOAs each, with 2021 populations), one of
    Stafford, and the demo's sample teams and priorities in each."""
    force = Force.objects.get(pk="staffordshire")
    made = []
    for number, name in enumerate((*STOKE, "Stafford Town")):
        authority = "Stafford" if name == "Stafford Town" else "Stoke-on-Trent"
        hood = Neighbourhood.objects.create(force=force, code=name.lower(), name=name)
        lsoas = [
            Lsoa.objects.create(
                code=f"E0101{number}{part:03d}",
                name=f"{authority} {number:03d}{'AB'[part]}",
                census_year=2011,
                force=force,
                population_2011=1400,
                population_2021=1500 + 100 * number + part,
            )
            for part in (0, 1)
        ]
        hood.lsoas.set(lsoas)
        made.append(hood)
    demo_teams_refresh(force_id="staffordshire", today=TODAY)
    return made[:3]


@pytest.fixture(scope="module")
def made(django_db_setup: None, django_db_blocker: Any) -> Iterator[DemoSurveySummary]:
    """The survey made once for the module's tests, which only read it, in a transaction rolled
    back at the module's end."""
    with django_db_blocker.unblock(), transaction.atomic():
        stoke_make()
        yield demo_surveys_refresh(force_id="staffordshire", today=TODAY)
        transaction.set_rollback(True)


@pytest.fixture
def stoke(made: DemoSurveySummary) -> list[Neighbourhood]:
    return list(Neighbourhood.objects.filter(name__in=STOKE))


def survey() -> Survey:
    return Survey.objects.get(sample=True, force_id="staffordshire")


def answers(of: Survey) -> list[tuple[object, ...]]:
    """Every answer, as the residents gave it (not the row ids, nor the day it came in)."""
    rows = Answer.objects.filter(response__wave__survey=of).values_list(
        "response__wave__name",
        "response__external_id",
        "response__neighbourhood__code",
        "response__lsoa_code",
        "response__age_band",
        "response__sex",
        "response__contact_email",
        "question__code",
        "option__code",
        "rank",
        "text",
    )
    return sorted(rows, key=repr)


def positive_share(wave: Wave, code: str) -> float:
    given = Answer.objects.filter(response__wave=wave, question__code=code)
    return given.filter(option__positive=True).count() / given.count()


def test_the_survey_covers_stoke_on_trent_and_asks_the_bank_questions(
    made: DemoSurveySummary,
) -> None:
    held = survey()
    assert made.survey == held
    assert str(made) == (
        f"Made the {TITLE} (sample): 3 neighbourhoods, 3 waves, 5,950 simulated residents' answers."
    )
    assert held.force.name == "Staffordshire Police"
    assert held.sample
    assert {n.name for n in survey_neighbourhoods(survey=held)} == set(STOKE)
    codes = list(held.questions.values_list("code", flat=True))
    assert codes == [
        "safe-after-dark",
        "overall-confidence",
        "dealing-with-what-matters",
        "seen-or-heard",
        "foot-patrol",
        "know-contact",
        "priorities",
        "anything-else",
    ]
    assert held.questions.get(code="anything-else").kind == "text"


def test_two_closed_published_waves_a_year_apart_and_one_open_now(
    stoke: list[Neighbourhood],
) -> None:

    earlier, recent, current = survey().waves.order_by("opens_on")
    assert (earlier.status, recent.status, current.status) == (
        WaveStatus.CLOSED,
        WaveStatus.CLOSED,
        WaveStatus.OPEN,
    )
    assert earlier.results_published
    assert recent.results_published
    assert not current.results_published
    assert recent.closes_on - earlier.closes_on == timedelta(weeks=52)
    assert 380 <= (TODAY - earlier.closes_on).days <= 420  # about 13 months ago
    assert 20 <= (TODAY - recent.closes_on).days <= 45  # about a month ago
    assert current.opens_on <= TODAY <= current.closes_on
    assert current.open_link
    for wave in (earlier, recent):
        assert 100 <= wave.responses.count() <= 3500
        assert set(wave.responses.values_list("channel", flat=True)) == {"imported"}
    assert 0 < current.responses.count() < 300
    assert all(
        wave.opens_on <= day <= min(wave.closes_on, TODAY)
        for wave in (earlier, recent, current)
        for day in wave.responses.values_list("submitted_on", flat=True)
    )
    every = {n.pk for n in stoke}
    assert set(recent.responses.values_list("neighbourhood", flat=True)) == every


def test_the_margins_cover_every_neighbourhood_and_say_where_they_come_from(
    stoke: list[Neighbourhood],
) -> None:
    made = survey()

    margins = list(Margin.objects.filter(survey=made).select_related("neighbourhood"))
    assert len(margins) == 3 * 14
    assert margin_coverage_problems(survey=made, cells=margins) == []  # type: ignore[arg-type]
    assert {m.source for m in margins} == {SOURCE}
    assert SOURCE == (
        "Demo: neighbourhood totals from Census 2021, split by approximate England and Wales "
        "age and sex shares"
    )
    assert sum(CENSUS_2021_SHARES.values()) == pytest.approx(100)
    longton = Margin.objects.filter(survey=made, neighbourhood__name="Longton")
    # Longton's two LSOAs hold 1,500 and 1,501 residents in Census 2021.
    assert longton.aggregate(n=Sum("population"))["n"] == pytest.approx(3001 * ADULT_SHARE, abs=8)
    older = longton.get(age_band="75+", sex="female").population
    assert older == round(3001 * ADULT_SHARE * CENSUS_2021_SHARES[("75+", "female")] / 100)


def test_older_people_and_women_answer_more_and_a_few_prefer_not_to_say(
    stoke: list[Neighbourhood],
) -> None:
    recent = survey().waves.order_by("opens_on")[1]
    responses = recent.responses

    young = responses.filter(age_band="16-24").count()
    old = responses.filter(age_band__in=["65-74", "75+"]).count()
    young_people = Margin.objects.filter(age_band="16-24").aggregate(n=Sum("population"))["n"]
    old_people = Margin.objects.filter(age_band__in=["65-74", "75+"]).aggregate(
        n=Sum("population")
    )["n"]
    assert old / young > 2 * old_people / young_people
    assert responses.filter(sex="female").count() > 1.2 * responses.filter(sex="male").count()
    assert 0 < responses.filter(age_band="").count() < responses.count() / 10
    assert 0 < responses.filter(sex="").count() < responses.count() / 10


def test_a_few_dozen_give_contact_details_and_all_with_consent(
    stoke: list[Neighbourhood],
) -> None:

    consenting = Response.objects.filter(wave__survey=survey(), contact_consent=True)
    assert 20 <= consenting.count() <= 120
    assert all(
        email.endswith("@example.com")
        for email in consenting.values_list("contact_email", flat=True)
    )
    assert not Response.objects.filter(contact_consent=False).exclude(contact_email="").exists()


def test_seen_or_heard_rose_after_the_campaign_and_confidence_did_not(
    stoke: list[Neighbourhood],
) -> None:
    earlier, recent, _ = survey().waves.order_by("opens_on")

    assert positive_share(recent, "seen-or-heard") - positive_share(earlier, "seen-or-heard") > 0.1
    change = positive_share(recent, "overall-confidence") - positive_share(
        earlier, "overall-confidence"
    )
    assert abs(change) < 0.06


def test_a_priority_is_linked_to_the_latest_closed_wave_with_a_true_note(
    made: DemoSurveySummary,
) -> None:
    link = PriorityLink.objects.select_related("priority__neighbourhood", "wave").get()
    recent = survey().waves.order_by("opens_on")[1]
    assert link.wave == recent
    assert link.priority == made.linked
    assert link.priority.sample
    hood = link.priority.neighbourhood
    assert hood.name in STOKE
    firsts = Answer.objects.filter(
        response__wave=recent, response__neighbourhood=hood, question__code="priorities", rank=1
    )
    top = max(
        set(firsts.values_list("option__label", flat=True)),
        key=lambda label: firsts.filter(option__label=label).count(),
    )
    count = firsts.filter(option__label=top).count()
    assert link.note == (
        f"{top} was the top priority residents of {hood.name} named in {recent.name}: "
        f"{count} of the {firsts.count()} who ranked priorities put it first."
    )
