"""Requests that reach the handlers at the same moment, on real threads.

Each thread is an execution environment of its own, as Lambda runs them: it imports
the handler modules once and serves one request at a time. The threads meet at a
barrier before sending, so the requests overlap in the database. Only a database
that serializes conditional writes as DynamoDB does can answer these, so they run
with CLOCKS_TEST_DATABASE=dynamodb-local (make integration-dynamodb-local).
"""

import itertools
import os
import threading
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

import pytest

from clocks.storage import EntryStore
from tests.together import Call
from tests.together import together as run_together

pytestmark = pytest.mark.skipif(
    os.environ.get("CLOCKS_TEST_DATABASE") != "dynamodb-local",
    reason="needs a database that serializes concurrent writes: "
    "CLOCKS_TEST_DATABASE=dynamodb-local",
)

ROUNDS = 3
STARTERS = 20
STOPPERS = 10
# Automatic placement retries a taken start ten times, so ten bookings can all
# land at once however they interleave.
BOOKERS = 10
WAIT_SECONDS = 30
DAY = "2026-04-20"


@pytest.fixture
def environments(api: Any, lambda_context: Any) -> Callable[..., list[Any]]:
    """Makes `count` environments at the api's time, their handlers imported."""

    def make(count: int, *functions: str) -> list[Any]:
        made = []
        for _ in range(count):
            environment = type(api)(lambda_context)
            environment.now = api.now
            for function in functions:
                environment.module(function)
            made.append(environment)
        return made

    return make


def together(calls: Sequence[Call]) -> list[Any]:
    return run_together(calls, WAIT_SECONDS)


def statuses(replies: Sequence[Any]) -> list[int]:
    return sorted(reply.status for reply in replies)


def entries_of(api: Any, owner: str) -> list[dict[str, Any]]:
    reply = api("list_entries", query={"period": "all"}, owner=owner)
    assert reply.status == 200, reply.body
    return reply.json


def book_at(api: Any, owner: str, start_time: str, duration: str = "1h") -> dict:
    body = {
        "customer": "Acme Corp",
        "duration": duration,
        "date": DAY,
        "start_time": start_time,
    }
    reply = api("quick_book", body=body, owner=owner)
    assert reply.status == 201, reply.body
    return reply.json


def patch(environment: Any, owner: str, start: str, body: dict) -> Call:
    return lambda: environment(
        "update_entry", query={"start": start}, body=body, owner=owner
    )


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_of_simultaneous_starts_exactly_one_runs_and_the_rest_are_409(
    api, environments, round_number
):
    owner = f"starter-{round_number}"
    racers = environments(STARTERS, "start_timer")

    replies = together(
        [
            lambda racer=racer, number=number: racer(
                "start_timer", body={"customer": f"Customer {number}"}, owner=owner
            )
            for number, racer in enumerate(racers)
        ]
    )

    assert statuses(replies) == [201] + [409] * (STARTERS - 1), [
        reply.body for reply in replies if reply.status not in (201, 409)
    ]
    winner = next(reply.json for reply in replies if reply.status == 201)
    refused = [reply.json for reply in replies if reply.status == 409]
    assert all(answer["running"]["id"] == winner["id"] for answer in refused)
    active = api("get_active_timer", owner=owner).json
    assert (active["id"], active["customer"]) == (winner["id"], winner["customer"])


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_of_simultaneous_stops_one_writes_the_entry_and_the_rest_are_404(
    api, environments, round_number
):
    owner = f"stopper-{round_number}"
    timer = api("start_timer", body={"customer": "Acme Corp"}, owner=owner).json
    api.now += timedelta(hours=1)
    racers = environments(STOPPERS, "stop_timer")

    replies = together(
        [lambda racer=racer: racer("stop_timer", owner=owner) for racer in racers]
    )

    assert statuses(replies) == [200] + [404] * (STOPPERS - 1), [
        reply.body for reply in replies if reply.status not in (200, 404)
    ]
    stopped = next(reply.json for reply in replies if reply.status == 200)
    assert stopped["id"] == timer["id"]
    assert entries_of(api, owner) == [stopped]
    assert stopped["hours"] == 1.0
    assert api("get_active_timer", owner=owner).json == {"active": False}


def assert_every_booking_stored_once(
    replies: Sequence[Any], listed: list[dict[str, Any]]
) -> None:
    booked = [reply.json for reply in replies if reply.status == 201]
    assert sorted(listed, key=lambda entry: entry["id"]) == sorted(
        booked, key=lambda entry: entry["id"]
    )
    starts = [entry["start"] for entry in listed]
    assert len(set(starts)) == len(starts)


def assert_one_after_another(listed: list[dict[str, Any]]) -> None:
    for earlier, later in itertools.pairwise(listed):
        assert earlier["end"] <= later["start"], (earlier, later)


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_simultaneous_bookings_into_one_day_are_all_stored_one_after_another(
    api, environments, round_number
):
    owner = f"booker-{round_number}"
    racers = environments(BOOKERS, "quick_book")
    durations = ["30m", "45m", "1h", "1h15m", "20m"]

    replies = together(
        [
            lambda racer=racer, number=number: racer(
                "quick_book",
                body={
                    "customer": f"Customer {number}",
                    "duration": durations[number % len(durations)],
                    "date": DAY,
                },
                owner=owner,
            )
            for number, racer in enumerate(racers)
        ]
    )

    assert statuses(replies) == [201] * BOOKERS, [reply.body for reply in replies]
    listed = entries_of(api, owner)
    assert_every_booking_stored_once(replies, listed)
    assert_one_after_another(listed)
    assert listed[0]["start"] == f"{DAY}T09:00:00"
    assert {entry["customer"] for entry in listed} == {
        f"Customer {number}" for number in range(BOOKERS)
    }


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_simultaneous_bookings_that_end_now_are_all_stored_at_distinct_starts(
    api, environments, round_number
):
    owner = f"now-booker-{round_number}"
    racers = environments(BOOKERS, "quick_book")

    replies = together(
        [
            lambda racer=racer, number=number: racer(
                "quick_book",
                body={"customer": f"Customer {number}", "duration": "1h"},
                owner=owner,
            )
            for number, racer in enumerate(racers)
        ]
    )

    assert statuses(replies) == [201] * BOOKERS, [reply.body for reply in replies]
    assert_every_booking_stored_once(replies, entries_of(api, owner))


def test_a_burst_beyond_the_placement_retries_stores_each_201_and_no_409(
    api, environments
):
    owner = "crowd"
    racers = environments(2 * BOOKERS, "quick_book")

    replies = together(
        [
            lambda racer=racer, number=number: racer(
                "quick_book",
                body={"customer": f"Customer {number}", "duration": "1h", "date": DAY},
                owner=owner,
            )
            for number, racer in enumerate(racers)
        ]
    )

    assert set(statuses(replies)) <= {201, 409}, [reply.body for reply in replies]
    assert statuses(replies).count(201) >= BOOKERS
    listed = entries_of(api, owner)
    assert_every_booking_stored_once(replies, listed)
    assert_one_after_another(listed)


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_a_move_racing_a_booking_at_the_same_start_lets_exactly_one_win(
    api, environments, round_number
):
    owner = f"mover-{round_number}"
    entry = book_at(api, owner, "09:00")
    mover, booker = environments(2, "update_entry", "quick_book")
    booking = {
        "customer": "Beta Inc",
        "duration": "30m",
        "date": DAY,
        "start_time": "11:00",
    }

    moved, booked = together(
        [
            patch(mover, owner, entry["start"], {"start_time": "11:00"}),
            lambda: booker("quick_book", body=booking, owner=owner),
        ]
    )

    outcome = (moved.status, booked.status)
    assert outcome in ((200, 409), (409, 201)), (moved.body, booked.body)
    listed = entries_of(api, owner)
    if moved.status == 200:
        assert moved.json == entry | {
            "start": f"{DAY}T11:00:00",
            "end": f"{DAY}T12:00:00",
        }
        assert listed == [moved.json]
    else:
        assert listed == [entry, booked.json]


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_two_moves_to_the_same_start_let_exactly_one_win(
    api, environments, round_number
):
    owner = f"two-movers-{round_number}"
    first = book_at(api, owner, "09:00")
    second = book_at(api, owner, "13:00", "30m")
    racers = environments(2, "update_entry")

    replies = together(
        [
            patch(racers[0], owner, first["start"], {"start_time": "11:00"}),
            patch(racers[1], owner, second["start"], {"start_time": "11:00"}),
        ]
    )

    assert statuses(replies) == [200, 409], [reply.body for reply in replies]
    winner = next(reply.json for reply in replies if reply.status == 200)
    assert winner["start"] == f"{DAY}T11:00:00"
    listed = entries_of(api, owner)
    assert sorted(entry["id"] for entry in listed) == sorted(
        [first["id"], second["id"]]
    )
    assert winner in listed
    assert first in listed or second in listed


@pytest.fixture
def reads_meet(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """Make `count` concurrent edits each read the entry before any of them writes."""

    def arrange(count: int) -> None:
        barrier = threading.Barrier(count)
        read = EntryStore.get_entry

        def read_then_wait(store: EntryStore, *arguments: Any) -> Any:
            entry = read(store, *arguments)
            barrier.wait(timeout=WAIT_SECONDS)
            return entry

        monkeypatch.setattr(EntryStore, "get_entry", read_then_wait)

    return arrange


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_two_edits_from_the_same_read_are_200_and_409_never_an_overwrite(
    api, environments, reads_meet, round_number
):
    owner = f"editor-{round_number}"
    entry = book_at(api, owner, "09:00")
    racers = environments(2, "update_entry")
    reads_meet(2)

    replies = together(
        [
            patch(racers[0], owner, entry["start"], {"notes": "first"}),
            patch(racers[1], owner, entry["start"], {"description": "second"}),
        ]
    )

    assert statuses(replies) == [200, 409], [reply.body for reply in replies]
    refused = next(reply for reply in replies if reply.status == 409)
    assert "changed by another request" in refused.message
    winner = next(reply.json for reply in replies if reply.status == 200)
    assert entries_of(api, owner) == [winner]


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_two_edits_of_one_entry_at_once_never_lose_an_answered_change(
    api, environments, round_number
):
    owner = f"racing-editor-{round_number}"
    entry = book_at(api, owner, "09:00")
    racers = environments(2, "update_entry")
    changes = [{"notes": "first"}, {"description": "second"}]

    replies = together(
        [
            patch(racer, owner, entry["start"], change)
            for racer, change in zip(racers, changes, strict=True)
        ]
    )

    assert set(statuses(replies)) <= {200, 409}, [reply.body for reply in replies]
    assert 200 in statuses(replies)
    [stored] = entries_of(api, owner)
    for reply, change in zip(replies, changes, strict=True):
        applied = all(stored[name] == value for name, value in change.items())
        assert applied == (reply.status == 200), (reply.status, stored)
