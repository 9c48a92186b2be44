"""Starting, watching and stopping the one timer."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.e2e

BERLIN = ZoneInfo("Europe/Berlin")


def _berlin_now() -> datetime:
    return datetime.now(BERLIN).replace(tzinfo=None)


def test_started_timer_is_active_with_its_start_in_the_configured_zone(
    api, timer, customer
):
    started = timer.start(customer, description="Landing page", contract="Q2")

    assert started.status == 201
    assert "application/json" in started.content_type
    active = api.get("/active").json()
    assert active["active"] is True
    assert active["id"] == started.json()["id"]
    assert active["customer"] == customer
    assert active["description"] == "Landing page"
    assert active["contract"] == "Q2"
    start = datetime.fromisoformat(active["start"])
    assert abs(start - _berlin_now()) < timedelta(seconds=30)


def test_no_running_timer_is_reported_as_inactive(api, timer):
    answer = api.get("/active")

    assert answer.status == 200
    assert answer.json() == {"active": False}


def test_second_start_is_refused_with_409_naming_the_running_timer(
    api, timer, customer
):
    first = timer.start(customer)

    second = timer.start("Someone Else")

    assert second.status == 409
    refusal = second.json()
    assert customer in refusal["message"]
    assert refusal["running"]["id"] == first.json()["id"]
    assert api.get("/active").json()["customer"] == customer


def test_stop_turns_the_timer_into_an_entry_and_a_second_stop_is_404(
    api, timer, customer
):
    started = timer.start(customer, task_id="T-1", notes="first draft").json()

    stopped = timer.stop()
    again = timer.stop()

    assert stopped.status == 200
    entry = stopped.json()
    assert entry["id"] == started["id"]
    assert entry["start"] == started["start"]
    assert entry["customer"] == customer
    assert entry["task_id"] == "T-1"
    assert entry["notes"] == "first draft"
    assert entry["invoiced"] is False
    assert datetime.fromisoformat(entry["end"]) >= datetime.fromisoformat(
        entry["start"]
    )
    assert again.status == 404
    assert again.json()["message"]
    assert api.get("/active").json() == {"active": False}
    day = entry["start"][:10]
    listed = api.entries(customer=customer, from_date=day, to_date=day)
    assert [listed_entry["id"] for listed_entry in listed] == [entry["id"]]


def test_stop_is_refused_while_an_entry_starts_when_the_timer_started(
    api, timer, customer
):
    started = timer.start(customer).json()
    start = datetime.fromisoformat(started["start"])
    api.book(
        "Blocking Booking",
        "15m",
        date=start.date(),
        start_time=start.time().isoformat(),
    )

    refused = timer.stop()
    assert refused.status == 409
    assert api.get("/active").json()["id"] == started["id"]

    assert api.delete(f"/entries?start={started['start']}").status == 204
    stopped = timer.stop()
    assert stopped.status == 200
    assert stopped.json()["id"] == started["id"]


def test_only_one_of_concurrent_starts_wins(api, timer, customer):
    def start(number: int):
        return api.post("/start", {"customer": f"{customer} {number}"})

    timer.wait_for_a_fresh_second()
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(start, range(6)))

    statuses = sorted(answer.status for answer in answers)
    assert statuses == [201, 409, 409, 409, 409, 409]
    winner = next(answer.json() for answer in answers if answer.status == 201)
    assert api.get("/active").json()["id"] == winner["id"]


def test_running_timer_counts_in_the_summary_of_today(api, timer, customer):
    timer.start(customer)

    summary = api.get("/summary?period=today").json()

    rows = [row for row in summary["customers"] if row["customer"] == customer]
    assert rows == [{"customer": customer, "hours": 0.0, "entry_count": 1}]
