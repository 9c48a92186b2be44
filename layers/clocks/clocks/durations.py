"""Durations as people type them: 2h, 30m, 1h30m, 1.5h, 1:30."""

import re
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from clocks.errors import InvalidInputError

ACCEPTED_FORMS = '"2h", "1.5h", "30m", "30min", "1h30m", "1h 30m", "1:30"'
LONGEST = timedelta(hours=24)

_HOURS = r"(?:h|hr|hrs|hour|hours)"
_MINUTES = r"(?:m|min|mins|minute|minutes)"
_NUMBER = r"(\d{1,4}(?:\.\d{1,6})?)"
# ASCII: \d would also match other scripts' digits, which nobody types here.
_HOURS_ONLY = re.compile(rf"{_NUMBER}\s*{_HOURS}", re.ASCII)
_MINUTES_ONLY = re.compile(rf"{_NUMBER}\s*{_MINUTES}", re.ASCII)
_HOURS_AND_MINUTES = re.compile(
    rf"(\d{{1,2}})\s*{_HOURS}\s*(\d{{1,2}})\s*{_MINUTES}?", re.ASCII
)
_CLOCK = re.compile(r"(\d{1,2}):([0-5]\d)", re.ASCII)


def _seconds(amount: Decimal, unit_seconds: int) -> int:
    # Decimal keeps "8.2h" at exactly 8h12m, where float would give 8h11m59.99s.
    return int((amount * unit_seconds).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_duration(text: str) -> timedelta:
    """Read a duration; anything unreadable, zero, negative or over 24h is refused."""
    spoken = text.strip().lower()
    if match := _HOURS_ONLY.fullmatch(spoken):
        seconds = _seconds(Decimal(match[1]), 3600)
    elif match := _MINUTES_ONLY.fullmatch(spoken):
        seconds = _seconds(Decimal(match[1]), 60)
    elif (match := _HOURS_AND_MINUTES.fullmatch(spoken)) or (
        match := _CLOCK.fullmatch(spoken)
    ):
        hours, minutes = int(match[1]), int(match[2])
        if minutes > 59:
            raise InvalidInputError(f"{text!r} has more than 59 minutes past the hour")
        seconds = hours * 3600 + minutes * 60
    else:
        raise InvalidInputError(
            f"{text!r} is not a duration; use one of {ACCEPTED_FORMS}", value=text
        )
    duration = timedelta(seconds=seconds)
    if duration <= timedelta(0):
        raise InvalidInputError("a duration must be longer than zero", value=text)
    if duration > LONGEST:
        raise InvalidInputError("a duration can be at most 24 hours", value=text)
    return duration


def hours_of(seconds: int | float) -> float:
    """Hours rounded to two decimals, for display; sums are made before rounding."""
    return round(seconds / 3600, 2)
