"""`tools.admin set-time-zone`: an owner's own zone for wall-clock times."""

from datetime import date

import pytest

pytestmark = pytest.mark.e2e


def test_set_time_zone_changes_the_wall_clock_times_of_that_owner_only(
    admin, new_owner, local_owner, customer
):
    owner = new_owner()
    day = date(2031, 6, 2)
    entry = owner.api.book(customer, "1h", date=day, start_time="10:00")
    own = local_owner.api.book(customer, "1h", date=day, start_time="10:00")

    changed = admin("set-time-zone", "--owner", owner.name, "America/New_York")

    assert changed.returncode == 0, changed.stderr
    assert "America/New_York" in changed.stdout
    # 10:00 in Berlin (UTC+2 in June) is 04:00 in New York (UTC-4).
    moved = {**entry, "start": f"{day}T04:00:00", "end": f"{day}T05:00:00"}
    assert owner.api.entries_on(day) == [moved]
    assert owner.api.entries(period="all") == [moved]
    assert local_owner.api.entries(customer=customer, period="all") == [own]


def test_an_unknown_zone_is_bad_usage_and_changes_nothing(admin, new_owner, customer):
    owner = new_owner()
    entry = owner.api.book(customer, "1h", date=date(2031, 6, 3), start_time="10:00")

    refused = admin("set-time-zone", "--owner", owner.name, "Europe/Atlantis")

    assert refused.returncode == 2
    assert "Europe/Atlantis" in refused.stderr
    assert owner.api.entries(period="all") == [entry]


def test_set_week_start_makes_that_owners_weeks_start_on_sunday(admin, new_owner):
    owner = new_owner()
    before = owner.api.get("/summary?period=week").json()

    changed = admin("set-week-start", "--owner", owner.name, "sunday")

    assert changed.returncode == 0, changed.stderr
    after = owner.api.get("/summary?period=week").json()
    assert date.fromisoformat(before["from_date"]).weekday() == 0
    assert date.fromisoformat(after["from_date"]).weekday() == 6
