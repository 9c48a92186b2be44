"""Weeks start on Monday unless the owner (or the stack) chose Sunday.

The moment is Wednesday 2026-04-22, noon in Berlin.
"""

import pytest

from clocks.settings import load_settings


def summary_days(api, period: str, owner: str | None = None) -> tuple[str, str]:
    options = {"owner": owner} if owner else {}
    reply = api("get_summary", query={"period": period}, **options)
    assert reply.status == 200, reply.body
    return reply.json["from_date"], reply.json["to_date"]


def test_a_week_runs_from_monday_to_sunday_by_default(api):
    assert summary_days(api, "week") == ("2026-04-20", "2026-04-26")
    assert summary_days(api, "last_week") == ("2026-04-13", "2026-04-19")


def test_an_owner_who_chose_sunday_gets_sunday_weeks(api, store, sample_owner):
    store.set_week_start(sample_owner, "sunday")

    assert summary_days(api, "week") == ("2026-04-19", "2026-04-25")
    assert summary_days(api, "last_week") == ("2026-04-12", "2026-04-18")
    assert summary_days(api, "week", owner="bob") == ("2026-04-20", "2026-04-26")


def test_a_sunday_entry_counts_in_the_week_it_starts(api, store, sample_owner, book):
    store.set_week_start(sample_owner, "sunday")
    book("2026-04-19", "23:30", "1h")

    listed = api("list_entries", query={"period": "week"}).json

    assert [entry["start"] for entry in listed] == ["2026-04-19T23:30:00"]


def test_setting_the_week_start_keeps_the_chosen_zone(api, store, sample_owner):
    store.set_time_zone(sample_owner, "America/New_York")
    store.set_week_start(sample_owner, "sunday")

    assert store.profile_of(sample_owner) == {
        "time_zone": "America/New_York",
        "week_start": "sunday",
    }


@pytest.mark.parametrize("week_start", ["sunday", "SUNDAY"])
def test_the_stack_default_applies_to_owners_without_a_choice(
    api, monkeypatch, week_start
):
    monkeypatch.setenv("WEEK_START", week_start)
    load_settings.cache_clear()

    assert summary_days(api, "week") == ("2026-04-19", "2026-04-25")
