"""Finding a resident's neighbourhood: by postcode, by a point, or by a place or team name.

Each finder returns what it found or a ``FindError`` whose message is written for a resident
(what went wrong and what to try instead), for the find page to show on its form. Names are
found by the one finder staff use too (``places.search``): towns and villages from the
gazetteer, then neighbourhoods' own names; never LSOA codes or names.
"""

from __future__ import annotations

from dataclasses import dataclass

from beatbook.places.models import Force, Neighbourhood
from beatbook.places.postcode import normalise_postcode
from beatbook.places.search import neighbourhoods_named, place_known
from beatbook.places.selectors import (
    Located,
    LocateError,
    locate_point,
    locate_postcode,
    postcode_district_held,
)

# Enough to choose from on one page; a longer list means the search should be narrower.
MAX_MATCHES = 50
MAX_SEARCH_LENGTH = 100


# Where a resident outside the areas we cover can find their own team.
POLICE_UK_FIND = "https://www.police.uk/pu/your-area/"


class FindError(ValueError):
    """A search found no neighbourhood; the message tells the resident why and what to try.

    ``outside_area``: the place is outside the areas we cover, so the page links to police.uk.
    """

    def __init__(self, message: str, *, outside_area: bool = False) -> None:
        super().__init__(message)
        self.outside_area = outside_area


@dataclass(frozen=True)
class Match:
    """A neighbourhood a name search found, and why: its own name or a town or village in it."""

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


def _outside(what: str) -> FindError:
    return FindError(
        f"{what} is outside the areas we cover. {_forces_sentence()} "
        "Find other neighbourhood teams on police.uk.",
        outside_area=True,
    )


def _neighbourhood_of(located: Located | None, *, what: str) -> Neighbourhood:
    if located is None:
        raise _outside(what)
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
        # Code-Point Open is loaded for the areas covered: a district we hold no postcode of
        # ("L1" in a Staffordshire site) is elsewhere, not mistyped.
        if not postcode_district_held(postcode=postcode):
            raise _outside(f"The postcode {postcode}") from None
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


def clean_search_text(text: str) -> str:
    """The text to search for, or ``FindError`` if there is none or it is too long."""
    cleaned = " ".join(text.split())
    if not cleaned:
        raise FindError("Enter the name of a place or neighbourhood, like Longton")
    if len(cleaned) > MAX_SEARCH_LENGTH:
        raise FindError(f"Enter a name of {MAX_SEARCH_LENGTH} characters or fewer")
    return cleaned


def find_by_name(*, text: str) -> list[Match]:
    """Neighbourhoods a town, village or neighbourhood name matches, best first.

    The town itself comes first (exact name, then names starting with the text, then larger
    places), then neighbourhoods whose own name matches. Raises ``FindError`` when there is
    none, saying so plainly when the place is real but outside the areas we cover.
    """
    cleaned = clean_search_text(text)
    found = neighbourhoods_named(text=cleaned, limit=MAX_MATCHES)
    if not found:
        if place_known(text=cleaned):
            raise _outside(cleaned)
        raise FindError(
            f"We cannot find a place or neighbourhood called ‘{cleaned}’. Check the spelling, "
            "or search by postcode instead."
        )
    return [Match(neighbourhood=m.neighbourhood, matched_on=m.place) for m in found]
