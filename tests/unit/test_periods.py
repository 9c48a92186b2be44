"""Named periods and date ranges: which local days a request covers."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from clocks.errors import InvalidInputError
from clocks.periods import PERIODS, DateRange, period_range, resolve_range

BERLIN = ZoneInfo("Europe/Berlin")
WEDNESDAY = date(2026, 4, 22)


def days(first: str, last: str) -> DateRange:
    return DateRange(date.fromisoformat(first), date.fromisoformat(last))


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("today", days("2026-04-22", "2026-04-22")),
        ("yesterday", days("2026-04-21", "2026-04-21")),
        ("week", days("2026-04-20", "2026-04-26")),
        ("last_week", days("2026-04-13", "2026-04-19")),
        ("month", days("2026-04-01", "2026-04-30")),
        ("last_month", days("2026-03-01", "2026-03-31")),
        ("year", days("2026-01-01", "2026-12-31")),
        ("last_year", days("2025-01-01", "2025-12-31")),
        ("all", days("1970-01-01", "9998-12-31")),
    ],
)
def test_each_period_covers_its_days_in_mid_week(period, expected):
    assert period_range(period, WEDNESDAY) == expected


@pytest.mark.parametrize(
    "today", ["2026-04-20", "2026-04-21", "2026-04-23", "2026-04-25", "2026-04-26"]
)
def test_a_week_runs_from_monday_to_sunday_whatever_the_day(today):
    assert period_range("week", date.fromisoformat(today)) == days(
        "2026-04-20", "2026-04-26"
    )


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("yesterday", days("2025-12-31", "2025-12-31")),
        ("week", days("2025-12-29", "2026-01-04")),
        ("last_week", days("2025-12-22", "2025-12-28")),
        ("month", days("2026-01-01", "2026-01-31")),
        ("last_month", days("2025-12-01", "2025-12-31")),
        ("year", days("2026-01-01", "2026-12-31")),
        ("last_year", days("2025-01-01", "2025-12-31")),
    ],
)
def test_periods_on_new_years_day_reach_back_into_the_old_year(period, expected):
    assert period_range(period, date(2026, 1, 1)) == expected


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("week", days("2026-12-28", "2027-01-03")),
        ("month", days("2026-12-01", "2026-12-31")),
        ("last_month", days("2026-11-01", "2026-11-30")),
    ],
)
def test_periods_on_new_years_eve_end_in_the_right_year(period, expected):
    assert period_range(period, date(2026, 12, 31)) == expected


def test_february_of_a_leap_year_has_29_days():
    assert period_range("month", date(2024, 2, 29)) == days("2024-02-01", "2024-02-29")
    assert period_range("month", date(2024, 2, 1)) == days("2024-02-01", "2024-02-29")


def test_the_day_after_leap_day_sees_leap_day_as_yesterday_and_last_month():
    today = date(2024, 3, 1)

    assert period_range("yesterday", today) == days("2024-02-29", "2024-02-29")
    assert period_range("last_month", today) == days("2024-02-01", "2024-02-29")


def test_last_month_in_a_common_year_ends_on_february_28():
    assert period_range("last_month", date(2025, 3, 31)) == days(
        "2025-02-01", "2025-02-28"
    )


def test_last_year_after_a_leap_year_includes_leap_day():
    covered = period_range("last_year", date(2025, 1, 1))

    assert covered.first <= date(2024, 2, 29) <= covered.last


def test_an_unknown_period_is_refused_with_the_accepted_names():
    with pytest.raises(InvalidInputError) as refused:
        period_range("fortnight", WEDNESDAY)

    assert refused.value.status_code == 422
    for name in PERIODS:
        assert name in refused.value.message


def test_without_period_or_dates_the_month_is_meant():
    assert resolve_range(None, None, None, WEDNESDAY) == days(
        "2026-04-01", "2026-04-30"
    )


def test_the_default_period_can_be_chosen_by_the_caller():
    assert resolve_range(None, None, None, WEDNESDAY, default_period="all") == days(
        "1970-01-01", "9998-12-31"
    )


def test_explicit_dates_win_over_a_named_period():
    assert resolve_range("today", "2026-01-05", "2026-01-09", WEDNESDAY) == days(
        "2026-01-05", "2026-01-09"
    )


def test_from_date_alone_runs_open_ended_into_the_future():
    assert resolve_range(None, "2026-04-10", None, WEDNESDAY) == days(
        "2026-04-10", "9998-12-31"
    )


def test_to_date_alone_runs_open_ended_into_the_past():
    assert resolve_range(None, None, "2026-04-10", WEDNESDAY) == days(
        "1970-01-01", "2026-04-10"
    )


def test_one_day_from_and_to_is_that_day():
    assert resolve_range(None, "2024-02-29", "2024-02-29", WEDNESDAY) == days(
        "2024-02-29", "2024-02-29"
    )


def test_from_date_after_to_date_is_refused():
    with pytest.raises(InvalidInputError, match="from_date"):
        resolve_range(None, "2026-04-10", "2026-04-09", WEDNESDAY)


@pytest.mark.parametrize("text", ["2026-02-30", "20.04.2026", "tomorrow", "2026-4-1x"])
def test_a_malformed_date_is_refused_with_the_expected_form(text):
    with pytest.raises(InvalidInputError, match="YYYY-MM-DD") as refused:
        resolve_range(None, text, None, WEDNESDAY)

    assert refused.value.status_code == 422


def test_a_bad_period_is_refused_even_next_to_dates():
    with pytest.raises(InvalidInputError, match="period"):
        resolve_range("soon", "2026-04-01", "2026-04-02", WEDNESDAY)


def test_a_range_covers_whole_local_days_as_utc_instants():
    since, until = days("2026-04-20", "2026-04-20").instants(BERLIN)

    assert since == datetime(2026, 4, 19, 22, 0, tzinfo=UTC)
    assert until == datetime(2026, 4, 20, 22, 0, tzinfo=UTC)


def test_the_spring_dst_day_is_23_hours_and_the_autumn_one_25():
    spring_since, spring_until = days("2026-03-29", "2026-03-29").instants(BERLIN)
    autumn_since, autumn_until = days("2026-10-25", "2026-10-25").instants(BERLIN)

    assert (spring_until - spring_since).total_seconds() == 23 * 3600
    assert (autumn_until - autumn_since).total_seconds() == 25 * 3600


def test_the_whole_range_of_all_can_be_placed_in_any_zone():
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"):
        since, until = period_range("all", WEDNESDAY).instants(ZoneInfo(zone))

        assert since < until
