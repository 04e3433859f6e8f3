"""A wave's estimates: read its answers and its survey's margins, call the pure estimates
(``analysis.survey_weights``, ``analysis.survey_estimates``) and keep the result in
``WaveResult`` until what it was made from changes.

What a result rests on is its ``version``: the count and newest id of the wave's responses and
answers, a digest of the survey's margins, of which options count towards each question's
headline, and of the suppression settings. Nothing of another wave or survey is in it, so
answers added to a later wave (or margins loaded for another survey) never change an earlier
wave's figures, and any change to the wave's own answers makes them again.

A question's headline share (the share choosing any of its ``positive`` options) is an extra
answer, ``POSITIVE``, of the question in the estimates: the analysis gives it an interval like
any other answer, out of the same people (those who answered the question).

With no margins held, or margins that do not cover the answers, the figures are not weighted
(every weight 1) and ``weighted`` says so: every page shows it.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max

from beatbook.analysis.survey_estimates import ESTIMATE_COLUMNS, estimate_shares
from beatbook.analysis.survey_weights import MarginsError, ResponsesError, rake_weights
from beatbook.surveys.models import (
    Answer,
    Margin,
    Option,
    PriorityLink,
    Question,
    QuestionKind,
    Response,
    Wave,
    WaveQuestion,
    WaveResult,
)
from beatbook.surveys.selectors import survey_neighbourhoods
from beatbook.teams.models import Priority

POSITIVE = "__positive__"
ALL = "all"
# Answers from outside any neighbourhood (no postcode given): counted in the whole area's
# figures when unweighted; they cannot be weighted to a neighbourhood's people.
UNPLACED = "__unplaced__"
_FLOATS = ("estimate", "ci_low", "ci_high", "effective_n")


@dataclass(frozen=True)
class WaveEstimates:
    """A wave's estimates (``ESTIMATE_COLUMNS``, areas as neighbourhood codes and ``ALL``) and
    what they used."""

    wave: Wave
    version: str
    frame: pd.DataFrame
    weighted: bool
    respondents: int
    notes: list[str] = field(default_factory=list)

    def rows(self, *, question: str, area: str = ALL) -> pd.DataFrame:
        frame = self.frame
        return frame[(frame["question"] == question) & (frame["area"] == area)]

    def headline(self, *, question: str, area: str = ALL) -> dict[str, Any] | None:
        """The ``POSITIVE`` row of a question in an area, or None when no one answered it."""
        rows = self.rows(question=question, area=area)
        found = rows[rows["answer"] == POSITIVE]
        return None if found.empty else _record(found.iloc[0])


def _record(row: pd.Series) -> dict[str, Any]:
    values: dict[str, Any] = dict(row.to_dict())
    for name in _FLOATS:
        value = values.get(name)
        values[name] = None if value is None or _nan(value) else float(value)
    values["n"] = int(values["n"])
    values["small"] = bool(values["small"])
    values["suppressed"] = bool(values["suppressed"])
    return values


def _nan(value: object) -> bool:
    return isinstance(value, float) and math.isnan(value)


# --- The version: what a wave's figures rest on ------------------------------------------------


def wave_versions(*, waves: Sequence[Wave]) -> dict[int, str]:
    """The version of each wave's figures, in five queries however many waves there are."""
    ids = [wave.pk for wave in waves]
    responses = _counts(Response.objects.filter(wave_id__in=ids), "wave_id")
    answers = _counts(Answer.objects.filter(response__wave_id__in=ids), "response__wave_id")
    surveys = {wave.survey_id for wave in waves}
    margins = _margin_digests(surveys)
    positive = _positive_digests(ids)
    thresholds = f"{settings.SURVEY_SUPPRESS_BELOW}.{settings.SURVEY_FLAG_BELOW}"
    return {
        wave.pk: (
            f"r{responses.get(wave.pk, '0.0')}:a{answers.get(wave.pk, '0.0')}"
            f":m{margins.get(wave.survey_id, 'none')}:p{positive.get(wave.pk, 'none')}"
            f":t{thresholds}"
        )
        for wave in waves
    }


def _counts(rows: Any, key: str) -> dict[int, str]:
    grouped = rows.order_by().values_list(key).annotate(n=Count("pk"), top=Max("pk"))
    return {wave_id: f"{n}.{top}" for wave_id, n, top in grouped}


def _digest(rows: Iterable[Iterable[object]]) -> str:
    digest = hashlib.sha256()
    for row in rows:
        digest.update(("|".join(str(value) for value in row) + "\n").encode())
    return digest.hexdigest()[:16]


def _margin_digests(survey_ids: set[int]) -> dict[int, str]:
    rows = (
        Margin.objects.filter(survey_id__in=survey_ids)
        .order_by("survey_id", "neighbourhood__code", "age_band", "sex")
        .values_list("survey_id", "neighbourhood__code", "age_band", "sex", "population")
    )
    by_survey: dict[int, list[tuple[object, ...]]] = {}
    for survey_id, *cell in rows:
        by_survey.setdefault(survey_id, []).append(tuple(cell))
    return {survey_id: _digest(cells) for survey_id, cells in by_survey.items()}


def _positive_digests(wave_ids: list[int]) -> dict[int, str]:
    rows = (
        WaveQuestion.objects.filter(wave_id__in=wave_ids, question__options__positive=True)
        .order_by("wave_id", "question_id", "question__options__id")
        .values_list("wave_id", "question_id", "question__options__id")
    )
    by_wave: dict[int, list[tuple[object, ...]]] = {}
    for wave_id, *pair in rows:
        by_wave.setdefault(wave_id, []).append(tuple(pair))
    return {wave_id: _digest(pairs) for wave_id, pairs in by_wave.items()}


# --- Reading a wave into DataFrames -----------------------------------------------------------


@dataclass(frozen=True)
class _WaveData:
    respondents: pd.DataFrame  # respondent_id, area, age_band, sex
    answers: pd.DataFrame  # respondent_id, question, answer (codes)
    codes: dict[str, list[str]]  # each question's answer codes, in order
    margins: pd.DataFrame  # area, age_band, sex, population


def _questions(wave: Wave) -> list[Question]:
    return [
        question
        for question in wave.questions.order_by("wavequestion__position", "wavequestion__id")
        if question.kind != QuestionKind.TEXT
    ]


def _wave_data(wave: Wave) -> _WaveData:
    """The wave's answers as ids read with ``values_list`` and turned into codes in pandas:
    600,000 answers make no model instances and join no tables."""
    questions = _questions(wave)
    options = list(
        Option.objects.filter(question__in=questions)
        .order_by("question_id", "position", "id")
        .values_list("id", "question_id", "code", "positive")
    )
    codes = {q.pk: q.code for q in questions}
    respondents = pd.DataFrame(
        list(
            Response.objects.filter(wave=wave)
            .order_by("id")
            .values_list("id", "neighbourhood__code", "age_band", "sex")
        ),
        columns=["respondent_id", "area", "age_band", "sex"],
    )
    respondents["area"] = respondents["area"].fillna(UNPLACED)
    chosen = pd.DataFrame(
        list(
            # Only the wave: its answers were checked against its questions when stored. A
            # question filter here led PostgreSQL, before it had statistics for a big new
            # import, into a nested loop of 50 s (tests/surveys/test_surveys_real_data.py).
            Answer.objects.filter(response__wave=wave)
            .exclude(option=None)
            .order_by()
            .values_list("response_id", "question_id", "option_id")
        ),
        columns=["respondent_id", "question_id", "option_id"],
    )
    answers = _answer_codes(chosen, codes, options)
    margins = pd.DataFrame(
        list(
            Margin.objects.filter(survey_id=wave.survey_id)
            .order_by("id")
            .values_list("neighbourhood__code", "age_band", "sex", "population")
        ),
        columns=["area", "age_band", "sex", "population"],
    )
    return _WaveData(respondents, answers, _answer_orders(codes, options), margins)


def _answer_codes(
    chosen: pd.DataFrame, codes: dict[int, str], options: list[tuple[int, int, str, bool]]
) -> pd.DataFrame:
    """Option ids as codes, plus one ``POSITIVE`` row per respondent choosing any positive
    option of a question."""
    option_code = {option_id: code for option_id, _, code, _ in options}
    positive = {option_id for option_id, _, _, good in options if good}
    answers = pd.DataFrame(
        {
            "respondent_id": chosen["respondent_id"],
            "question": chosen["question_id"].map(codes),
            "answer": chosen["option_id"].map(option_code),
        }
    )
    good = answers[chosen["option_id"].isin(positive).to_numpy()]
    good = good.drop_duplicates(["respondent_id", "question"]).assign(answer=POSITIVE)
    return pd.concat([answers, good], ignore_index=True)


def _answer_orders(
    codes: dict[int, str], options: list[tuple[int, int, str, bool]]
) -> dict[str, list[str]]:
    orders: dict[str, list[str]] = {code: [] for code in codes.values()}
    for _, question_id, code, _ in options:
        orders[codes[question_id]].append(code)
    for _, question_id, _, good in options:
        if good and POSITIVE not in orders[codes[question_id]]:
            orders[codes[question_id]].append(POSITIVE)
    return orders


# --- Computing and keeping ----------------------------------------------------------------------


def _weights(data: _WaveData) -> tuple[pd.Series, bool, list[str]]:
    """Raked weights, or every weight 1 with a note saying plainly why not."""
    ones = pd.Series(1.0, index=data.respondents.index)
    if data.margins.empty:
        return ones, False, ["No population figures are loaded for this survey."]
    placed = data.respondents[data.respondents["area"] != UNPLACED]
    try:
        raked = rake_weights(placed, data.margins)
    except (MarginsError, ResponsesError) as error:
        return ones, False, [f"The population figures could not be used: {error}"]
    weights = raked.weights.reindex(data.respondents.index).fillna(0.0)
    notes = list(raked.notes)
    left_out = len(data.respondents) - len(placed)
    if left_out:
        notes.append(
            f"{left_out} answers gave no place in a neighbourhood, so they cannot be weighted "
            "to its people and are left out of the figures."
        )
    return weights, True, notes


def _computed(wave: Wave) -> tuple[pd.DataFrame, bool, int, list[str]]:
    data = _wave_data(wave)
    if data.respondents.empty or data.answers.empty:
        return pd.DataFrame(columns=list(ESTIMATE_COLUMNS)), False, len(data.respondents), []
    weights, weighted, notes = _weights(data)
    kept = weights > 0
    respondents = data.respondents[kept]
    answers = data.answers[data.answers["respondent_id"].isin(respondents["respondent_id"])]
    frame = estimate_shares(
        answers,
        respondents,
        weights[kept],
        by_area=True,
        suppress_below=settings.SURVEY_SUPPRESS_BELOW,
        flag_below=settings.SURVEY_FLAG_BELOW,
        codes=data.codes,
    )
    frame = frame[frame["area"] != UNPLACED].reset_index(drop=True)
    return frame, weighted, len(respondents), notes


def _stored_rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-safe rows: NaN (a suppressed figure) as null, numbers as Python's."""
    plain = frame.astype(object).where(frame.notna(), None)
    return [
        {
            **row,
            "n": int(row["n"]),
            "small": bool(row["small"]),
            "suppressed": bool(row["suppressed"]),
        }
        for row in plain.to_dict("records")
    ]


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(ESTIMATE_COLUMNS))
    for name in _FLOATS:
        frame[name] = pd.to_numeric(frame[name], errors="coerce").astype(float)
    return frame


def _estimates(wave: Wave, stored: WaveResult, version: str) -> WaveEstimates:
    body = stored.estimates if isinstance(stored.estimates, dict) else {}
    return WaveEstimates(
        wave=wave,
        version=version,
        frame=_frame(list(body.get("rows", []))),
        weighted=bool(body.get("weighted")),
        respondents=int(body.get("respondents", 0)),
        notes=list(stored.notes),
    )


def wave_estimates(*, wave: Wave) -> WaveEstimates:
    """The wave's estimates: kept ones while their version holds, else made and kept.

    ``WaveResult.estimates`` holds ``{"rows": [...], "weighted": bool, "respondents": int}``.
    """
    version = wave_versions(waves=[wave])[wave.pk]
    stored = WaveResult.objects.filter(wave=wave).first()
    if stored is not None and stored.version == version:
        return _estimates(wave, stored, version)
    frame, weighted, respondents, notes = _computed(wave)
    body = {"rows": _stored_rows(frame), "weighted": weighted, "respondents": respondents}
    with transaction.atomic():
        stored, _ = WaveResult.objects.update_or_create(
            wave=wave, defaults={"version": version, "estimates": body, "notes": notes}
        )
    return _estimates(wave, stored, version)


def wave_estimates_kept(*, waves: Sequence[Wave]) -> dict[int, WaveEstimates]:
    """The kept estimates of ``waves`` that are still current, without making any: for panels
    that must cost the same few queries however many waves they name."""
    versions = wave_versions(waves=waves)
    by_id = {wave.pk: wave for wave in waves}
    kept = WaveResult.objects.filter(wave_id__in=list(by_id))
    return {
        stored.wave_id: _estimates(by_id[stored.wave_id], stored, versions[stored.wave_id])
        for stored in kept
        if stored.version == versions[stored.wave_id]
    }


def estimates_json(estimates: WaveEstimates) -> str:
    """The figures as JSON, for tests and downloads: what the pages show, unrounded."""
    return json.dumps(_stored_rows(estimates.frame), sort_keys=True)


# --- "You said, we did": priorities linked to a wave ------------------------------------------


class PriorityLinkError(ValueError):
    """A link that cannot be made; the message says why in plain English."""


@transaction.atomic
def priority_link_add(*, wave: Wave, priority: Priority, note: str) -> PriorityLink:
    """Links a priority of one of the survey's neighbourhoods to the wave that led to it."""
    note = note.strip()
    if not note:
        raise PriorityLinkError("Say what in the answers led to the priority")
    area = survey_neighbourhoods(survey=wave.survey).filter(pk=priority.neighbourhood_id)
    if not area.exists():
        raise PriorityLinkError("That priority is not in one of the survey's neighbourhoods")
    if PriorityLink.objects.filter(wave=wave, priority=priority).exists():
        raise PriorityLinkError("That priority is already linked to this wave")
    return PriorityLink.objects.create(wave=wave, priority=priority, note=note[:300])


@transaction.atomic
def priority_link_remove(*, link: PriorityLink) -> None:
    link.delete()
