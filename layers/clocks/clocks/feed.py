"""The iCalendar (RFC 5545) feed of an owner's entries."""

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import UTC

from icalendar import Calendar, Event

from clocks.entry import Entry

PRODUCT_ID = "-//Clocks//Time entries//EN"
CALENDAR_NAME = "Clocks"
# Part of every ETag: change it whenever render_feed would write other bytes for
# the same entries, so that calendar apps fetch the new form.
FEED_FORMAT = 1


def feed_etag(entries: Sequence[Entry]) -> str:
    """A strong validator of the feed, computed from what it renders, not from bytes.

    A poll whose If-None-Match matches is answered without rendering.
    """
    rendered_fields = [
        [
            entry.id,
            entry.start.isoformat(),
            entry.end.isoformat(),
            entry.customer,
            entry.description,
            entry.contract,
            entry.task_id,
            entry.notes,
            entry.sequence,
            str(entry.updated_at or entry.created_at or entry.end),
        ]
        for entry in entries
    ]
    canonical = json.dumps([FEED_FORMAT, PRODUCT_ID, CALENDAR_NAME, rendered_fields])
    return '"' + hashlib.sha256(canonical.encode()).hexdigest()[:32] + '"'


def _summary(entry: Entry) -> str:
    return (
        f"{entry.customer}: {entry.description}"
        if entry.description
        else entry.customer
    )


def _description(entry: Entry) -> str:
    lines = []
    if entry.contract:
        lines.append(f"Contract: {entry.contract}")
    if entry.task_id:
        lines.append(f"Task: {entry.task_id}")
    if entry.notes:
        lines.append(entry.notes)
    return "\n".join(lines)


def render_feed(entries: Iterable[Entry]) -> bytes:
    """One VEVENT per entry; the same entries always give the same bytes."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    for entry in entries:
        changed = (entry.updated_at or entry.created_at or entry.end).astimezone(UTC)
        event = Event()
        # The id never changes, so edits update the event instead of duplicating it.
        event.add("uid", f"{entry.id}@clocks")
        # DTSTAMP from the entry, not the clock, keeps the output byte-stable.
        event.add("dtstamp", changed)
        event.add("last-modified", changed)
        event.add("sequence", entry.sequence)
        event.add("dtstart", entry.start.astimezone(UTC))
        # RFC 5545 wants DTEND after DTSTART; without one, an event ends as it starts.
        if entry.end > entry.start:
            event.add("dtend", entry.end.astimezone(UTC))
        event.add("summary", _summary(entry))
        description = _description(entry)
        if description:
            event.add("description", description)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
