"""Contact details by channel, as police.uk publishes them for teams, officers and events."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

# police.uk's channel keys, in the order its pages list them.
CONTACT_CHANNELS: tuple[str, ...] = (
    "email",
    "telephone",
    "mobile",
    "fax",
    "web",
    "address",
    "facebook",
    "twitter",
    "youtube",
    "myspace",
    "bebo",
    "flickr",
    "google-plus",
    "forum",
    "e-messaging",
    "blog",
    "rss",
)


def validate_contact_details(value: Any) -> None:
    """Accept ``{channel: text}`` with known channels and non-empty text values only.

    Clients print every value as a string, so a null or a number inside would break them.
    """
    if not isinstance(value, dict):
        raise ValidationError("Contact details must be an object of channel: value pairs.")
    unknown = sorted(key for key in value if key not in CONTACT_CHANNELS)
    if unknown:
        raise ValidationError(
            f"Unknown contact channel(s): {', '.join(map(str, unknown))}. "
            f"Use any of: {', '.join(CONTACT_CHANNELS)}."
        )
    empty = sorted(
        key for key, text in value.items() if not isinstance(text, str) or not text.strip()
    )
    if empty:
        raise ValidationError(
            f"Give a text value for: {', '.join(empty)} (or leave the channel out)."
        )


def ordered_contact_details(value: dict[str, str]) -> dict[str, str]:
    """The channels in police.uk's order, values trimmed."""
    return {key: value[key].strip() for key in CONTACT_CHANNELS if key in value}
