"""Random sequences of requests against the handlers agree with a model of the rules.

The model is plain Python: the entries by start, at most one timer, and the rules the
README states for the timer, booking, editing, locking and invoicing. Hypothesis
sends starts, stops, bookings, edits, deletions and batch invoices in random order
while the frozen clock moves on; after every step the listing, the running timer,
the summary and the invoice previews must be what the model says.
"""

import itertools
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

# The owner's zone in the integration tests; no DST change falls in these days.
ZONE = ZoneInfo("Europe/Berlin")
FIRST_NOW = datetime(2026, 4, 22, 10, 0, tzinfo=UTC)
DAYS = [date(2026, 4, 20) + timedelta(days=number) for number in range(4)]
START_TIMES = [time(hour, minute) for hour in range(8, 14) for minute in (0, 30)]
# Two spellings of one customer: they are the same customer.
CUSTOMERS = ["Acme Corp", "acme corp", "Beta Inc", "Ünïcode GmbH"]
DURATIONS = {
    "30m": 1_800,
    "1h": 3_600,
    "1h30m": 5_400,
    "2.5h": 9_000,
    "1:15": 4_500,
    "8.2h": 29_520,
}
HOURS = [0.01, 0.25, 1.0, 1.5, 2.75, 8.2]
NOTES = ["", "Reviewed", "Zeile 1\nZeile 2: geprüft"]
# No request of this machine ever starts an entry here.
MISSING = datetime(2026, 4, 21, 5, 7, 7, tzinfo=UTC)
# How often automatic placement follows a taken start before giving up.
PLACEMENT_ATTEMPTS = 10
_owners = itertools.count()


@dataclass(frozen=True)
class Booked:
    id: str
    start: datetime
    end: datetime
    customer: str
    invoiced: bool = False
    notes: str = ""


@dataclass(frozen=True)
class Running:
    id: str
    start: datetime
    customer: str


def wall(instant: datetime) -> str:
    return instant.astimezone(ZONE).replace(tzinfo=None).isoformat()


def local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=ZONE).astimezone(UTC)


def hours(seconds: float) -> float:
    return round(seconds / 3600, 2)


def entry_json(entry: Booked) -> dict[str, Any]:
    return {
        "id": entry.id,
        "start": wall(entry.start),
        "end": wall(entry.end),
        "customer": entry.customer,
        "description": "",
        "hours": hours((entry.end - entry.start).total_seconds()),
        "task_id": None,
        "contract": None,
        "invoiced": entry.invoiced,
        "notes": entry.notes,
    }


changes = st.fixed_dictionaries(
    {},
    optional={
        "hours": st.sampled_from(HOURS),
        "notes": st.sampled_from(NOTES),
        "start_time": st.sampled_from(START_TIMES),
        "new_date": st.sampled_from(DAYS),
        "invoiced": st.booleans(),
    },
)


class Timesheet(RuleBasedStateMachine):
    """One owner's timesheet, through the handlers and in the model side by side."""

    def __init__(self, api: Any, dynamodb: Any, table_name: str) -> None:
        super().__init__()
        self.api = api
        self.dynamodb = dynamodb
        self.table_name = table_name
        self.api.now = FIRST_NOW
        self.owner = f"model-{next(_owners)}"
        self.entries: dict[datetime, Booked] = {}
        self.timer: Running | None = None

    def teardown(self) -> None:
        # moto reads every item of the table to answer an index query.
        pages = self.dynamodb.get_paginator("query").paginate(
            TableName=self.table_name,
            KeyConditionExpression="#owner = :owner",
            ExpressionAttributeNames={"#owner": "owner", "#start": "start"},
            ExpressionAttributeValues={":owner": {"S": self.owner}},
            ProjectionExpression="#owner, #start",
        )
        for page in pages:
            for key in page["Items"]:
                self.dynamodb.delete_item(TableName=self.table_name, Key=key)

    @property
    def now(self) -> datetime:
        return self.api.now

    def send(self, function: str, **overrides: Any) -> Any:
        return self.api(function, owner=self.owner, **overrides)

    def ordered(self) -> list[Booked]:
        return [self.entries[start] for start in sorted(self.entries)]

    def timer_json(self) -> dict[str, Any]:
        if self.timer is None:
            return {"active": False}
        return {
            "active": True,
            "id": self.timer.id,
            "start": wall(self.timer.start),
            "customer": self.timer.customer,
            "description": "",
            "hours": hours((self.now - self.timer.start).total_seconds()),
            "task_id": None,
            "contract": None,
            "notes": "",
        }

    def pick_start(self, data: st.DataObject) -> datetime:
        """One of the entries' starts, or a start no entry has."""
        return data.draw(
            st.sampled_from([*sorted(self.entries), MISSING]), label="start"
        )

    def placed(self, day: date | None, length: timedelta) -> datetime | None:
        """Where a booking without start_time lands; None if no start is free."""
        if day is None:
            start = self.now - length
        else:
            that_day = [
                entry
                for entry in self.entries.values()
                if entry.start.astimezone(ZONE).date() == day
            ]
            start = (
                max(entry.end for entry in that_day)
                if that_day
                else local(day, time(9))
            )
        for _ in range(PLACEMENT_ATTEMPTS):
            taken = self.entries.get(start)
            if taken is None:
                return start
            if day is None:
                # Ending now: a taken start moves back, never into the future.
                start -= timedelta(seconds=1)
            else:
                start = taken.end if taken.end > start else start + timedelta(seconds=1)
        return None

    @initialize(
        bookings=st.lists(
            st.tuples(
                st.sampled_from(CUSTOMERS),
                st.sampled_from(DAYS),
                st.sampled_from(START_TIMES),
            ),
            max_size=3,
        )
    )
    def some_time_is_booked(self, bookings: list[tuple[str, date, time]]) -> None:
        for customer, day, start_time in bookings:
            self.quick_book(customer, "1h", day, start_time)

    @rule(minutes=st.sampled_from([1, 15, 30, 60, 180]))
    def time_passes(self, minutes: int) -> None:
        self.api.now += timedelta(minutes=minutes)

    @rule(customer=st.sampled_from(CUSTOMERS))
    def start(self, customer: str) -> None:
        reply = self.send("start_timer", body={"customer": customer})

        if self.timer is not None:
            assert reply.status == 409, reply.body
            assert reply.json["running"] == self.timer_json()
            return
        assert reply.status == 201, reply.body
        self.timer = Running(reply.json["id"], self.now, customer)
        assert reply.json == self.timer_json()

    @rule()
    def stop(self) -> None:
        reply = self.send("stop_timer")

        if self.timer is None:
            assert reply.status == 404, reply.body
            return
        if self.timer.start in self.entries:
            # An entry was booked at the timer's start; the timer keeps running.
            assert reply.status == 409, reply.body
            return
        assert reply.status == 200, reply.body
        entry = Booked(self.timer.id, self.timer.start, self.now, self.timer.customer)
        self.entries[entry.start] = entry
        self.timer = None
        assert reply.json == entry_json(entry)

    @rule(
        customer=st.sampled_from(CUSTOMERS),
        duration=st.sampled_from(sorted(DURATIONS)),
        day=st.none() | st.sampled_from(DAYS),
        start_time=st.none() | st.sampled_from(START_TIMES),
    )
    def quick_book(
        self, customer: str, duration: str, day: date | None, start_time: time | None
    ) -> None:
        body: dict[str, Any] = {"customer": customer, "duration": duration}
        if day is not None:
            body["date"] = day.isoformat()
        if start_time is not None:
            body["start_time"] = start_time.isoformat()
        reply = self.send("quick_book", body=body)

        length = timedelta(seconds=DURATIONS[duration])
        if start_time is not None:
            start = local(day or self.now.astimezone(ZONE).date(), start_time)
            if start in self.entries:
                assert reply.status == 409, reply.body
                return
        else:
            placed = self.placed(day, length)
            if placed is None:
                assert reply.status == 409, reply.body
                return
            start = placed
        assert reply.status == 201, reply.body
        entry = Booked(reply.json["id"], start, start + length, customer)
        self.entries[start] = entry
        assert reply.json == entry_json(entry)

    @precondition(lambda self: self.entries)
    @rule(data=st.data(), change=changes)
    def patch(self, data: st.DataObject, change: dict[str, Any]) -> None:
        start = self.pick_start(data)
        body = {
            name: value.isoformat() if isinstance(value, date | time) else value
            for name, value in change.items()
        }
        reply = self.send("update_entry", query={"start": wall(start)}, body=body)

        entry = self.entries.get(start)
        if entry is None:
            assert reply.status == 404, reply.body
            return
        if entry.invoiced and set(change) - {"invoiced", "notes"}:
            assert reply.status == 409, reply.body
            assert "invoiced" in reply.message
            return
        new_start = entry.start
        if "start_time" in change or "new_date" in change:
            local_start = entry.start.astimezone(ZONE)
            new_start = local(
                change.get("new_date", local_start.date()),
                change.get("start_time", local_start.time()),
            )
        length = entry.end - entry.start
        if "hours" in change:
            length = timedelta(seconds=round(change["hours"] * 3600))
        if new_start != entry.start and new_start in self.entries:
            assert reply.status == 409, reply.body
            return
        assert reply.status == 200, reply.body
        updated = replace(
            entry,
            start=new_start,
            end=new_start + length,
            invoiced=change.get("invoiced", entry.invoiced),
            notes=change.get("notes", entry.notes),
        )
        del self.entries[entry.start]
        self.entries[new_start] = updated
        assert reply.json == entry_json(updated)

    @precondition(lambda self: self.entries)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        start = self.pick_start(data)
        reply = self.send("delete_entry", query={"start": wall(start)})

        entry = self.entries.get(start)
        if entry is None:
            assert reply.status == 404, reply.body
        elif entry.invoiced:
            assert reply.status == 409, reply.body
        else:
            assert reply.status == 204, reply.body
            del self.entries[start]

    @precondition(lambda self: self.entries)
    @rule(data=st.data())
    def batch_invoice(self, data: st.DataObject) -> None:
        starts = data.draw(
            st.lists(
                st.sampled_from([*sorted(self.entries), MISSING]),
                min_size=1,
                max_size=4,
            )
        )
        reply = self.send("batch_invoice", body={"starts": [wall(s) for s in starts]})

        expected: dict[str, Any] = {
            "invoiced": 0,
            "already_invoiced": [],
            "not_found": [],
        }
        for start in sorted(set(starts)):
            entry = self.entries.get(start)
            if entry is None:
                expected["not_found"].append(wall(start))
            elif entry.invoiced:
                expected["already_invoiced"].append(wall(start))
            else:
                self.entries[start] = replace(entry, invoiced=True)
                expected["invoiced"] += 1
        assert reply.status == 200, reply.body
        assert reply.json == expected

    @invariant()
    def the_listing_is_the_model(self) -> None:
        reply = self.send("list_entries", query={"period": "all"})

        assert reply.status == 200, reply.body
        assert reply.json == [entry_json(entry) for entry in self.ordered()]

    @invariant()
    def the_timer_is_the_model(self) -> None:
        reply = self.send("get_active_timer")

        assert reply.status == 200, reply.body
        assert reply.json == self.timer_json()

    @invariant()
    def the_summary_adds_up_the_model(self) -> None:
        reply = self.send("get_summary", query={"period": "all"})

        worked = [
            (entry.customer, (entry.end - entry.start).total_seconds())
            for entry in self.ordered()
        ]
        if self.timer is not None:
            running = (self.now - self.timer.start).total_seconds()
            worked.append((self.timer.customer, running))
        rows: dict[str, dict[str, Any]] = {}
        for customer, seconds in worked:
            row = rows.setdefault(
                customer.casefold(), {"customer": customer, "seconds": 0, "count": 0}
            )
            row["seconds"] += seconds
            row["count"] += 1
        assert reply.status == 200, reply.body
        assert reply.json == {
            "from_date": "1970-01-01",
            "to_date": "9998-12-31",
            "customers": [
                {
                    "customer": row["customer"],
                    "hours": hours(row["seconds"]),
                    "entry_count": row["count"],
                }
                for row in sorted(
                    rows.values(), key=lambda row: row["customer"].casefold()
                )
            ],
            "total_hours": hours(sum(seconds for _, seconds in worked)),
        }

    @invariant()
    def each_invoice_preview_is_the_unbilled_model(self) -> None:
        for customer in ("acme corp", "Beta Inc", "Ünïcode GmbH"):
            reply = self.send("invoice_preview", query={"customer": customer})

            unbilled = [
                entry
                for entry in self.ordered()
                if entry.customer.casefold() == customer.casefold()
                and not entry.invoiced
            ]
            assert reply.status == 200, reply.body
            assert reply.json == {
                "customer": unbilled[0].customer if unbilled else customer,
                "contract": None,
                "entries": [entry_json(entry) for entry in unbilled],
                "total_hours": hours(
                    sum((entry.end - entry.start).total_seconds() for entry in unbilled)
                ),
                "entry_count": len(unbilled),
            }


def test_random_requests_keep_the_handlers_and_the_model_in_step(
    api, dynamodb, table_name
):
    run_state_machine_as_test(
        lambda: Timesheet(api, dynamodb, table_name),
        settings=settings(
            max_examples=30,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
