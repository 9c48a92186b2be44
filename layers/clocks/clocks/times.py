"""Instants and wall-clock times.

Entries are stored as UTC instants; clients see and send wall-clock times in the
owner's zone. Every conversion between the two lives here.
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from clocks.errors import InvalidInputError

# Fixed width, so that the strings sort like the instants they name.
INSTANT_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# Entries must fall in these years: the range queries and the sort order rely on it.
EARLIEST_YEAR = 1970
LATEST_YEAR = 9998


def format_instant(instant: datetime) -> str:
    """The storage form of an instant: UTC, whole seconds, `Z` suffix."""
    # isoformat pads the year to four digits; strftime("%Y") does not on every libc.
    utc = instant.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    return utc.isoformat() + "Z"


def parse_instant(text: str) -> datetime:
    """Read an instant written by format_instant."""
    return datetime.strptime(text, INSTANT_FORMAT).replace(tzinfo=UTC)


def to_wall_clock(instant: datetime, zone: ZoneInfo) -> str:
    """The wall-clock time a person in `zone` sees, ISO without offset."""
    return instant.astimezone(zone).replace(tzinfo=None).isoformat(timespec="seconds")


def local_to_instant(wall: datetime, zone: ZoneInfo) -> datetime:
    """Place a wall-clock time of `zone` on the UTC timeline.

    A time with an offset is taken as it is. A time in the hour that a DST change
    repeats takes its first occurrence; a time in the hour it skips does not exist
    and is refused.
    """
    check_year(wall.year)
    try:
        if wall.tzinfo is not None:
            instant = wall.astimezone(UTC)
        else:
            instant = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
            if instant.astimezone(zone).replace(tzinfo=None) != wall:
                raise InvalidInputError(
                    f"{wall.isoformat(timespec='minutes')} does not exist in "
                    f"{zone.key}: the clocks skip that hour"
                )
        # An offset can carry a time across the edge of the years kept.
        check_year(instant.astimezone(zone).year)
    except OverflowError:
        raise _outside_years() from None
    return instant


def parse_wall_clock(text: str, zone: ZoneInfo, field: str = "start") -> datetime:
    """Read an ISO date-time such as 2026-04-20T09:00:00 as an instant."""
    try:
        wall = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError(
            f"{field} must be an ISO date and time such as 2026-04-20T09:00:00",
            value=text,
        ) from None
    return local_to_instant(wall.replace(microsecond=0), zone)


def parse_date(text: str, field: str) -> date:
    """Read a calendar date in YYYY-MM-DD form."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError(
            f"{field} must be a date in YYYY-MM-DD form, such as 2026-04-20",
            value=text,
        ) from None
    check_year(day.year)
    return day


def _outside_years() -> InvalidInputError:
    return InvalidInputError(
        f"dates must lie between the years {EARLIEST_YEAR} and {LATEST_YEAR}"
    )


def check_year(year: int) -> None:
    """Refuse a year outside the range that listings and keys cover."""
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise _outside_years()


def start_of_day(day: date, zone: ZoneInfo) -> datetime:
    """The first instant of a local day.

    Where DST skips midnight, fold=0 reads 00:00 with the offset before the gap,
    which is exactly the instant the day begins.
    """
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def today_in(zone: ZoneInfo, now: datetime) -> date:
    """The owner's local date at `now`."""
    return now.astimezone(zone).date()
