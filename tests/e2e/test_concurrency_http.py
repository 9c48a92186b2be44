"""Requests that reach the local server at the same moment, over real HTTP.

The server runs a function's environments side by side, as Lambda does, on DynamoDB
Local. The client threads meet at a barrier before they send, so the requests
overlap. Each round acts as an owner of its own, so no round sees another's timer
or entries.
"""

import itertools
from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest

from tests.together import Call
from tests.together import together as run_together

pytestmark = pytest.mark.e2e

ROUNDS = 3
STARTERS = 20
STOPPERS = 10
# Automatic placement follows a taken start ten times, so ten bookings all land.
BOOKERS = 10
WAIT_SECONDS = 60


def together(calls: Sequence[Call]) -> list[Any]:
    return run_together(calls, WAIT_SECONDS)


def statuses(answers: Sequence[Any]) -> list[int]:
    return sorted(answer.status for answer in answers)


def unexpected(answers: Sequence[Any], *expected: int) -> list[bytes]:
    return [answer.body for answer in answers if answer.status not in expected]


def booking(day: date, start_time: str, duration: str = "1h") -> dict[str, str]:
    return {
        "customer": "Acme Corp",
        "duration": duration,
        "date": day.isoformat(),
        "start_time": start_time,
    }


def patch(api: Any, start: str, body: dict[str, Any]) -> Call:
    return lambda: api.patch(f"/entries?start={start}", body)


def assert_every_booking_listed_once(
    answers: Sequence[Any], listed: list[dict[str, Any]]
) -> None:
    booked = [answer.json() for answer in answers if answer.status == 201]
    assert sorted(listed, key=lambda entry: entry["id"]) == sorted(
        booked, key=lambda entry: entry["id"]
    )
    starts = [entry["start"] for entry in listed]
    assert len(set(starts)) == len(starts)


def assert_one_after_another(listed: list[dict[str, Any]]) -> None:
    for earlier, later in itertools.pairwise(listed):
        assert earlier["end"] <= later["start"], (earlier, later)


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_of_simultaneous_starts_exactly_one_runs_and_the_rest_are_409(
    new_owner, round_number
):
    owner = new_owner()

    answers = together(
        [
            lambda number=number: owner.api.post(
                "/start", {"customer": f"Customer {number}"}
            )
            for number in range(STARTERS)
        ]
    )

    assert statuses(answers) == [201] + [409] * (STARTERS - 1), unexpected(
        answers, 201, 409
    )
    winner = next(answer.json() for answer in answers if answer.status == 201)
    assert all(
        answer.json()["running"]["id"] == winner["id"]
        for answer in answers
        if answer.status == 409
    )
    assert owner.api.get("/active").json()["id"] == winner["id"]


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_of_simultaneous_stops_one_writes_the_entry_and_the_rest_are_404(
    new_owner, round_number
):
    owner = new_owner()
    started = owner.api.post("/start", {"customer": "Acme Corp"})
    assert started.status == 201, started.body

    answers = together([lambda: owner.api.post("/stop") for _ in range(STOPPERS)])

    assert statuses(answers) == [200] + [404] * (STOPPERS - 1), unexpected(
        answers, 200, 404
    )
    stopped = next(answer.json() for answer in answers if answer.status == 200)
    assert stopped["id"] == started.json()["id"]
    assert owner.api.entries(period="all") == [stopped]
    assert owner.api.get("/active").json() == {"active": False}


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_simultaneous_bookings_into_one_day_are_all_stored_one_after_another(
    new_owner, day, round_number
):
    owner = new_owner()
    durations = ["30m", "45m", "1h", "1h15m", "20m"]

    answers = together(
        [
            lambda number=number: owner.api.post(
                "/quick-book",
                {
                    "customer": f"Customer {number}",
                    "duration": durations[number % len(durations)],
                    "date": day.isoformat(),
                },
            )
            for number in range(BOOKERS)
        ]
    )

    assert statuses(answers) == [201] * BOOKERS, unexpected(answers, 201)
    listed = owner.api.entries_on(day)
    assert_every_booking_listed_once(answers, listed)
    assert_one_after_another(listed)
    assert listed[0]["start"] == f"{day}T09:00:00"


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_simultaneous_bookings_that_end_now_are_all_stored_at_distinct_starts(
    new_owner, round_number
):
    owner = new_owner()

    answers = together(
        [
            lambda number=number: owner.api.post(
                "/quick-book", {"customer": f"Customer {number}", "duration": "1h"}
            )
            for number in range(BOOKERS)
        ]
    )

    assert statuses(answers) == [201] * BOOKERS, unexpected(answers, 201)
    assert_every_booking_listed_once(answers, owner.api.entries(period="all"))


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_a_move_racing_a_booking_at_the_same_start_lets_exactly_one_win(
    new_owner, day, round_number
):
    owner = new_owner()
    entry = owner.api.book(**booking(day, "09:00"))

    moved, booked = together(
        [
            patch(owner.api, entry["start"], {"start_time": "11:00"}),
            lambda: owner.api.post("/quick-book", booking(day, "11:00", "30m")),
        ]
    )

    outcome = (moved.status, booked.status)
    assert outcome in ((200, 409), (409, 201)), (moved.body, booked.body)
    listed = owner.api.entries_on(day)
    if moved.status == 200:
        assert moved.json() == entry | {
            "start": f"{day}T11:00:00",
            "end": f"{day}T12:00:00",
        }
        assert listed == [moved.json()]
    else:
        assert listed == [entry, booked.json()]


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_two_moves_to_the_same_start_let_exactly_one_win(new_owner, day, round_number):
    owner = new_owner()
    first = owner.api.book(**booking(day, "09:00"))
    second = owner.api.book(**booking(day, "13:00", "30m"))

    answers = together(
        [
            patch(owner.api, first["start"], {"start_time": "11:00"}),
            patch(owner.api, second["start"], {"start_time": "11:00"}),
        ]
    )

    assert statuses(answers) == [200, 409], unexpected(answers, 200, 409)
    winner = next(answer.json() for answer in answers if answer.status == 200)
    assert winner["start"] == f"{day}T11:00:00"
    listed = owner.api.entries_on(day)
    assert sorted(entry["id"] for entry in listed) == sorted(
        [first["id"], second["id"]]
    )
    assert winner in listed


@pytest.mark.parametrize("round_number", range(ROUNDS))
def test_two_edits_of_one_entry_at_once_never_lose_an_answered_change(
    new_owner, day, round_number
):
    owner = new_owner()
    entry = owner.api.book(**booking(day, "09:00"))
    changes = [{"notes": "first"}, {"description": "second"}]

    answers = together([patch(owner.api, entry["start"], change) for change in changes])

    assert set(statuses(answers)) <= {200, 409}, unexpected(answers, 200, 409)
    assert 200 in statuses(answers)
    [stored] = owner.api.entries_on(day)
    for answer, change in zip(answers, changes, strict=True):
        applied = all(stored[name] == value for name, value in change.items())
        assert applied == (answer.status == 200), (answer.status, stored)
