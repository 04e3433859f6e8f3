"""What the answering tests share: the survey world with places a postcode can be found in
(Longton and Crewe get boundaries, Longton an LSOA), a multiple-choice question added to the
open wave, and a resident walking the pages with Django's test client.

Postcodes: ST3 1AA is in Longton (LSOA E01014213); CW1 2BB is in Crewe, outside the survey's
area; ST3 7ZZ is a real-looking postcode that is not held.
"""

from __future__ import annotations

from typing import Any

from django.test import Client

from beatbook.places.models import Lsoa, Neighbourhood, Postcode
from beatbook.places.spatial import forget_cached_indexes
from beatbook.surveys.models import Option, Question, QuestionKind, WaveQuestion

from .survey_world import SurveyWorld, survey_world_make

LONGTON_POSTCODE = "ST3 1AA"
CREWE_POSTCODE = "CW1 2BB"
UNKNOWN_POSTCODE = "ST3 7ZZ"
LONGTON_LSOA = "E01014213"
START = "/surveys/perceptions/"
CHECK = START + "check/"
SENT = START + "sent/"


def _square(west: float, south: float, east: float, north: float) -> dict[str, Any]:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {
        "boundary": {"type": "Polygon", "coordinates": [ring]},
        "min_lat": south,
        "max_lat": north,
        "min_lng": west,
        "max_lng": east,
        "centre_lat": (south + north) / 2,
        "centre_lng": (west + east) / 2,
    }


def _place(world: SurveyWorld) -> None:
    longton = _square(-2.15, 52.975, -2.11, 53.0)
    Neighbourhood.objects.filter(pk=world.longton.pk).update(**longton)
    Neighbourhood.objects.filter(pk=world.crewe.pk).update(**_square(-2.47, 53.08, -2.41, 53.11))
    lsoa = Lsoa.objects.create(
        code=LONGTON_LSOA, name="Stoke-on-Trent 040A", census_year=2011, **longton
    )
    world.longton.lsoas.add(lsoa)
    Postcode.objects.create(postcode=LONGTON_POSTCODE, quality=1, latitude=52.9875, longitude=-2.13)
    Postcode.objects.create(postcode=CREWE_POSTCODE, quality=1, latitude=53.095, longitude=-2.44)
    forget_cached_indexes()


def multiple_question_add(world: SurveyWorld, *, required: bool = False) -> Question:
    """A multiple-choice question ("Where do you feel unsafe?"), asked last by the open wave."""
    question = Question.objects.create(
        survey=world.survey,
        position=100,
        code="unsafe-places",
        text="Where in your area do you feel unsafe?",
        kind=QuestionKind.MULTIPLE,
        required=required,
    )
    for place, (code, label) in enumerate(
        [("park", "The park"), ("high-street", "The high street"), ("station", "The station")]
    ):
        Option.objects.create(question=question, position=place, code=code, label=label)
    WaveQuestion.objects.create(wave=world.wave, question=question, position=10)
    return question


def answer_world_make() -> SurveyWorld:
    world = survey_world_make()
    _place(world)
    multiple_question_add(world)
    return world


def about(step: str) -> str:
    return f"{START}about-you/{step}/"


def question(code: str) -> str:
    return f"{START}questions/{code}/"


# Every page of the world's flow, in order, with a full set of answers.
FULL_ANSWERS: list[tuple[str, dict[str, Any]]] = [
    (about("postcode"), {"answer": LONGTON_POSTCODE}),
    (about("age"), {"answer": "35-44"}),
    (about("sex"), {"answer": "female"}),
    (question("safe-after-dark"), {"answer": "fairly-safe"}),
    (question("overall-confidence"), {"answer": "tend-to-agree"}),
    (question("seen-or-heard"), {"answer": "yes"}),
    (question("priorities"), {"rank_1": "drugs", "rank_2": "asb", "rank_3": ""}),
    (question("anything-else"), {"answer": "More patrols on the high street, please."}),
    (question("unsafe-places"), {"answer": ["park", "station"]}),
    (about("contact"), {}),
]


def begin(client: Client) -> str:
    """Agree on the start page; where it sends the resident."""
    response = client.post(START, {"consent": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(response["Location"])


def answer_every_page(
    client: Client, answers: list[tuple[str, dict[str, Any]]] | None = None
) -> None:
    """Start, then answer each page in turn (all of them, or the first few): each must send
    the resident to the next."""
    pages = answers if answers is not None else FULL_ANSWERS
    order = [path for path, _ in FULL_ANSWERS] + [CHECK]
    assert begin(client) == pages[0][0]
    for path, data in pages:
        response = client.post(path, data)
        following = order[order.index(path) + 1]
        assert response.status_code == 302, (path, response.content.decode()[:3000])
        assert response["Location"] == following, (path, response["Location"])
