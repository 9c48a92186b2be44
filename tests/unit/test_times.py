"""Wall-clock times in the owner's zone and the UTC instants they are stored as."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from clocks.errors import InvalidInputError
from clocks.times import (
    format_instant,
    local_to_instant,
    parse_date,
    parse_instant,
    parse_wall_clock,
    start_of_day,
    to_wall_clock,
    today_in,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
AUCKLAND = ZoneInfo("Pacific/Auckland")
SANTIAGO = ZoneInfo("America/Santiago")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def wall(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_instants_are_stored_as_utc_with_a_z_and_read_back():
    instant = datetime(2026, 4, 20, 9, 0, 0, tzinfo=BERLIN)

    assert format_instant(instant) == "2026-04-20T07:00:00Z"
    assert parse_instant("2026-04-20T07:00:00Z") == instant


def test_stored_instants_drop_fractions_of_a_second():
    assert format_instant(utc(2026, 4, 20, 7, 0, 0) + timedelta(microseconds=999)) == (
        "2026-04-20T07:00:00Z"
    )


def test_stored_instants_sort_like_time_also_across_the_autumn_night():
    # 02:30 local happens twice on 2026-10-25; the UTC strings keep the order.
    first = datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN, fold=0)
    second = datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN, fold=1)
    instants = [utc(1970, 1, 1), first, second, utc(2026, 10, 25, 3), utc(9998, 12, 31)]

    texts = [format_instant(instant) for instant in instants]

    assert texts == sorted(texts)
    assert len(set(texts)) == len(texts)


@pytest.mark.parametrize(
    ("zone", "instant", "expected"),
    [
        (BERLIN, utc(2026, 1, 15, 8), "2026-01-15T09:00:00"),
        (BERLIN, utc(2026, 7, 15, 7), "2026-07-15T09:00:00"),
        (NEW_YORK, utc(2026, 1, 15, 14), "2026-01-15T09:00:00"),
        (NEW_YORK, utc(2026, 7, 15, 13), "2026-07-15T09:00:00"),
        (AUCKLAND, utc(2026, 1, 14, 20), "2026-01-15T09:00:00"),
        (AUCKLAND, utc(2026, 7, 14, 21), "2026-07-15T09:00:00"),
    ],
)
def test_instants_are_shown_as_wall_clock_time_without_offset(zone, instant, expected):
    assert to_wall_clock(instant, zone) == expected


@pytest.mark.parametrize("zone", [BERLIN, NEW_YORK, AUCKLAND])
def test_wall_clock_time_and_instant_round_trip(zone):
    for text in ("2026-01-15T09:00:00", "2026-07-15T23:59:59", "2026-04-20T00:00:00"):
        assert to_wall_clock(local_to_instant(wall(text), zone), zone) == text


@pytest.mark.parametrize(
    ("zone", "skipped"),
    [
        (BERLIN, "2026-03-29T02:30:00"),
        (BERLIN, "2026-03-29T02:00:00"),
        (NEW_YORK, "2026-03-08T02:15:00"),
        (AUCKLAND, "2026-09-27T02:45:00"),
    ],
)
def test_a_time_in_the_skipped_spring_hour_is_refused(zone, skipped):
    with pytest.raises(InvalidInputError, match="skip") as refused:
        local_to_instant(wall(skipped), zone)

    assert refused.value.status_code == 422


@pytest.mark.parametrize(
    ("zone", "repeated", "first_occurrence"),
    [
        (BERLIN, "2026-10-25T02:30:00", utc(2026, 10, 25, 0, 30)),
        (NEW_YORK, "2026-11-01T01:30:00", utc(2026, 11, 1, 5, 30)),
        (AUCKLAND, "2026-04-05T02:30:00", utc(2026, 4, 4, 13, 30)),
    ],
)
def test_a_time_in_the_repeated_autumn_hour_means_its_first_occurrence(
    zone, repeated, first_occurrence
):
    assert local_to_instant(wall(repeated), zone) == first_occurrence


@pytest.mark.parametrize(
    ("zone", "around"),
    [
        (BERLIN, ["2026-03-29T01:59:59", "2026-03-29T03:00:00"]),
        (NEW_YORK, ["2026-03-08T01:59:59", "2026-03-08T03:00:00"]),
        (AUCKLAND, ["2026-09-27T01:59:59", "2026-09-27T03:00:00"]),
    ],
)
def test_the_times_around_the_gap_are_one_second_apart(zone, around):
    before, after = (local_to_instant(wall(text), zone) for text in around)

    assert after - before == timedelta(seconds=1)


def test_a_time_with_an_offset_is_taken_as_given():
    later = local_to_instant(wall("2026-10-25T02:30:00+01:00"), BERLIN)

    assert later == utc(2026, 10, 25, 1, 30)


@pytest.mark.parametrize("text", ["1969-12-31T12:00:00", "9999-01-01T00:00:00"])
def test_times_outside_the_supported_years_are_refused(text):
    with pytest.raises(InvalidInputError, match="1970"):
        local_to_instant(wall(text), BERLIN)


def test_wall_clock_text_is_read_in_the_owners_zone_to_the_second():
    assert parse_wall_clock("2026-04-20T09:00:00.750", BERLIN) == utc(2026, 4, 20, 7)
    assert parse_wall_clock(" 2026-04-20T09:00:00 ", NEW_YORK) == utc(2026, 4, 20, 13)


@pytest.mark.parametrize(
    "text", ["", "nine o'clock", "2026-04-20T25:00:00", "20/04/2026"]
)
def test_unreadable_wall_clock_text_is_refused_with_an_example(text):
    with pytest.raises(InvalidInputError, match="2026-04-20T09:00:00") as refused:
        parse_wall_clock(text, BERLIN, "start")

    assert "start" in refused.value.message


def test_dates_are_read_in_iso_form_and_others_are_refused():
    assert parse_date("2024-02-29", "date") == date(2024, 2, 29)
    with pytest.raises(InvalidInputError, match="to_date must be a date"):
        parse_date("2025-02-29", "to_date")


@pytest.mark.parametrize(
    ("zone", "day", "expected", "hours_long"),
    [
        (BERLIN, date(2026, 3, 29), utc(2026, 3, 28, 23), 23),
        (BERLIN, date(2026, 10, 25), utc(2026, 10, 24, 22), 25),
        (NEW_YORK, date(2026, 3, 8), utc(2026, 3, 8, 5), 23),
        (NEW_YORK, date(2026, 11, 1), utc(2026, 11, 1, 4), 25),
        (AUCKLAND, date(2026, 9, 27), utc(2026, 9, 26, 12), 23),
        (AUCKLAND, date(2026, 4, 5), utc(2026, 4, 4, 11), 25),
    ],
)
def test_a_dst_day_starts_at_local_midnight_and_has_its_true_length(
    zone, day, expected, hours_long
):
    since = start_of_day(day, zone)
    until = start_of_day(day + timedelta(days=1), zone)

    assert since == expected
    assert until - since == timedelta(hours=hours_long)


def test_a_day_whose_midnight_is_skipped_starts_when_the_clocks_jump():
    # In Santiago the clocks go from 00:00 straight to 01:00 on 2026-09-06.
    since = start_of_day(date(2026, 9, 6), SANTIAGO)

    assert since == utc(2026, 9, 6, 4)
    assert to_wall_clock(since, SANTIAGO) == "2026-09-06T01:00:00"
    assert to_wall_clock(since - timedelta(seconds=1), SANTIAGO) == (
        "2026-09-05T23:59:59"
    )


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        (NEW_YORK, date(2026, 4, 20)),
        (BERLIN, date(2026, 4, 21)),
        (AUCKLAND, date(2026, 4, 21)),
    ],
)
def test_today_is_the_owners_local_date(zone, expected):
    assert today_in(zone, utc(2026, 4, 20, 23, 30)) == expected
