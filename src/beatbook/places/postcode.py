"""UK postcodes as written by people and as stored ("ST1 1AF")."""

from __future__ import annotations

import re

# The outward code (area letters, district) and the inward code (sector digit, unit letters).
OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
INWARD = r"[0-9][A-Z]{2}"
POSTCODE_PATTERN = OUTWARD + INWARD  # without the space
STORED_PATTERN = OUTWARD + " " + INWARD
_POSTCODE = re.compile(POSTCODE_PATTERN)


def normalise_postcode(text: str) -> str | None:
    """The stored form of a postcode ("st32aa" -> "ST3 2AA"), or None if it is not one."""
    compact = re.sub(r"\s+", "", text).upper()
    if not _POSTCODE.fullmatch(compact):
        return None
    return f"{compact[:-3]} {compact[-3:]}"
