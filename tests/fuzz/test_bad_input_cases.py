"""Hand-picked bad requests over HTTP: a 4xx with a JSON message, and nothing changed.

Every case is checked against the owner's entries and timer before and after it.
Cases tests/e2e/test_bad_input.py already sends are not repeated here.
"""

import json
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

# An entry the PATCH cases aim at, so that they get past the lookup.
TARGET = "2032-02-10T09:00:00"
PATCH = f"/entries?start={TARGET}"
JSON = "application/json"


def case(
    method: str,
    path: str,
    body: bytes | str | None,
    status: int,
    names: str,
    content_type: str | None = JSON,
) -> Any:
    """One bad request, the status it gets, and what its message must name."""
    raw = body.encode() if isinstance(body, str) else body
    label = f"{method} {path} {raw[:40]!r}" if raw is not None else f"{method} {path}"
    return pytest.param(method, path, raw, content_type, status, names, id=label)


MALFORMED_JSON = [
    case("POST", "/start", '{"customer": "Acme"', 400, "JSON"),
    case("PATCH", PATCH, '{"hours": 2,}', 400, "JSON"),
    case("POST", "/batch-invoice", "{'starts': ['2031-01-05T09:00:00']}", 400, "JSON"),
    case("POST", "/quick-book", '{"customer": "A", "duration": "1h"} and', 400, "JSON"),
    case("POST", "/start", b'\xef\xbb\xbf{"customer": "Acme"}', 400, "JSON"),
    case("POST", "/start", "null", 400, "object"),
    case("POST", "/quick-book", '"1h for Acme"', 400, "object"),
]
WRONG_TYPES = [
    case("POST", "/quick-book", '{"customer": "A", "duration": 90}', 422, "duration"),
    case(
        "POST",
        "/quick-book",
        '{"customer": "A", "duration": "1h", "date": 20310105}',
        422,
        "date",
    ),
    case("PATCH", PATCH, '{"hours": "2"}', 422, "hours"),
    case("PATCH", PATCH, '{"invoiced": 1}', 422, "invoiced"),
    case("POST", "/start", '{"customer": ["Acme"]}', 422, "customer"),
    case("POST", "/start", '{"customer": true}', 422, "customer"),
    case("POST", "/start", '{"customer": "A", "notes": {"text": "x"}}', 422, "notes"),
    case("POST", "/batch-invoice", '{"starts": [1]}', 422, "starts"),
]
BLANK_CUSTOMERS = [
    case("POST", "/start", '{"customer": "   "}', 422, "customer"),
    case("POST", "/quick-book", '{"customer": "", "duration": "1h"}', 422, "customer"),
    case(
        "POST",
        "/quick-book",
        '{"customer": "\\t \\u00a0\\u2003", "duration": "1h"}',
        422,
        "customer",
    ),
    case("PATCH", PATCH, '{"customer": "  "}', 422, "customer"),
]
UNKNOWN_FIELDS = [
    case("POST", "/start", '{"customer": "A", "desciption": "x"}', 422, "desciption"),
    case("PATCH", PATCH, '{"hour": 2}', 422, "hour"),
    case(
        "POST",
        "/batch-invoice",
        '{"starts": ["2031-01-05T09:00:00"], "dry_run": true}',
        422,
        "dry_run",
    ),
]
IMPOSSIBLE_DATES = [
    case("PATCH", PATCH, '{"new_date": "2026-02-30"}', 422, "new_date"),
    case("GET", "/summary?to_date=2026-02-30", None, 422, "to_date"),
    case("GET", "/invoice-preview?customer=A&from_date=2026-02-30", None, 422, "from"),
    case("GET", "/calendar.ics?to_date=2026-02-30", None, 422, "to_date"),
    case("DELETE", "/entries?start=2026-02-30T09:00:00", None, 422, "start"),
    case("POST", "/batch-invoice", '{"starts": ["2026-02-30T09:00:00"]}', 422, "start"),
]
MIDNIGHT_AS_24 = [
    case(
        "POST",
        "/quick-book",
        '{"customer": "A", "duration": "1h", "start_time": "24:00"}',
        422,
        "start_time",
    ),
    case("PATCH", PATCH, '{"start_time": "24:00:00"}', 422, "start_time"),
    case("DELETE", "/entries?start=2031-01-05T24:00:00", None, 422, "start"),
    case("POST", "/batch-invoice", '{"starts": ["2031-01-05T24:00"]}', 422, "start"),
]
HUGE_NUMBERS = [
    case("PATCH", PATCH, '{"hours": 1e400}', 422, "hours"),
    case("PATCH", PATCH, '{"hours": 1000000000000000000000000000000000}', 422, "hours"),
    case(
        "POST",
        "/quick-book",
        '{"customer": "A", "duration": "99999999999999999999h"}',
        422,
        "duration",
    ),
    case("POST", "/quick-book", '{"customer": "A", "duration": "25h"}', 422, "24"),
    case("POST", "/quick-book", '{"customer": "A", "duration": "1441m"}', 422, "24"),
    case(
        "POST",
        "/quick-book",
        '{"customer": "A", "duration": "1h", "date": "99999-01-01"}',
        422,
        "date",
    ),
    case(
        "POST",
        "/quick-book",
        '{"customer": "A", "duration": "1h", "date": "9999-12-31"}',
        422,
        "date",
    ),
    case("GET", "/entries?from_date=99999-01-01", None, 422, "from_date"),
    case(
        "POST",
        "/batch-invoice",
        json.dumps({"starts": ["2031-01-05T09:00:00"] * 501}),
        422,
        "starts",
    ),
    case(
        "POST",
        "/quick-book",
        json.dumps({"customer": "A", "duration": "1h", "notes": "x" * 70_000}),
        413,
        "64 KiB",
    ),
]
# An offset can carry the owner's wall-clock start out of the years kept.
OFFSET_OUT_OF_YEARS = [
    case(
        "POST",
        "/quick-book",
        '{"customer": "A", "duration": "1h", "date": "9998-12-31", '
        '"start_time": "23:59:59-12:00"}',
        422,
        "1970",
    ),
    case(
        "POST",
        "/quick-book",
        '{"customer": "A", "duration": "1h", "date": "1970-01-01", '
        '"start_time": "00:00:00+14:00"}',
        422,
        "1970",
    ),
    case(
        "PATCH",
        PATCH,
        '{"new_date": "9998-12-31", "start_time": "23:00-12:00"}',
        422,
        "1970",
    ),
]
NEGATIVE_HOURS = [
    case("PATCH", PATCH, '{"hours": -1}', 422, "hours"),
    case("PATCH", PATCH, '{"hours": -0.0}', 422, "hours"),
    case("PATCH", PATCH, '{"hours": 0.0001}', 422, "hours"),
    case("POST", "/quick-book", '{"customer": "A", "duration": "-1h"}', 422, "-1h"),
    case("POST", "/quick-book", '{"customer": "A", "duration": "-30m"}', 422, "-30m"),
    case("POST", "/quick-book", '{"customer": "A", "duration": "0:00"}', 422, "zero"),
]
NOT_A_NUMBER = [
    case("PATCH", PATCH, '{"hours": NaN}', 422, "hours"),
    case("PATCH", PATCH, '{"hours": Infinity}', 422, "hours"),
    case("PATCH", PATCH, '{"hours": -Infinity}', 422, "hours"),
    case("PATCH", PATCH, '{"hours": "NaN"}', 422, "hours"),
    case("POST", "/quick-book", '{"customer": "A", "duration": "NaNh"}', 422, "NaNh"),
    case("GET", "/entries?from_date=NaN", None, 422, "from_date"),
]
UNICODE_AND_CONTROL_CHARACTERS = [
    # A lone surrogate cannot be stored as UTF-8.
    case("POST", "/start", '{"customer": "Acme \\ud800"}', 400, "JSON"),
    case("POST", "/start", '{"customer": "Acme\\u0085Corp"}', 422, "customer"),
    case("POST", "/start", '{"customer": "Acme\\u001b[31m"}', 422, "customer"),
    case(
        "POST",
        "/quick-book",
        '{"customer": "Café", "duration": "1h", "description": "bell \\u0007"}',
        422,
        "description",
    ),
    case("PATCH", PATCH, '{"task_id": "ABC\\u0000"}', 422, "task_id"),
    case("PATCH", PATCH, '{"contract": "Q2\\u009b2026"}', 422, "contract"),
    case("PATCH", PATCH, '{"notes": "done \\u001b[2J"}', 422, "notes"),
    case("DELETE", "/entries?start=%00", None, 422, "start"),
    case("DELETE", "/entries?start=2031%E2%80%9101-05T09:00:00", None, 422, "start"),
]
REPEATED_QUERY = [
    case("GET", "/summary?period=week&period=week", None, 422, "period"),
    case("GET", "/invoice-preview?customer=A&customer=A", None, 422, "customer"),
    case(
        "GET",
        "/entries?period=week&customer=A&period=week&customer=A",
        None,
        422,
        "more than once",
    ),
    case(
        "GET",
        "/calendar.ics?from_date=2031-01-05&from_date=2031-01-05",
        None,
        422,
        "from_date",
    ),
    case("DELETE", f"/entries?start={TARGET}&start={TARGET}", None, 422, "start"),
    case("PATCH", f"{PATCH}&start={TARGET}", '{"notes": "twice"}', 422, "start"),
]
# A body where none is read would be ignored; a filter sent as one would match all.
BODY_WHERE_NONE_IS_READ = [
    case("GET", "/entries", '{"customer": "x"}', 400, "no request body"),
    case("GET", "/active", "not json at all", 400, "no request body"),
    case("POST", "/stop", '{"x": 1}', 400, "no request body"),
    case(
        "DELETE", f"/entries?start={TARGET}", '{"force": true}', 400, "no request body"
    ),
]
WRONG_CONTENT_TYPES = [
    case(
        "POST",
        "/quick-book",
        '{"customer": "A", "duration": "1h"}',
        415,
        JSON,
        content_type="text/plain",
    ),
    case(
        "PATCH",
        PATCH,
        "<entry><hours>2</hours></entry>",
        415,
        JSON,
        content_type="application/xml",
    ),
    case(
        "POST",
        "/batch-invoice",
        '{"starts": ["2031-01-05T09:00:00"]}',
        415,
        JSON,
        content_type="application/jsonx",
    ),
    case(
        "POST",
        "/start",
        '--b\r\nContent-Disposition: form-data; name="customer"\r\n\r\nA\r\n--b--\r\n',
        415,
        JSON,
        content_type="multipart/form-data; boundary=b",
    ),
]

CASES = [
    *MALFORMED_JSON,
    *WRONG_TYPES,
    *BLANK_CUSTOMERS,
    *UNKNOWN_FIELDS,
    *IMPOSSIBLE_DATES,
    *MIDNIGHT_AS_24,
    *HUGE_NUMBERS,
    *NEGATIVE_HOURS,
    *NOT_A_NUMBER,
    *UNICODE_AND_CONTROL_CHARACTERS,
    *REPEATED_QUERY,
    *WRONG_CONTENT_TYPES,
    *OFFSET_OUT_OF_YEARS,
    *BODY_WHERE_NONE_IS_READ,
]


@pytest.fixture(scope="module")
def target(api) -> dict[str, Any]:
    day, _, start_time = TARGET.partition("T")
    body = {"customer": "Bad input target", "duration": "1h", "date": day}
    answer = api.post("/quick-book", {**body, "start_time": start_time})
    assert answer.status == 201, answer.body
    return answer.json()


def owner_state(api) -> tuple[Any, Any]:
    """Every entry of the owner, and the timer less its running hours."""
    entries = api.get("/entries?period=all")
    active = api.get("/active")
    assert (entries.status, active.status) == (200, 200)
    timer = active.json()
    timer.pop("hours", None)
    return entries.json(), timer


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type", "status", "names"), CASES
)
def test_bad_request_gets_a_4xx_message_and_changes_nothing(
    api, target, method, path, body, content_type, status, names
):
    before = owner_state(api)
    headers = {"Content-Type": content_type} if content_type and body else {}

    answer = api.request(method, path, raw=body, headers=headers)

    assert answer.status == status, answer.body
    assert answer.content_type.startswith(JSON)
    message = answer.json()["message"]
    assert isinstance(message, str) and message.strip()
    assert names in message
    assert owner_state(api) == before
    assert target in before[0]
