"""An owner's chosen zone sets the wall-clock times and periods that owner sees.

Owners who chose no zone get the stack's TIME_ZONE (Europe/Berlin in these tests).
The moment is Wednesday 2026-04-22 10:00 UTC: 12:00 in Berlin, 06:00 in New York
and already 00:00 on Thursday on Kiritimati (UTC+14).
"""

import pytest
from icalendar import Calendar

BOB = "bob"


def feed_starts(reply) -> list[str]:
    assert reply.status == 200, reply.body
    return [
        event.decoded("DTSTART").isoformat()
        for event in Calendar.from_ical(reply.body).walk("VEVENT")
    ]


def nine_oclock(api, owner: str) -> dict:
    body = {
        "duration": "1h",
        "customer": "Acme Corp",
        "date": "2026-04-20",
        "start_time": "09:00",
    }
    reply = api("quick_book", body=body, owner=owner)
    assert reply.status == 201, reply.body
    return reply.json


def test_nine_oclock_is_nine_in_each_owners_own_zone(api, store, sample_owner):
    store.set_time_zone(sample_owner, "America/New_York")

    mine, theirs = nine_oclock(api, sample_owner), nine_oclock(api, BOB)

    assert mine["start"] == theirs["start"] == "2026-04-20T09:00:00"
    assert feed_starts(api("calendar_feed")) == ["2026-04-20T13:00:00+00:00"]
    assert feed_starts(api("calendar_feed", owner=BOB)) == ["2026-04-20T07:00:00+00:00"]


def test_choosing_a_zone_later_shifts_only_that_owners_wall_clock(
    api, store, sample_owner
):
    nine_oclock(api, sample_owner)
    nine_oclock(api, BOB)

    store.set_time_zone(sample_owner, "UTC")

    mine = api("list_entries", query={"period": "all"}).json
    theirs = api("list_entries", query={"period": "all"}, owner=BOB).json
    assert [(entry["start"], entry["end"]) for entry in mine] == [
        ("2026-04-20T07:00:00", "2026-04-20T08:00:00")
    ]
    assert [(entry["start"], entry["end"]) for entry in theirs] == [
        ("2026-04-20T09:00:00", "2026-04-20T10:00:00")
    ]


def test_a_timer_starts_at_the_owners_local_time(api, store, sample_owner):
    store.set_time_zone(sample_owner, "America/New_York")

    mine = api("start_timer", body={"customer": "Acme Corp"}).json
    theirs = api("start_timer", body={"customer": "Acme Corp"}, owner=BOB).json

    assert mine["start"] == "2026-04-22T06:00:00"
    assert theirs["start"] == "2026-04-22T12:00:00"


@pytest.mark.parametrize(
    ("period", "mine", "theirs"),
    [
        ("today", ("2026-04-23", "2026-04-23"), ("2026-04-22", "2026-04-22")),
        ("yesterday", ("2026-04-22", "2026-04-22"), ("2026-04-21", "2026-04-21")),
        ("week", ("2026-04-20", "2026-04-26"), ("2026-04-20", "2026-04-26")),
        ("month", ("2026-04-01", "2026-04-30"), ("2026-04-01", "2026-04-30")),
    ],
)
def test_periods_are_the_owners_local_days(
    api, store, sample_owner, period, mine, theirs
):
    store.set_time_zone(sample_owner, "Pacific/Kiritimati")

    my_summary = api("get_summary", query={"period": period}).json
    their_summary = api("get_summary", query={"period": period}, owner=BOB).json

    assert (my_summary["from_date"], my_summary["to_date"]) == mine
    assert (their_summary["from_date"], their_summary["to_date"]) == theirs


def test_the_same_instant_falls_on_different_days_for_different_owners(
    api, store, sample_owner
):
    store.set_time_zone(sample_owner, "Pacific/Kiritimati")
    # 22:00 on Wednesday on Kiritimati is 08:00 UTC, 10:00 in Berlin, that day.
    late = {
        "duration": "1h",
        "customer": "Acme Corp",
        "date": "2026-04-22",
        "start_time": "22:00",
    }
    api("quick_book", body=late)
    api("quick_book", body={**late, "start_time": "10:00"}, owner=BOB)

    mine_today = api("list_entries", query={"period": "today"}).json
    mine_yesterday = api("list_entries", query={"period": "yesterday"}).json
    theirs_today = api("list_entries", query={"period": "today"}, owner=BOB).json

    assert mine_today == []
    assert [entry["start"] for entry in mine_yesterday] == ["2026-04-22T22:00:00"]
    assert [entry["start"] for entry in theirs_today] == ["2026-04-22T10:00:00"]


def test_starts_sent_by_an_owner_are_read_in_that_owners_zone(api, store, sample_owner):
    store.set_time_zone(sample_owner, "America/New_York")
    nine_oclock(api, sample_owner)
    nine_oclock(api, BOB)

    reply = api("batch_invoice", body={"starts": ["2026-04-20T09:00:00"]})

    assert reply.json["invoiced"] == 1
    mine = api("list_entries", query={"period": "all"}).json
    theirs = api("list_entries", query={"period": "all"}, owner=BOB).json
    assert [entry["invoiced"] for entry in mine] == [True]
    assert [entry["invoiced"] for entry in theirs] == [False]


def test_an_unknown_stored_zone_falls_back_to_the_stacks_zone(api, store, sample_owner):
    store.set_time_zone(sample_owner, "Mars/Olympus_Mons")

    reply = api("start_timer", body={"customer": "Acme Corp"})

    assert reply.status == 201
    assert reply.json["start"] == "2026-04-22T12:00:00"
