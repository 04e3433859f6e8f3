"""Where a public activity is, as the public surfaces write it: one line, and a position.

The residents' page, the ``.ics`` feeds and the open API's events route all say where an
activity is the same way. They are handed activities by ``selectors.public_activities`` only.
"""

from __future__ import annotations

from beatbook.operations.models import Activity


def activity_place(activity: Activity) -> str:
    """One line for where: "Online" and how to join, or the venue's name and address (the
    name once, when the address already starts with it)."""
    if activity.online:
        joining = activity.joining_details.strip()
        return f"Online: {joining}" if joining else "Online"
    name = activity.venue_name.strip()
    address = activity.venue_address.strip()
    if name and address and not address.lower().startswith(name.lower()):
        return f"{name}, {address}"
    return address or name


def activity_position(activity: Activity) -> tuple[float, float] | None:
    """The venue's position as entered (latitude, longitude), if it was; never for one online."""
    if activity.online or activity.latitude is None or activity.longitude is None:
        return None
    return (activity.latitude, activity.longitude)
