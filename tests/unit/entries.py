"""Entries made to measure for the feed tests."""

from datetime import UTC, datetime, timedelta

from clocks.entry import Entry

START = datetime(2026, 4, 20, 7, 0, tzinfo=UTC)
CHANGED = datetime(2026, 4, 20, 10, 0, tzinfo=UTC)


def an_entry(number: int = 1, **changes) -> Entry:
    """Entry `number`: two hours of Acme Corp, `number` days after START."""
    start = START + timedelta(days=number)
    fields = {
        "owner": "default",
        "id": f"{number:032x}",
        "start": start,
        "end": start + timedelta(hours=2),
        "customer": "Acme Corp",
        "description": "Landing page",
        "created_at": CHANGED,
        "updated_at": CHANGED,
    }
    return Entry(**(fields | changes))
