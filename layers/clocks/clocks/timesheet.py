"""What a user does with their time: the rules behind every endpoint."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from clocks.durations import hours_of, parse_duration
from clocks.entry import Caller, Entry, Timer, customer_key, entry_json, timer_json
from clocks.errors import (
    ConflictError,
    EntryInvoicedError,
    EntryNotFoundError,
    InvalidInputError,
    NoTimerError,
    StartTakenError,
    TimerRunningError,
)
from clocks.periods import DateRange, resolve_range
from clocks.storage import EntryStore
from clocks.times import (
    check_year,
    local_to_instant,
    parse_wall_clock,
    to_wall_clock,
    today_in,
)

if TYPE_CHECKING:
    # For annotations only: functions that read no body never import pydantic,
    # which saves their cold start the cost of building the request models.
    from clocks.requests import (
        BatchInvoiceRequest,
        QuickBookRequest,
        StartTimerRequest,
        UpdateEntryRequest,
    )

# An empty day's first booking starts here.
DAY_STARTS_AT = time(9, 0)
# Concurrent bookings into one day may pick the same start; the loser tries again.
PLACEMENT_ATTEMPTS = 10


def _new_id() -> str:
    return uuid.uuid4().hex


def start_timer(
    store: EntryStore, caller: Caller, request: StartTimerRequest, now: datetime
) -> dict[str, Any]:
    """Start the caller's timer; a running one is a conflict that names it."""
    timer = Timer(
        owner=caller.owner,
        id=_new_id(),
        start=now,
        customer=request.customer,
        description=request.description or "",
        task_id=request.task_id,
        contract=request.contract,
        notes=request.notes or "",
    )
    try:
        store.start_timer(timer)
    except TimerRunningError as error:
        running = error.running
        if isinstance(running, Timer):
            raise ConflictError(
                f"a timer for {running.customer} is already running; stop it first",
                running=timer_json(running, caller.zone, now),
            ) from None
        raise
    return timer_json(timer, caller.zone, now)


def active_timer(store: EntryStore, caller: Caller, now: datetime) -> dict[str, Any]:
    """The running timer, or {"active": false}."""
    timer = store.get_timer(caller.owner)
    return timer_json(timer, caller.zone, now) if timer else {"active": False}


def stop_timer(store: EntryStore, caller: Caller, now: datetime) -> dict[str, Any]:
    """Turn the running timer into a finished entry."""
    timer = store.get_timer(caller.owner)
    if timer is None:
        raise NoTimerError()
    entry = Entry(
        owner=caller.owner,
        id=timer.id,
        start=timer.start,
        end=max(now, timer.start),
        customer=timer.customer,
        description=timer.description,
        task_id=timer.task_id,
        contract=timer.contract,
        notes=timer.notes,
        created_at=now,
        updated_at=now,
    )
    try:
        store.finish_timer(timer, entry)
    except StartTakenError:
        raise ConflictError(
            "an entry already starts when this timer started; move that entry, "
            "then stop the timer again"
        ) from None
    return entry_json(entry, caller.zone)


def _booked_entry(
    caller: Caller,
    request: QuickBookRequest,
    start: datetime,
    length: timedelta,
    now: datetime,
) -> Entry:
    return Entry(
        owner=caller.owner,
        id=_new_id(),
        start=start,
        end=start + length,
        customer=request.customer,
        description=request.description or "",
        task_id=request.task_id,
        contract=request.contract,
        notes=request.notes or "",
        created_at=now,
        updated_at=now,
    )


def _next_free_start(store: EntryStore, caller: Caller, day: date) -> datetime:
    """After the last entry that starts on `day`, or at 09:00 on an empty day."""
    since, until = DateRange(day, day).instants(caller.zone)
    entries = store.entries_between(caller.owner, since, until)
    if entries:
        return max(entry.end for entry in entries)
    return local_to_instant(datetime.combine(day, DAY_STARTS_AT), caller.zone)


def quick_book(
    store: EntryStore, caller: Caller, request: QuickBookRequest, now: datetime
) -> dict[str, Any]:
    """Book time after the fact.

    With a start_time the entry starts exactly there (a taken start is a
    conflict). With only a date it follows that day's last entry. With neither it
    ends now.
    """
    length = parse_duration(request.duration)
    if request.start_time is not None:
        day = request.date or today_in(caller.zone, now)
        wall = datetime.combine(day, request.start_time)
        entry = _booked_entry(
            caller, request, local_to_instant(wall, caller.zone), length, now
        )
        store.add_entry(entry)
        return entry_json(entry, caller.zone)

    if request.date is not None:
        start = _next_free_start(store, caller, request.date)
    else:
        start = now - length
    for _ in range(PLACEMENT_ATTEMPTS):
        check_year(start.astimezone(caller.zone).year)
        entry = _booked_entry(caller, request, start, length, now)
        try:
            store.add_entry(entry)
        except StartTakenError:
            # Another entry starts there (booked a moment ago, or on the next day):
            # follow it.
            if request.date is None:
                # Ending now: step back, so that the booking never ends in the future.
                start -= timedelta(seconds=1)
                continue
            taken = store.get_entry(caller.owner, start)
            if taken is not None and taken.end > start:
                start = taken.end
            else:
                start += timedelta(seconds=1)
            continue
        return entry_json(entry, caller.zone)
    raise ConflictError("the day is too busy right now to place the booking; try again")


def _exact_seconds(hours: float) -> timedelta:
    seconds = (Decimal(str(hours)) * 3600).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if seconds < 1:
        raise InvalidInputError("hours must amount to at least one second")
    return timedelta(seconds=int(seconds))


def update_entry(
    store: EntryStore,
    caller: Caller,
    start_text: str,
    request: UpdateEntryRequest,
    now: datetime,
) -> dict[str, Any]:
    """Change the fields given; hours moves the end, new_date/start_time the start."""
    start = parse_wall_clock(start_text, caller.zone)
    entry = store.get_entry(caller.owner, start)
    if entry is None:
        raise EntryNotFoundError()

    given = request.model_fields_set
    # An invoiced entry is billed: only its notes and its invoiced mark may change.
    if entry.invoiced and given - {"invoiced", "notes"}:
        raise EntryInvoicedError()
    local_start = entry.start.astimezone(caller.zone).replace(tzinfo=None)
    new_start = entry.start
    if "new_date" in given or "start_time" in given:
        wall = datetime.combine(
            request.new_date or local_start.date(),
            request.start_time or local_start.time(),
        )
        new_start = local_to_instant(wall, caller.zone)
    length = entry.end - entry.start
    if request.hours is not None:
        length = _exact_seconds(request.hours)
    new_end = new_start + length
    times_changed = (new_start, new_end) != (entry.start, entry.end)

    changes: dict[str, Any] = {}
    for name in ("customer", "task_id", "contract", "invoiced"):
        if name in given:
            changes[name] = getattr(request, name)
    for name in ("description", "notes"):
        if name in given:
            changes[name] = getattr(request, name) or ""
    updated = replace(
        entry,
        **changes,
        start=new_start,
        end=new_end,
        updated_at=now,
        sequence=entry.sequence + (1 if times_changed else 0),
        revision=entry.revision + 1,
    )
    store.replace_entry(entry, updated)
    return entry_json(updated, caller.zone)


def delete_entry(store: EntryStore, caller: Caller, start_text: str) -> None:
    """Remove the entry that starts at the given wall-clock time."""
    store.delete_entry(caller.owner, parse_wall_clock(start_text, caller.zone))


def _range(
    caller: Caller, query: dict[str, str], now: datetime, default: str
) -> DateRange:
    return resolve_range(
        query.get("period"),
        query.get("from_date"),
        query.get("to_date"),
        today_in(caller.zone, now),
        default_period=default,
        week_start=caller.week_start,
    )


def find_entries(
    store: EntryStore, caller: Caller, query: dict[str, str], now: datetime
) -> list[Entry]:
    """Entries of a period or date range, optionally of one customer or task.

    A task's entries are searched across all dates unless a period or dates are
    given, since a task often spans months.
    """
    task_id = query.get("task_id")
    default = "all" if task_id is not None else "month"
    since, until = _range(caller, query, now, default).instants(caller.zone)
    customer = query.get("customer")
    return store.entries_between(
        caller.owner, since, until, customer=customer, task_id=task_id
    )


def list_entries(
    store: EntryStore, caller: Caller, query: dict[str, str], now: datetime
) -> list[dict[str, Any]]:
    return [
        entry_json(entry, caller.zone)
        for entry in find_entries(store, caller, query, now)
    ]


def summarize(
    store: EntryStore, caller: Caller, query: dict[str, str], now: datetime
) -> dict[str, Any]:
    """Hours per customer in a period, from exact seconds, rounded once per figure.

    A running timer that started in the period counts up to now.
    """
    days = _range(caller, query, now, "month")
    since, until = days.instants(caller.zone)
    worked: list[tuple[str, int]] = [
        (entry.customer, entry.seconds)
        for entry in store.entries_between(caller.owner, since, until)
    ]
    timer = store.get_timer(caller.owner)
    if timer is not None and since <= timer.start < until:
        worked.append(
            (timer.customer, max(0, int((now - timer.start).total_seconds())))
        )

    rows: dict[str, dict[str, Any]] = {}
    for customer, seconds in worked:
        row = rows.setdefault(
            customer_key(caller.owner, customer),
            {"customer": customer, "seconds": 0, "entry_count": 0},
        )
        row["seconds"] += seconds
        row["entry_count"] += 1
    ordered = sorted(rows.values(), key=lambda row: row["customer"].casefold())
    return {
        "from_date": days.first.isoformat(),
        "to_date": days.last.isoformat(),
        "customers": [
            {
                "customer": row["customer"],
                "hours": hours_of(row["seconds"]),
                "entry_count": row["entry_count"],
            }
            for row in ordered
        ],
        "total_hours": hours_of(sum(seconds for _, seconds in worked)),
    }


def invoice_preview(
    store: EntryStore, caller: Caller, query: dict[str, str], now: datetime
) -> dict[str, Any]:
    """Finished, not yet invoiced entries of one customer (and contract)."""
    customer = query.get("customer")
    if not customer or not customer.strip():
        raise InvalidInputError("customer is required, e.g. ?customer=Acme+Corp")
    contract = query.get("contract")
    since, until = _range(caller, query, now, "all").instants(caller.zone)
    entries = store.entries_between(
        caller.owner, since, until, customer=customer, unbilled_only=True
    )
    if contract is not None:
        entries = [entry for entry in entries if entry.contract == contract]
    return {
        "customer": entries[0].customer if entries else customer.strip(),
        "contract": contract,
        "entries": [entry_json(entry, caller.zone) for entry in entries],
        "total_hours": hours_of(sum(entry.seconds for entry in entries)),
        "entry_count": len(entries),
    }


def batch_invoice(
    store: EntryStore, caller: Caller, request: BatchInvoiceRequest, now: datetime
) -> dict[str, Any]:
    """Mark entries invoiced; every start is checked before anything is written."""
    starts = {parse_wall_clock(text, caller.zone): text for text in request.starts}
    outcome: dict[str, list[str]] = {
        "invoiced": [],
        "already_invoiced": [],
        "not_found": [],
    }
    for start in sorted(starts):
        result = store.mark_invoiced(caller.owner, start, now)
        outcome[result].append(to_wall_clock(start, caller.zone))
    return {
        "invoiced": len(outcome["invoiced"]),
        "already_invoiced": outcome["already_invoiced"],
        "not_found": outcome["not_found"],
    }


def _a_year_before(day: date) -> date:
    if (day.month, day.day) == (2, 29):
        # 29 February has no twin a year before; the 28th stands in.
        day = day.replace(day=28)
    return day.replace(year=day.year - 1)


def feed_entries(
    store: EntryStore, caller: Caller, query: dict[str, str], now: datetime
) -> list[Entry]:
    """Entries for the calendar feed: by default those of the last 12 months and later.

    The window keeps the feed small enough for calendar apps, which drop large feeds.
    """
    today = today_in(caller.zone, now)
    if "from_date" not in query and "to_date" not in query:
        query = {**query, "from_date": _a_year_before(today).isoformat()}
    since, until = _range(caller, query, now, "all").instants(caller.zone)
    return store.entries_between(caller.owner, since, until)
