"""The iCalendar feed: valid RFC 5545 that calendar apps can parse and refresh."""

from dataclasses import replace
from datetime import timedelta

from icalendar import Calendar

from clocks.feed import render_feed
from tests.unit.entries import CHANGED, START, an_entry


def events_of(feed: bytes) -> list:
    return Calendar.from_ical(feed).walk("VEVENT")


def test_the_feed_parses_back_with_one_event_per_entry():
    feed = render_feed([an_entry(1), an_entry(2), an_entry(3)])

    calendar = Calendar.from_ical(feed)
    events = calendar.walk("VEVENT")

    assert calendar["VERSION"] == "2.0"
    assert "PRODID" in calendar
    assert len(events) == 3
    assert [event.decoded("DTSTART") for event in events] == [
        START + timedelta(days=day) for day in (1, 2, 3)
    ]
    assert events[0].decoded("DTEND") == START + timedelta(days=1, hours=2)
    assert str(events[0]["SUMMARY"]) == "Acme Corp: Landing page"


def test_an_empty_feed_is_still_a_valid_calendar():
    calendar = Calendar.from_ical(render_feed([]))

    assert calendar.name == "VCALENDAR"
    assert calendar.walk("VEVENT") == []


def test_every_line_ends_with_crlf_and_no_line_exceeds_75_octets():
    long_notes = "Reviewed the design with the customer, Grüße aus Köln 👍. " * 20
    feed = render_feed([an_entry(notes=long_notes)])

    assert feed.endswith(b"\r\n")
    lines = feed.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    # Folding never splits a multi-byte character.
    assert all(line.decode("utf-8") for line in lines)
    assert long_notes.strip() in str(events_of(feed)[0]["DESCRIPTION"])


def test_the_uid_is_the_entry_id_at_clocks_and_survives_a_move():
    entry = an_entry(7)
    moved = replace(entry, start=entry.start + timedelta(hours=3), sequence=1)

    before = events_of(render_feed([entry]))[0]
    after = events_of(render_feed([moved]))[0]

    assert str(before["UID"]) == f"{entry.id}@clocks"
    assert str(after["UID"]) == str(before["UID"])
    assert after.decoded("SEQUENCE") > before.decoded("SEQUENCE")


def test_the_same_entries_always_render_the_same_bytes():
    entries = [an_entry(1), an_entry(2, contract="Q2", task_id="t-9", notes="n")]

    assert render_feed(entries) == render_feed(list(entries))


def test_an_edited_entry_changes_the_bytes():
    entry = an_entry(1)
    edited = replace(
        entry, description="Checkout page", updated_at=CHANGED + timedelta(1)
    )

    assert render_feed([entry]) != render_feed([edited])


def test_commas_semicolons_and_newlines_are_escaped_and_read_back():
    entry = an_entry(
        customer="Acme, Inc.; Berlin",
        description="Design; review, fixes",
        notes="First line\nSecond, with comma; and semicolon\\backslash",
        contract="Q2, 2026",
    )

    feed = render_feed([entry])
    event = events_of(feed)[0]
    # RFC 5545 3.1: a CRLF followed by one space continues the line.
    unfolded = feed.replace(b"\r\n ", b"")

    assert b"Acme\\, Inc.\\; Berlin: Design\\; review\\, fixes" in unfolded
    assert (
        b"First line\\nSecond\\, with comma\\; and semicolon\\\\backslash" in unfolded
    )
    assert str(event["SUMMARY"]) == "Acme, Inc.; Berlin: Design; review, fixes"
    assert str(event["DESCRIPTION"]) == (
        "Contract: Q2, 2026\nFirst line\nSecond, with comma; and semicolon\\backslash"
    )


def test_an_entry_without_description_is_summarised_by_its_customer():
    event = events_of(render_feed([an_entry(description="")]))[0]

    assert str(event["SUMMARY"]) == "Acme Corp"
    assert "DESCRIPTION" not in event


def test_contract_task_and_notes_go_into_the_description():
    entry = an_entry(contract="Q2 2026", task_id="abc123", notes="Call notes")

    event = events_of(render_feed([entry]))[0]

    assert str(event["DESCRIPTION"]) == "Contract: Q2 2026\nTask: abc123\nCall notes"


def test_non_ascii_text_is_kept_as_utf8():
    event = events_of(
        render_feed([an_entry(customer="Müller & Söhne", description="Café")])
    )[0]

    assert str(event["SUMMARY"]) == "Müller & Söhne: Café"


def test_times_are_utc_and_the_stamp_comes_from_the_entry_not_the_clock():
    feed = render_feed([an_entry(1)])
    event = events_of(feed)[0]

    assert b"DTSTART:20260421T070000Z" in feed
    assert event.decoded("DTSTAMP") == CHANGED
    assert event.decoded("LAST-MODIFIED") == CHANGED
