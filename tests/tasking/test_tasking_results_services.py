"""Logging visit results and request outcomes (``tasking.visit_results``): who may, what is
refused (and then nothing changes), one result per visit, and the dosage and team figures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from beatbook.tasking.models import RequestOutcome, VisitResult
from beatbook.tasking.visit_results import (
    VisitResultDetails,
    dosage,
    request_outcome_set,
    team_results,
    visit_result_log,
)

from .tasking_world_results import ResultsWorld, build_results_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> ResultsWorld:
    return build_results_world()


def _rows() -> list[tuple[object, ...]]:
    return list(VisitResult.objects.order_by("pk").values_list())


def test_an_officer_logs_their_own_visit(world: ResultsWorld) -> None:
    visit = world.visits[0]
    details = VisitResultDetails(done=True, minutes_in_place=20, arrests=1, people_engaged=6)
    result = visit_result_log(user=world.amir, visit=visit, details=details)
    assert (result.done, result.minutes_in_place, result.arrests) == (True, 20, 1)
    assert result.logged_by == world.amir


def test_logging_again_replaces_the_result(world: ResultsWorld) -> None:
    visit = world.visits[0]
    visit_result_log(
        user=world.amir, visit=visit, details=VisitResultDetails(done=True, minutes_in_place=15)
    )
    visit_result_log(
        user=world.sergeant,
        visit=visit,
        details=VisitResultDetails(done=False, not_done_reason="called_away"),
    )
    assert VisitResult.objects.filter(visit=visit).count() == 1
    result = VisitResult.objects.get(visit=visit)
    assert (result.done, result.minutes_in_place, result.not_done_reason) == (
        False,
        0,
        "called_away",
    )
    assert result.logged_by == world.sergeant


@pytest.mark.parametrize("who", ["beth", "partner", "stranger"])
def test_others_may_not_log_a_visit(world: ResultsWorld, who: str) -> None:
    with pytest.raises(PermissionDenied):
        visit_result_log(
            user=getattr(world, who),
            visit=world.visits[0],
            details=VisitResultDetails(done=True, minutes_in_place=15),
        )
    assert _rows() == []


@pytest.mark.parametrize(
    ("details", "field"),
    [
        (VisitResultDetails(done=False), "not_done_reason"),
        (VisitResultDetails(done=False, not_done_reason="nonsense"), "not_done_reason"),
        (VisitResultDetails(done=False, not_done_reason="other"), "not_done_note"),
        (
            VisitResultDetails(done=False, not_done_reason="no_time", minutes_in_place=5),
            "minutes_in_place",
        ),
        (VisitResultDetails(done=True, minutes_in_place=15 + 241), "minutes_in_place"),
        (VisitResultDetails(done=True, minutes_in_place=-1), "minutes_in_place"),
        (VisitResultDetails(done=True, minutes_in_place=15, arrests=-1), "arrests"),
        (VisitResultDetails(done=True, minutes_in_place=15, arrests=51), "arrests"),
        (VisitResultDetails(done=True, minutes_in_place=15, people_engaged=501), "people_engaged"),
        (VisitResultDetails(done=True, minutes_in_place=15, anpr_hits=201), "anpr_hits"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(
    world: ResultsWorld, details: VisitResultDetails, field: str
) -> None:
    visit_result_log(
        user=world.amir,
        visit=world.visits[1],
        details=VisitResultDetails(done=True, minutes_in_place=10),
    )
    before = _rows()
    with pytest.raises(ValidationError) as raised:
        visit_result_log(user=world.amir, visit=world.visits[1], details=details)
    assert field in raised.value.message_dict
    assert _rows() == before


def test_the_most_minutes_allowed_are_the_visit_and_four_hours(world: ResultsWorld) -> None:
    result = visit_result_log(
        user=world.amir,
        visit=world.visits[0],
        details=VisitResultDetails(done=True, minutes_in_place=15 + 240),
    )
    assert result.minutes_in_place == 255


def test_a_future_visit_cannot_be_done_but_can_be_not_done(world: ResultsWorld) -> None:
    visit = world.future_visit
    assert visit is not None
    with pytest.raises(ValidationError) as raised:
        visit_result_log(
            user=world.beth, visit=visit, details=VisitResultDetails(done=True, minutes_in_place=15)
        )
    assert "done" in raised.value.message_dict
    assert _rows() == []
    result = visit_result_log(
        user=world.beth,
        visit=visit,
        details=VisitResultDetails(done=False, not_done_reason="abstracted"),
    )
    assert not result.done


def test_request_outcome_by_the_sergeant_only_for_approved_requests(world: ResultsWorld) -> None:
    assert world.approved is not None
    assert world.submitted is not None
    with pytest.raises(PermissionDenied):
        request_outcome_set(user=world.npt_officer, request=world.approved, outcome="met", note="")
    with pytest.raises(ValidationError) as raised:
        request_outcome_set(user=world.sergeant, request=world.submitted, outcome="met", note="")
    assert "outcome" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        request_outcome_set(
            user=world.sergeant, request=world.approved, outcome="not_met", note=" "
        )
    assert "note" in raised.value.message_dict
    world.approved.refresh_from_db()
    assert world.approved.outcome == ""
    request_outcome_set(
        user=world.sergeant, request=world.approved, outcome="partly_met", note="Two of three days."
    )
    world.approved.refresh_from_db()
    assert (world.approved.outcome, world.approved.outcome_note) == (
        "partly_met",
        "Two of three days.",
    )


def _log_some(world: ResultsWorld) -> None:
    visit_result_log(
        user=world.amir,
        visit=world.visits[0],
        details=VisitResultDetails(done=True, minutes_in_place=20, arrests=2, stop_searches=1),
    )
    visit_result_log(
        user=world.amir,
        visit=world.visits[1],
        details=VisitResultDetails(done=False, not_done_reason="called_away"),
    )
    visit_result_log(
        user=world.beth,
        visit=world.visits[2],
        details=VisitResultDetails(
            done=True, minutes_in_place=12, people_engaged=4, repeat_victims_contacted=1
        ),
    )


def test_dosage_planned_against_delivered(world: ResultsWorld) -> None:
    _log_some(world)
    found = dosage(force=world.staffordshire, since=world.plan.date, until=world.plan.date)
    # Four visits of 15 minutes that day (the future one is next week); 20 + 12 delivered.
    assert (found.total.planned, found.total.delivered, found.total.visits, found.total.done) == (
        60,
        32,
        4,
        2,
    )
    assert found.total.percent == 53
    places = {row.key: (row.planned, row.delivered) for row in found.places}
    assert places["E391000N343000"] == (15, 20)
    assert places["E391250N343000"] == (15, 0)
    officers = {row.label: row.delivered for row in found.officers}
    assert officers == {str(world.amir_officer): 20, str(world.beth_officer): 12}
    assert [(row.label, row.delivered) for row in found.requests] == [
        ("Car crime on Uttoxeter Road", 20)
    ]
    assert [row.label for row in found.teams] == ["Tasking team (NTT)"]
    everything = dosage(force=world.staffordshire)
    assert everything.total.planned == 75
    meir = dosage(force=world.staffordshire, neighbourhood=world.meir)
    assert (meir.total.planned, meir.total.delivered) == (15, 0)


def test_team_results_totals_and_requests(world: ResultsWorld) -> None:
    _log_some(world)
    assert world.approved is not None
    request_outcome_set(user=world.sergeant, request=world.approved, outcome="met", note="")
    day = world.plan.date
    found = team_results(force=world.staffordshire, since=day - timedelta(days=30), until=day)
    assert found.total.counts["arrests"] == 2
    assert found.total.counts["stop_searches"] == 1
    assert found.total.counts["people_engaged"] == 4
    assert found.total.counts["repeat_victims_contacted"] == 1
    assert (found.total.planned, found.total.done, found.total.logged) == (4, 2, 3)
    assert len(found.months) == 1
    outcomes = dict(found.requests_by_outcome)
    assert outcomes[RequestOutcome.MET.label] == 1
    assert outcomes["No outcome recorded yet"] == 0  # the submitted one is not approved
    longton = team_results(
        force=world.staffordshire,
        since=day,
        until=timezone.localdate(),
        neighbourhood=world.longton,
    )
    assert longton.total.planned == 3
