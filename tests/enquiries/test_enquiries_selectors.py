from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from beatbook.accounts.models import User
from beatbook.enquiries.contact_log import Requester
from beatbook.enquiries.models import ContactPurpose, Question
from beatbook.enquiries.selectors import (
    ResidentContact,
    ResponseStats,
    published_questions_for,
    question_contact_for,
    question_for_reference,
    question_for_user,
    question_response_stats,
    questions_for_user,
    questions_open_for_neighbourhoods,
)

from .enquiries_world import World, make_question

pytestmark = pytest.mark.django_db


def test_it_lists_overdue_questions_first_then_by_deadline(world: World) -> None:
    now = timezone.now()
    fresh = make_question(world.longton, asked_at=now - timedelta(hours=1))
    older = make_question(world.longton, asked_at=now - timedelta(hours=60))
    overdue = make_question(world.longton, asked_at=now - timedelta(hours=80))
    answered = make_question(
        world.longton, asked_at=now - timedelta(hours=100), answered_after=timedelta(hours=5)
    )

    listed = list(questions_for_user(user=world.alice))

    assert listed == [overdue, answered, older, fresh]
    assert [q.is_overdue for q in listed] == [True, False, False, False]  # type: ignore[attr-defined]
    assert list(questions_for_user(user=world.alice, status="open")) == [overdue, older, fresh]


def test_it_scopes_questions_to_the_team_that_answers(world: World) -> None:
    in_longton = make_question(world.longton)
    in_meir = make_question(world.meir)
    in_crewe = make_question(world.crewe)

    assert set(questions_for_user(user=world.alice)) == {in_longton}
    assert set(questions_for_user(user=world.bob)) == {in_longton, in_meir}
    assert set(questions_for_user(user=world.carol)) == {in_crewe}
    assert list(questions_for_user(user=world.dave)) == []
    with pytest.raises(Question.DoesNotExist):
        question_for_user(user=world.carol, reference=in_longton.reference)
    assert question_for_user(user=world.alice, reference=in_longton.reference.lower()) == in_longton


def test_it_refuses_an_unknown_status(world: World) -> None:
    with pytest.raises(ValueError, match="Unknown question status 'pending'"):
        questions_for_user(user=world.alice, status="pending")


def test_it_shows_contact_details_only_to_the_answering_team(world: World) -> None:
    question = make_question(world.longton, email="pat@example.org")
    answering = ContactPurpose.ANSWERING

    def read(user: User) -> ResidentContact:
        return question_contact_for(
            requester=Requester(user=user), question=question, purpose=answering
        )

    assert read(world.alice).email == "pat@example.org"
    assert read(world.bob).name == "Pat Resident"
    for outsider in (world.carol, world.dave):
        with pytest.raises(PermissionDenied):
            read(outsider)
    world.alice.is_active = False
    world.alice.save()
    with pytest.raises(PermissionDenied):
        read(world.alice)
    world.bob.is_staff = False  # staff status taken away, the membership left behind
    world.bob.save()
    with pytest.raises(PermissionDenied):
        read(world.bob)


def test_it_lists_open_questions_for_given_neighbourhoods(world: World) -> None:
    now = timezone.now()
    later = make_question(world.longton, asked_at=now - timedelta(hours=1))
    sooner = make_question(world.meir, asked_at=now - timedelta(hours=10))
    make_question(world.meir, answered_after=timedelta(hours=1))
    make_question(world.crewe)

    ids = [world.longton.pk, world.meir.pk]
    assert list(questions_open_for_neighbourhoods(neighbourhood_ids=ids)) == [sooner, later]


def test_it_measures_answers_against_the_72_hours(world: World) -> None:
    now = timezone.now()
    start = now - timedelta(days=30)
    for hours in (2, 10, 20, 80):
        make_question(world.longton, asked_at=start, answered_after=timedelta(hours=hours))
    make_question(world.longton, asked_at=now - timedelta(hours=73))  # open and overdue
    make_question(world.longton, asked_at=now - timedelta(hours=1))  # open, in time
    make_question(world.longton, asked_at=start, closed_after=timedelta(hours=1))  # spam
    make_question(world.longton, asked_at=start, closed_after=timedelta(hours=90))  # missed
    make_question(world.longton, asked_at=now - timedelta(days=400), answered_after=timedelta(1))

    stats = question_response_stats(
        neighbourhood_ids=[world.longton.pk, world.meir.pk], since=now - timedelta(days=365)
    )

    assert stats[world.longton.pk] == ResponseStats(
        asked=7,
        answered=4,
        answered_within_72_hours=3,
        open_overdue=1,
        median_hours_to_answer=15.0,
        p90_hours_to_answer=62.0,
    )
    assert stats[world.meir.pk] == ResponseStats(0, 0, 0, 0, None, None)
    assert stats[world.meir.pk].share_within_72_hours is None
    assert stats[world.longton.pk].share_within_72_hours == pytest.approx(3 / 7)


def test_it_counts_response_stats_in_one_query(
    world: World, django_assert_num_queries: object
) -> None:
    for _ in range(3):
        make_question(world.longton, answered_after=timedelta(hours=3))
        make_question(world.meir)
    with django_assert_num_queries(1):  # type: ignore[operator]
        question_response_stats(neighbourhood_ids=[world.longton.pk, world.meir.pk])


def test_it_publishes_only_published_answers_newest_first(world: World) -> None:
    now = timezone.now()
    old = make_question(
        world.longton, asked_at=now - timedelta(days=9), answered_after=timedelta(1), published=True
    )
    new = make_question(
        world.longton, asked_at=now - timedelta(days=2), answered_after=timedelta(1), published=True
    )
    make_question(world.longton, answered_after=timedelta(hours=1))
    make_question(world.meir, answered_after=timedelta(hours=1), published=True)

    assert list(published_questions_for(neighbourhood=world.longton)) == [new, old]


def test_it_finds_a_question_by_what_a_resident_types(world: World) -> None:
    question = make_question(world.longton)
    typed = " " + question.reference.lower().replace("-", " ") + " "

    assert question_for_reference(reference=typed) == question
    assert question_for_reference(reference="Q-AAAA-AAAA") is None
    assert question_for_reference(reference="nonsense") is None
