"""POST /quick-book: booking time after the fact, and where the booking lands."""

from datetime import datetime, timedelta

import pytest

ACCEPTED = ('"2h"', '"1.5h"', '"30m"', '"30min"', '"1h30m"', '"1h 30m"', '"1:30"')


def length_of(entry) -> timedelta:
    start, end = (datetime.fromisoformat(entry[name]) for name in ("start", "end"))
    return end - start


@pytest.mark.parametrize(
    ("duration", "minutes"),
    [
        ("2h", 120),
        ("30m", 30),
        ("30min", 30),
        ("1h30m", 90),
        ("1h 30m", 90),
        ("1.5h", 90),
        ("1:30", 90),
        ("90m", 90),
        ("8.2h", 492),
    ],
)
def test_every_documented_duration_books_its_exact_length(api, duration, minutes):
    reply = api("quick_book", body={"duration": duration, "customer": "Acme Corp"})

    assert reply.status == 201
    assert length_of(reply.json) == timedelta(minutes=minutes)
    assert reply.json["hours"] == round(minutes / 60, 2)


def test_eight_point_two_hours_ends_exactly_twelve_minutes_past(book):
    entry = book("2026-04-20", "09:00", "8.2h")

    assert entry["end"] == "2026-04-20T17:12:00"
    assert entry["hours"] == 8.2


@pytest.mark.parametrize(
    "duration", ["2 hours and a bit", "2", "1,5h", "two", "2d", ""]
)
def test_an_unreadable_duration_is_refused_with_the_accepted_forms(
    api, listed, duration
):
    reply = api("quick_book", body={"duration": duration, "customer": "Acme Corp"})

    assert reply.status == 422
    for form in ACCEPTED:
        assert form in reply.message
    assert listed() == []


@pytest.mark.parametrize(
    "duration", ["0h", "0:00", "-1h", "-30m", "24h1m", "25h", "1441m"]
)
def test_zero_negative_and_over_24_hours_are_refused(api, listed, duration):
    reply = api("quick_book", body={"duration": duration, "customer": "Acme Corp"})

    assert reply.status == 422
    assert listed() == []


def test_a_booking_without_date_ends_now(api):
    entry = api("quick_book", body={"duration": "1h30m", "customer": "Acme Corp"}).json

    assert (entry["start"], entry["end"]) == (
        "2026-04-22T10:30:00",
        "2026-04-22T12:00:00",
    )


def test_the_sample_booking_fills_every_field(api):
    reply = api("quick_book")

    assert reply.status == 201
    entry = reply.json
    assert set(entry) == {
        "id",
        "start",
        "end",
        "customer",
        "description",
        "hours",
        "task_id",
        "contract",
        "invoiced",
        "notes",
    }
    assert entry["description"] == "Morning standup"
    assert entry["contract"] == "Q2 2026"
    assert entry["task_id"] is None
    assert entry["invoiced"] is False


def test_two_bookings_on_an_empty_day_start_at_nine_and_right_after(api):
    body = {"duration": "2h", "customer": "Acme Corp", "date": "2026-04-20"}

    first = api("quick_book", body=body).json
    second = api("quick_book", body=body | {"duration": "45m"}).json

    assert (first["start"], first["end"]) == (
        "2026-04-20T09:00:00",
        "2026-04-20T11:00:00",
    )
    assert (second["start"], second["end"]) == (
        "2026-04-20T11:00:00",
        "2026-04-20T11:45:00",
    )
    assert first["id"] != second["id"]


def test_a_dated_booking_follows_the_last_entry_that_starts_that_day(api, book):
    book("2026-04-20", "14:00", "1h")
    book("2026-04-20", "08:00", "30m")

    entry = api(
        "quick_book", body={"duration": "1h", "customer": "Beta", "date": "2026-04-20"}
    ).json

    assert entry["start"] == "2026-04-20T15:00:00"


def test_an_entry_from_the_previous_evening_does_not_move_the_nine_oclock_start(
    api, book
):
    book("2026-04-19", "23:00", "2h")

    entry = api(
        "quick_book", body={"duration": "1h", "customer": "Acme", "date": "2026-04-20"}
    ).json

    assert entry["start"] == "2026-04-20T09:00:00"


def test_a_booking_with_start_time_starts_exactly_there(book):
    entry = book("2026-04-20", "14:15", "1.5h")

    assert (entry["start"], entry["end"]) == (
        "2026-04-20T14:15:00",
        "2026-04-20T15:45:00",
    )


def test_a_start_time_without_date_means_today(api):
    reply = api(
        "quick_book",
        body={"duration": "1h", "customer": "Acme", "start_time": "08:00"},
    )

    assert reply.json["start"] == "2026-04-22T08:00:00"


def test_a_taken_start_time_is_409_and_the_first_entry_stays(api, book, listed):
    first = book("2026-04-20", "14:00", "1h", description="Design review")

    reply = api(
        "quick_book",
        body={
            "duration": "2h",
            "customer": "Beta Inc",
            "date": "2026-04-20",
            "start_time": "14:00",
        },
    )

    assert reply.status == 409
    assert "already starts" in reply.message
    assert listed() == [first]


def test_a_start_time_in_the_skipped_dst_hour_is_refused(api, listed):
    reply = api(
        "quick_book",
        body={
            "duration": "1h",
            "customer": "Acme",
            "date": "2026-03-29",
            "start_time": "02:30",
        },
    )

    assert reply.status == 422
    assert "does not exist" in reply.message
    assert listed() == []


def test_a_booking_over_the_autumn_night_counts_the_repeated_hour(book):
    entry = book("2026-10-25", "01:30", "2h")

    assert (entry["start"], entry["end"]) == (
        "2026-10-25T01:30:00",
        "2026-10-25T02:30:00",
    )
    assert entry["hours"] == 2.0


@pytest.mark.parametrize(
    ("time_zone", "stored_start"),
    [
        ("Europe/Berlin", "2026-04-20T07:00:00Z"),
        ("America/New_York", "2026-04-20T13:00:00Z"),
        ("Pacific/Auckland", "2026-04-19T21:00:00Z"),
        ("UTC", "2026-04-20T09:00:00Z"),
    ],
)
def test_nine_oclock_is_nine_in_the_owners_zone(
    api, dynamodb, table_name, sample_owner, stored_start
):
    entry = api(
        "quick_book", body={"duration": "1h", "customer": "Acme", "date": "2026-04-20"}
    ).json

    stored = dynamodb.query(
        TableName=table_name,
        KeyConditionExpression="#owner = :owner",
        ExpressionAttributeNames={"#owner": "owner"},
        ExpressionAttributeValues={":owner": {"S": sample_owner}},
    )["Items"]
    assert entry["start"] == "2026-04-20T09:00:00"
    assert [item["start"]["S"] for item in stored] == [stored_start]


@pytest.mark.parametrize("date", ["2026-02-30", "20.04.2026", "yesterday", "2026-4-20"])
def test_a_malformed_date_is_refused(api, date):
    reply = api("quick_book", body={"duration": "1h", "customer": "Acme", "date": date})

    assert reply.status == 422
    assert "date" in reply.message


@pytest.mark.parametrize("date", ["0001-01-01", "1969-12-31", "9999-12-31"])
def test_a_date_outside_the_supported_years_is_refused_not_a_server_error(api, date):
    reply = api("quick_book", body={"duration": "1h", "customer": "Acme", "date": date})

    assert reply.status == 422


def test_a_booking_with_an_unknown_field_is_refused(api, listed):
    reply = api("quick_book", body={"duration": "1h", "customer": "Acme", "hours": 1})

    assert reply.status == 422
    assert "hours" in reply.message
    assert listed() == []


def test_bookings_that_end_now_at_the_same_moment_never_end_in_the_future(api):
    body = {"duration": "1h", "customer": "Acme Corp"}

    first = api("quick_book", body=body).json
    second = api("quick_book", body=body).json

    assert first["end"] == "2026-04-22T12:00:00"
    assert second["start"] != first["start"]
    assert second["end"] <= "2026-04-22T12:00:00"
