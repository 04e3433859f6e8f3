"""Texts made from an operation's recorded figures, never typed by hand: the plain-English "what
we did" paragraphs and the suggested social media posts (each at most 280 characters).

Every sentence is made from ``OperationFigures`` (``operation_results``): a measure that is zero
is never mentioned, counts take the singular or the plural as they should ("1 arrest",
"2 arrests", "1 person", "3 people"), and long numbers get thousands separators. Which figures
may be published (restricted activities' only once the operation is over) is decided before the
figures reach here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from beatbook.operations.models import Measure
from beatbook.operations.operation_results import OperationFigures, PartnerFigures

POST_LIMIT = 280

# What each measure says, as a clause with a verb: (one, many), ``{n}`` the count.
CLAUSES: dict[str, tuple[str, str]] = {
    Measure.VISITS: ("visited {n} home", "visited {n} homes"),
    Measure.DOORS_ANSWERED: ("had {n} door answered", "had {n} doors answered"),
    Measure.PEOPLE_ENGAGED: ("spoke to {n} person", "spoke to {n} people"),
    Measure.LITTER_BAGS: ("collected {n} bag of litter", "collected {n} bags of litter"),
    Measure.REFERRALS_FIRE: (
        "made {n} referral for a fire safe-and-well visit",
        "made {n} referrals for fire safe-and-well visits",
    ),
    Measure.REFERRALS_SOCIAL_CARE: (
        "made {n} referral to social care",
        "made {n} referrals to social care",
    ),
    Measure.REFERRALS_HOUSING: ("made {n} referral to housing", "made {n} referrals to housing"),
    Measure.REFERRALS_VICTIM_SUPPORT: (
        "made {n} referral to victim support",
        "made {n} referrals to victim support",
    ),
    Measure.ARRESTS: ("made {n} arrest", "made {n} arrests"),
    Measure.WARRANTS_EXECUTED: ("executed {n} warrant", "executed {n} warrants"),
    Measure.VEHICLES_SEIZED: ("seized {n} vehicle", "seized {n} vehicles"),
    Measure.STOP_SEARCHES: ("carried out {n} stop and search", "carried out {n} stop and searches"),
    Measure.DRUGS_SEIZURES: ("made {n} drugs seizure", "made {n} drugs seizures"),
    Measure.WEAPONS_SEIZED: ("seized {n} weapon", "seized {n} weapons"),
    Measure.WARNINGS: ("gave {n} warning", "gave {n} warnings"),
}
COMMUNITY: tuple[str, ...] = (
    Measure.VISITS,
    Measure.DOORS_ANSWERED,
    Measure.PEOPLE_ENGAGED,
    Measure.LITTER_BAGS,
)
REFERRALS: tuple[str, ...] = (
    Measure.REFERRALS_FIRE,
    Measure.REFERRALS_SOCIAL_CARE,
    Measure.REFERRALS_HOUSING,
    Measure.REFERRALS_VICTIM_SUPPORT,
)
ENFORCEMENT: tuple[str, ...] = (
    Measure.ARRESTS,
    Measure.WARRANTS_EXECUTED,
    Measure.VEHICLES_SEIZED,
    Measure.STOP_SEARCHES,
    Measure.DRUGS_SEIZURES,
    Measure.WEAPONS_SEIZED,
    Measure.WARNINGS,
)
# Referral clauses after the first drop their verb: "made 5 referrals to housing, 2 to ...".
REFERRAL_TAILS: dict[str, tuple[str, str]] = {
    Measure.REFERRALS_FIRE: (
        "{n} for a fire safe-and-well visit",
        "{n} for fire safe-and-well visits",
    ),
    Measure.REFERRALS_SOCIAL_CARE: ("{n} to social care", "{n} to social care"),
    Measure.REFERRALS_HOUSING: ("{n} to housing", "{n} to housing"),
    Measure.REFERRALS_VICTIM_SUPPORT: ("{n} to victim support", "{n} to victim support"),
}


def clause(measure: str, count: int) -> str:
    """``clause("arrests", 1) == "made 1 arrest"``; ``clause("people-engaged", 2)`` is
    "spoke to 2 people"."""
    one, many = CLAUSES[measure]
    return (one if count == 1 else many).format(n=f"{count:,}")


def join(parts: Sequence[str]) -> str:
    """``["a", "b", "c"]`` becomes "a, b and c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def _clauses(counts: dict[str, int], measures: Iterable[str]) -> list[str]:
    return [clause(m, counts[m]) for m in measures if counts.get(m, 0) > 0]


def _referrals(counts: dict[str, int]) -> str:
    """ "made 7 referrals: 5 for fire safe-and-well visits and 2 to housing", or "" if none."""
    found = [(m, counts[m]) for m in REFERRALS if counts.get(m, 0) > 0]
    if not found:
        return ""
    if len(found) == 1:
        return clause(*found[0])
    total = sum(n for _, n in found)
    tails = [REFERRAL_TAILS[m][n != 1].format(n=f"{n:,}") for m, n in found]
    noun = "referral" if total == 1 else "referrals"
    return f"made {total:,} {noun} to other services: {join(tails)}"


def _dates(first: date, last: date) -> str:
    if first == last:
        return f"on {first:%A} {first.day} {first:%B %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"from {first.day} to {last.day} {last:%B %Y}"
    if first.year == last.year:
        return f"from {first.day} {first:%B} to {last.day} {last:%B %Y}"
    return f"from {first.day} {first:%B %Y} to {last.day} {last:%B %Y}"


def _sentence(text: str) -> str:
    return f"{text[0].upper()}{text[1:]}." if text else ""


def _who(figures: OperationFigures) -> list[str]:
    return [p.name for p in figures.partners if p.has_figures]


def _everything(counts: dict[str, int]) -> list[str]:
    """Every clause: the community's, the referrals in one, then the enforcement's."""
    referrals = _referrals(counts)
    return [
        *_clauses(counts, COMMUNITY),
        *([referrals] if referrals else []),
        *_clauses(counts, ENFORCEMENT),
    ]


def _partner_paragraph(partner: PartnerFigures) -> str:
    said = _everything(partner.counts)
    return f"{partner.name} {join(said)}." if said else ""


def what_we_did(figures: OperationFigures) -> list[str]:
    """The "what we did" paragraphs: the week in one sentence, then the referrals, the
    enforcement, and each partner's part. Empty when nothing has been recorded."""
    totals = figures.totals
    if not figures.has_figures:
        return []
    paragraphs: list[str] = []
    during = f"During {figures.name}, {_dates(figures.first_day, figures.last_day)}"
    community = _clauses(totals, COMMUNITY)
    who = join(_who(figures))
    if community:
        paragraphs.append(f"{during}, {who} {join(community)}.")
    else:
        paragraphs.append(f"{during}, {who} worked together in the area.")
    referrals = _referrals(totals)
    if referrals:
        paragraphs.append(f"So that residents get the help they need, we {referrals}.")
    enforcement = _clauses(totals, ENFORCEMENT)
    if enforcement:
        paragraphs.append(f"Officers {join(enforcement)}.")
    if len(_who(figures)) > 1:
        paragraphs += [_partner_paragraph(p) for p in figures.partners if p.has_figures]
    return paragraphs


# --- posts -----------------------------------------------------------------------------------


def _first_that_fits(candidates: Iterable[str]) -> str:
    """The first candidate of at most ``POST_LIMIT`` characters; failing that, the last one
    cut short with an ellipsis, so a post always fits."""
    last = ""
    for text in candidates:
        if len(text) <= POST_LIMIT:
            return text
        last = text
    return f"{last[: POST_LIMIT - 1].rstrip()}…"


def _shorter(parts: list[str]) -> Iterable[list[str]]:
    """``parts``, then with ever fewer of its last items (never none)."""
    for keep in range(len(parts), 0, -1):
        yield parts[:keep]


def _headline_post(figures: OperationFigures) -> str:
    names = _who(figures)
    groups = [names] if len(names) <= 1 else [names, [names[0], "partners"]]
    community = _clauses(figures.totals, COMMUNITY) or ["worked together in the area"]
    return _first_that_fits(
        f"During {figures.name}, {join(who)} {join(said)}."
        for who in groups
        for said in _shorter(community)
    )


def _enforcement_post(figures: OperationFigures) -> str:
    said = _clauses(figures.totals, ENFORCEMENT)
    if not said:
        return ""
    return _first_that_fits(
        [
            *(f"During {figures.name}, officers {join(part)}." for part in _shorter(said)),
            *(f"Officers {join(part)} this week." for part in _shorter(said)),
        ]
    )


def _referral_post(figures: OperationFigures) -> str:
    referrals = _referrals(figures.totals)
    if not referrals:
        return ""
    total = sum(figures.totals.get(m, 0) for m in REFERRALS)
    short = f"made {total:,} referral{'s' if total != 1 else ''} to other services"
    return _first_that_fits(
        [
            f"During {figures.name}, we {referrals}, so residents get the help they need.",
            f"During {figures.name}, we {short}, so residents get the help they need.",
            f"This week we {short}, so residents get the help they need.",
        ]
    )


def _thanks_post(figures: OperationFigures, partner: PartnerFigures) -> str:
    said = _everything(partner.counts)
    return _first_that_fits(
        [
            *(
                f"Thank you to {partner.name}, who {join(part)} during {figures.name}."
                for part in _shorter(said)
            ),
            *(f"Thank you to {partner.name}, who {join(part)}." for part in _shorter(said)),
        ]
    )


def social_posts(figures: OperationFigures) -> list[str]:
    """Suggested posts, each at most 280 characters (counted with ``len``): the headline, the
    referrals, the enforcement, and a thank-you to each partner (not the lead) with figures."""
    if not figures.has_figures:
        return []
    posts = [_headline_post(figures), _referral_post(figures), _enforcement_post(figures)]
    posts += [_thanks_post(figures, p) for p in figures.partners if p.has_figures and not p.lead]
    return [post for post in posts if post]
