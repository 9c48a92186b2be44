"""The feed the handler serves, read by icalendar, ical.js and vobject.

What a calendar app shows must match what was booked, and what it stores for an
event (its UID, its SEQUENCE) must follow the entry through its edits.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.feed_parsers import PARSERS, ReadFeed, format_problems

BERLIN = ZoneInfo("Europe/Berlin")
PARSER_NAMES = list(PARSERS)


def read_feed(api, parser: str, **options) -> ReadFeed:
    reply = api("calendar_feed", **options)
    assert reply.status == 200, reply.body
    return PARSERS[parser](reply.body.encode())


def instant(wall: str) -> datetime:
    return datetime.fromisoformat(wall).replace(tzinfo=BERLIN).astimezone(UTC)


@pytest.mark.parametrize("parser", PARSER_NAMES)
def test_each_parser_reads_the_entries_as_they_were_booked(api, book, parser):
    booked = [
        book(
            "2026-04-20",
            "09:00",
            "1h30m",
            customer="Müller, Söhne; Co",
            description="Design; review, fixes \\ 👍",
            contract="Q2, 2026",
            task_id="T;7",
            notes="Line one\nLine two, with; \\n literally\n\nGrüße 🇩🇪",
        ),
        book("2026-04-21", "23:30", "1h", customer="Night owl"),
    ]

    read = read_feed(api, parser)

    assert [event.uid for event in read.events] == [
        f"{entry['id']}@clocks" for entry in booked
    ]
    first, second = read.events
    assert first.summary == "Müller, Söhne; Co: Design; review, fixes \\ 👍"
    assert first.description == (
        "Contract: Q2, 2026\nTask: T;7\n"
        "Line one\nLine two, with; \\n literally\n\nGrüße 🇩🇪"
    )
    assert second.summary == "Night owl"
    assert second.description is None
    for entry, event in zip(booked, read.events, strict=True):
        assert (event.start, event.end) == (
            instant(entry["start"]),
            instant(entry["end"]),
        )


def test_the_served_feed_keeps_the_line_rules(api, book):
    book("2026-04-20", "09:00", "1h", notes="Grüße, Köln; 👍 " * 200)

    reply = api("calendar_feed")

    assert format_problems(reply.body.encode()) == []


@pytest.mark.parametrize("parser", PARSER_NAMES)
def test_the_uid_stays_and_sequence_grows_only_when_the_times_change(api, book, parser):
    entry = book("2026-04-20", "09:00", "1h")
    uid = f"{entry['id']}@clocks"
    start = entry["start"]
    edits = [
        ({"notes": "Called"}, False),
        ({"description": "Review", "customer": "Acme GmbH"}, False),
        ({"contract": "Q3", "task_id": "T-9"}, False),
        ({"start_time": "09:00"}, False),
        ({"hours": 2}, True),
        ({"start_time": "10:00"}, True),
        ({"new_date": "2026-04-21"}, True),
        ({"notes": "Called again"}, False),
    ]
    sequence = read_feed(api, parser).by_uid()[uid].sequence

    for body, times_change in edits:
        reply = api("update_entry", query={"start": start}, body=body)
        assert reply.status == 200, reply.body
        start = reply.json["start"]
        [event] = read_feed(api, parser).events

        assert event.uid == uid
        if times_change:
            assert event.sequence > sequence, body
        else:
            assert event.sequence == sequence, body
        assert event.start == instant(reply.json["start"])
        sequence = event.sequence


@pytest.mark.parametrize("parser", PARSER_NAMES)
def test_a_running_timer_joins_the_feed_only_when_it_stops(api, book, parser):
    book("2026-04-22", "08:00", "1h")
    api.now = datetime(2026, 4, 22, 7, 30, tzinfo=UTC)
    timer = api("start_timer", body={"customer": "Beta Inc"}).json

    running = read_feed(api, parser)
    api.now += timedelta(minutes=45)
    api("stop_timer")
    stopped = read_feed(api, parser)

    assert [event.summary for event in running.events] == ["Acme Corp"]
    assert f"{timer['id']}@clocks" in stopped.by_uid()
    assert stopped.by_uid()[f"{timer['id']}@clocks"].end == api.now


def test_unchanged_entries_give_identical_bytes_at_any_later_moment(api, book):
    book("2026-04-20", "09:00", "1h", notes="n")
    book("2026-04-21", "09:00", "2h", contract="Q2")

    first = api("calendar_feed")
    again = api("calendar_feed")
    api.now += timedelta(hours=5, seconds=17)
    later = api("calendar_feed")
    through_url = api("calendar_feed", event="calendar_feed_url")

    assert first.body == again.body == later.body == through_url.body
    assert first.headers["ETag"] == later.headers["ETag"]


def test_choosing_another_zone_leaves_the_feed_unchanged(
    api, book, store, sample_owner
):
    book("2026-04-20", "09:00", "1h")
    before = api("calendar_feed")

    store.set_time_zone(sample_owner, "Pacific/Auckland")
    after = api("calendar_feed")

    assert after.body == before.body
    assert after.headers["ETag"] == before.headers["ETag"]
