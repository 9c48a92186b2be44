"""GET /calendar.ics and the Function URL: the iCalendar feed."""

from datetime import datetime

import pytest
from icalendar import Calendar


def events_of(reply) -> list:
    return Calendar.from_ical(reply.body).walk("VEVENT")


def test_the_feed_is_text_calendar_with_one_event_per_entry(api, book):
    first = book("2026-04-20", "09:00", "1h", description="Design, review; fixes")
    second = book("2026-04-21", "14:00", "30m", customer="Beta Inc")

    reply = api("calendar_feed")

    assert reply.status == 200
    assert reply.headers["Content-Type"].startswith("text/calendar")
    assert reply.body.startswith("BEGIN:VCALENDAR\r\n")
    events = events_of(reply)
    assert [str(event["UID"]) for event in events] == [
        f"{first['id']}@clocks",
        f"{second['id']}@clocks",
    ]
    assert str(events[0]["SUMMARY"]) == "Acme Corp: Design, review; fixes"
    assert events[0].decoded("DTSTART").isoformat() == "2026-04-20T07:00:00+00:00"
    assert events[1].decoded("DTEND").isoformat() == "2026-04-21T12:30:00+00:00"


def test_the_uid_stays_when_an_entry_moves(api, book):
    entry = book("2026-04-20", "09:00", "1h")
    before = events_of(api("calendar_feed"))[0]

    api("update_entry", query={"start": entry["start"]}, body={"start_time": "11:00"})
    after = events_of(api("calendar_feed"))[0]

    assert str(after["UID"]) == str(before["UID"]) == f"{entry['id']}@clocks"
    assert after.decoded("SEQUENCE") > before.decoded("SEQUENCE")


def test_an_unchanged_feed_answers_304_to_its_etag(api, book):
    book("2026-04-20", "09:00", "1h")
    first = api("calendar_feed")

    again = api("calendar_feed", headers={"If-None-Match": first.headers["ETag"]})

    assert first.headers["ETag"].startswith('"')
    assert again.status == 304
    assert again.body == ""
    assert again.headers["ETag"] == first.headers["ETag"]


def test_a_changed_feed_gets_a_new_etag_and_a_full_answer(api, book):
    entry = book("2026-04-20", "09:00", "1h")
    first = api("calendar_feed")
    api("update_entry", query={"start": entry["start"]}, body={"notes": "Call"})

    again = api("calendar_feed", headers={"If-None-Match": first.headers["ETag"]})

    assert again.status == 200
    assert again.headers["ETag"] != first.headers["ETag"]


def test_the_function_url_serves_the_same_feed(api, book):
    book("2026-04-20", "09:00", "1h")

    through_api = api("calendar_feed")
    through_url = api("calendar_feed", event="calendar_feed_url")

    assert through_url.status == 200
    assert through_url.body == through_api.body
    assert through_url.headers["ETag"] == through_api.headers["ETag"]


def test_by_default_the_feed_leaves_out_entries_older_than_a_year(api, book):
    book("2025-03-02", "09:00", "1h", customer="Too old")
    recent = book("2025-05-04", "09:00", "1h", customer="Recent")
    future = book("2026-06-01", "09:00", "1h", customer="Planned")

    default = events_of(api("calendar_feed"))
    everything = events_of(api("calendar_feed", query={"from_date": "2025-01-01"}))

    assert [str(event["UID"]) for event in default] == [
        f"{recent['id']}@clocks",
        f"{future['id']}@clocks",
    ]
    assert len(everything) == 3


def test_a_running_timer_is_not_in_the_feed(api):
    api("start_timer")

    assert events_of(api("calendar_feed")) == []


@pytest.mark.parametrize(
    "query", [{"from_date": "soon"}, {"period": "all"}, {"to_date": "2026-13-01"}]
)
def test_a_bad_feed_query_is_422_json(api, query):
    reply = api("calendar_feed", query=query)

    assert reply.status == 422
    assert reply.message


@pytest.mark.parametrize("form", ["W/{etag}", '"other", {etag}', "*"])
def test_a_weak_or_listed_etag_also_answers_304(api, book, form):
    book("2026-04-20", "09:00", "1h")
    etag = api("calendar_feed").headers["ETag"]

    again = api("calendar_feed", headers={"If-None-Match": form.format(etag=etag)})

    assert again.status == 304


def test_head_answers_the_headers_of_get_without_a_body(api, book):
    book("2026-04-20", "09:00", "1h")
    full = api("calendar_feed")

    head = api("calendar_feed", method="HEAD")

    assert head.status == 200
    assert head.body == ""
    assert head.headers["ETag"] == full.headers["ETag"]
    assert head.headers["Content-Type"] == full.headers["Content-Type"]
    assert int(head.headers["Content-Length"]) == len(full.body.encode())


def test_a_timer_stopped_in_the_second_it_started_has_no_dtend(api):
    api("start_timer", body={"customer": "Acme Corp"})
    api("stop_timer")

    (event,) = events_of(api("calendar_feed"))

    assert "DTEND" not in event
    assert event.decoded("DTSTART").isoformat() == "2026-04-22T10:00:00+00:00"


@pytest.mark.parametrize(
    ("today", "first_shown", "last_hidden"),
    [
        ("2028-03-01", "2027-03-01", "2027-02-28"),
        ("2028-02-29", "2027-02-28", "2027-02-27"),
        ("2026-04-22", "2025-04-22", "2025-04-21"),
    ],
)
def test_the_feed_shows_the_last_twelve_calendar_months(
    api, book, today, first_shown, last_hidden
):
    api.now = datetime.fromisoformat(f"{today}T10:00:00+00:00")
    shown = book(first_shown, "09:00", "1h")
    book(last_hidden, "09:00", "1h")

    events = events_of(api("calendar_feed"))

    assert [str(event["UID"]) for event in events] == [f"{shown['id']}@clocks"]


def test_a_matching_etag_is_answered_without_rendering_the_feed(api, book, monkeypatch):
    book("2026-04-20", "09:00", "1h")
    etag = api("calendar_feed").headers["ETag"]
    feed_module = api.module("calendar_feed")
    rendered = []
    monkeypatch.setattr(
        feed_module, "render_feed", lambda entries: rendered.append(entries)
    )

    again = api("calendar_feed", headers={"If-None-Match": etag})

    assert again.status == 304
    assert rendered == []


@pytest.mark.parametrize(
    "change", [{"notes": "new"}, {"description": "x"}, {"contract": "Q3"}]
)
def test_the_etag_changes_with_anything_the_feed_shows(api, book, change):
    entry = book("2026-04-20", "09:00", "1h")
    before = api("calendar_feed")

    api("update_entry", query={"start": entry["start"]}, body=change)
    after = api("calendar_feed")

    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.body != before.body
