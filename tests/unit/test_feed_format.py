"""The feed as three independent parsers read it: icalendar, ical.js and vobject.

Calendar apps differ in how strictly they read iCalendar; a feed that all three
read back to the same events, with lines that follow RFC 5545 to the octet, is
one that the apps subscribed to it can show.
"""

import re
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clocks.entry import Entry
from clocks.feed import render_feed
from tests.feed_parsers import PARSERS, format_problems, unfolded
from tests.unit.entries import START, an_entry

# Text a person may type that iCalendar must escape, or that takes several octets.
AWKWARD_TEXTS = [
    "Acme, Inc.",
    "Design; review",
    "C:\\Users\\jane",
    "ends in a backslash\\",
    "a literal \\n is not a new line",
    "\\, and \\; stay as typed",
    "First line\nSecond line\n\nafter an empty line",
    "tab\tseparated",
    "Grüße aus Köln",
    "thumbs 👍🏽 and flags 🇩🇪",
    "日本語のメモ",
    "quotes \"double\" and 'single'",
    "colon: here, semicolon; there",
    "  leading and trailing spaces  ",
]
PARSER_NAMES = list(PARSERS)
MANY_UMLAUTS = "Müller Über Öl Ärger Füße Göttingen Düsseldorf Nürnberg"


def expected_description(entry: Entry) -> str | None:
    """Contract, task and notes on lines of their own, as the README promises."""
    lines = []
    if entry.contract:
        lines.append(f"Contract: {entry.contract}")
    if entry.task_id:
        lines.append(f"Task: {entry.task_id}")
    if entry.notes:
        lines.append(entry.notes)
    return "\n".join(lines) or None


@pytest.mark.parametrize("parser", PARSER_NAMES)
def test_every_parser_reads_each_entry_back_as_it_was_booked(parser):
    entries = [
        an_entry(1),
        an_entry(2, description="", notes="Call with Bob"),
        an_entry(3, contract="Q2 2026", task_id="T-7", notes="Review\ndone"),
        an_entry(4, end=START + timedelta(days=4, seconds=1)),
    ]

    read = PARSERS[parser](render_feed(entries))

    assert [event.uid for event in read.events] == [
        f"{entry.id}@clocks" for entry in entries
    ]
    for entry, event in zip(entries, read.events, strict=True):
        assert event.summary == (
            f"{entry.customer}: {entry.description}"
            if entry.description
            else entry.customer
        )
        assert event.description == expected_description(entry)
        assert event.start == entry.start
        assert event.end == entry.end
        assert event.sequence == entry.sequence


@pytest.mark.parametrize("parser", PARSER_NAMES)
def test_the_calendar_has_version_prodid_and_a_name_but_no_method(parser):
    read = PARSERS[parser](render_feed([an_entry()]))

    assert read.version == "2.0"
    assert read.prodid
    assert read.calname == "Clocks"
    # A METHOD turns a subscription into an invitation in some apps (RFC 5546).
    assert read.method is None


@pytest.mark.parametrize("parser", PARSER_NAMES)
def test_an_empty_feed_is_a_calendar_every_parser_reads(parser):
    read = PARSERS[parser](render_feed([]))

    assert read.version == "2.0"
    assert read.events == []


@pytest.mark.parametrize("parser", PARSER_NAMES)
def test_escaped_text_round_trips_through_every_parser(parser):
    entries = [
        an_entry(number, customer=text.strip(), description=text.strip(), notes=text)
        for number, text in enumerate(AWKWARD_TEXTS, start=1)
    ]

    read = PARSERS[parser](render_feed(entries))

    assert [event.summary for event in read.events] == [
        f"{text.strip()}: {text.strip()}" for text in AWKWARD_TEXTS
    ]
    assert [event.description for event in read.events] == AWKWARD_TEXTS


def test_special_characters_are_escaped_as_rfc_5545_says():
    feed = render_feed([an_entry(notes="a,b;c\\d\ne")])

    assert "DESCRIPTION:a\\,b\\;c\\\\d\\ne" in unfolded(feed)


@pytest.mark.parametrize("parser", PARSER_NAMES)
def test_a_fold_never_splits_a_character_wherever_it_lands(parser):
    # Each entry shifts the multi-octet characters by one octet, so that across
    # the entries the 75-octet fold falls on every octet of each of them.
    wide = "ü€👍🏽日"
    entries = [
        an_entry(number, notes="x" * number + wide * 12, customer=MANY_UMLAUTS)
        for number in range(1, 80)
    ]
    feed = render_feed(entries)

    read = PARSERS[parser](feed)

    assert format_problems(feed) == []
    assert [event.description for event in read.events] == [
        entry.notes for entry in entries
    ]
    assert {event.summary for event in read.events} == {f"{MANY_UMLAUTS}: Landing page"}


def test_lines_end_in_crlf_only_and_stay_within_75_octets():
    feed = render_feed(
        [an_entry(number, notes="Notes, long; " * 40) for number in range(1, 6)]
    )

    assert format_problems(feed) == []
    assert feed.count(b"\n") == feed.count(b"\r\n")
    assert feed.count(b"\r") == feed.count(b"\r\n")
    assert max(len(line) for line in feed.split(b"\r\n")) <= 75


def test_start_and_end_are_utc_times_with_a_z_and_no_zone_parameter():
    feed = render_feed([an_entry(1), an_entry(2)])
    times = [line for line in unfolded(feed) if line.startswith(("DTSTART", "DTEND"))]

    assert len(times) == 4
    assert all(re.fullmatch(r"(DTSTART|DTEND):\d{8}T\d{6}Z", line) for line in times)
    assert "BEGIN:VTIMEZONE" not in unfolded(feed)


@pytest.mark.parametrize("parser", PARSER_NAMES)
def test_every_event_ends_after_it_starts(parser):
    entries = [
        an_entry(1, end=START + timedelta(days=1, seconds=1)),
        an_entry(2, end=START + timedelta(days=2, hours=24)),
    ]

    read = PARSERS[parser](render_feed(entries))

    assert all(event.end > event.start for event in read.events)
    assert [event.end - event.start for event in read.events] == [
        timedelta(seconds=1),
        timedelta(hours=24),
    ]


def test_the_feed_names_each_property_once_per_event():
    lines = unfolded(render_feed([an_entry(notes="n", contract="c", task_id="t")]))
    names = [line.split(":")[0].split(";")[0] for line in lines]
    event = names[names.index("BEGIN") + 1 : names.index("END")]

    assert sorted(set(event)) == sorted(event)
    assert {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE"} <= set(event)


# What the API lets through: one line for customer and description, and new lines
# and tabs in notes. Some characters take four octets in UTF-8.
_letters = st.sampled_from(
    [*"aZ09 ,;:\\\"'.-", "ü", "ß", "€", "日", "👍", "🏽", "🇩", "🇪"]
)
one_line = st.text(_letters, min_size=1, max_size=120).map(str.strip).filter(bool)
many_lines = st.text(st.one_of(_letters, st.sampled_from(["\n", "\t"])), max_size=400)


@pytest.mark.parametrize("parser", PARSER_NAMES)
@settings(max_examples=15, deadline=None)
@given(customer=one_line, description=one_line, notes=many_lines)
def test_any_text_the_api_accepts_is_well_formed_and_read_back(
    parser, customer, description, notes
):
    entry = an_entry(customer=customer, description=description, notes=notes)
    feed = render_feed([entry])

    read = PARSERS[parser](feed)

    assert format_problems(feed) == []
    assert read.events[0].summary == f"{customer}: {description}"
    assert read.events[0].description == (notes or None)
