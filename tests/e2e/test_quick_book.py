"""Booking time after the fact, and where the booking lands."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.e2e

BERLIN = ZoneInfo("Europe/Berlin")


def test_booking_on_an_empty_day_starts_at_nine(api, customer, day):
    answer = api.post(
        "/quick-book",
        {"customer": customer, "duration": "2h", "date": str(day), "contract": "Q2"},
    )

    assert answer.status == 201
    entry = answer.json()
    assert entry["start"] == f"{day}T09:00:00"
    assert entry["end"] == f"{day}T11:00:00"
    assert entry["hours"] == 2.0
    assert entry["customer"] == customer
    assert entry["contract"] == "Q2"
    assert entry["invoiced"] is False
    assert api.entries_on(day) == [entry]


def test_next_booking_follows_the_last_entry_of_the_day(api, customer, day):
    api.book(customer, "2h", date=day)
    api.book(customer, "30m", date=day, start_time="14:00")

    following = api.book(customer, "1h30m", date=day)

    assert following["start"] == f"{day}T14:30:00"
    assert following["end"] == f"{day}T16:00:00"


def test_booking_with_start_time_starts_exactly_there(api, customer, day):
    api.book(customer, "1h", date=day)

    entry = api.book(customer, "45m", date=day, start_time="07:15")

    assert (entry["start"], entry["end"]) == (f"{day}T07:15:00", f"{day}T08:00:00")
    starts = [listed["start"] for listed in api.entries_on(day)]
    assert starts == [f"{day}T07:15:00", f"{day}T09:00:00"]


def test_booking_a_taken_start_is_refused_with_409(api, customer, day):
    first = api.book(customer, "1h", date=day, start_time="10:00")

    answer = api.post(
        "/quick-book",
        {
            "customer": "Another",
            "duration": "2h",
            "date": str(day),
            "start_time": "10:00",
        },
    )

    assert answer.status == 409
    assert answer.json()["message"]
    assert api.entries_on(day) == [first]


def test_booking_without_a_date_ends_now(api, customer):
    entry = api.book(customer, "25m")

    end = datetime.fromisoformat(entry["end"])
    now = datetime.now(BERLIN).replace(tzinfo=None)
    assert abs(end - now) < timedelta(seconds=30)
    assert end - datetime.fromisoformat(entry["start"]) == timedelta(minutes=25)


@pytest.mark.parametrize(
    ("duration", "end"),
    [
        ("2h", "11:00:00"),
        ("1.5h", "10:30:00"),
        ("30m", "09:30:00"),
        ("30min", "09:30:00"),
        ("90m", "10:30:00"),
        ("1h30m", "10:30:00"),
        ("1h 30m", "10:30:00"),
        ("1:30", "10:30:00"),
        ("8.2h", "17:12:00"),
    ],
)
def test_every_documented_duration_form_is_understood(
    api, customer, day, duration, end
):
    entry = api.book(customer, duration, date=day)

    assert entry["end"] == f"{day}T{end}"


@pytest.mark.parametrize("duration", ["0h", "25h", "-1h", "two hours", ""])
def test_unusable_durations_are_refused_with_422(api, customer, day, duration):
    answer = api.post(
        "/quick-book", {"customer": customer, "duration": duration, "date": str(day)}
    )

    assert answer.status == 422
    assert answer.json()["message"]
    assert api.entries_on(day) == []


def test_a_start_in_the_hour_dst_skips_is_refused_with_422(api, customer):
    # Berlin's clocks jump from 02:00 to 03:00 on the last Sunday of March.
    answer = api.post(
        "/quick-book",
        {
            "customer": customer,
            "duration": "1h",
            "date": "2031-03-30",
            "start_time": "02:30",
        },
    )

    assert answer.status == 422
    assert "Europe/Berlin" in answer.json()["message"]


def test_concurrent_bookings_into_one_day_line_up_without_overlap(api, customer, day):
    def book(number: int):
        return api.post(
            "/quick-book",
            {"customer": customer, "duration": "1h", "date": str(day)},
        )

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(book, range(6)))

    assert [answer.status for answer in answers] == [201] * 6
    listed = api.entries_on(day)
    assert [entry["start"] for entry in listed] == [
        f"{day}T{hour:02d}:00:00" for hour in range(9, 15)
    ]


def test_booking_follows_a_last_entry_that_ends_where_the_next_day_begins(
    api, customer, new_day
):
    day = new_day()
    api.book(customer, "2h", date=day, start_time="22:00")
    api.book(customer, "1h", date=day + timedelta(days=1), start_time="00:00")

    answer = api.post(
        "/quick-book", {"customer": customer, "duration": "1h", "date": str(day)}
    )

    assert answer.status == 201
    assert answer.json()["start"] == f"{day + timedelta(days=1)}T01:00:00"


def test_a_booking_is_never_stored_where_no_listing_finds_it(api, customer):
    api.book(customer, "2h", date="9998-12-31", start_time="23:00")

    answer = api.post(
        "/quick-book", {"customer": customer, "duration": "1h", "date": "9998-12-31"}
    )

    if answer.status == 201:
        assert answer.json() in api.entries(customer=customer, period="all")
    else:
        assert 400 <= answer.status < 500
