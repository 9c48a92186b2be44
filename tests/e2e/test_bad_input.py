"""Requests that cannot be served get a 4xx with a JSON message, never a 5xx."""

import pytest

pytestmark = pytest.mark.e2e

JSON = {"Content-Type": "application/json"}


def test_malformed_json_is_refused_with_400(api, day):
    answer = api.post("/quick-book", raw=b'{"customer": "Acme", ', headers=JSON)

    assert answer.status == 400
    assert "JSON" in answer.json()["message"]
    assert api.entries_on(day) == []


def test_unknown_body_field_is_refused_with_422_naming_it(api, customer):
    answer = api.post(
        "/quick-book", {"customer": customer, "duration": "1h", "custmer": "typo"}
    )

    assert answer.status == 422
    assert "custmer" in answer.json()["message"]
    assert api.entries(customer=customer, period="all") == []


def test_impossible_date_is_refused_with_422(api, customer):
    booked = api.post(
        "/quick-book", {"customer": customer, "duration": "1h", "date": "2026-02-30"}
    )
    listed = api.get("/entries?from_date=2026-02-30")

    assert booked.status == 422
    assert "date" in booked.json()["message"]
    assert listed.status == 422
    assert "from_date" in listed.json()["message"]


def test_repeated_query_parameter_is_refused_with_422(api):
    answer = api.get("/entries?customer=Acme&customer=Beta")

    assert answer.status == 422
    assert "customer" in answer.json()["message"]


def test_unknown_query_parameter_is_refused_with_422(api):
    answer = api.get("/summary?perod=week")

    assert answer.status == 422
    assert "perod" in answer.json()["message"]


def test_body_that_is_not_json_is_refused_with_415(api, customer):
    answer = api.post(
        "/start",
        raw=f"customer={customer}".encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    assert answer.status == 415
    assert "application/json" in answer.json()["message"]


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/start", b"", 400),
        ("POST", "/start", b"[]", 400),
        ("POST", "/start", b'{"customer": ""}', 422),
        ("POST", "/start", b'{"customer": 42}', 422),
        ("POST", "/start", b'{"customer": "A\\u0000B"}', 422),
        ("POST", "/quick-book", b'{"customer": "A"}', 422),
        (
            "POST",
            "/quick-book",
            b'{"customer": "A", "duration": "1h", "start_time": "25:00"}',
            422,
        ),
        (
            "POST",
            "/quick-book",
            b'{"customer": "A", "duration": "1h", "date": "1969-12-31"}',
            422,
        ),
        ("PATCH", "/entries", b'{"notes": "x"}', 422),
        ("PATCH", "/entries?start=yesterday", b'{"notes": "x"}', 422),
        ("PATCH", "/entries?start=2031-01-01T09:00:00", b'{"hours": 0}', 422),
        ("PATCH", "/entries?start=2031-01-01T09:00:00", b'{"hours": 25}', 422),
        ("PATCH", "/entries?start=2031-01-01T09:00:00", b'{"customer": null}', 422),
        ("PATCH", "/entries?start=2031-01-01T09:00:00", b'{"invoiced": "yes"}', 422),
        ("DELETE", "/entries?start=9999-12-31T23:59:59", None, 422),
        ("DELETE", "/entries?start=2031-03-30T02:30:00", None, 422),
        ("GET", "/entries?from_date=2031-05-01&to_date=2031-04-01", None, 422),
        ("GET", "/entries?period=%ff", None, 422),
        ("GET", "/entries?%", None, 422),
        ("GET", "/summary?to_date=31.12.2031", None, 422),
        ("GET", "/invoice-preview?customer=%20", None, 422),
        ("GET", "/calendar.ics?period=all", None, 422),
        ("POST", "/batch-invoice", b'{"starts": "2031-01-01T09:00:00"}', 422),
        ("POST", "/batch-invoice", b'{"starts": ["not a time"]}', 422),
    ],
)
def test_bad_requests_get_a_4xx_with_a_message(api, method, path, body, status):
    answer = api.request(
        method, path, raw=body, headers=JSON if body is not None else None
    )

    assert answer.status == status
    assert "application/json" in answer.content_type
    assert answer.json()["message"]


def test_body_that_is_not_utf8_is_refused_with_400(api, timer):
    # The event carries such a body base64-encoded.
    answer = api.post("/start", raw=b'{"customer": "\xff\xfe"}', headers=JSON)

    assert answer.status == 400
    assert answer.json()["message"]
    assert api.get("/active").json() == {"active": False}


def test_unknown_route_is_404_json_like_api_gateway(api, http):
    for answer in (
        api.get("/timers"),
        api.delete("/active"),
        api.post("/entries", {"customer": "Acme"}),
        http.get("/"),
        http.get("/api/clocks/entries/"),
    ):
        assert answer.status == 404
        assert answer.json() == {"message": "Not Found"}


def test_json_with_a_charset_parameter_is_accepted(api, customer, day):
    answer = api.post(
        "/quick-book",
        raw=f'{{"customer": "{customer}", "duration": "1h", "date": "{day}"}}'.encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )

    assert answer.status == 201
    assert api.entries_on(day) == [answer.json()]
