"""GET /entries: which entries a period, date range, customer or task selects."""

import pytest

# Local starts around "now" (Wednesday 2026-04-22, 12:00 in Berlin).
DAYS = [
    "2025-12-31T10:00:00",
    "2026-01-15T10:00:00",
    "2026-03-31T23:30:00",
    "2026-04-01T00:30:00",
    "2026-04-12T10:00:00",
    "2026-04-13T10:00:00",
    "2026-04-19T23:30:00",
    "2026-04-20T00:15:00",
    "2026-04-21T23:30:00",
    "2026-04-22T00:15:00",
    "2026-04-26T10:00:00",
    "2026-04-27T00:15:00",
    "2026-05-01T10:00:00",
    "2027-01-01T10:00:00",
]


@pytest.fixture
def calendar(book):
    """One half-hour entry at each start of DAYS, booked out of order."""
    for start in reversed(DAYS):
        day, clock = start.split("T")
        book(day, clock, "30m")


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("today", ["2026-04-22T00:15:00"]),
        ("yesterday", ["2026-04-21T23:30:00"]),
        (
            "week",
            [
                "2026-04-20T00:15:00",
                "2026-04-21T23:30:00",
                "2026-04-22T00:15:00",
                "2026-04-26T10:00:00",
            ],
        ),
        ("last_week", ["2026-04-13T10:00:00", "2026-04-19T23:30:00"]),
        ("month", DAYS[3:12]),
        ("last_month", ["2026-03-31T23:30:00"]),
        ("year", DAYS[1:13]),
        ("last_year", ["2025-12-31T10:00:00"]),
        ("all", DAYS),
    ],
)
@pytest.mark.usefixtures("calendar")
def test_a_period_selects_the_entries_starting_on_its_local_days(
    listed, period, expected
):
    assert [entry["start"] for entry in listed(period=period)] == expected


@pytest.mark.usefixtures("calendar")
def test_without_a_period_the_current_month_is_listed(api):
    reply = api("list_entries", query={})

    assert [entry["start"] for entry in reply.json] == DAYS[3:12]


@pytest.mark.usefixtures("calendar")
def test_from_and_to_date_include_both_whole_local_days(listed):
    entries = listed(from_date="2026-04-13", to_date="2026-04-21")

    assert [entry["start"] for entry in entries] == DAYS[5:9]


@pytest.mark.usefixtures("calendar")
def test_from_date_alone_is_open_ended_into_the_future(listed):
    entries = listed(from_date="2026-04-26")

    assert [entry["start"] for entry in entries] == DAYS[10:]


@pytest.mark.usefixtures("calendar")
def test_to_date_alone_is_open_ended_into_the_past(listed):
    entries = listed(to_date="2026-01-15")

    assert [entry["start"] for entry in entries] == DAYS[:2]


@pytest.mark.usefixtures("calendar")
def test_dates_win_over_a_period(listed):
    entries = listed(period="today", from_date="2026-04-01", to_date="2026-04-01")

    assert [entry["start"] for entry in entries] == ["2026-04-01T00:30:00"]


@pytest.mark.parametrize(
    ("time_zone", "today"),
    [
        ("America/New_York", "2026-04-22T06:00:00"),
        ("Pacific/Auckland", "2026-04-22T22:00:00"),
        ("UTC", "2026-04-22T10:00:00"),
    ],
)
def test_today_is_the_owners_local_day_in_any_zone(api, listed, today):
    # "now" is 10:00 UTC: still the 22nd in New York, late evening in Auckland.
    booked = api("quick_book", body={"duration": "30m", "customer": "Acme"}).json

    assert booked["end"] == today
    assert [entry["start"] for entry in listed(period="today")] == [booked["start"]]
    assert listed(period="yesterday") == []


def test_entries_are_sorted_by_start_whatever_the_booking_order(book, listed):
    for start in ("15:00", "09:00", "12:30", "10:00"):
        book("2026-04-20", start, "15m")

    starts = [entry["start"] for entry in listed()]

    assert starts == [
        "2026-04-20T09:00:00",
        "2026-04-20T10:00:00",
        "2026-04-20T12:30:00",
        "2026-04-20T15:00:00",
    ]


def test_the_customer_filter_ignores_case(book, listed):
    acme = book("2026-04-20", "09:00", "1h", customer="Acme Corp")
    book("2026-04-20", "11:00", "1h", customer="Beta Inc")
    book("2026-04-20", "13:00", "1h", customer="Acme")

    assert listed(period="all", customer="acme corp") == [acme]
    assert listed(period="all", customer="ACME CORP") == [acme]
    assert listed(period="all", customer="Gamma") == []


def test_a_customer_filter_keeps_to_the_period(book, listed):
    march = book("2026-03-20", "09:00", "1h", customer="Acme Corp")
    april = book("2026-04-20", "09:00", "1h", customer="Acme Corp")

    assert listed(customer="acme corp") == [april]
    assert listed(period="last_month", customer="acme corp") == [march]


def test_a_task_alone_is_searched_across_all_dates(book, listed):
    old = book("2024-11-04", "09:00", "1h", task_id="T-7")
    new = book("2026-04-20", "09:00", "1h", task_id="T-7")
    book("2026-04-20", "11:00", "1h", task_id="T-8")
    book("2026-04-20", "13:00", "1h")

    assert listed(task_id="T-7") == [old, new]


def test_a_task_with_a_period_keeps_to_the_period(book, listed):
    book("2024-11-04", "09:00", "1h", task_id="T-7")
    new = book("2026-04-20", "09:00", "1h", task_id="T-7")

    assert listed(task_id="T-7", period="month") == [new]


def test_task_and_customer_together_must_both_match(book, listed):
    both = book("2026-04-20", "09:00", "1h", customer="Acme", task_id="T-7")
    book("2026-04-20", "11:00", "1h", customer="Beta", task_id="T-7")
    book("2026-04-20", "13:00", "1h", customer="Acme", task_id="T-8")

    assert listed(task_id="T-7", customer="acme", period="all") == [both]


def test_an_unknown_period_is_422_listing_the_accepted_ones(api):
    reply = api("list_entries", query={"period": "fortnight"})

    assert reply.status == 422
    for period in ("today", "yesterday", "week", "last_week", "month", "last_month"):
        assert period in reply.message
    for period in ("year", "last_year", "all"):
        assert period in reply.message


@pytest.mark.parametrize(
    "query",
    [
        {"from_date": "2026-13-01"},
        {"to_date": "22.04.2026"},
        {"from_date": "2026-04-31"},
        {"from_date": "yesterday", "to_date": "2026-04-22"},
    ],
)
def test_a_malformed_date_is_422_naming_the_form(api, query):
    reply = api("list_entries", query=query)

    assert reply.status == 422
    assert "YYYY-MM-DD" in reply.message


def test_from_date_after_to_date_is_422(api):
    reply = api(
        "list_entries", query={"from_date": "2026-04-22", "to_date": "2026-04-21"}
    )

    assert reply.status == 422


@pytest.mark.parametrize("name", ["sort", "limit", "Period", "customer_id", "start"])
def test_an_unknown_query_parameter_is_422(api, name):
    reply = api("list_entries", query={name: "x"})

    assert reply.status == 422
    assert name in reply.message


@pytest.mark.parametrize(
    "query",
    [
        [("period", "week"), ("period", "month")],
        [("customer", "Acme"), ("customer", "Beta")],
        [("period", "week"), ("period", "")],
    ],
)
def test_a_repeated_query_parameter_is_422(api, query):
    reply = api("list_entries", query=query)

    assert reply.status == 422
    assert "more than once" in reply.message


def test_a_customer_with_a_comma_is_one_customer_not_two(book, api):
    entry = book("2026-04-20", "09:00", "1h", customer="Acme, Inc.")

    reply = api("list_entries", query={"customer": "acme, inc.", "period": "all"})

    assert reply.json == [entry]


@pytest.mark.parametrize(
    "query", [{"from_date": "9999-12-31"}, {"to_date": "0001-01-01"}]
)
def test_a_date_outside_the_supported_years_says_so(api, query):
    reply = api("list_entries", query=query)

    assert reply.status == 422
    assert "1970" in reply.message


def test_an_overlong_customer_filter_is_refused(api):
    reply = api("list_entries", query={"customer": "A" * 3000})

    assert reply.status == 422
    assert "too long" in reply.message
