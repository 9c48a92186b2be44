"""The README's time rules through the handlers, in zones on both sides of the globe.

Europe/Berlin and America/New_York change their clocks in March and in
October/November, Pacific/Auckland in September (forward) and April (back). Each
test sets the owner's zone, and where it matters the moment the request is made.
"""

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.feed_parsers import read_with_icalendar

ZONES = ["Europe/Berlin", "America/New_York", "Pacific/Auckland"]
# The days in 2026 when the clocks go forward and back in each zone.
SPRING_FORWARD = {
    "Europe/Berlin": "2026-03-29",
    "America/New_York": "2026-03-08",
    "Pacific/Auckland": "2026-09-27",
}
FALL_BACK = {
    "Europe/Berlin": "2026-10-25",
    "America/New_York": "2026-11-01",
    "Pacific/Auckland": "2026-04-05",
}
# Every feed request covers all the entries these tests book.
WHOLE_FEED = {"from_date": "2025-01-01"}


def at(zone: str, wall: str) -> datetime:
    """The UTC instant of a wall-clock time in `zone` (its first occurrence)."""
    return datetime.fromisoformat(wall).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture(params=ZONES)
def zone(request, store, sample_owner) -> str:
    """The owner's chosen zone."""
    store.set_time_zone(sample_owner, request.param)
    return request.param


def starts(api, **query: str) -> list[str]:
    reply = api("list_entries", query=query)
    assert reply.status == 200, reply.body
    return [entry["start"] for entry in reply.json]


def summary(api, **query: str) -> dict:
    reply = api("get_summary", query=query)
    assert reply.status == 200, reply.body
    return reply.json


def feed_times(api) -> list[tuple[datetime, datetime]]:
    reply = api("calendar_feed", query=WHOLE_FEED)
    assert reply.status == 200, reply.body
    feed = read_with_icalendar(reply.body.encode())
    return [(event.start, event.end) for event in feed.events]


def patch(api, start: str, **body) -> object:
    return api("update_entry", query={"start": start}, body=body)


# Periods: the first and the last second of each, and the seconds just outside.
# The moment of the request is noon on Wednesday 2026-04-22 in the owner's zone.
PERIOD_EDGES = {
    "today": (
        "2026-04-21T23:59:59",
        "2026-04-22T00:00:00",
        "2026-04-22T23:59:59",
        "2026-04-23T00:00:00",
    ),
    "week": (
        "2026-04-19T23:59:59",
        "2026-04-20T00:00:00",
        "2026-04-26T23:59:59",
        "2026-04-27T00:00:00",
    ),
    "month": (
        "2026-03-31T23:59:59",
        "2026-04-01T00:00:00",
        "2026-04-30T23:59:59",
        "2026-05-01T00:00:00",
    ),
    "year": (
        "2025-12-31T23:59:59",
        "2026-01-01T00:00:00",
        "2026-12-31T23:59:59",
        "2027-01-01T00:00:00",
    ),
}
PREVIOUS = {
    "today": "yesterday",
    "week": "last_week",
    "month": "last_month",
    "year": "last_year",
}


def book_at(book, wall: str, duration: str = "1h", **fields) -> dict:
    day, _, time = wall.partition("T")
    return book(day, time, duration, **fields)


@pytest.mark.parametrize("period", list(PERIOD_EDGES))
def test_a_period_runs_from_local_midnight_to_local_midnight(api, book, zone, period):
    api.now = at(zone, "2026-04-22T12:00:00")
    before, first, last, after = PERIOD_EDGES[period]
    for wall in (before, first, last, after):
        # One hour long, so that the entries at 23:59:59 run past midnight.
        book_at(book, wall)

    assert starts(api, period=period) == [first, last]
    assert starts(api, period=PREVIOUS[period]) == [before]
    assert summary(api, period=period)["total_hours"] == 2.0
    assert summary(api, period=PREVIOUS[period])["total_hours"] == 1.0


@pytest.mark.parametrize("wall", ["2026-04-22T00:00:00", "2026-04-22T23:59:59"])
def test_today_is_the_local_day_at_its_first_and_last_second(api, book, zone, wall):
    book_at(book, "2026-04-21T23:59:59", customer="Yesterday")
    book_at(book, "2026-04-22T00:00:00", customer="Today")
    api.now = at(zone, wall)

    covered = summary(api, period="today")

    assert (covered["from_date"], covered["to_date"]) == ("2026-04-22", "2026-04-22")
    assert starts(api, period="today") == ["2026-04-22T00:00:00"]
    assert starts(api, period="yesterday") == ["2026-04-21T23:59:59"]


def test_a_sunday_week_start_moves_the_boundary_to_saturday_midnight(
    api, book, store, sample_owner, zone
):
    api.now = at(zone, "2026-04-22T12:00:00")
    for wall in (
        "2026-04-18T23:59:59",
        "2026-04-19T00:00:00",
        "2026-04-19T23:59:59",
        "2026-04-20T00:00:00",
    ):
        book_at(book, wall)
    monday_week = starts(api, period="week")
    monday_last_week = starts(api, period="last_week")

    store.set_week_start(sample_owner, "sunday")

    assert monday_week == ["2026-04-20T00:00:00"]
    assert monday_last_week == [
        "2026-04-18T23:59:59",
        "2026-04-19T00:00:00",
        "2026-04-19T23:59:59",
    ]
    assert starts(api, period="week") == [
        "2026-04-19T00:00:00",
        "2026-04-19T23:59:59",
        "2026-04-20T00:00:00",
    ]
    assert starts(api, period="last_week") == ["2026-04-18T23:59:59"]


def test_an_entry_across_midnight_belongs_wholly_to_the_day_it_starts(api, book, zone):
    api.now = at(zone, "2026-04-22T12:00:00")
    late = book("2026-04-19", "22:00", "4h")

    sunday = summary(api, from_date="2026-04-19", to_date="2026-04-19")
    monday = summary(api, from_date="2026-04-20", to_date="2026-04-20")

    assert late["end"] == "2026-04-20T02:00:00"
    assert late["hours"] == 4.0
    assert sunday["total_hours"] == 4.0
    assert monday["total_hours"] == 0.0
    assert summary(api, period="last_week")["total_hours"] == 4.0
    assert summary(api, period="week")["total_hours"] == 0.0
    assert starts(api, from_date="2026-04-20") == []


@pytest.mark.parametrize(
    ("season", "start", "duration", "end", "hours"),
    [
        # Spring: the hour from 02:00 to 03:00 never happens.
        ("spring", "01:30", "1h", "03:30:00", 1.0),
        ("spring", "00:00", "3h", "04:00:00", 3.0),
        # Autumn: the hour before the change happens twice.
        ("autumn", "00:30", "3h", "02:30:00", 3.0),
        ("autumn", "00:00", "4h", "03:00:00", 4.0),
    ],
)
def test_an_entry_across_a_dst_change_lasts_its_real_hours(
    api, book, zone, season, start, duration, end, hours
):
    day = (SPRING_FORWARD if season == "spring" else FALL_BACK)[zone]
    # Auckland's clocks change at 03:00 in April, an hour later than the others'.
    if zone == "Pacific/Auckland" and season == "autumn":
        start = f"{int(start[:2]) + 1:02d}{start[2:]}"
        end = f"{int(end[:2]) + 1:02d}{end[2:]}"

    entry = book(day, start, duration)

    assert entry["end"] == f"{day}T{end}"
    assert entry["hours"] == hours
    assert summary(api, from_date=day, to_date=day)["total_hours"] == hours
    [(dtstart, dtend)] = feed_times(api)
    assert dtend - dtstart == timedelta(hours=hours)


@pytest.mark.parametrize("season", ["spring", "autumn"])
def test_a_timer_running_through_a_dst_change_counts_its_real_hours(api, zone, season):
    day = (SPRING_FORWARD if season == "spring" else FALL_BACK)[zone]
    # From 01:00 to 04:00 on the wall clock, across the change either way.
    api.now = at(zone, f"{day}T01:00:00")
    api("start_timer", body={"customer": "Acme Corp"})
    api.now = at(zone, f"{day}T04:00:00")

    stopped = api("stop_timer").json

    assert (stopped["start"], stopped["end"]) == (f"{day}T01:00:00", f"{day}T04:00:00")
    assert stopped["hours"] == (2.0 if season == "spring" else 4.0)


@dataclass(frozen=True)
class RepeatedHour:
    """A wall-clock time that the autumn night shows twice, and its two instants."""

    zone: str
    day: str
    time: str
    first_utc: str
    second_utc: str
    first_offset: str
    second_offset: str

    @property
    def wall(self) -> str:
        return f"{self.day}T{self.time}"


REPEATED_HOURS = [
    RepeatedHour(
        "Europe/Berlin",
        "2026-10-25",
        "02:30:00",
        "2026-10-25T00:30:00",
        "2026-10-25T01:30:00",
        "+02:00",
        "+01:00",
    ),
    RepeatedHour(
        "America/New_York",
        "2026-11-01",
        "01:30:00",
        "2026-11-01T05:30:00",
        "2026-11-01T06:30:00",
        "-04:00",
        "-05:00",
    ),
    RepeatedHour(
        "Pacific/Auckland",
        "2026-04-05",
        "02:30:00",
        "2026-04-04T13:30:00",
        "2026-04-04T14:30:00",
        "+13:00",
        "+12:00",
    ),
]


@pytest.fixture(params=REPEATED_HOURS, ids=lambda case: case.zone)
def repeated(request, store, sample_owner) -> RepeatedHour:
    """The owner's zone set to one whose autumn night repeats `repeated.time`."""
    store.set_time_zone(sample_owner, request.param.zone)
    return request.param


def test_a_repeated_time_without_offset_means_its_first_occurrence(api, book, repeated):
    entry = book(repeated.day, repeated.time, "30m")

    assert entry["start"] == repeated.wall
    assert feed_times(api) == [
        (utc(repeated.first_utc), utc(repeated.first_utc) + timedelta(minutes=30))
    ]


def test_an_offset_picks_the_second_occurrence_of_a_repeated_time(
    api, book, listed, repeated
):
    first = book(repeated.day, repeated.time, "30m", customer="First")
    second = book(
        repeated.day, repeated.time + repeated.second_offset, "30m", customer="Second"
    )

    assert first["start"] == second["start"] == repeated.wall
    assert [entry["customer"] for entry in listed()] == ["First", "Second"]
    assert [start for start, _ in feed_times(api)] == [
        utc(repeated.first_utc),
        utc(repeated.second_utc),
    ]


def test_the_first_occurrence_with_its_offset_is_the_same_start_as_without(
    api, book, repeated
):
    book(repeated.day, repeated.time, "30m")

    again = api(
        "quick_book",
        body={
            "customer": "Acme Corp",
            "duration": "30m",
            "date": repeated.day,
            "start_time": repeated.time + repeated.first_offset,
        },
    )

    assert again.status == 409


def test_patch_reaches_either_occurrence_of_a_repeated_time_by_its_offset(
    api, book, listed, repeated
):
    book(repeated.day, repeated.time, "30m", customer="First")
    book(repeated.day, repeated.time + repeated.second_offset, "30m", customer="Second")

    plain = patch(api, repeated.wall, notes="plain")
    offset = patch(api, repeated.wall + repeated.second_offset, notes="offset")

    assert (plain.status, offset.status) == (200, 200)
    assert [(entry["customer"], entry["notes"]) for entry in listed()] == [
        ("First", "plain"),
        ("Second", "offset"),
    ]


def test_patch_moves_an_entry_to_the_second_occurrence_by_its_offset(
    api, book, repeated
):
    entry = book(repeated.day, "12:00", "30m")

    moved = patch(
        api, entry["start"], start_time=repeated.time + repeated.second_offset
    )

    assert moved.status == 200, moved.body
    assert moved.json["start"] == repeated.wall
    assert [start for start, _ in feed_times(api)] == [utc(repeated.second_utc)]


@pytest.mark.parametrize(
    ("zone_name", "skipped"),
    [
        ("Europe/Berlin", "2026-03-29T02:30:00"),
        ("America/New_York", "2026-03-08T02:30:00"),
        ("Pacific/Auckland", "2026-09-27T02:30:00"),
    ],
)
class TestTheSkippedHour:
    """02:30 does not happen on the spring night; it is refused, not moved."""

    @pytest.fixture(autouse=True)
    def owner_zone(self, store, sample_owner, zone_name):
        store.set_time_zone(sample_owner, zone_name)

    @staticmethod
    def assert_refused(reply, zone_name: str) -> None:
        assert reply.status == 422, reply.body
        assert "does not exist" in reply.message
        assert zone_name in reply.message

    def test_quick_book_at_a_skipped_time_is_422_and_books_nothing(
        self, api, listed, zone_name, skipped
    ):
        day, _, time = skipped.partition("T")

        reply = api(
            "quick_book",
            body={
                "customer": "Acme Corp",
                "duration": "1h",
                "date": day,
                "start_time": time,
            },
        )

        self.assert_refused(reply, zone_name)
        assert listed() == []

    def test_moving_an_entry_into_the_skipped_hour_is_422_and_changes_nothing(
        self, api, book, listed, zone_name, skipped
    ):
        day, _, time = skipped.partition("T")
        same_day = book(day, "10:00", "1h")
        day_before = book(
            (date.fromisoformat(day) - timedelta(days=1)).isoformat(), time, "1h"
        )
        kept = listed()

        by_time = patch(api, same_day["start"], start_time=time)
        by_date = patch(api, day_before["start"], new_date=day)

        self.assert_refused(by_time, zone_name)
        self.assert_refused(by_date, zone_name)
        assert listed() == kept

    @pytest.mark.parametrize("function", ["update_entry", "delete_entry"])
    def test_naming_an_entry_by_a_skipped_start_is_422_not_404(
        self, api, zone_name, skipped, function
    ):
        options = {"body": {"notes": "x"}} if function == "update_entry" else {}

        reply = api(function, query={"start": skipped}, **options)

        self.assert_refused(reply, zone_name)

    def test_invoicing_a_skipped_start_is_422(self, api, zone_name, skipped):
        reply = api("batch_invoice", body={"starts": [skipped]})

        self.assert_refused(reply, zone_name)


@pytest.mark.parametrize(
    ("zone_name", "winter", "summer"),
    [
        ("Europe/Berlin", "2026-01-15T08:00:00", "2026-07-15T07:00:00"),
        ("America/New_York", "2026-01-15T14:00:00", "2026-07-15T13:00:00"),
        # Auckland's summer is in January: there 09:00 is earlier in UTC.
        ("Pacific/Auckland", "2026-01-14T20:00:00", "2026-07-14T21:00:00"),
    ],
)
def test_moving_an_entry_to_another_season_keeps_its_wall_clock_start(
    api, book, store, sample_owner, zone_name, winter, summer
):
    store.set_time_zone(sample_owner, zone_name)
    entry = book("2026-01-15", "09:00", "1h30m")
    in_january = feed_times(api)

    to_july = patch(api, entry["start"], new_date="2026-07-15").json
    in_july = feed_times(api)
    back = patch(api, to_july["start"], new_date="2026-01-15").json

    assert (to_july["start"], to_july["end"]) == (
        "2026-07-15T09:00:00",
        "2026-07-15T10:30:00",
    )
    assert to_july["hours"] == 1.5
    assert in_january[0][0] == utc(winter)
    assert in_july[0][0] == utc(summer)
    assert (back["start"], back["end"]) == (entry["start"], entry["end"])


def test_a_move_onto_the_spring_night_keeps_the_length_in_hours(api, book, zone):
    day = SPRING_FORWARD[zone]
    before = (date.fromisoformat(day) - timedelta(days=1)).isoformat()
    entry = book(before, "01:30", "2h")

    moved = patch(api, entry["start"], new_date=day).json

    assert (moved["start"], moved["end"]) == (f"{day}T01:30:00", f"{day}T04:30:00")
    assert moved["hours"] == 2.0


_example_days = itertools.count()


def _duration(seconds: int) -> str:
    # A multiple of 3 seconds is a decimal number of minutes with two places at most.
    return format((Decimal(seconds) / 60).normalize(), "f") + "m"


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.integers(1, 3 * 1200).map(lambda n: n * 3), min_size=1, max_size=6))
def test_invoice_and_summary_totals_are_the_exact_sum_of_booked_seconds(api, lengths):
    # Each example books on a day and for a customer of its own.
    number = next(_example_days)
    day = (date(2026, 5, 1) + timedelta(days=2 * number)).isoformat()
    customer = f"Customer {number}"
    for seconds in lengths:
        reply = api(
            "quick_book",
            body={"customer": customer, "duration": _duration(seconds), "date": day},
        )
        assert reply.status == 201, reply.body

    preview = api("invoice_preview", query={"customer": customer}).json
    counted = summary(api, from_date=day, to_date=day)

    exact = round(sum(lengths) / 3600, 2)
    assert [entry["hours"] for entry in preview["entries"]] == [
        round(seconds / 3600, 2) for seconds in lengths
    ]
    assert preview["total_hours"] == exact
    assert counted["total_hours"] == exact
    assert counted["customers"] == [
        {"customer": customer, "hours": exact, "entry_count": len(lengths)}
    ]
