"""The iCalendar feed that calendar apps subscribe to."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

pytestmark = pytest.mark.e2e

BERLIN = ZoneInfo("Europe/Berlin")


def _events(body: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(body)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_feed_is_icalendar_with_an_event_per_entry(api, customer, day):
    entry = api.book(
        customer,
        "1h30m",
        date=day,
        start_time="10:00",
        description="Review",
        contract="Q2",
        task_id="T-7",
    )

    answer = api.get("/calendar.ics")

    assert answer.status == 200
    assert answer.content_type.startswith("text/calendar")
    event = _events(answer.body)[f"{entry['id']}@clocks"]
    start = datetime.fromisoformat(entry["start"]).replace(tzinfo=BERLIN)
    assert event.decoded("DTSTART") == start.astimezone(UTC)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == (
        datetime.fromisoformat(entry["end"]) - datetime.fromisoformat(entry["start"])
    )
    assert str(event["SUMMARY"]) == f"{customer}: Review"
    assert "Q2" in str(event["DESCRIPTION"])
    assert "T-7" in str(event["DESCRIPTION"])


def test_feed_answers_304_to_a_matching_etag_until_entries_change(api, customer, day):
    api.book(customer, "1h", date=day)
    first = api.get("/calendar.ics")
    etag = first.headers["ETag"]

    unchanged = api.get("/calendar.ics", headers={"If-None-Match": etag})
    api.book(customer, "1h", date=day)
    changed = api.get("/calendar.ics", headers={"If-None-Match": etag})

    assert etag
    assert unchanged.status == 304
    assert unchanged.body == b""
    assert unchanged.headers["ETag"] == etag
    assert changed.status == 200
    assert changed.headers["ETag"] != etag


def test_moved_entry_keeps_its_event_with_a_higher_sequence(api, customer, day):
    entry = api.book(customer, "1h", date=day)
    uid = f"{entry['id']}@clocks"
    before = _events(api.get("/calendar.ics").body)[uid]

    api.patch(f"/entries?start={entry['start']}", {"start_time": "12:00"})
    after = _events(api.get("/calendar.ics").body)[uid]

    assert after.decoded("SEQUENCE") > before.decoded("SEQUENCE")
    assert after.decoded("DTSTART") != before.decoded("DTSTART")


def test_feed_is_also_served_at_the_function_url_path(api, http, tokens):
    secret, _ = tokens.create("local", "feed")
    through_api = api.get("/calendar.ics")

    through_url = http.get(tokens.feed_url(secret))

    assert through_url.status == 200
    assert through_url.content_type.startswith("text/calendar")
    assert through_url.headers["ETag"] == through_api.headers["ETag"]
    Calendar.from_ical(through_url.body)


def test_head_answers_like_get_without_a_body(api):
    get = api.get("/calendar.ics")

    head = api.request("HEAD", "/calendar.ics")

    assert head.status == 200
    assert head.body == b""
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.headers["Content-Length"] == str(len(get.body))


@pytest.mark.parametrize("form", ["W/{etag}", '"other", {etag}', "*"])
def test_feed_answers_304_to_a_weak_listed_or_any_etag(api, form):
    etag = api.get("/calendar.ics").headers["ETag"]

    answer = api.get("/calendar.ics", headers={"If-None-Match": form.format(etag=etag)})

    assert answer.status == 304
