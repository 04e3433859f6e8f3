"""Sample residents' questions for the demo, dated from now so the 72 hours mean something.

Like the sample teams (``demo.sample_teams``), every row made here is flagged ``sample`` and
says so; each refresh replaces the previous sample questions and touches no real one. Longton
gets answered and published questions, one overdue and one just asked; two more neighbourhoods
get a few each. No sample question has an e-mail address, so none sends mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from beatbook.enquiries.models import ANSWER_WITHIN_HOURS, Question, QuestionStatus
from beatbook.enquiries.reference import reference_new
from beatbook.places.models import Neighbourhood

SAMPLE_NOTE = "(Sample question for the Beatbook demo: not from a real resident.)"
# How long before the refresh the newest sample question was asked.
_NEWEST = timedelta(minutes=5)


@dataclass(frozen=True)
class SampleQuestion:
    kind: str
    subject: str
    body: str
    asked_hours_ago: float
    answered_after_hours: float | None = None
    answer: str = ""
    published: bool = False


_LONGTON = [
    SampleQuestion(
        "concern",
        "Cars speeding on Uttoxeter Road",
        "Cars race along Uttoxeter Road near the school every evening. Can you do something?",
        asked_hours_ago=240,
        answered_after_hours=20,
        answer="Thank you for telling us. We ran speed checks on Uttoxeter Road on three "
        "evenings last week and stopped 14 drivers. We will keep checking at school times.",
        published=True,
    ),
    SampleQuestion(
        "question",
        "When is the next beat meeting?",
        "I would like to come to a meeting with the neighbourhood team. When and where is it?",
        asked_hours_ago=150,
        answered_after_hours=6,
        answer="Our next beat meeting is listed under events on this page, with a calendar "
        "link. Everyone is welcome; you do not need to book.",
        published=True,
    ),
    SampleQuestion(
        "concern",
        "Fly-tipping behind the shops on The Strand",
        "Bags of rubbish and an old sofa have been dumped behind the shops for a week.",
        asked_hours_ago=80,
    ),
    SampleQuestion(
        "question",
        "Is the police station front desk open at weekends?",
        "I need to hand in something I found. Can I do that on a Saturday?",
        asked_hours_ago=_NEWEST.total_seconds() / 3600,
    ),
]
_OTHERS = [
    SampleQuestion(
        "concern",
        "Motorbikes on the playing fields",
        "Off-road motorbikes ride across the playing fields most afternoons.",
        asked_hours_ago=100,
        answered_after_hours=50,
        answer="We have identified two riders and seized one bike under section 59. Please "
        "keep reporting sightings on 101 with the time and direction of travel.",
        published=True,
    ),
    SampleQuestion(
        "question",
        "Can you check my bike is marked properly?",
        "Do you run bike marking events around here?",
        asked_hours_ago=30,
    ),
    SampleQuestion(
        "concern",
        "Groups gathering outside the off-licence",
        "Young people gather outside the off-licence late at night and it feels intimidating.",
        asked_hours_ago=200,
        answered_after_hours=90,
        answer="We have increased patrols on Friday and Saturday nights and spoken to the "
        "shop's owner about the licence conditions. We are sorry this answer was late.",
        published=True,
    ),
]


def _neighbourhoods(force_id: str) -> list[Neighbourhood]:
    """Longton first (as in the sample teams), then two more; any three if none match."""
    found = Neighbourhood.objects.filter(force_id=force_id)
    chosen: list[Neighbourhood] = []
    for name in ("Longton", "Meir", "Hanley"):
        match = found.filter(name__icontains=name).exclude(pk__in=[n.pk for n in chosen])
        first = match.order_by("code").first()
        if first is not None:
            chosen.append(first)
    if not chosen:
        chosen = list(found.order_by("code")[:3])
    return chosen


def _question(neighbourhood: Neighbourhood, sample: SampleQuestion, now: datetime) -> Question:
    asked_at = now - timedelta(hours=sample.asked_hours_ago)
    question = Question(
        reference=reference_new(),
        neighbourhood=neighbourhood,
        kind=sample.kind,
        subject=sample.subject,
        body=f"{sample.body}\n\n{SAMPLE_NOTE}",
        asked_at=asked_at,
        due_at=asked_at + timedelta(hours=ANSWER_WITHIN_HOURS),
        sample=True,
    )
    if sample.answered_after_hours is not None:
        question.status = QuestionStatus.ANSWERED
        question.answered_at = asked_at + timedelta(hours=sample.answered_after_hours)
        question.answer = sample.answer
        question.published = sample.published
        question.published_at = question.answered_at if sample.published else None
    return question


def demo_questions_fresh(*, force_id: str, now: datetime | None = None) -> bool:
    """Whether the force's sample questions were made today (so their clocks are current)."""
    moment = now or timezone.now()
    midnight = timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)
    newest_since = midnight - _NEWEST
    return Question.objects.filter(
        sample=True, neighbourhood__force_id=force_id, asked_at__gte=newest_since
    ).exists()


@transaction.atomic
def demo_questions_refresh(*, force_id: str, now: datetime | None = None) -> int:
    """Replace the force's sample questions; return how many were made."""
    moment = now or timezone.now()
    Question.objects.filter(sample=True, neighbourhood__force_id=force_id).delete()
    neighbourhoods = _neighbourhoods(force_id)
    questions: list[Question] = []
    for index, neighbourhood in enumerate(neighbourhoods):
        samples = _LONGTON if index == 0 else _OTHERS[index - 1 :: 2]
        questions += [_question(neighbourhood, sample, moment) for sample in samples]
    Question.objects.bulk_create(questions)
    return len(questions)
