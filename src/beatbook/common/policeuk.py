"""police.uk's crime-type vocabulary, shared by the ingest (Django) and the analysis package
(no Django): it lives in the pure ``common`` package so that both may use it."""

from __future__ import annotations

# police.uk display name (the CSV's "Crime type") -> API slug. The last two are the names used
# before May 2013 (reference §6.1), accepted so that old archives load.
CRIME_TYPES: dict[str, str] = {
    "Anti-social behaviour": "anti-social-behaviour",
    "Bicycle theft": "bicycle-theft",
    "Burglary": "burglary",
    "Criminal damage and arson": "criminal-damage-arson",
    "Drugs": "drugs",
    "Other theft": "other-theft",
    "Possession of weapons": "possession-of-weapons",
    "Public order": "public-order",
    "Robbery": "robbery",
    "Shoplifting": "shoplifting",
    "Theft from the person": "theft-from-the-person",
    "Vehicle crime": "vehicle-crime",
    "Violence and sexual offences": "violent-crime",
    "Other crime": "other-crime",
    "Violent crime": "violent-crime",
    "Public disorder and weapons": "public-disorder-weapons",
}
