"""GOV.UK date and time inputs as Django form fields, read in Europe/London time.

A date is three boxes (day, month, year) as the GOV.UK Design System's date input asks; a time
is one box ("14:30" or "2:30pm"). Errors name the thing that is wrong in the design system's words.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError

LONDON = ZoneInfo("Europe/London")
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$", re.IGNORECASE)


class DatePartsWidget(forms.MultiWidget):
    """Day, month and year boxes; the template draws them with GOV.UK's classes."""

    template_name = "teams/widgets/date_parts.html"

    def __init__(self) -> None:
        super().__init__(
            widgets={"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput}
        )

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime):
            value = value.astimezone(LONDON).date()
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.Field):
    """A date from three boxes, with the GOV.UK date input's error messages."""

    widget = DatePartsWidget

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        self.noun = label[0].lower() + label[1:]
        super().__init__(label=label, **kwargs)

    def to_python(self, value: Any) -> date | None:
        parts = [str(part or "").strip() for part in (value or ["", "", ""])]
        if not any(parts):
            return None
        names = ("day", "month", "year")
        missing = [name for name, part in zip(names, parts, strict=True) if not part]
        if missing:
            raise ValidationError(f"The {self.noun} must include a {' and '.join(missing)}")
        if not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
            raise ValidationError(f"The {self.noun} must be a real date, like 27 3 2026")
        try:
            return date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            raise ValidationError(f"The {self.noun} must be a real date") from None

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise ValidationError(f"Enter the {self.noun}")


class GovukTimeField(forms.Field):
    """A time of day in one box: ``14:30``, ``2:30pm``, ``9am`` or ``09.15``."""

    def __init__(self, *, label: str, **kwargs: Any) -> None:
        self.noun = label[0].lower() + label[1:]
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off"}))
        super().__init__(label=label, **kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, time):
            return value.strftime("%H:%M")
        return value

    def to_python(self, value: Any) -> time | None:
        text = str(value or "").strip()
        if not text:
            return None
        match = _TIME.match(text)
        if match is None:
            raise ValidationError(f"Enter the {self.noun} like 14:30 or 2:30pm")
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        suffix = (match.group(3) or "").lower()
        if suffix:
            if not 1 <= hour <= 12:
                raise ValidationError(f"Enter the {self.noun} like 14:30 or 2:30pm")
            hour = hour % 12 + (12 if suffix == "pm" else 0)
        if hour > 23 or minute > 59:
            raise ValidationError(f"The {self.noun} must be a real time, like 14:30")
        return time(hour, minute)

    def validate(self, value: Any) -> None:
        if value is None and self.required:
            raise ValidationError(f"Enter the {self.noun}")


def london_datetime(day: date, at: time = time(0, 0)) -> datetime:
    """A wall-clock date and time in London as an aware datetime (stored in UTC by Django)."""
    return datetime.combine(day, at, tzinfo=LONDON)


def london_parts(value: datetime | None) -> tuple[date | None, time | None]:
    if value is None:
        return None, None
    local = value.astimezone(LONDON)
    return local.date(), local.time().replace(second=0, microsecond=0)
