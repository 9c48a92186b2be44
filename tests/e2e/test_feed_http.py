"""The calendar feed on the wire, as a calendar app polling it sees it.

Requests go over a plain socket, one per connection, so that nothing between the
test and the server follows a redirect, decompresses a body or drops one that a
HEAD or a 304 should not have had. The feed is asked for both ways a client can:
with the api token under /api/clocks, and with a feed token on the Function URL.
"""

import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from tests.feed_parsers import PARSERS, format_problems

pytestmark = pytest.mark.e2e

BERLIN = ZoneInfo("Europe/Berlin")
CALENDAR_TYPE = "text/calendar; charset=utf-8"
STRONG_ETAG = re.compile(r'"[\x21\x23-\x7e]*"')


@dataclass
class Wire:
    """An answer exactly as it came over the connection."""

    status: int
    headers: dict[str, str]
    body: bytes


def exchange(port: int, method: str, target: str, headers: dict[str, str]) -> Wire:
    """One HTTP/1.1 request on its own connection, read to the end."""
    request = [f"{method} {target} HTTP/1.1", f"Host: 127.0.0.1:{port}"]
    request += [f"{name}: {value}" for name, value in headers.items()]
    request += ["Connection: close", "", ""]
    received = bytearray()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall("\r\n".join(request).encode("latin-1"))
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = bytes(received).partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    answer_headers: dict[str, str] = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        assert name.lower() not in answer_headers, f"{name} sent twice"
        answer_headers[name.lower()] = value.strip()
    return Wire(int(status_line.split()[1]), answer_headers, body)


Send = Callable[..., Wire]


@pytest.fixture(params=["api token", "feed token"])
def feed(request, server, api, tokens) -> Send:
    """Ask for the local owner's feed with an api token or with a feed token."""
    if request.param == "api token":
        target = "/api/clocks/calendar.ics"
        credentials = {"Authorization": f"Bearer {api.token}"}
    else:
        secret, _ = tokens.create("local", "feed")
        target = tokens.feed_url(secret)
        credentials = {}

    def send(method: str = "GET", **headers: str) -> Wire:
        sent = credentials | {name.replace("_", "-"): v for name, v in headers.items()}
        return exchange(server.port, method, target, sent)

    return send


def test_the_feed_is_utf8_text_calendar_without_compression_or_redirect(
    feed, api, customer, day
):
    api.book(customer, "1h", date=day, notes="Grüße 👍 " * 30)

    answer = feed(Accept_Encoding="gzip, deflate, br")

    assert answer.status == 200
    assert answer.headers["content-type"] == CALENDAR_TYPE
    assert "content-encoding" not in answer.headers
    assert "location" not in answer.headers
    assert "transfer-encoding" not in answer.headers
    assert int(answer.headers["content-length"]) == len(answer.body)
    assert answer.body.startswith(b"BEGIN:VCALENDAR\r\n")
    assert format_problems(answer.body) == []


def test_the_etag_is_strong_and_if_none_match_answers_304_with_the_validators(
    feed, api, customer, day
):
    api.book(customer, "1h", date=day)
    full = feed()

    again = feed(If_None_Match=full.headers["etag"])

    assert STRONG_ETAG.fullmatch(full.headers["etag"]), full.headers["etag"]
    assert again.status == 304
    assert again.body == b""
    assert again.headers["etag"] == full.headers["etag"]
    assert again.headers["cache-control"] == full.headers["cache-control"]
    # RFC 9110 8.6: a length on a 304 may only be the length of the full answer.
    assert again.headers.get("content-length") in (None, str(len(full.body)))


def test_an_edit_changes_the_etag_and_the_old_one_gets_the_full_feed(
    feed, api, customer, day
):
    entry = api.book(customer, "1h", date=day)
    old = feed()

    edited = api.patch(f"/entries?start={entry['start']}", {"notes": "Edited"})
    changed = feed(If_None_Match=old.headers["etag"])
    settled = feed(If_None_Match=changed.headers["etag"])

    assert edited.status == 200, edited.body
    assert changed.status == 200
    assert changed.headers["etag"] != old.headers["etag"]
    assert b"Edited" in changed.body.replace(b"\r\n ", b"")
    assert settled.status == 304


def test_head_gives_the_headers_of_get_and_no_body(feed, api, customer, day):
    api.book(customer, "2h", date=day)
    get = feed()

    head = feed("HEAD")

    assert head.status == 200
    assert head.body == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert head.headers["content-type"] == CALENDAR_TYPE
    assert head.headers["content-length"] == get.headers["content-length"]
    assert int(get.headers["content-length"]) == len(get.body)


def test_two_requests_for_unchanged_entries_give_identical_bytes(feed):
    first = feed()
    second = feed()

    assert first.status == second.status == 200
    assert first.body == second.body
    assert first.headers["etag"] == second.headers["etag"]


@pytest.mark.parametrize("parser", list(PARSERS))
def test_every_parser_reads_a_booked_entry_from_the_served_feed(
    feed, api, customer, day, parser
):
    entry = api.book(
        customer,
        "1h15m",
        date=day,
        start_time="08:45",
        description="Review, fixes; \\ 👍",
        notes="Line one\nLine two, Grüße",
    )

    read = PARSERS[parser](feed().body)

    event = read.by_uid()[f"{entry['id']}@clocks"]
    assert event.summary == f"{customer}: Review, fixes; \\ 👍"
    assert event.description == "Line one\nLine two, Grüße"
    start = datetime.fromisoformat(entry["start"]).replace(tzinfo=BERLIN)
    end = datetime.fromisoformat(entry["end"]).replace(tzinfo=BERLIN)
    assert (event.start, event.end) == (start.astimezone(UTC), end.astimezone(UTC))
    assert read.method is None
    assert (read.version, read.calname) == ("2.0", "Clocks")
