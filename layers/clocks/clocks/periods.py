"""Named periods (today, week, month, ...) and date ranges in the owner's zone."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from clocks.errors import InvalidInputError
from clocks.times import EARLIEST_YEAR, LATEST_YEAR, parse_date, start_of_day

PERIODS = (
    "today",
    "yesterday",
    "week",
    "last_week",
    "month",
    "last_month",
    "year",
    "last_year",
    "all",
)

# Far enough out to hold any entry, near enough to stay a valid date.
_EARLIEST = date(EARLIEST_YEAR, 1, 1)
_LATEST = date(LATEST_YEAR, 12, 31)


@dataclass(frozen=True)
class DateRange:
    """Whole local days, both ends inclusive."""

    first: date
    last: date

    def instants(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """The UTC instants [from, until) that the days cover in `zone`."""
        return start_of_day(self.first, zone), start_of_day(
            self.last + timedelta(days=1), zone
        )


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def period_range(period: str, today: date, week_start: int = 0) -> DateRange:
    """The days of a named period around `today`.

    Weeks start on `week_start` (a weekday number, Monday = 0; Sunday = 6).
    """
    first_day = today - timedelta(days=(today.weekday() - week_start) % 7)
    month = _month_start(today)
    match period:
        case "today":
            return DateRange(today, today)
        case "yesterday":
            yesterday = today - timedelta(days=1)
            return DateRange(yesterday, yesterday)
        case "week":
            return DateRange(first_day, first_day + timedelta(days=6))
        case "last_week":
            previous = first_day - timedelta(days=7)
            return DateRange(previous, first_day - timedelta(days=1))
        case "month":
            return DateRange(month, _next_month(month) - timedelta(days=1))
        case "last_month":
            previous = _month_start(month - timedelta(days=1))
            return DateRange(previous, month - timedelta(days=1))
        case "year":
            return DateRange(date(today.year, 1, 1), date(today.year, 12, 31))
        case "last_year":
            return DateRange(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31))
        case "all":
            return DateRange(_EARLIEST, _LATEST)
    raise InvalidInputError(
        f"unknown period {period!r}; use one of {', '.join(PERIODS)}", value=period
    )


def resolve_range(
    period: str | None,
    from_date: str | None,
    to_date: str | None,
    today: date,
    default_period: str = "month",
    week_start: int = 0,
) -> DateRange:
    """The days a request asks for: explicit dates win over a named period.

    from_date alone runs to the end of time, to_date alone from its beginning.
    """
    named = period_range(period or default_period, today, week_start)
    if from_date is None and to_date is None:
        return named
    first = parse_date(from_date, "from_date") if from_date is not None else _EARLIEST
    last = parse_date(to_date, "to_date") if to_date is not None else _LATEST
    if first > last:
        raise InvalidInputError("from_date must not be after to_date")
    return DateRange(max(first, _EARLIEST), min(last, _LATEST))


def utc_now() -> datetime:
    """The current instant, to whole seconds."""
    return datetime.now(UTC).replace(microsecond=0)
