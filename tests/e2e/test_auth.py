"""Every route of the API demands an api token, as API Gateway's authorizer does.

Without an Authorization header API Gateway answers 401 itself; with one, the
authorizer decides, and a refusal is a 403 that says nothing more.
"""

from datetime import date

import pytest

from tools.template import routes

pytestmark = pytest.mark.e2e

PREFIX = "/api/clocks"
BOOKED_DAY = date(2031, 1, 6)
BOOKED_START = f"{BOOKED_DAY}T09:00:00"
# A request to each route, and how it answers the right token: (path, body, status).
REQUESTS = {
    ("GET", "/entries"): (f"/entries?from_date={BOOKED_DAY}", None, 200),
    ("GET", "/active"): ("/active", None, 200),
    ("POST", "/start"): ("/start", {"customer": "Auth Check"}, 201),
    ("POST", "/stop"): ("/stop", None, 200),
    ("POST", "/quick-book"): (
        "/quick-book",
        {"customer": "Auth Check", "duration": "1h", "date": "2031-01-07"},
        201,
    ),
    ("PATCH", "/entries"): (f"/entries?start={BOOKED_START}", {"notes": "ok"}, 200),
    ("DELETE", "/entries"): (f"/entries?start={BOOKED_START}", None, 204),
    ("GET", "/summary"): ("/summary?period=all", None, 200),
    ("GET", "/invoice-preview"): ("/invoice-preview?customer=Auth+Check", None, 200),
    ("POST", "/batch-invoice"): ("/batch-invoice", {"starts": [BOOKED_START]}, 200),
    ("GET", "/calendar.ics"): (f"/calendar.ics?from_date={BOOKED_DAY}", None, 200),
    ("HEAD", "/calendar.ics"): (f"/calendar.ics?from_date={BOOKED_DAY}", None, 200),
}
ROUTES = sorted(REQUESTS)
ROUTE_IDS = [f"{method} {path}" for method, path in ROUTES]
TOKEN_REFUSED = '"message":"token refused"'


def _send(api, route, authorization=None):
    path, body, _ = REQUESTS[route]
    headers = {} if authorization is None else {"Authorization": authorization}
    return api.request(route[0], path, body, headers=headers)


def _assert_error_body(answer, route, expected):
    """The JSON error body; a HEAD answer carries none, by definition."""
    if route[0] == "HEAD":
        assert answer.body == b""
    else:
        assert answer.json() == expected


def test_every_route_of_the_template_is_checked_here():
    declared = {(route.method, route.path.removeprefix(PREFIX)) for route in routes()}

    assert declared == set(REQUESTS)
    # Eleven endpoints; the feed also answers HEAD.
    assert len(declared) == 12


@pytest.fixture(scope="module")
def outsider(server, tokens):
    """An owner whose every credential but one is refused, and that one."""
    owner = "e2e-outsider"
    secret, _ = tokens.create(owner)
    feed_secret, _ = tokens.create(owner, "feed")
    return {
        "api": secret,
        "Basic abc": "Basic abc",
        "Bearer alone": "Bearer",
        "unknown token": "Bearer clk_unknownunknownunknownunknownunknown00",
        "revoked token": f"Bearer {tokens.revoked(owner)}",
        "expired token": f"Bearer {tokens.expired(owner)}",
        "feed token": f"Bearer {feed_secret}",
    }


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_no_authorization_header_is_401_without_asking_the_authorizer(
    server, api, route
):
    asked_before = server.output.count(TOKEN_REFUSED)

    answer = _send(api.with_token(None), route)

    assert answer.status == 401
    assert "application/json" in answer.content_type
    _assert_error_body(answer, route, {"message": "Unauthorized"})
    assert server.output.count(TOKEN_REFUSED) == asked_before


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_empty_authorization_header_is_401(api, route):
    answer = _send(api.with_token(None), route, authorization="")

    assert answer.status == 401
    _assert_error_body(answer, route, {"message": "Unauthorized"})


@pytest.mark.parametrize(
    "credential",
    [
        "Basic abc",
        "Bearer alone",
        "unknown token",
        "revoked token",
        "expired token",
        "feed token",
    ],
)
@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_refused_credential_is_403_forbidden_and_nothing_more(
    server, api, outsider, route, credential
):
    asked_before = server.output.count(TOKEN_REFUSED)

    answer = _send(api.with_token(None), route, authorization=outsider[credential])

    assert answer.status == 403
    assert "application/json" in answer.content_type
    _assert_error_body(answer, route, {"message": "Forbidden"})
    assert server.output.count(TOKEN_REFUSED) == asked_before + 1


def test_refused_requests_left_the_owner_without_entries_or_timer(api, outsider):
    owner = api.with_token(outsider["api"])

    assert owner.entries(period="all") == []
    assert owner.get("/active").json() == {"active": False}


@pytest.mark.parametrize("route", ROUTES, ids=ROUTE_IDS)
def test_the_right_token_gets_the_normal_answer(api, new_owner, route):
    owner = new_owner()
    booked = owner.api.book("Auth Check", "1h", date=BOOKED_DAY)
    assert booked["start"] == BOOKED_START
    if route == ("POST", "/stop"):
        assert owner.api.post("/start", {"customer": "Auth Check"}).status == 201

    answer = _send(owner.api, route)

    assert answer.status == REQUESTS[route][2], answer.body
    if route == ("GET", "/entries"):
        assert answer.json() == [booked]
    if route == ("POST", "/batch-invoice"):
        assert answer.json()["invoiced"] == 1
    if route == ("GET", "/calendar.ics"):
        assert answer.content_type.startswith("text/calendar")
        assert f"{booked['id']}@clocks".encode() in answer.body


def test_the_bearer_scheme_is_case_insensitive(api):
    answer = api.get("/active", headers={"Authorization": f"bearer {api.token}"})

    assert answer.status == 200
