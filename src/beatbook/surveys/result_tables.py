"""What the results pages show, shaped from a wave's estimates (``result_services``): each
question's answers with their intervals, its headline sentence, the change since an earlier
wave, the ranked priorities, and the crime trend of the same neighbourhoods around the wave.

Every sentence is made from the figures (``analysis.survey_estimates.headline_text``), never
typed; a suppressed figure says too few answered, and a change is called real only when the
test of ``waves_compare`` says so.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from beatbook.analysis.survey_estimates import headline_text, priorities_rank, waves_compare
from beatbook.common.months import add_months, month_name, month_range
from beatbook.insights.selectors import months_held
from beatbook.opendata.selectors import neighbourhood_month_counts
from beatbook.places.models import Neighbourhood
from beatbook.surveys.models import Question, QuestionKind, Wave, WaveStatus
from beatbook.surveys.result_services import ALL, POSITIVE, WaveEstimates

TOO_FEW_HERE = "Too few people answered here to say"
# The crime trend runs from this many months before the wave opened to this many after it closed.
MONTHS_BEFORE, MONTHS_AFTER = 6, 3
TOP_PRIORITIES = 3


def percent(value: float | None) -> str:
    return "" if value is None or math.isnan(value) else f"{value * 100:.0f}%"


def interval(low: float | None, high: float | None) -> str:
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return ""
    return f"{math.floor(low * 100 + 1e-9)}% to {math.ceil(high * 100 - 1e-9)}%"


@dataclass(frozen=True)
class AnswerRow:
    code: str
    label: str
    estimate: float | None
    ci_low: float | None
    ci_high: float | None
    n: int
    small: bool
    suppressed: bool

    @property
    def shown(self) -> str:
        return percent(self.estimate)

    @property
    def interval(self) -> str:
        return interval(self.ci_low, self.ci_high)


@dataclass
class QuestionResult:
    question: Question
    answers: list[AnswerRow]
    headline: str = ""
    answered: int = 0
    small: bool = False
    suppressed: bool = False
    chart: str = ""
    by_area: list[tuple[str, AnswerRow]] = field(default_factory=list)


def _float(value: Any) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def answer_row(row: Any, label: str) -> AnswerRow:
    return AnswerRow(
        code=str(row.answer),
        label=label,
        estimate=_float(row.estimate),
        ci_low=_float(row.ci_low),
        ci_high=_float(row.ci_high),
        n=int(row.n),
        small=bool(row.small),
        suppressed=bool(row.suppressed),
    )


def headline_sentence(question: Question, row: AnswerRow | None) -> str:
    """The question's generated headline in an area, or "" when it has none or no one
    answered."""
    if not question.headline or row is None:
        return ""
    if row.suppressed or row.estimate is None or row.ci_low is None or row.ci_high is None:
        return f"{TOO_FEW_HERE} how many {question.headline}."
    text = headline_text(
        estimate=row.estimate, ci_low=row.ci_low, ci_high=row.ci_high, phrase=question.headline
    )
    return f"{text}."


def _labels(question: Question) -> dict[str, str]:
    labels = {option.code: option.label for option in question.options.all()}
    labels[POSITIVE] = f"Any of: {', '.join(o.label for o in question.options.all() if o.positive)}"
    return labels


def question_results(
    *, estimates: WaveEstimates, questions: list[Question], area: str = ALL
) -> list[QuestionResult]:
    """Each question's answers in ``area`` (the positive share last), with its headline."""
    results = []
    for question in questions:
        if question.kind == QuestionKind.TEXT:
            continue
        labels = _labels(question)
        rows = estimates.rows(question=question.code, area=area)
        answers = [answer_row(row, labels.get(row.answer, row.answer)) for row in rows.itertuples()]
        positive = next((a for a in answers if a.code == POSITIVE), None)
        result = QuestionResult(
            question=question,
            answers=[a for a in answers if a.code != POSITIVE] + ([positive] if positive else []),
            headline=headline_sentence(question, positive),
            answered=answers[0].n if answers else 0,
            small=bool(answers and answers[0].small),
            suppressed=bool(answers and answers[0].suppressed),
        )
        results.append(result)
    return results


def headlines_by_area(
    *, estimates: WaveEstimates, question: Question, neighbourhoods: list[Neighbourhood]
) -> list[tuple[str, AnswerRow]]:
    """The question's positive share in each neighbourhood where someone answered it."""
    frame = estimates.frame
    rows = frame[(frame["question"] == question.code) & (frame["answer"] == POSITIVE)]
    by_code = {str(row.area): row for row in rows.itertuples()}
    return [
        (n.name, answer_row(by_code[n.code], n.name)) for n in neighbourhoods if n.code in by_code
    ]


# --- Waves compared -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeRow:
    label: str
    before: str
    after: str
    difference: str
    interval: str
    changed: bool
    compared: bool  # False when either wave's figure is suppressed


def _points(value: float) -> str:
    return f"{value * 100:+.0f} points"


def waves_changes(
    *, before: WaveEstimates, after: WaveEstimates, question: Question, area: str = ALL
) -> list[ChangeRow]:
    """Each answer's share in both waves, the difference and whether it is a real change."""
    labels = _labels(question)
    compared = waves_compare(
        before.rows(question=question.code, area=area),
        after.rows(question=question.code, area=area),
    )
    rows = []
    for row in compared.itertuples():
        usable = not math.isnan(row.difference)
        rows.append(
            ChangeRow(
                label=labels.get(str(row.answer), str(row.answer)),
                before=percent(row.before),
                after=percent(row.after),
                difference=_points(row.difference) if usable else "",
                interval=f"{_points(row.ci_low)} to {_points(row.ci_high)}" if usable else "",
                changed=bool(row.changed),
                compared=usable,
            )
        )
    return rows


def change_sentences(
    *, before: WaveEstimates, after: WaveEstimates, questions: list[Question], area: str = ALL
) -> list[str]:
    """Plain words for each headline share that really changed since ``before``; nothing for a
    change the test cannot tell from chance."""
    sentences = []
    for question in questions:
        if not question.headline:
            continue
        compared = waves_compare(
            before.rows(question=question.code, area=area),
            after.rows(question=question.code, area=area),
        )
        real = compared[(compared["answer"] == POSITIVE) & compared["changed"]]
        for row in real.itertuples():
            more = row.difference > 0
            sentences.append(
                f"{'More' if more else 'Fewer'} people {question.headline} than in "
                f"{before.wave.name}: {percent(row.after)}, {'up' if more else 'down'} from "
                f"{percent(row.before)}."
            )
    return sentences


def wave_before(*, wave: Wave, published_only: bool) -> Wave | None:
    """The survey's wave before ``wave`` that has answers to compare (closed, or published)."""
    earlier = wave.survey.waves.filter(status=WaveStatus.CLOSED, opens_on__lt=wave.opens_on)
    if published_only:
        earlier = earlier.filter(results_published=True)
    return earlier.order_by("-opens_on", "-id").first()


# --- Priorities ranked --------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedPriority:
    rank: int
    label: str
    shown: str
    interval: str
    n: int
    apart_from_next: bool | None


def ranked_priorities(
    *, estimates: WaveEstimates, questions: list[Question], area: str = ALL
) -> list[tuple[Question, list[RankedPriority]]]:
    """Each ranking question's answers, most chosen first; empty when suppressed here."""
    ranked = []
    for question in questions:
        if question.kind != QuestionKind.RANK:
            continue
        labels = _labels(question)
        frame = estimates.frame
        rows = frame[frame["answer"] != POSITIVE]
        order = priorities_rank(rows, question=question.code, area=area)
        ranked.append(
            (
                question,
                [
                    RankedPriority(
                        rank=row.rank,
                        label=labels.get(row.answer, row.answer),
                        shown=percent(row.estimate),
                        interval=interval(row.ci_low, row.ci_high),
                        n=row.n,
                        apart_from_next=row.apart_from_next,
                    )
                    for row in order
                ],
            )
        )
    return ranked


# --- The crime trend around the wave --------------------------------------------------------------


@dataclass(frozen=True)
class CrimeMonth:
    month: str
    label: str
    crimes: int | None  # None: the month is not held
    during: bool  # the wave was open in this month


def _month(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def crime_trend(*, wave: Wave, neighbourhoods: list[Neighbourhood]) -> list[CrimeMonth]:
    """Street-level crimes in ``neighbourhoods`` each month from MONTHS_BEFORE months before the
    wave opened to MONTHS_AFTER after it closed; a month no force of theirs holds is unknown."""
    opens, closes = _month(wave.opens_on), _month(wave.closes_on)
    months = month_range(add_months(opens, -MONTHS_BEFORE), add_months(closes, MONTHS_AFTER))
    forces = sorted({n.force_id for n in neighbourhoods})
    held = set(months_held(force_ids=forces))
    counts = neighbourhood_month_counts(
        force_ids=forces, neighbourhood_ids=[n.pk for n in neighbourhoods], months=months
    )
    totals: dict[str, int] = {}
    for (_, month), count in counts.items():
        totals[month] = totals.get(month, 0) + count
    return [
        CrimeMonth(
            month=month,
            label=month_name(month),
            crimes=totals.get(month, 0) if month in held else None,
            during=opens <= month <= closes,
        )
        for month in months
    ]


def suppress_below() -> int:
    return int(settings.SURVEY_SUPPRESS_BELOW)
