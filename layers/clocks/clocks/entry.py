"""Entries and the running timer, and how clients see them."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from clocks.durations import hours_of
from clocks.times import to_wall_clock


@dataclass(frozen=True)
class Caller:
    """Who a request acts for, and the zone their wall-clock times are in."""

    owner: str
    zone: ZoneInfo
    # The weekday (Monday = 0) the owner's weeks start on.
    week_start: int = 0


@dataclass(frozen=True)
class Entry:
    """A finished stretch of work. `id` never changes; `start` is the table key."""

    owner: str
    id: str
    start: datetime
    end: datetime
    customer: str
    description: str = ""
    task_id: str | None = None
    contract: str | None = None
    invoiced: bool = False
    notes: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # Grows whenever start or end change, as calendar apps expect of SEQUENCE.
    sequence: int = 0
    # Grows on every write; a write expecting another revision lost a race.
    revision: int = 0

    @property
    def seconds(self) -> int:
        return int((self.end - self.start).total_seconds())


@dataclass(frozen=True)
class Timer:
    """The owner's running timer; there is at most one."""

    owner: str
    id: str
    start: datetime
    customer: str
    description: str = ""
    task_id: str | None = None
    contract: str | None = None
    notes: str = ""


def customer_key(owner: str, customer: str) -> str:
    """Customers match case-insensitively: "acme" finds "Acme"."""
    return f"{owner}#{customer.strip().casefold()}"


def entry_json(entry: Entry, zone: ZoneInfo) -> dict[str, Any]:
    """An entry as the API shows it: wall-clock times in the caller's zone."""
    return {
        "id": entry.id,
        "start": to_wall_clock(entry.start, zone),
        "end": to_wall_clock(entry.end, zone),
        "customer": entry.customer,
        "description": entry.description,
        "hours": hours_of(entry.seconds),
        "task_id": entry.task_id,
        "contract": entry.contract,
        "invoiced": entry.invoiced,
        "notes": entry.notes,
    }


def timer_json(timer: Timer, zone: ZoneInfo, now: datetime) -> dict[str, Any]:
    """The running timer as GET /active shows it, with the hours so far."""
    return {
        "active": True,
        "id": timer.id,
        "start": to_wall_clock(timer.start, zone),
        "customer": timer.customer,
        "description": timer.description,
        "hours": hours_of(max(0, int((now - timer.start).total_seconds()))),
        "task_id": timer.task_id,
        "contract": timer.contract,
        "notes": timer.notes,
    }
