"""Durations as people type them, and the hours shown for a number of seconds."""

from datetime import timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from clocks.durations import hours_of, parse_duration
from clocks.errors import InvalidInputError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2h", timedelta(hours=2)),
        ("30m", timedelta(minutes=30)),
        ("30min", timedelta(minutes=30)),
        ("1h30m", timedelta(hours=1, minutes=30)),
        ("1h 30m", timedelta(hours=1, minutes=30)),
        ("1.5h", timedelta(hours=1, minutes=30)),
        ("1:30", timedelta(hours=1, minutes=30)),
        ("90m", timedelta(minutes=90)),
        ("0:05", timedelta(minutes=5)),
        ("24h", timedelta(hours=24)),
        ("24:00", timedelta(hours=24)),
        ("1440m", timedelta(hours=24)),
    ],
)
def test_every_documented_form_is_read(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", [" 2h ", "2H", "1H30M", "2 h", "1h 30min"])
def test_case_and_surrounding_spaces_do_not_matter(text):
    assert parse_duration(text) in {timedelta(hours=2), timedelta(hours=1, minutes=30)}


def test_eight_point_two_hours_is_exactly_eight_hours_twelve_minutes():
    assert parse_duration("8.2h") == timedelta(hours=8, minutes=12)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.1h", timedelta(minutes=6)),
        ("2.25h", timedelta(hours=2, minutes=15)),
        ("7.7h", timedelta(hours=7, minutes=42)),
        ("0.5m", timedelta(seconds=30)),
    ],
)
def test_decimal_amounts_are_exact_to_the_second(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "h",
        "2",
        "two hours",
        "2d",
        "1,5h",
        "-1h",
        "+1h",
        "1h-30m",
        "1:5",
        "1:60",
    ],
)
def test_unreadable_forms_are_refused_with_the_accepted_forms(text):
    with pytest.raises(InvalidInputError) as refused:
        parse_duration(text)

    assert refused.value.status_code == 422
    for form in ('"2h"', '"1.5h"', '"30m"', '"30min"', '"1h30m"', '"1h 30m"', '"1:30"'):
        assert form in refused.value.message


@pytest.mark.parametrize("text", ["0h", "0m", "0:00", "0h0m", "0.0h", "0.0001m"])
def test_zero_is_refused(text):
    with pytest.raises(InvalidInputError, match="longer than zero"):
        parse_duration(text)


@pytest.mark.parametrize("text", ["24h1m", "24:01", "25h", "1441m", "24.01h", "9999h"])
def test_more_than_24_hours_is_refused(text):
    with pytest.raises(InvalidInputError, match="at most 24 hours"):
        parse_duration(text)


def test_more_than_59_minutes_past_the_hour_is_refused():
    with pytest.raises(InvalidInputError, match="59 minutes"):
        parse_duration("1h90m")


hours = st.integers(min_value=0, max_value=23)
minutes = st.integers(min_value=0, max_value=59)


@given(hours, minutes)
def test_hours_and_minutes_forms_agree(h, m):
    assume((h, m) != (0, 0))
    expected = timedelta(hours=h, minutes=m)

    assert parse_duration(f"{h}h{m}m") == expected
    assert parse_duration(f"{h}h {m}m") == expected
    assert parse_duration(f"{h}:{m:02d}") == expected
    assert parse_duration(f"{h * 60 + m}m") == expected
    assert parse_duration(f"{h * 60 + m}min") == expected


@given(st.integers(min_value=1, max_value=240))
def test_tenths_of_an_hour_are_whole_multiples_of_six_minutes(tenths):
    text = f"{tenths // 10}.{tenths % 10}h"

    assert parse_duration(text) == timedelta(minutes=6 * tenths)


@pytest.mark.parametrize(
    ("seconds", "hours"),
    [(0, 0.0), (1200, 0.33), (2400, 0.67), (3600, 1.0), (9000, 2.5), (29520, 8.2)],
)
def test_hours_are_shown_to_two_decimals(seconds, hours):
    assert hours_of(seconds) == hours


# Arabic-Indic one, Arabic-Indic two-colon-three-zero, fullwidth one.
@pytest.mark.parametrize("text", ["\u0661h", "\u0662:\u0663\u0660", "\uff11h"])
def test_digits_of_other_scripts_are_not_read_as_a_duration(text):
    with pytest.raises(InvalidInputError):
        parse_duration(text)
