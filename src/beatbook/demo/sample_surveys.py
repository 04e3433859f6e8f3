"""The demo's perception survey: Staffordshire Police's Stoke-on-Trent Perceptions Survey (issue
17), over the demo's neighbourhoods in Stoke-on-Trent.

It asks the item bank's questions on feeling safe after dark, confidence, dealing with what
matters, having seen or heard what the police do, foot patrols, knowing how to contact the team
and the priorities, and one free-text question. It has three waves dated from today: one that
closed about 13 months ago and one that closed about a month ago, both with published results,
and one open now, which a visitor can answer. The answers come from simulated residents
(``demo.sample_survey_residents``), stored through ``surveys.response_services`` as a fieldwork
company's file or the online form would be. One of the demo's neighbourhood priorities is linked
to the latest closed wave ("you said, we did").

Its population margins need residents by neighbourhood, age band and sex. The demo holds each
LSOA's Census 2021 population (2011 where it has no 2021 figure), not its ages or sexes, so
each neighbourhood's total is split by approximate England and Wales shares
(``CENSUS_2021_SHARES``), and the margins' ``source`` says so.

Everything is flagged ``sample`` and remade on the first start of each day (the waves are dated
from today), deleting the previous sample survey and nothing else.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from beatbook.demo.bundle import FORCE_ID
from beatbook.demo.sample_partnership import AUTHORITY
from beatbook.demo.sample_survey_residents import (
    FREE_TEXT,
    Cell,
    WavePlan,
    first_choices,
    residents_answers,
)
from beatbook.insights.areas import AreaError, area_resolve
from beatbook.places.models import Force, Neighbourhood
from beatbook.surveys.codes import AGE_BANDS, SEXES
from beatbook.surveys.item_bank import BANK_BY_KEY
from beatbook.surveys.margin_services import MarginCell, margins_replace
from beatbook.surveys.models import (
    Channel,
    PriorityLink,
    Question,
    QuestionKind,
    Survey,
    Wave,
)
from beatbook.surveys.response_services import AnswerSet, responses_record
from beatbook.surveys.survey_services import (
    question_from_bank_add,
    survey_create,
    wave_close,
    wave_create,
    wave_open,
)
from beatbook.teams.models import Priority

TITLE = "Stoke-on-Trent Perceptions Survey"
SLUG = "stoke-on-trent-perceptions"
PURPOSE = (
    "Staffordshire Police wants to know how safe you feel where you live, how confident you are "
    "in your local police, and what you think we should tackle first. Your answers help your "
    "neighbourhood team set its priorities, and we publish what you told us."
)
PRIVACY_NOTICE = (
    "Staffordshire Police keeps your answers for two years, to compare one year's survey with "
    "the next. We do not keep your postcode, only the neighbourhood it is in, and we never keep "
    "your IP address. If you ask us to contact you, we keep your name and e-mail address only "
    "to reply to you, and only with your consent."
)
BANK_KEYS = (
    "safe-after-dark",
    "overall-confidence",
    "dealing-with-what-matters",
    "seen-or-heard",
    "foot-patrol",
    "know-contact",
    "priorities",
)
FREE_TEXT_QUESTION = (
    "Is there anything else you would like to tell us about crime and safety where you live?"
)

# Approximate shares (per cent) of the residents of England and Wales aged 16 or over, by age
# band and sex, rounded from ONS Census 2021 (usual residents by age and sex, England and
# Wales, 21 March 2021). These are approximate national shares used for the demo only: no local
# table of age by sex is held here. A real survey loads its own area's census figures (the
# margins page says where to get them).
CENSUS_2021_SHARES: dict[tuple[str, str], float] = {
    ("16-24", "female"): 6.6,
    ("16-24", "male"): 6.9,
    ("25-34", "female"): 8.2,
    ("25-34", "male"): 8.0,
    ("35-44", "female"): 7.9,
    ("35-44", "male"): 7.6,
    ("45-54", "female"): 8.4,
    ("45-54", "male"): 8.0,
    ("55-64", "female"): 7.9,
    ("55-64", "male"): 7.6,
    ("65-74", "female"): 6.7,
    ("65-74", "male"): 6.2,
    ("75+", "female"): 5.7,
    ("75+", "male"): 4.3,
}
# About 81% of the residents of England and Wales were aged 16 or over in Census 2021: the
# survey asks adults, so only they are in the margins. Approximate, for the demo only.
ADULT_SHARE = 0.814
SOURCE = (
    "Demo: neighbourhood totals from Census 2021, split by approximate England and Wales age "
    "and sex shares"
)
SOURCE_2011 = " (Census 2011 totals for the LSOAs with no 2021 figure)"
SOURCE_MADE_UP = (
    "Demo: plausible neighbourhood totals (the demo holds no census populations here), split "
    "by approximate England and Wales age and sex shares"
)
PLAUSIBLE_TOTAL = 6000
# The demo's priorities by the words their issue starts with, and the item bank's answer
# residents rank that matches (``demo.sample_teams`` writes the issues).
PRIORITY_TOPICS: tuple[tuple[str, str], ...] = (
    ("drug dealing", "drugs"),
    ("anti-social behaviour", "asb"),
    ("burglaries", "burglary"),
    ("thefts of and from vehicles", "vehicle-crime"),
    ("violence", "violence"),
    ("repeat shoplifting", "shoplifting"),
    ("criminal damage", "criminal-damage"),
    ("people carrying knives", "knife-crime"),
)
# Neighbourhoods whose priority is linked first, as in the other sample content.
FIRST_CHOICES = ("longton", "meir", "hanley")


@dataclass(frozen=True)
class WaveDates:
    name: str
    opens_on: date
    closes_on: date
    closed: bool


@dataclass(frozen=True)
class DemoSurveySummary:
    survey: Survey | None
    neighbourhoods: int
    waves: int
    responses: int
    linked: Priority | None

    def __str__(self) -> str:
        if self.survey is None:
            return f"No sample survey: the demo holds no neighbourhoods in {AUTHORITY}."
        return (
            f"Made the {self.survey.title} (sample): {self.neighbourhoods} neighbourhoods, "
            f"{self.waves} waves, {self.responses:,} simulated residents' answers."
        )


@dataclass(frozen=True)
class _LinkChoice:
    priority: Priority
    option: str


def survey_neighbourhoods_of_stoke(*, force_id: str = FORCE_ID) -> list[Neighbourhood]:
    """The force's neighbourhoods most of whose LSOAs lie in Stoke-on-Trent."""
    try:
        area = area_resolve(text=f"la:{AUTHORITY}", force_ids=[force_id])
    except AreaError:
        return []
    codes = list(area.lsoa_codes or ())
    hoods = Neighbourhood.objects.filter(force_id=force_id).annotate(
        inside=Count("lsoas", filter=Q(lsoas__code__in=codes)), every=Count("lsoas")
    )
    return [n for n in hoods.order_by("name") if n.inside * 2 > n.every]


def wave_dates(today: date) -> list[WaveDates]:
    """A wave that closed about 13 months ago, one that closed about a month ago (52 weeks
    later, so the two compare like with like), and one open now."""
    recent_close = today - timedelta(days=35)
    earlier_close = recent_close - timedelta(weeks=52)
    dates = [
        (earlier_close - timedelta(days=27), earlier_close, True),
        (recent_close - timedelta(days=27), recent_close, True),
        (today - timedelta(days=13), today + timedelta(days=30), False),
    ]
    return [WaveDates(f"{start:%B %Y}", start, end, closed) for start, end, closed in dates]


def _totals(neighbourhoods: Sequence[Neighbourhood]) -> tuple[dict[int, int], str]:
    """Each neighbourhood's residents (all ages), and the margins' source text saying where
    the totals came from."""
    rows = Neighbourhood.objects.filter(pk__in=[n.pk for n in neighbourhoods]).annotate(
        census=Sum(Coalesce("lsoas__population_2021", "lsoas__population_2011")),
        without_2021=Count("lsoas", filter=Q(lsoas__population_2021__isnull=True)),
    )
    totals = {n.pk: int(n.census or 0) for n in rows}
    if not any(totals.values()):
        return dict.fromkeys(totals, PLAUSIBLE_TOTAL), SOURCE_MADE_UP
    missing_2021 = any(n.without_2021 for n in rows)
    return totals, SOURCE + (SOURCE_2011 if missing_2021 else "")


def margin_cells(
    neighbourhoods: Sequence[Neighbourhood], totals: dict[int, int]
) -> list[MarginCell]:
    """Each neighbourhood's adults split by the national age and sex shares."""
    return [
        MarginCell(
            neighbourhood=n,
            age_band=age,
            sex=sex,
            population=round(totals[n.pk] * ADULT_SHARE * CENSUS_2021_SHARES[(age, sex)] / 100),
        )
        for n in neighbourhoods
        for age, _ in AGE_BANDS
        for sex, _ in SEXES
    ]


def _survey(force: Force, neighbourhoods: Sequence[Neighbourhood]) -> Survey:
    taken = Survey.objects.filter(slug=SLUG).exists()  # by a survey someone made: keep it
    survey = survey_create(
        force=force,
        title=TITLE,
        purpose=PURPOSE,
        privacy_notice=PRIVACY_NOTICE,
        neighbourhoods=neighbourhoods,
        slug="" if taken else SLUG,
        sample=True,
    )
    for key in BANK_KEYS:
        question_from_bank_add(survey=survey, key=key)
    # The builder's own questions are made this way too; the item bank has no free text.
    top = survey.questions.aggregate(top=Max("position"))["top"] or 0
    Question.objects.create(
        survey=survey,
        position=top + 1,
        code=FREE_TEXT,
        text=FREE_TEXT_QUESTION,
        hint="Please do not include anything that could identify you or anyone else.",
        kind=QuestionKind.TEXT,
    )
    return survey


def _topic(priority: Priority) -> str:
    text = priority.issue.removeprefix("<p>").lower()
    return next((option for words, option in PRIORITY_TOPICS if text.startswith(words)), "")


def _link_choice(neighbourhoods: Sequence[Neighbourhood]) -> _LinkChoice | None:
    """A sample priority of one of the survey's neighbourhoods (Longton's, Meir's or Hanley's
    first) about something residents rank: the newest one raised where there is one."""

    def order(n: Neighbourhood) -> tuple[int, str]:
        name = n.name.lower()
        first = [place for place, word in enumerate(FIRST_CHOICES) if word in name]
        return (first[0] if first else len(FIRST_CHOICES), n.name)

    priorities: dict[int, list[Priority]] = defaultdict(list)
    chosen = Priority.objects.filter(neighbourhood__in=neighbourhoods, sample=True)
    for priority in chosen.order_by("-issue_date", "pk"):
        priorities[priority.neighbourhood_id].append(priority)
    ordered = sorted(neighbourhoods, key=order)
    for newest_only in (True, False):
        for neighbourhood in ordered:
            held = priorities.get(neighbourhood.pk, [])
            for priority in held[:1] if newest_only else held:
                if _topic(priority):
                    return _LinkChoice(priority, _topic(priority))
    return None


def _record(wave: Wave, plan: WavePlan, answer_sets: list[AnswerSet], last_day: date) -> int:
    """Stores the wave's answers by the day each came in: most soon after it opened. The closed
    waves were postal, returned by a fieldwork company; the open one is answered online."""
    rng = random.Random(f"demo-survey/days/{plan.number}")  # noqa: S311 - simulated days
    channel = Channel.IMPORTED if plan.external_ids else Channel.OPEN_LINK
    # The fieldwork company logs postal returns in weekly batches; online answers come daily.
    step = 7 if plan.external_ids else 1
    span = max(0, (last_day - wave.opens_on).days)
    by_day: dict[date, list[AnswerSet]] = defaultdict(list)
    for answer_set in answer_sets:
        offset = min(span, int(rng.expovariate(1 / 6)) // step * step)
        by_day[wave.opens_on + timedelta(days=offset)].append(answer_set)
    for day in sorted(by_day):
        responses_record(
            wave=wave, channel=channel, answer_sets=by_day[day], submitted_on=day, sample=True
        )
    return len(answer_sets)


def _note(link: _LinkChoice, wave: Wave, answer_sets: Sequence[AnswerSet]) -> str:
    counts = first_choices(answer_sets, link.priority.neighbourhood_id)
    labels = {code: label for code, label, _ in BANK_BY_KEY["priorities"].options}
    top = max(counts, key=lambda code: (counts[code], code == link.option))
    name = link.priority.neighbourhood.name
    return (
        f"{labels[top]} was the top priority residents of {name} named in {wave.name}: "
        f"{counts[top]} of the {sum(counts.values())} who ranked priorities put it first."
    )


def _cells(margins: list[MarginCell]) -> list[Cell]:
    return [Cell(m.neighbourhood, m.age_band, m.sex, m.population) for m in margins]


def _lsoas(neighbourhoods: Sequence[Neighbourhood]) -> dict[int, list[str]]:
    through = Neighbourhood.lsoas.through.objects.filter(neighbourhood__in=neighbourhoods)
    places: dict[int, list[str]] = defaultdict(list)
    for hood, code in through.order_by("lsoa_id").values_list("neighbourhood_id", "lsoa_id"):
        places[hood].append(code)
    return places


def _waves(
    survey: Survey,
    cells: list[Cell],
    lsoas: dict[int, list[str]],
    link: _LinkChoice | None,
    today: date,
) -> tuple[int, int]:
    """Makes the three waves and their answers; links the priority to the latest closed one.
    Returns the waves made and the answers stored."""
    boost = (link.priority.neighbourhood_id, link.option) if link else None
    # About 85 residents a neighbourhood in a closed wave: above the suppression threshold
    # (BEATBOOK_SURVEY_SUPPRESS_BELOW, 30) in most, as a force sizes its sample to be.
    sizes = (2800, 3000, 150)
    stored = 0
    latest: tuple[Wave, list[AnswerSet]] | None = None
    for number, (dates, size) in enumerate(zip(wave_dates(today), sizes, strict=True)):
        wave = wave_create(
            survey=survey, name=dates.name, opens_on=dates.opens_on, closes_on=dates.closes_on
        )
        wave = wave_open(wave=wave)
        plan = WavePlan(number=number, respondents=size, external_ids=dates.closed, boost=boost)
        answer_sets = residents_answers(cells=cells, lsoas=lsoas, plan=plan)
        last_day = dates.closes_on if dates.closed else today
        stored += _record(wave, plan, answer_sets, last_day)
        if dates.closed:
            wave = wave_close(wave=wave)
            Wave.objects.filter(pk=wave.pk).update(results_published=True)
            latest = (wave, answer_sets)
    if link is not None and latest is not None:
        wave, answer_sets = latest
        PriorityLink.objects.create(
            wave=wave, priority=link.priority, note=_note(link, wave, answer_sets)
        )
    return len(sizes), stored


def _delete_samples(force: Force) -> None:
    """The previous sample survey. Its waves (with their answers) go first: an answer protects
    its question, so the survey cannot take its questions with it while they hold answers."""
    surveys = Survey.objects.filter(force=force, sample=True)
    Wave.objects.filter(survey__in=surveys).delete()
    surveys.delete()


def demo_surveys_fresh(*, force_id: str, today: date | None = None) -> bool:
    """Whether the sample survey was made today (its waves are dated from the day they are
    made) and still has its link to a priority (remaking the sample priorities removes it)."""
    today = today or timezone.localdate()
    survey = Survey.objects.filter(
        force_id=force_id, sample=True, waves__created_at__date=today
    ).first()
    if survey is None:
        return False
    if PriorityLink.objects.filter(wave__survey=survey).exists():
        return True
    return _link_choice(list(survey.neighbourhoods.all())) is None


@transaction.atomic
def demo_surveys_refresh(*, force_id: str, today: date | None = None) -> DemoSurveySummary:
    """Replaces the force's sample survey with a new one dated from ``today``."""
    today = today or timezone.localdate()
    force = Force.objects.get(pk=force_id)
    _delete_samples(force)
    neighbourhoods = survey_neighbourhoods_of_stoke(force_id=force_id)
    if not neighbourhoods:
        return DemoSurveySummary(None, 0, 0, 0, None)
    survey = _survey(force, neighbourhoods)
    totals, source = _totals(neighbourhoods)
    margins = margin_cells(neighbourhoods, totals)
    margins_replace(survey=survey, cells=margins, source=source)
    link = _link_choice(neighbourhoods)
    waves, stored = _waves(survey, _cells(margins), _lsoas(neighbourhoods), link, today)
    return DemoSurveySummary(
        survey=survey,
        neighbourhoods=len(neighbourhoods),
        waves=waves,
        responses=stored,
        linked=link.priority if link else None,
    )
