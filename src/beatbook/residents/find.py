"""Finding a resident's neighbourhood: by postcode, by a point, or by a place or team name.

Each finder returns what it found or a ``FindError`` whose message is written for a resident
(what went wrong and what to try instead), for the find page to show on its form.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from beatbook.places.models import Force, Lsoa, Neighbourhood
from beatbook.places.postcode import normalise_postcode
from beatbook.places.selectors import Located, LocateError, locate_point, locate_postcode

# Enough to choose from on one page; a longer list means the search should be narrower.
MAX_MATCHES = 50
MAX_SEARCH_LENGTH = 100


class FindError(ValueError):
    """A search found no neighbourhood; the message tells the resident why and what to try."""


@dataclass(frozen=True)
class Match:
    """A neighbourhood a name search found, and why: its own name or a place inside it."""

    neighbourhood: Neighbourhood
    matched_on: str  # empty when the neighbourhood's own name matched


def forces_held() -> list[Force]:
    """Forces with at least one neighbourhood: where a resident can find a team."""
    return list(Force.objects.filter(neighbourhoods__isnull=False).distinct().order_by("name"))


def _forces_sentence() -> str:
    names = [force.name for force in forces_held()]
    if not names:
        return "We do not hold any neighbourhoods yet."
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"We hold neighbourhoods for {listed} only."


def _neighbourhood_of(located: Located | None, *, what: str) -> Neighbourhood:
    if located is None:
        raise FindError(
            f"{what} is outside the areas we cover. {_forces_sentence()} "
            "Find other neighbourhood teams on police.uk."
        )
    if located.neighbourhood is None:
        raise FindError(
            f"{what} is in the {located.force.name} area, but we do not hold its "
            "neighbourhoods yet. Contact the force on 101."
        )
    return located.neighbourhood


def find_by_postcode(*, text: str) -> Neighbourhood:
    """The neighbourhood a postcode is in (Code-Point Open's position for it)."""
    if not text.strip():
        raise FindError("Enter a postcode, like ST3 2AA")
    postcode = normalise_postcode(text)
    if postcode is None:
        raise FindError("Enter a full postcode, like ST3 2AA")
    try:
        located = locate_postcode(postcode=postcode)
    except LocateError:
        raise FindError(
            f"We cannot find the postcode {postcode}. Check it is right, or search by the "
            "name of your area instead."
        ) from None
    return _neighbourhood_of(located, what=f"The postcode {postcode}")


def parse_point(latitude: str, longitude: str) -> tuple[float, float]:
    """Latitude and longitude as sent by the map or the browser; ``FindError`` if not numbers."""
    try:
        lat, lng = float(latitude), float(longitude)
    except ValueError:
        raise FindError(
            "The place chosen was not a map position. Choose it on the map again, or search "
            "by postcode."
        ) from None
    return lat, lng


def find_by_point(*, latitude: float, longitude: float) -> Neighbourhood:
    """The neighbourhood a map position (WGS84) is in."""
    try:
        located = locate_point(latitude=latitude, longitude=longitude)
    except LocateError:
        raise FindError(
            "That place is outside the United Kingdom. Choose a place on the map, or search "
            "by postcode."
        ) from None
    return _neighbourhood_of(located, what="That place")


def _rank(name: str, text: str) -> int:
    lowered = name.lower()
    if lowered == text:
        return 0
    return 1 if lowered.startswith(text) else 2


def _by_own_name(text: str) -> list[Match]:
    rows = Neighbourhood.objects.filter(name__icontains=text).select_related("force")
    found = sorted(rows[: MAX_MATCHES * 2], key=lambda n: (_rank(n.name, text), n.name, n.pk))
    return [Match(neighbourhood=n, matched_on="") for n in found]


def _area_name(lsoa: Lsoa, text: str) -> str:
    """The name of the LSOA's area that the text matched, most local first."""
    for name in (lsoa.name, lsoa.msoa_name, lsoa.local_authority_name):
        if name and text in name.lower():
            return name
    return lsoa.name


def _by_area_name(text: str, *, exclude: set[int]) -> list[Match]:
    lsoas = Lsoa.objects.filter(
        Q(name__icontains=text)
        | Q(msoa_name__icontains=text)
        | Q(local_authority_name__icontains=text)
    )
    pairs = (
        Neighbourhood.lsoas.through.objects.filter(lsoa__in=lsoas)
        .exclude(neighbourhood_id__in=exclude)
        .select_related("neighbourhood__force", "lsoa")
        .order_by("neighbourhood__name", "lsoa__name")
    )
    matches: dict[int, Match] = {}
    for pair in pairs.iterator(chunk_size=500):
        if pair.neighbourhood_id not in matches:
            matches[pair.neighbourhood_id] = Match(
                neighbourhood=pair.neighbourhood, matched_on=_area_name(pair.lsoa, text)
            )
        if len(matches) >= MAX_MATCHES:
            break
    return list(matches.values())


def clean_search_text(text: str) -> str:
    """The text to search for, or ``FindError`` if there is none or it is too long."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise FindError("Enter the name of a place or neighbourhood, like Longton")
    if len(cleaned) > MAX_SEARCH_LENGTH:
        raise FindError(f"Enter a name of {MAX_SEARCH_LENGTH} characters or fewer")
    return cleaned


def find_by_name(*, text: str) -> list[Match]:
    """Neighbourhoods whose name, or the name of a place in them, contains the text.

    Own-name matches come first (exact, then starting with, then containing the text); then
    neighbourhoods holding an LSOA, MSOA or local authority of that name. Raises ``FindError``
    when there is none.
    """
    cleaned = clean_search_text(text)
    lowered = cleaned.lower()
    own = _by_own_name(lowered)
    matches = own + _by_area_name(lowered, exclude={m.neighbourhood.pk for m in own})
    if not matches:
        raise FindError(
            f"We cannot find a place or neighbourhood called ‘{cleaned}’. Check the spelling, "
            "or search by postcode instead."
        )
    return matches[:MAX_MATCHES]
