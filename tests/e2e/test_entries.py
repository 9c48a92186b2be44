"""Listing, changing and deleting entries."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.e2e

BERLIN = ZoneInfo("Europe/Berlin")


def test_entries_between_dates_are_listed_in_start_order(api, customer, new_day):
    first, second, third = new_day(), new_day(), new_day()
    late = api.book(customer, "1h", date=second, start_time="15:00")
    early = api.book(customer, "1h", date=first)
    api.book(customer, "1h", date=third)

    listed = api.entries(from_date=first, to_date=second)

    assert listed == [early, late]


def test_customer_filter_ignores_case(api, customer, day):
    mine = api.book(customer, "1h", date=day)
    api.book("Somebody Else", "1h", date=day)

    listed = api.entries(customer=customer.upper(), period="all")

    assert listed == [mine]


def test_task_filter_finds_the_task_across_all_dates(api, customer, new_day):
    task = f"task-{customer[-8:]}"
    early = api.book(customer, "1h", date=new_day(), task_id=task)
    later_day = new_day() + timedelta(days=400)
    later = api.book(customer, "2h", date=later_day, task_id=task)
    api.book(customer, "1h", date=new_day())

    assert api.entries(task_id=task) == [early, later]


def test_period_today_lists_todays_entries_only(api, customer):
    today = datetime.now(BERLIN).date()
    booked = api.book(customer, "5m", date=today, start_time="00:01:07")

    for period in ("today", "week", "month", "year", "all"):
        listed = api.entries(period=period, customer=customer)
        assert listed == [booked], period
    for period in ("yesterday", "last_week", "last_month", "last_year"):
        assert api.entries(period=period, customer=customer) == [], period


def test_unknown_period_is_refused_with_422_listing_the_accepted_ones(api):
    answer = api.get("/entries?period=fortnight")

    assert answer.status == 422
    message = answer.json()["message"]
    for period in ("today", "week", "last_week", "month", "year", "all"):
        assert period in message


def test_patch_changes_only_the_given_fields(api, customer, day):
    entry = api.book(customer, "1h", date=day, description="Draft", notes="n1")
    renamed = f"{customer} GmbH"

    answer = api.patch(
        f"/entries?start={entry['start']}",
        {"customer": renamed, "task_id": "T-9", "contract": "Q3", "notes": "n2"},
    )

    assert answer.status == 200
    changed = answer.json()
    assert changed == {
        **entry,
        "customer": renamed,
        "task_id": "T-9",
        "contract": "Q3",
        "notes": "n2",
    }
    assert api.entries_on(day) == [changed]


def test_patch_hours_moves_the_end_and_keeps_the_start(api, customer, day):
    entry = api.book(customer, "1h", date=day)

    changed = api.patch(f"/entries?start={entry['start']}", {"hours": 2.25}).json()

    assert changed["start"] == f"{day}T09:00:00"
    assert changed["end"] == f"{day}T11:15:00"
    assert changed["hours"] == 2.25


def test_patch_new_date_and_start_time_moves_the_entry_keeping_its_id(
    api, customer, new_day
):
    old_day, new = new_day(), new_day()
    entry = api.book(customer, "1h30m", date=old_day, description="Moved")

    answer = api.patch(
        f"/entries?start={entry['start']}",
        {"new_date": str(new), "start_time": "13:00"},
    )

    assert answer.status == 200
    moved = answer.json()
    assert moved["id"] == entry["id"]
    assert (moved["start"], moved["end"]) == (f"{new}T13:00:00", f"{new}T14:30:00")
    assert api.entries_on(old_day) == []
    assert api.entries_on(new) == [moved]


def test_patch_start_time_alone_keeps_the_date(api, customer, day):
    entry = api.book(customer, "1h", date=day)

    moved = api.patch(f"/entries?start={entry['start']}", {"start_time": "16:30"})

    assert moved.json()["start"] == f"{day}T16:30:00"


def test_moving_onto_a_taken_start_is_refused_with_409_and_changes_nothing(
    api, customer, day
):
    first = api.book(customer, "1h", date=day)
    second = api.book(customer, "1h", date=day, start_time="11:00")

    answer = api.patch(f"/entries?start={first['start']}", {"start_time": "11:00"})

    assert answer.status == 409
    assert answer.json()["message"]
    assert api.entries_on(day) == [first, second]


def test_patching_a_missing_entry_is_404(api, day):
    answer = api.patch(f"/entries?start={day}T09:00:00", {"notes": "nobody"})

    assert answer.status == 404
    assert answer.json()["message"]


def test_delete_answers_204_and_the_entry_is_gone(api, customer, day):
    entry = api.book(customer, "1h", date=day)
    kept = api.book(customer, "1h", date=day)

    answer = api.delete(f"/entries?start={entry['start']}")

    assert answer.status == 204
    assert answer.body == b""
    assert api.entries_on(day) == [kept]


def test_deleting_a_missing_entry_is_404(api, customer, day):
    entry = api.book(customer, "1h", date=day)
    api.delete(f"/entries?start={entry['start']}")

    answer = api.delete(f"/entries?start={entry['start']}")

    assert answer.status == 404
    assert answer.json()["message"]
