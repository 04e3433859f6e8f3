"""Question reference numbers a person can read out over the telephone and type back.

``Q-7K3M-2XAV``: eight characters from 26 with no look-alikes (none of 0/O, 1/I/L, 5/S or
8/B; 2 is kept and Z dropped, so a typed Z is read as 2), about 2 x 10^11 possibilities: a
reference cannot be guessed, and the service retries on the rare collision.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "234679ACDEFGHJKMNPQRTUVWXY"
_GROUP = 4
_PATTERN = re.compile(rf"^Q([{ALPHABET}]{{{_GROUP}}})([{ALPHABET}]{{{_GROUP}}})$")
# What people type instead of the characters we left out.
_LOOK_ALIKES = str.maketrans({"Z": "2"})


def reference_new() -> str:
    """A fresh random reference, e.g. ``Q-7K3M-2XAV``."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(_GROUP * 2))
    return f"Q-{chars[:_GROUP]}-{chars[_GROUP:]}"


def normalise_reference(text: str) -> str:
    """The canonical form of what someone typed (any case, with or without spaces, dashes or
    the leading Q), or ``""``."""
    compact = re.sub(r"[\s\-_.]", "", text.upper())
    # The leading Q is easily left off with the dashes, so eight characters alone are the body;
    # but a Q typed apart from the rest ("Q-7K3M-2XA") is the prefix of a reference cut short.
    prefix_typed = re.match(r"\s*Q[\s\-_.]", text.upper()) is not None
    has_prefix = compact.startswith("Q") and (len(compact) != _GROUP * 2 or prefix_typed)
    body = compact[1:] if has_prefix else compact
    match = _PATTERN.match("Q" + body.translate(_LOOK_ALIKES))
    if match is None:
        return ""
    return f"Q-{match.group(1)}-{match.group(2)}"
