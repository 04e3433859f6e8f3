"""The harm weights in force: the packaged table or the one ``HARM_WEIGHTS_FILE`` names."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings

from beatbook.analysis.harm import HarmWeights, load_harm_weights


def harm_weights() -> HarmWeights:
    """The table in use, read once per path (a changed setting is read afresh)."""
    return _load(str(settings.HARM_WEIGHTS_FILE or ""))


@lru_cache(maxsize=4)
def _load(path: str) -> HarmWeights:
    return load_harm_weights(path or None)
