from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from beatbook.demo.sample_questions import demo_questions_fresh, demo_questions_refresh
from beatbook.enquiries.models import OutgoingEmail, Question, QuestionStatus
from beatbook.enquiries.selectors import published_questions_for, question_response_stats

from .enquiries_world import World, make_question

pytestmark = pytest.mark.django_db


def test_it_makes_sample_questions_and_replaces_only_samples(world: World) -> None:
    real = make_question(world.longton, subject="A real one")
    now = timezone.now()

    made = demo_questions_refresh(force_id="staffordshire", now=now)
    again = demo_questions_refresh(force_id="staffordshire", now=now)

    samples = Question.objects.filter(sample=True)
    assert made == again == samples.count() == 6  # Longton 4, Meir North 2
    assert Question.objects.filter(pk=real.pk).exists()
    assert not samples.filter(neighbourhood=world.crewe).exists()
    assert all("Sample question for the Beatbook demo" in q.body for q in samples)
    assert not samples.exclude(email="").exists()
    assert OutgoingEmail.objects.count() == 0
    assert published_questions_for(neighbourhood=world.longton).count() == 2
    longton = question_response_stats(neighbourhood_ids=[world.longton.pk])[world.longton.pk]
    assert longton.open_overdue == 1
    assert samples.filter(neighbourhood=world.meir, status=QuestionStatus.ANSWERED).exists()


def test_sample_questions_are_fresh_only_on_the_day_they_were_made(world: World) -> None:
    now = timezone.localtime().replace(hour=12)
    assert not demo_questions_fresh(force_id="staffordshire", now=now)
    demo_questions_refresh(force_id="staffordshire", now=now)
    assert demo_questions_fresh(force_id="staffordshire", now=now + timedelta(hours=3))
    assert not demo_questions_fresh(force_id="staffordshire", now=now + timedelta(days=1))
