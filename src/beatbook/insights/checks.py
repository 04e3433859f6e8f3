"""Start-up check: a local harm-weights table that cannot be used stops the server early."""

from __future__ import annotations

from typing import Any

from django.core.checks import CheckMessage, Error, register

from beatbook.core.checks import BEATBOOK
from beatbook.insights.harm_in_force import harm_weights


@register(BEATBOOK)
def check_harm_weights(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    try:
        harm_weights()
    except ValueError as exc:
        return [
            Error(
                str(exc),
                hint="Fix the file HARM_WEIGHTS_FILE names, or unset it to use the packaged table.",
                id="beatbook.E101",
            )
        ]
    return []
