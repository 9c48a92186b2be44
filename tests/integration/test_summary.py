"""GET /summary: hours per customer in a period."""

from datetime import timedelta

import pytest


def summary(api, **query):
    reply = api("get_summary", query=query)
    assert reply.status == 200, reply.body
    return reply.json


def test_rows_are_rounded_once_and_the_total_is_the_exact_sum(api, book):
    book("2026-04-20", "09:00", "20m", customer="Acme")
    book("2026-04-20", "10:00", "20m", customer="Beta")
    book("2026-04-20", "11:00", "20m", customer="Gamma")

    result = summary(api)

    assert [row["hours"] for row in result["customers"]] == [0.33, 0.33, 0.33]
    assert result["total_hours"] == 1.0


def test_customers_are_grouped_regardless_of_case_and_sorted(api, book):
    book("2026-04-20", "09:00", "1h", customer="beta")
    book("2026-04-20", "10:00", "30m", customer="Acme Corp")
    book("2026-04-21", "09:00", "2h", customer="Beta")
    book("2026-04-21", "11:00", "15m", customer="ACME CORP")

    result = summary(api)

    assert [row["customer"].casefold() for row in result["customers"]] == [
        "acme corp",
        "beta",
    ]
    assert [row["hours"] for row in result["customers"]] == [0.75, 3.0]
    assert [row["entry_count"] for row in result["customers"]] == [2, 2]
    assert result["total_hours"] == 3.75


def test_the_default_period_is_the_month(api, book):
    book("2026-03-31", "09:00", "1h", customer="March")
    book("2026-04-01", "09:00", "1h", customer="April")

    result = summary(api)

    assert (result["from_date"], result["to_date"]) == ("2026-04-01", "2026-04-30")
    assert [row["customer"] for row in result["customers"]] == ["April"]


@pytest.mark.parametrize(
    ("query", "customers"),
    [
        ({"period": "today"}, ["Today"]),
        ({"period": "week"}, ["Monday", "Today"]),
        ({"period": "last_month"}, ["March"]),
        ({"period": "all"}, ["Last year", "March", "Monday", "Today"]),
        ({"from_date": "2026-03-01", "to_date": "2026-04-20"}, ["March", "Monday"]),
        ({"to_date": "2026-03-31"}, ["Last year", "March"]),
    ],
)
def test_the_period_or_dates_choose_the_entries_counted(api, book, query, customers):
    book("2025-06-02", "09:00", "1h", customer="Last year")
    book("2026-03-31", "09:00", "1h", customer="March")
    book("2026-04-20", "09:00", "1h", customer="Monday")
    book("2026-04-22", "09:00", "1h", customer="Today")

    result = summary(api, **query)

    assert [row["customer"] for row in result["customers"]] == customers


def test_a_running_timer_counts_up_to_now(api, book):
    book("2026-04-22", "08:00", "1h", customer="Acme Corp")
    api("start_timer", body={"customer": "acme corp"})
    api.now += timedelta(minutes=30)

    result = summary(api, period="today")

    assert result["customers"] == [
        {"customer": "Acme Corp", "hours": 1.5, "entry_count": 2}
    ]
    assert result["total_hours"] == 1.5


def test_an_empty_period_has_no_rows_and_zero_hours(api):
    result = summary(api, period="last_year")

    assert result == {
        "from_date": "2025-01-01",
        "to_date": "2025-12-31",
        "customers": [],
        "total_hours": 0.0,
    }


@pytest.mark.parametrize(
    "query",
    [
        {"period": "quarter"},
        {"from_date": "2026-04-31"},
        {"customer": "Acme"},
        [("period", "week"), ("period", "week")],
    ],
)
def test_a_bad_query_is_422(api, query):
    reply = api("get_summary", query=query)

    assert reply.status == 422
    assert reply.message
