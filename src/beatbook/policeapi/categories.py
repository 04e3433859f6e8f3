"""police.uk's published vocabularies: crime categories, outcome codes, stop outcome ids."""

from __future__ import annotations

import re

ALL_CRIME = "all-crime"
ANTI_SOCIAL_BEHAVIOUR = "anti-social-behaviour"

# In police.uk's own order (``other-crime`` last), ``all-crime`` first.
CRIME_CATEGORIES: tuple[tuple[str, str], ...] = (
    (ALL_CRIME, "All crime"),
    (ANTI_SOCIAL_BEHAVIOUR, "Anti-social behaviour"),
    ("bicycle-theft", "Bicycle theft"),
    ("burglary", "Burglary"),
    ("criminal-damage-arson", "Criminal damage and arson"),
    ("drugs", "Drugs"),
    ("other-theft", "Other theft"),
    ("possession-of-weapons", "Possession of weapons"),
    ("public-order", "Public order"),
    ("robbery", "Robbery"),
    ("shoplifting", "Shoplifting"),
    ("theft-from-the-person", "Theft from the person"),
    ("vehicle-crime", "Vehicle crime"),
    ("violent-crime", "Violence and sexual offences"),
    ("other-crime", "Other crime"),
)
CRIME_CATEGORY_NAMES = dict(CRIME_CATEGORIES)

# Slugs that only old data uses, with their names at the time.
HISTORICAL_CATEGORY_NAMES = {
    "public-disorder-weapons": "Public disorder and weapons",
}

# Outcome display name (as in the bulk files) -> police.uk code.
OUTCOME_CODES: dict[str, str] = {
    "Awaiting court outcome": "awaiting-court-result",
    "Court result unavailable": "court-result-unavailable",
    "Court case unable to proceed": "unable-to-proceed",
    "Local resolution": "local-resolution",
    "Investigation complete; no suspect identified": "no-further-action",
    "Offender deprived of property": "deprived-of-property",
    "Offender fined": "fined",
    "Offender given absolute discharge": "absolute-discharge",
    "Offender given a caution": "cautioned",
    "Offender given a drugs possession warning": "drugs-possession-warning",
    "Offender given a penalty notice": "penalty-notice-issued",
    "Offender given penalty notice": "penalty-notice-issued",
    "Offender given community sentence": "community-penalty",
    "Offender given conditional discharge": "conditional-discharge",
    "Offender given suspended prison sentence": "suspended-sentence",
    "Offender sent to prison": "imprisoned",
    "Offender otherwise dealt with": "other-court-disposal",
    "Offender ordered to pay compensation": "compensation",
    "Suspect charged as part of another case": "sentenced-in-another-case",
    "Suspect charged": "charged",
    "Defendant found not guilty": "not-guilty",
    "Defendant sent to Crown Court": "sent-to-crown-court",
    "Unable to prosecute suspect": "unable-to-prosecute",
    "Formal action is not in the public interest": "formal-action-not-in-public-interest",
    "Action to be taken by another organisation": "action-taken-by-another-organisation",
    "Further investigation is not in the public interest": (
        "further-investigation-not-in-public-interest"
    ),
    "Further action is not in the public interest": "further-action-not-in-public-interest",
    "Under investigation": "under-investigation",
    "Status update unavailable": "status-update-unavailable",
}

# Stop and search outcome display name -> police.uk ``outcome_object.id``.
STOP_OUTCOME_IDS: dict[str, str] = {
    "A no further action disposal": "bu-no-further-action",
    "Nothing found - no further action": "bu-no-further-action",
    "Community resolution": "bu-community-resolution",
    "Summons / charged by post": "bu-summons",
    "Arrest": "bu-arrest",
    "Caution (simple or conditional)": "bu-caution",
    "Khat or Cannabis warning": "bu-warning",
    "Penalty Notice for Disorder": "bu-penalty-notice",
}

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    return _NOT_SLUG.sub("-", text.lower()).strip("-")


def outcome_code(name: str) -> str:
    """The police.uk code of an outcome name; names we do not know get a slug of themselves."""
    return OUTCOME_CODES.get(name) or slugify(name)


def stop_outcome_id(name: str) -> str:
    if not name:
        return ""
    return STOP_OUTCOME_IDS.get(name) or "bu-" + slugify(name)


def category_name(slug: str) -> str:
    known = CRIME_CATEGORY_NAMES.get(slug) or HISTORICAL_CATEGORY_NAMES.get(slug)
    return known or slug.replace("-", " ").capitalize()
