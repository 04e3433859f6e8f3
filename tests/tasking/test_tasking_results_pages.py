"""The results pages: logging a visit (without script: a plain form POST), a request's outcome,
the results page and the evaluation page, with who may open them; and the evaluation's domain
side on crimes in the database (too early to tell until police.uk has the months)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from beatbook.accounts.models import User
from beatbook.common.months import add_months
from beatbook.opendata.models import Crime
from beatbook.records.models import SourceFile, SourceKind, SourceStatus
from beatbook.tasking.models import VisitResult
from beatbook.tasking.patrol_evaluations import patrol_evaluation_for
from beatbook.tasking.visit_results import VisitResultDetails, visit_result_log

from .tasking_world_results import ResultsWorld, build_results_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> ResultsWorld:
    return build_results_world()


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_officer_logs_a_visit_with_a_plain_form(world: ResultsWorld) -> None:
    visit = world.visits[0]
    url = reverse("tasking:visit-result", args=[visit.pk])
    client = _client(world.amir)
    page = client.get(url)
    assert page.status_code == 200
    assert b"Saving again replaces it" not in page.content
    assert b"the new result replaces this one" in page.content
    answer = client.post(
        url, {"done": "yes", "minutes_in_place": "18", "arrests": "1", "next": "/staff/"}
    )
    assert answer.status_code == 302
    assert answer["Location"] == "/staff/"
    result = VisitResult.objects.get(visit=visit)
    assert (result.minutes_in_place, result.arrests, result.people_engaged) == (18, 1, 0)
    again = client.get(url)
    assert b"Saving again replaces it" in again.content


def test_bad_input_shows_errors_and_saves_nothing(world: ResultsWorld) -> None:
    url = reverse("tasking:visit-result", args=[world.visits[0].pk])
    client = _client(world.amir)
    page = client.post(url, {"done": "no", "minutes_in_place": "10"})
    assert page.status_code == 400
    assert b"Select why the visit was not done" in page.content
    assert b"A visit not done has 0 minutes in place" in page.content
    page = client.post(url, {"done": "yes", "minutes_in_place": "15", "arrests": "-2"})
    assert page.status_code == 400
    assert b"Arrests must be 0 or more" in page.content
    assert not VisitResult.objects.exists()


def test_an_offsite_next_is_not_followed(world: ResultsWorld) -> None:
    url = reverse("tasking:visit-result", args=[world.visits[0].pk])
    answer = _client(world.amir).post(
        url, {"done": "yes", "minutes_in_place": "15", "next": "https://example.org/"}
    )
    assert answer["Location"] == url


@pytest.mark.parametrize(("who", "status"), [("beth", 403), ("partner", 404), ("stranger", 404)])
def test_who_may_not_log_a_visit(world: ResultsWorld, who: str, status: int) -> None:
    url = reverse("tasking:visit-result", args=[world.visits[0].pk])
    client = _client(getattr(world, who))
    assert client.get(url).status_code == status
    assert client.post(url, {"done": "yes", "minutes_in_place": "15"}).status_code == status
    assert not VisitResult.objects.exists()


def test_the_request_outcome_page(world: ResultsWorld) -> None:
    assert world.approved is not None
    assert world.submitted is not None
    url = reverse("tasking:request-outcome", args=[world.approved.pk])
    assert _client(world.npt_officer).get(url).status_code == 403
    assert _client(world.partner).get(url).status_code == 404
    client = _client(world.sergeant)
    assert client.post(url, {"outcome": "not_met"}).status_code == 400
    assert client.post(url, {"outcome": "met", "note": "Done"}).status_code == 302
    world.approved.refresh_from_db()
    assert world.approved.outcome == "met"
    waiting = client.get(reverse("tasking:request-outcome", args=[world.submitted.pk]))
    assert b"Only an approved request has an outcome" in waiting.content


def test_the_results_page(world: ResultsWorld) -> None:
    visit_result_log(
        user=world.amir,
        visit=world.visits[0],
        details=VisitResultDetails(done=True, minutes_in_place=20, arrests=3),
    )
    page = _client(world.sergeant).get(reverse("tasking:results"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "20 of 60 minutes (33%)" in text
    assert "<svg" in text  # the dosage chart, drawn on the server
    assert "Car crime on Uttoxeter Road" in text
    # Longton's officer sees Longton only: three of the four places.
    own = _client(world.npt_officer).get(reverse("tasking:results")).content.decode()
    assert "20 of 45 minutes" in own
    assert "E393000N344000" not in own
    # The form sent with its months left empty, or one of them: the default period.
    sergeant = _client(world.sergeant)
    for query in (
        {"force": world.visits[0].plan.force_id},
        {"since": "", "until": ""},
        {"until": ""},
    ):
        assert (
            "20 of 60 minutes" in sergeant.get(reverse("tasking:results"), query).content.decode()
        )
    bad = _client(world.sergeant).get(reverse("tasking:results"), {"since": "2026-13"})
    assert bad.status_code == 400
    for who in ("partner",):
        assert _client(getattr(world, who)).get(reverse("tasking:results")).status_code == 403


def test_the_evaluation_page_says_too_early(world: ResultsWorld) -> None:
    visit_result_log(
        user=world.amir,
        visit=world.visits[0],
        details=VisitResultDetails(done=True, minutes_in_place=20),
    )
    page = _client(world.sergeant).get(reverse("tasking:evaluation"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Too early or too coarse to tell" in text
    assert "The stored forecast is not used" in text
    assert _client(world.partner).get(reverse("tasking:evaluation")).status_code == 403


def _crimes(force_id: str, month: str, easting: float, count: int) -> None:
    source = SourceFile.objects.create(
        kind=SourceKind.STREET,
        path=f"{month}-{force_id}-street.csv",
        sha256=f"{month}{easting}".ljust(64, "0")[:64],
        status=SourceStatus.LOADED,
        force_id=force_id,
        month=month,
        started_at=timezone.now(),
    )
    Crime.objects.bulk_create(
        Crime(
            source=source,
            force_id=force_id,
            month=month,
            category="burglary",
            easting=int(easting),
            northing=343100,
        )
        for _ in range(count)
    )


def test_the_domain_evaluation_reads_cells_up_to_the_end(world: ResultsWorld) -> None:
    """Crimes in the database by cell: the patrolled cells' counts before the start are read,
    and crimes published for months after the window change nothing."""
    visit_result_log(
        user=world.amir,
        visit=world.visits[0],
        details=VisitResultDetails(done=True, minutes_in_place=20),
    )
    start = f"{world.plan.date:%Y-%m}"
    months = [add_months(start, -k) for k in range(1, 8)]
    for month in months:
        _crimes("staffordshire", month, 391100.0, 2)
    answer = patrol_evaluation_for(force=world.staffordshire, start=months[-1], months_after=2)
    assert answer.evaluation.too_coarse
    assert answer.evaluation.patrolled_cells == 0  # no visit in that window
    own = patrol_evaluation_for(force=world.staffordshire)
    assert own.evaluation.start == start
    assert own.evaluation.patrolled_cells == 1
    assert own.evaluation.crimes_before == 14
    assert own.first_visit == world.plan.date
