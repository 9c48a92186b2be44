"""Whose calendar feed: a feed token's owner on the Function URL, the API's owner.

Calendar apps poll the Function URL with ?token=; without a valid feed token the feed
does not exist there, so a refusal is the same 404 whatever the reason.
"""

from datetime import timedelta

import pytest
from icalendar import Calendar

BOB = "bob"


def url_feed(api, token: str | None, **query: str):
    """The feed as a calendar app fetches it from the Function URL."""
    if token is not None:
        query["token"] = token
    return api("calendar_feed", event="calendar_feed_url", query=query)


def summaries(reply) -> list[str]:
    assert reply.status == 200, reply.body
    return [
        str(event["SUMMARY"]) for event in Calendar.from_ical(reply.body).walk("VEVENT")
    ]


@pytest.fixture
def bookings(api, sample_owner) -> None:
    for owner in (sample_owner, BOB):
        body = {
            "duration": "1h",
            "customer": "Acme Corp",
            "description": f"work of {owner}",
            "date": "2026-04-20",
            "start_time": "09:00",
        }
        assert api("quick_book", body=body, owner=owner).status == 201


def test_the_sample_feed_token_opens_the_sample_owners_feed(
    api, bookings, sample_owner
):
    reply = api("calendar_feed", event="calendar_feed_url")

    assert reply.headers["Content-Type"].startswith("text/calendar")
    assert summaries(reply) == [f"Acme Corp: work of {sample_owner}"]


def test_a_feed_token_opens_the_feed_of_its_own_owner(api, bookings, make_token):
    secret = make_token(BOB, "feed")

    assert summaries(url_feed(api, secret)) == ["Acme Corp: work of bob"]


def test_a_feed_token_that_has_not_expired_yet_works(api, bookings, make_token):
    secret = make_token(BOB, "feed", expires_at=api.now + timedelta(seconds=1))

    assert summaries(url_feed(api, secret)) == ["Acme Corp: work of bob"]


def test_the_feed_token_works_with_a_date_range(api, bookings, make_token):
    secret = make_token(BOB, "feed")

    inside = url_feed(api, secret, from_date="2026-04-20", to_date="2026-04-20")
    outside = url_feed(api, secret, from_date="2026-04-21")

    assert summaries(inside) == ["Acme Corp: work of bob"]
    assert summaries(outside) == []


@pytest.fixture
def refused_tokens(api, make_token, tokens) -> dict[str, str | None]:
    """Every kind of token the Function URL must not accept, by reason."""
    revoked = make_token(BOB, "feed")
    (token,) = tokens.list(BOB)
    tokens.revoke(BOB, token.token_id)
    return {
        "none": None,
        "empty": "",
        "api token": make_token(BOB, "api"),
        "unknown": "clk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "revoked": revoked,
        "expired": make_token(BOB, "feed", expires_at=api.now),
        "long expired": make_token(BOB, "feed", expires_at=api.now - timedelta(1)),
        "overlong": "clk_" + "A" * 400,
    }


REASONS = [
    "none",
    "empty",
    "api token",
    "unknown",
    "revoked",
    "expired",
    "long expired",
    "overlong",
]


@pytest.mark.parametrize("reason", REASONS)
def test_without_a_valid_feed_token_the_url_answers_404_json(
    api, bookings, refused_tokens, reason
):
    reply = url_feed(api, refused_tokens[reason])

    assert reply.status == 404
    assert reply.json == {"message": "Not Found"}
    assert "ETag" not in reply.headers


def test_every_refusal_looks_the_same(api, bookings, refused_tokens):
    replies = [url_feed(api, secret) for secret in refused_tokens.values()]

    assert all(reply == replies[0] for reply in replies)


def test_a_feed_token_stops_working_once_revoked(api, bookings, make_token, tokens):
    secret = make_token(BOB, "feed")
    assert url_feed(api, secret).status == 200
    (token,) = tokens.list(BOB)

    tokens.revoke(BOB, token.token_id)

    assert url_feed(api, secret).status == 404


def test_a_feed_token_stops_working_the_moment_it_expires(api, bookings, make_token):
    expiry = api.now + timedelta(hours=1)
    secret = make_token(BOB, "feed", expires_at=expiry)

    api.now = expiry - timedelta(seconds=1)
    before = url_feed(api, secret)
    api.now = expiry
    after = url_feed(api, secret)

    assert (before.status, after.status) == (200, 404)


def test_through_the_api_the_authorizers_owner_is_used(api, bookings, sample_owner):
    mine = api("calendar_feed")
    theirs = api("calendar_feed", owner=BOB)

    assert summaries(mine) == [f"Acme Corp: work of {sample_owner}"]
    assert summaries(theirs) == ["Acme Corp: work of bob"]


def test_through_the_api_a_token_parameter_cannot_switch_owners(
    api, bookings, make_token, sample_owner
):
    bobs_feed = make_token(BOB, "feed")

    reply = api("calendar_feed", query={"token": bobs_feed})

    assert summaries(reply) == [f"Acme Corp: work of {sample_owner}"]


def test_a_token_sent_twice_is_refused_without_a_feed(api, bookings, make_token):
    secret = make_token(BOB, "feed")

    reply = api(
        "calendar_feed",
        event="calendar_feed_url",
        query=[("token", secret), ("token", secret)],
    )

    assert 400 <= reply.status < 500
    assert "BEGIN:VCALENDAR" not in reply.body


def test_without_a_token_even_a_wrong_parameter_answers_404(api, bookings):
    reply = url_feed(api, None, x="1")

    assert reply.status == 404
    assert "token" not in reply.body
