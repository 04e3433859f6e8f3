"""What residents told a survey, for pages outside the survey pages: the strategic assessment's
community voice (``partnerships``) and each neighbourhood's board on the team's dashboard
(``workspace``).

The assessment takes, of each survey covering its area, the latest published wave that closed
in or before its year: never a wave from after it. The dashboard takes the latest closed wave
of each survey covering a neighbourhood, and shows figures only while the kept estimates are
current, so it costs the same few queries however many surveys and answers there are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.urls import reverse

from beatbook.places.models import Neighbourhood
from beatbook.surveys.models import Question, Survey, Wave, WaveQuestion, WaveStatus
from beatbook.surveys.result_services import (
    ALL,
    POSITIVE,
    WaveEstimates,
    wave_estimates,
    wave_estimates_kept,
    wave_versions,
)
from beatbook.surveys.result_tables import (
    TOP_PRIORITIES,
    AnswerRow,
    RankedPriority,
    answer_row,
    headline_sentence,
    ranked_priorities,
)
from beatbook.surveys.selectors import surveys_covering, wave_questions

# The headlines the assessment quotes: confidence in the police and feeling safe.
VOICE_BANK_KEYS = ("overall-confidence", "dealing-with-what-matters", "safe-after-dark")


def survey_voice_waves(
    *, forces: Sequence[str], neighbourhood_ids: Sequence[int], year: int
) -> list[Wave]:
    """Per covering survey, its latest published wave that closed by the end of ``year``."""
    surveys = surveys_covering(forces=forces, neighbourhood_ids=neighbourhood_ids)
    waves = (
        Wave.objects.filter(
            survey__in=surveys,
            status=WaveStatus.CLOSED,
            results_published=True,
            closes_on__lte=dt.date(year, 12, 31),
        )
        .select_related("survey")
        .order_by("survey__title", "survey_id", "-closes_on", "-id")
    )
    latest: dict[int, Wave] = {}
    for wave in waves:
        latest.setdefault(wave.survey_id, wave)
    return list(latest.values())


def survey_voice_version(
    *, forces: Sequence[str], neighbourhood_ids: Sequence[int], year: int
) -> str:
    """A digest of the waves the assessment would quote and their figures' versions; "" when it
    quotes none (so an assessment with no survey keeps the version it always had)."""
    waves = survey_voice_waves(forces=forces, neighbourhood_ids=neighbourhood_ids, year=year)
    if not waves:
        return ""
    versions = wave_versions(waves=waves)
    digest = hashlib.sha256()
    for wave in waves:
        digest.update(f"{wave.pk}|{versions[wave.pk]}\n".encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class SurveyVoice:
    """One survey's latest wave as the assessment quotes it."""

    survey: str
    wave: str
    closed_on: dt.date
    covers: str  # the neighbourhoods it asked, in words
    respondents: int
    weighted: bool
    headlines: list[str]
    priorities: list[RankedPriority]
    version: str


def _covers(survey: Survey) -> str:
    names = list(survey.neighbourhoods.order_by("name").values_list("name", flat=True))
    return ", ".join(names) if names else f"the whole of {survey.force.name}"


def _voice(wave: Wave, estimates: WaveEstimates) -> SurveyVoice:
    questions = wave_questions(wave=wave)
    quoted = [q for q in questions if q.bank_key in VOICE_BANK_KEYS and q.headline]
    headlines = [headline_sentence(q, _positive(estimates, q, ALL)) for q in quoted]
    ranked = ranked_priorities(estimates=estimates, questions=questions)
    return SurveyVoice(
        survey=wave.survey.title,
        wave=wave.name,
        closed_on=wave.closes_on,
        covers=_covers(wave.survey),
        respondents=estimates.respondents,
        weighted=estimates.weighted,
        headlines=[h for h in headlines if h],
        priorities=ranked[0][1][:TOP_PRIORITIES] if ranked else [],
        version=estimates.version,
    )


def _positive(estimates: WaveEstimates, question: Question, area: str) -> AnswerRow | None:
    rows = estimates.rows(question=question.code, area=area)
    found = rows[rows["answer"] == POSITIVE]
    return None if found.empty else answer_row(next(found.itertuples()), "")


def survey_voice_for(
    *, forces: Sequence[str], neighbourhood_ids: Sequence[int], year: int
) -> list[SurveyVoice]:
    """What the surveys covering an area said, as of ``year``: for the assessment."""
    waves = survey_voice_waves(forces=forces, neighbourhood_ids=neighbourhood_ids, year=year)
    return [_voice(wave, wave_estimates(wave=wave)) for wave in waves]


# --- The team's dashboard -----------------------------------------------------------------------


@dataclass(frozen=True)
class NeighbourhoodVoice:
    """A neighbourhood's answers to the latest closed wave of a survey covering it."""

    survey: Survey
    wave: Wave
    headlines: list[str]  # empty when the kept figures are not current
    current: bool
    url: str


def _latest_closed(neighbourhoods: Sequence[Neighbourhood]) -> list[tuple[Wave, set[int]]]:
    """Each covering survey's latest closed wave and the neighbourhood ids it covers: two
    queries."""
    forces = sorted({n.force_id for n in neighbourhoods})
    waves = (
        Wave.objects.filter(survey__force_id__in=forces, status=WaveStatus.CLOSED)
        .select_related("survey")
        .order_by("survey_id", "-closes_on", "-id")
    )
    latest: dict[int, Wave] = {}
    for wave in waves:
        latest.setdefault(wave.survey_id, wave)
    if not latest:
        return []
    named: dict[int, set[int]] = {}
    links = Survey.neighbourhoods.through.objects.filter(survey_id__in=list(latest))
    for survey_id, neighbourhood_id in links.values_list("survey_id", "neighbourhood_id"):
        named.setdefault(survey_id, set()).add(neighbourhood_id)
    by_force: dict[str, set[int]] = {}
    for n in neighbourhoods:
        by_force.setdefault(n.force_id, set()).add(n.pk)
    return [
        (wave, named.get(survey_id) or by_force.get(wave.survey.force_id, set()))
        for survey_id, wave in latest.items()
    ]


def neighbourhood_voices(
    *, neighbourhoods: Sequence[Neighbourhood]
) -> dict[int, list[NeighbourhoodVoice]]:
    """For each neighbourhood, its answers to surveys covering it: at most eight queries,
    however many neighbourhoods, surveys, waves and answers there are."""
    if not neighbourhoods:
        return {}
    covered = _latest_closed(neighbourhoods)
    if not covered:
        return {}  # one query when no survey of their forces has closed a wave
    waves = [wave for wave, _ in covered]
    kept = wave_estimates_kept(waves=waves)
    questions: dict[int, list[Question]] = {}
    asked = (
        WaveQuestion.objects.filter(wave__in=waves, question__bank_key__in=VOICE_BANK_KEYS)
        .exclude(question__headline="")
        .select_related("question")
        .order_by("wave_id", "position", "id")
    )
    for row in asked:
        questions.setdefault(row.wave_id, []).append(row.question)
    voices: dict[int, list[NeighbourhoodVoice]] = {}
    for n in neighbourhoods:
        for wave, area in covered:
            if n.pk in area:
                voices.setdefault(n.pk, []).append(
                    _board_voice(n, wave, kept.get(wave.pk), questions.get(wave.pk, []))
                )
    return voices


def _board_voice(
    neighbourhood: Neighbourhood,
    wave: Wave,
    estimates: WaveEstimates | None,
    questions: list[Question],
) -> NeighbourhoodVoice:
    url = reverse("survey_wave_results", args=[wave.survey.slug, wave.slug])
    if estimates is None:
        return NeighbourhoodVoice(wave.survey, wave, [], False, url)
    headlines = [
        headline_sentence(q, _positive(estimates, q, neighbourhood.code)) for q in questions
    ]
    return NeighbourhoodVoice(
        survey=wave.survey,
        wave=wave,
        headlines=[h for h in headlines if h],
        current=True,
        url=f"{url}?neighbourhood={neighbourhood.code}",
    )
