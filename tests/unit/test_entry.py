"""How entries and the running timer look to a client."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from clocks.entry import Entry, Timer, customer_key, entry_json, timer_json

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 4, 20, 7, 0, tzinfo=UTC)


def an_entry(**changes) -> Entry:
    fields = {
        "owner": "default",
        "id": "0f3c9a7e5b1d4c2a8e6f0a1b2c3d4e5f",
        "start": START,
        "end": START + timedelta(hours=2, minutes=30),
        "customer": "Acme Corp",
        "description": "Landing page design",
        "task_id": "abc123",
        "contract": "Q2 2026",
        "notes": "",
    }
    return Entry(**(fields | changes))


def test_an_entry_shows_the_documented_fields_in_wall_clock_time():
    assert entry_json(an_entry(), BERLIN) == {
        "id": "0f3c9a7e5b1d4c2a8e6f0a1b2c3d4e5f",
        "start": "2026-04-20T09:00:00",
        "end": "2026-04-20T11:30:00",
        "customer": "Acme Corp",
        "description": "Landing page design",
        "hours": 2.5,
        "task_id": "abc123",
        "contract": "Q2 2026",
        "invoiced": False,
        "notes": "",
    }


def test_an_entry_without_task_or_contract_shows_nulls():
    shown = entry_json(an_entry(task_id=None, contract=None), BERLIN)

    assert shown["task_id"] is None
    assert shown["contract"] is None


def test_the_same_entry_reads_in_the_zone_of_the_caller():
    shown = entry_json(an_entry(), ZoneInfo("America/New_York"))

    assert (shown["start"], shown["end"]) == (
        "2026-04-20T03:00:00",
        "2026-04-20T05:30:00",
    )


def test_hours_come_from_whole_seconds_rounded_to_two_decimals():
    twenty_minutes = an_entry(end=START + timedelta(minutes=20))
    eight_point_two = an_entry(end=START + timedelta(hours=8, minutes=12))

    assert twenty_minutes.seconds == 1200
    assert entry_json(twenty_minutes, BERLIN)["hours"] == 0.33
    assert entry_json(eight_point_two, BERLIN)["hours"] == 8.2


def test_an_entry_over_the_autumn_night_counts_the_repeated_hour():
    night = an_entry(
        start=datetime(2026, 10, 24, 22, 0, tzinfo=UTC),
        end=datetime(2026, 10, 25, 3, 0, tzinfo=UTC),
    )

    shown = entry_json(night, BERLIN)

    assert (shown["start"], shown["end"]) == (
        "2026-10-25T00:00:00",
        "2026-10-25T04:00:00",
    )
    assert shown["hours"] == 5.0


def test_a_running_timer_shows_active_and_the_hours_so_far():
    timer = Timer(owner="default", id="t1", start=START, customer="Acme Corp")

    shown = timer_json(timer, BERLIN, START + timedelta(minutes=45))

    assert shown["active"] is True
    assert shown["start"] == "2026-04-20T09:00:00"
    assert shown["hours"] == 0.75
    assert shown["customer"] == "Acme Corp"
    assert "end" not in shown


def test_a_timer_seen_before_its_start_shows_no_negative_hours():
    timer = Timer(owner="default", id="t1", start=START, customer="Acme Corp")

    assert timer_json(timer, BERLIN, START - timedelta(minutes=5))["hours"] == 0.0


def test_customers_match_regardless_of_case_and_surrounding_spaces():
    assert customer_key("default", " ACME Corp ") == customer_key(
        "default", "acme corp"
    )
    assert customer_key("default", "STRASSE") == customer_key("default", "straße")
    assert customer_key("default", "Acme") != customer_key("someone", "Acme")
    assert customer_key("default", "Acme") != customer_key("default", "Acme Corp")
