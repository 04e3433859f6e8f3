"""The simulated residents who answer the demo's perceptions survey (``demo.sample_surveys``).

Not real answers: each wave draws residents from the population margins, with the biases a
postal survey has (older people and women answer more often), and each resident answers as a
made-up "true" population would. The true shares differ by age band, sex and neighbourhood,
and between the two closed waves one thing changed: after a publicity campaign more residents
have seen or heard what the police are doing (``seen-or-heard``); confidence did not change.
So the results pages have something real to find, and the weighting has bias to correct.

Everything is drawn from ``random.Random`` seeded by the wave's number, so the same margins
give the same answers every time the demo is remade.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from beatbook.places.models import Neighbourhood
from beatbook.surveys.codes import AGE_BANDS
from beatbook.surveys.item_bank import BANK_BY_KEY
from beatbook.surveys.response_services import AnswerSet

FREE_TEXT = "anything-else"
# How much more likely each kind of resident is to answer a postal survey than a 45 to 54 year
# old man: the shape of real response rates, not a measured figure.
AGE_PROPENSITY = {
    "16-24": 0.35,
    "25-34": 0.5,
    "35-44": 0.7,
    "45-54": 1.0,
    "55-64": 1.35,
    "65-74": 1.7,
    "75+": 1.5,
}
SEX_PROPENSITY = {"female": 1.3, "male": 1.0}
AGE_ORDER = {code: place for place, (code, _) in enumerate(AGE_BANDS)}


@dataclass(frozen=True)
class TrueShare:
    """How likely a resident is to give a positive answer, on the log-odds scale: ``base``,
    plus ``per_age`` for each age band above 16 to 24, plus ``female`` for a woman, plus the
    neighbourhood's own mood times ``place``."""

    base: float
    per_age: float = 0.0
    female: float = 0.0
    place: float = 1.0


# Wave 0 is the first closed wave; waves 1 and 2 come after the campaign.
TRUE_SHARES: dict[str, tuple[TrueShare, TrueShare]] = {
    "safe-after-dark": (TrueShare(1.1, -0.15, -0.8), TrueShare(1.1, -0.15, -0.8)),
    "overall-confidence": (TrueShare(0.0, 0.12, 0.1, 0.8), TrueShare(0.0, 0.12, 0.1, 0.8)),
    "dealing-with-what-matters": (TrueShare(-0.3, 0.08, 0.0, 0.9),) * 2,
    "seen-or-heard": (TrueShare(-0.9, 0.1, 0.0, 0.4), TrueShare(-0.1, 0.1, 0.0, 0.4)),
    "foot-patrol": (TrueShare(-1.3, 0.05, 0.0, 0.7),) * 2,
    "know-contact": (TrueShare(-0.7, 0.15, 0.1, 0.3),) * 2,
}
# Within the positive and the other answers, how often each is chosen (unlisted: 1).
OPTION_WEIGHTS: dict[str, dict[str, float]] = {
    "safe-after-dark": {
        "fairly-safe": 2.5,
        "a-bit-unsafe": 2.0,
        "never-out": 0.5,
        "dont-know": 0.2,
    },
    "seen-or-heard": {"no": 4.0},
    "foot-patrol": {"weekly": 2.0, "less-often": 3.0, "never": 2.0, "monthly": 2.0},
    "*": {"tend-to-agree": 2.0, "neither": 1.5, "strongly-disagree": 0.6, "dont-know": 0.4},
}
# The priorities residents would pick first across the city, before each neighbourhood's mood.
PRIORITY_WEIGHTS = {
    "drugs": 3.2,
    "asb": 3.0,
    "speeding": 2.2,
    "burglary": 1.8,
    "fly-tipping": 1.6,
    "vehicle-crime": 1.4,
    "violence": 1.2,
    "knife-crime": 1.0,
    "criminal-damage": 0.8,
    "shoplifting": 0.7,
}
FREE_TEXTS = (
    "Cars race up and down the main road at night and nobody seems to stop them.",
    "I would like to see the PCSOs on foot more, not just driving through.",
    "Young people gather by the shops in the evening and it puts people off going out.",
    "Thank you to the officers who came when my neighbour was burgled.",
    "The street lights on our road have been out for weeks and it feels unsafe.",
    "Drug dealing happens openly near the park and we have reported it many times.",
    "I did not know who my local team were until I got this survey.",
    "Fly-tipping in the back alleys is getting worse.",
    "More should be done about people riding off-road bikes on the fields.",
    "It would help to hear what happened after we report something.",
)
_FIRST = ("Pat", "Sam", "Jo", "Alex", "Chris", "Kim", "Lee", "Ray", "Val", "Mo", "Terry", "Jan")
_LAST = ("Hollins", "Birks", "Wedgwood", "Salt", "Plant", "Bagnall", "Lovatt", "Colclough")


@dataclass(frozen=True)
class Cell:
    neighbourhood: Neighbourhood
    age_band: str
    sex: str
    population: int


@dataclass(frozen=True)
class WavePlan:
    number: int  # 0, 1, 2: which wave, which seeds the draw
    respondents: int
    external_ids: bool  # a fieldwork company's file carries its respondent ids
    boost: tuple[int, str] | None = None  # (neighbourhood id, priority code) residents put first


def _logistic(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-value))


def neighbourhood_moods(neighbourhoods: Sequence[Neighbourhood]) -> dict[int, float]:
    """Each neighbourhood's lasting mood (log-odds): the same in every wave."""
    return {
        n.pk: random.Random(f"demo-survey/mood/{n.code}").gauss(0.0, 0.45)  # noqa: S311
        for n in neighbourhoods
    }


def _pick(rng: random.Random, question: str, positive: bool) -> str:
    item = BANK_BY_KEY[question]
    codes = [code for code, _, is_positive in item.options if is_positive == positive]
    weights = OPTION_WEIGHTS.get(question, OPTION_WEIGHTS["*"])
    return rng.choices(codes, [weights.get(code, 1.0) for code in codes])[0]


def _answer(rng: random.Random, question: str, cell: Cell, mood: float, wave: int) -> str:
    share = TRUE_SHARES[question][min(wave, 1)]
    odds = share.base + share.per_age * AGE_ORDER[cell.age_band] + share.place * mood
    if cell.sex == "female":
        odds += share.female
    return _pick(rng, question, rng.random() < _logistic(odds))


def _priorities(
    rng: random.Random, cell: Cell, plan: WavePlan, tastes: Mapping[int, Mapping[str, float]]
) -> list[str]:
    how_many = rng.choices((3, 2, 1, 0), (70, 15, 10, 5))[0]
    weights = dict(tastes[cell.neighbourhood.pk])
    if plan.boost is not None and plan.boost[0] == cell.neighbourhood.pk:
        weights[plan.boost[1]] = weights[plan.boost[1]] * 2.5
    chosen: list[str] = []
    for _ in range(how_many):
        codes = [code for code in weights if code not in chosen]
        chosen.append(rng.choices(codes, [weights[code] for code in codes])[0])
    return chosen


def _tastes(neighbourhoods: Sequence[Neighbourhood]) -> dict[int, dict[str, float]]:
    """Each neighbourhood's own leaning over the city's priorities (the same in every wave)."""
    tastes = {}
    for n in neighbourhoods:
        rng = random.Random(f"demo-survey/tastes/{n.code}")  # noqa: S311
        tastes[n.pk] = {code: w * rng.uniform(0.6, 1.6) for code, w in PRIORITY_WEIGHTS.items()}
    return tastes


def _contact(rng: random.Random, number: int) -> tuple[str, str]:
    """A few residents ask to be contacted and consent: a made-up name and e-mail address."""
    if rng.random() >= 0.015:
        return "", ""
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    return f"{first} {last}", f"{first}.{last}{number}@example.com".lower()


def _resident(
    rng: random.Random,
    cell: Cell,
    lsoas: Mapping[int, Sequence[str]],
    moods: Mapping[int, float],
    context: tuple[WavePlan, Mapping[int, Mapping[str, float]], int],
) -> AnswerSet:
    plan, tastes, number = context
    mood = moods[cell.neighbourhood.pk]
    answers: dict[str, Sequence[str] | str] = {}
    for question in TRUE_SHARES:
        if rng.random() > 0.03:  # a few skip a question
            answers[question] = [_answer(rng, question, cell, mood, plan.number)]
    answers["priorities"] = _priorities(rng, cell, plan, tastes)
    if rng.random() < 0.12:
        answers[FREE_TEXT] = rng.choice(FREE_TEXTS)
    places = lsoas.get(cell.neighbourhood.pk) or [""]
    name, email = _contact(rng, number)
    return AnswerSet(
        answers=answers,
        neighbourhood=cell.neighbourhood,
        lsoa_code=rng.choice(places),
        age_band="" if rng.random() < 0.03 else cell.age_band,  # prefer not to say
        sex="" if rng.random() < 0.02 else cell.sex,
        external_id=f"R{plan.number + 1}-{number:05d}" if plan.external_ids else "",
        contact_name=name,
        contact_email=email,
        contact_consent=bool(email),
    )


def residents_answers(
    *, cells: Sequence[Cell], lsoas: Mapping[int, Sequence[str]], plan: WavePlan
) -> list[AnswerSet]:
    """The answer sets of ``plan.respondents`` simulated residents, drawn from ``cells`` with a
    postal survey's bias towards older people and women."""
    rng = random.Random(f"demo-survey/wave/{plan.number}")  # noqa: S311 - simulated residents
    neighbourhoods = list({cell.neighbourhood.pk: cell.neighbourhood for cell in cells}.values())
    moods = neighbourhood_moods(neighbourhoods)
    tastes = _tastes(neighbourhoods)
    weights = [
        cell.population * AGE_PROPENSITY[cell.age_band] * SEX_PROPENSITY[cell.sex] for cell in cells
    ]
    drawn = rng.choices(cells, weights, k=plan.respondents)
    return [
        _resident(rng, cell, lsoas, moods, (plan, tastes, number))
        for number, cell in enumerate(drawn, start=1)
    ]


def first_choices(answer_sets: Sequence[AnswerSet], neighbourhood_id: int) -> dict[str, int]:
    """How often each priority was put first by the residents of one neighbourhood."""
    counts: dict[str, int] = {}
    for answer_set in answer_sets:
        if answer_set.neighbourhood is None or answer_set.neighbourhood.pk != neighbourhood_id:
            continue
        ranked = answer_set.answers.get("priorities") or []
        if ranked and not isinstance(ranked, str):
            counts[ranked[0]] = counts.get(ranked[0], 0) + 1
    return counts
