"""Shifts: a force's early, late and night shifts, and the London times of a shift on a day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from beatbook.places.models import Force
from beatbook.tasking.models import ShiftKind

LONDON = ZoneInfo("Europe/London")

# The shifts a force starts with; a force changes the times in the admin.
DEFAULT_SHIFTS: tuple[tuple[str, str, time, time], ...] = (
    ("early", "Early", time(7), time(15)),
    ("late", "Late", time(15), time(23)),
    ("night", "Night", time(23), time(7)),
)


def shift_kinds_ensure(*, force: Force) -> list[ShiftKind]:
    """The force's shifts, made from ``DEFAULT_SHIFTS`` the first time they are asked for."""
    for order, (slug, name, starts, ends) in enumerate(DEFAULT_SHIFTS, start=1):
        ShiftKind.objects.get_or_create(
            force=force,
            slug=slug,
            defaults={"name": name, "starts": starts, "ends": ends, "order": order * 10},
        )
    return list(ShiftKind.objects.filter(force=force))


def shift_times(*, kind: ShiftKind, day: date) -> tuple[datetime, datetime]:
    """The shift's start and end on ``day`` (the day it starts), as aware London times. A shift
    whose end is not after its start ends the next day."""
    starts = datetime.combine(day, kind.starts, tzinfo=LONDON)
    end_day = day if kind.ends > kind.starts else day + timedelta(days=1)
    ends = datetime.combine(end_day, kind.ends, tzinfo=LONDON)
    return starts, ends
