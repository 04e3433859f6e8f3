"""Recommended priorities for a strategic assessment, ranked by a score anyone can redo by hand.

A partnership must set priorities from its assessment (operating model s. 3.2). Beatbook
recommends them, never chooses them: each police.uk category gets a score from four published
shares, each between 0 and 1 (trend between -1 and 1), with fixed weights:

- harm share (``WEIGHTS["harm"]``): the category's share of the area's harm, the mean of its
  Cambridge Crime Harm Index share and its ONS Crime Severity Score share;
- volume share (``WEIGHTS["volume"]``): its share of all recorded crime and ASB. It is there
  because anti-social behaviour has no weight in either harm index, yet residents raise it most;
- trend (``WEIGHTS["trend"]``): 0 unless the change on the previous year is more than chance
  (p < 0.05); then the rate ratio less 1, doubled, between -1 and 1 (a 50% rise scores 1);
- community concern (``WEIGHTS["concern"]``): its share of the residents' questions and
  concerns that name a category (by the words in ``THEME_WORDS``), 0 without any.

The score is 100 times the weighted sum. Ties go to the category with more harm, then by name.
Residents' questions are matched to categories by whole words in their subject and body: a
rough guide, shown with the counts so a reader can judge it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

WEIGHTS: dict[str, float] = {"harm": 0.45, "volume": 0.15, "trend": 0.2, "concern": 0.2}
RECOMMENDED = 5  # how many priorities are recommended
SIGNIFICANCE = 0.05
FULL_TREND = 0.5  # a rise of 50% (rate ratio 1.5) that is more than chance scores the full 1

# Words (lower case, matched at the start of a word) that tie a resident's question to a
# police.uk category. "Drug" matches "drugs" and "drug-dealing".
THEME_WORDS: dict[str, tuple[str, ...]] = {
    "anti-social-behaviour": (
        "anti-social",
        "antisocial",
        "asb",
        "nuisance",
        "noise",
        "youths",
        "gangs of",
        "fly-tipping",
        "fly tipping",
        "litter",
    ),
    "bicycle-theft": ("bike", "bicycle", "cycle theft"),
    "burglary": ("burglar", "break-in", "broke into", "broken into"),
    "criminal-damage-arson": ("vandal", "graffiti", "damage", "arson", "fire", "smashed"),
    "drugs": ("drug", "dealing", "dealer", "cannabis", "weed", "needles", "cuckoo"),
    "other-theft": ("theft", "stolen", "stealing"),
    "possession-of-weapons": ("knife", "knives", "weapon", "gun", "blade"),
    "public-order": ("fighting", "rowdy", "drunk", "disorder", "shouting"),
    "robbery": ("robbery", "robbed", "mugged", "mugging"),
    "shoplifting": ("shoplift",),
    "theft-from-the-person": ("pickpocket", "snatched", "bag snatch"),
    "vehicle-crime": ("car crime", "cars broken", "catalytic", "vehicle", "car theft"),
    "violent-crime": ("assault", "violence", "violent", "attacked", "domestic abuse", "stabbing"),
}
_PATTERNS = {
    category: re.compile(r"\b(" + "|".join(re.escape(word) for word in words) + r")", re.I)
    for category, words in THEME_WORDS.items()
}


@dataclass(frozen=True)
class Concerns:
    """Residents' questions and concerns in the area in the year, and the categories they name."""

    questions: int
    concerns: int
    by_category: dict[str, int]
    matched: int  # questions naming at least one category

    def share(self, category: str) -> float:
        return self.by_category.get(category, 0) / self.matched if self.matched else 0.0


def concerns_count(texts: Iterable[tuple[str, str]]) -> Concerns:
    """``texts``: (kind, subject and body) of each question, kind "question" or "concern"."""
    by_category: dict[str, int] = {}
    questions = concerns = matched = 0
    for kind, text in texts:
        if kind == "concern":
            concerns += 1
        else:
            questions += 1
        named = [category for category, pattern in _PATTERNS.items() if pattern.search(text)]
        matched += bool(named)
        for category in named:
            by_category[category] = by_category.get(category, 0) + 1
    return Concerns(questions, concerns, dict(sorted(by_category.items())), matched)


@dataclass(frozen=True)
class CategoryEvidence:
    """What one category's score is made from."""

    category: str
    label: str
    count: int
    harm_share: float
    volume_share: float
    rate_ratio: float | None
    p_value: float | None
    concern_share: float
    concern_count: int


@dataclass(frozen=True)
class Priority:
    rank: int
    category: str
    label: str
    score: float
    parts: dict[str, float]  # each term's contribution to the score, in points
    evidence: list[str]
    recommended: bool


def trend_term(rate_ratio: float | None, p_value: float | None) -> float:
    if rate_ratio is None or p_value is None or not math.isfinite(rate_ratio):
        return 0.0
    if p_value >= SIGNIFICANCE:
        return 0.0
    return max(-1.0, min(1.0, (rate_ratio - 1.0) / FULL_TREND))


def priorities_rank(
    evidence: Iterable[CategoryEvidence], *, weights: Mapping[str, float] = WEIGHTS
) -> list[Priority]:
    """Every category with crime in the year, highest score first."""
    scored = []
    for item in evidence:
        if item.count == 0:
            continue
        terms = {
            "harm": item.harm_share,
            "volume": item.volume_share,
            "trend": trend_term(item.rate_ratio, item.p_value),
            "concern": item.concern_share,
        }
        parts = {key: round(100.0 * weights[key] * value, 2) for key, value in terms.items()}
        score = round(sum(parts.values()), 2)
        scored.append((score, item, parts))
    scored.sort(key=lambda row: (-row[0], -row[1].harm_share, row[1].category))
    return [
        Priority(
            rank=rank,
            category=item.category,
            label=item.label,
            score=score,
            parts=parts,
            evidence=_evidence(item),
            recommended=rank <= RECOMMENDED,
        )
        for rank, (score, item, parts) in enumerate(scored, start=1)
    ]


def _evidence(item: CategoryEvidence) -> list[str]:
    lines = [
        f"{item.count:,} recorded in the year: {_percent(item.volume_share)} of all crime and ASB.",
        f"{_percent(item.harm_share)} of the area's harm (mean of its CCHI and ONS CSS shares).",
    ]
    if item.rate_ratio is None or item.p_value is None or not math.isfinite(item.rate_ratio):
        lines.append("No change on the previous year can be measured.")
    else:
        change = (item.rate_ratio - 1.0) * 100.0
        sure = "more than chance" if item.p_value < SIGNIFICANCE else "no more than chance"
        word = "up" if change >= 0 else "down"
        lines.append(
            f"{word.capitalize()} {abs(change):.0f}% on the same months of the previous year "
            f"({sure}: p = {item.p_value:.3g})."
        )
    if item.concern_count:
        lines.append(
            f"Named in {item.concern_count} of the residents' questions and concerns "
            f"({_percent(item.concern_share)} of those naming a kind of crime)."
        )
    else:
        lines.append("Not named in residents' questions and concerns.")
    return lines


def _percent(share: float) -> str:
    return f"{share * 100.0:.1f}%"
