"""The feed on the Function URL: only a feed token in ?token= opens it.

Calendar apps cannot send headers, so there is no authorizer in front of it; for
anything but a valid feed token the feed does not exist (404).
"""

import re

import pytest
from icalendar import Calendar

pytestmark = pytest.mark.e2e


def test_a_feed_token_opens_the_feed(http, tokens, local_owner):
    secret, _ = tokens.create(local_owner.name, "feed")

    answer = http.get(tokens.feed_url(secret))

    assert answer.status == 200
    assert answer.content_type.startswith("text/calendar")
    Calendar.from_ical(answer.body)


@pytest.mark.parametrize(
    "credential", ["none", "empty", "api token", "unknown", "revoked", "expired"]
)
def test_anything_but_a_valid_feed_token_is_404(http, tokens, credential):
    owner = "e2e-feed-owner"
    token = {
        "empty": "",
        "api token": tokens.create(owner, "api")[0],
        "unknown": "clk_unknownunknownunknownunknownunknown00",
        "revoked": tokens.revoked(owner, "feed"),
        "expired": tokens.expired(owner, "feed"),
    }.get(credential)
    path = "/calendar.ics" if token is None else tokens.feed_url(token)

    answer = http.get(path)

    assert answer.status == 404
    assert answer.json() == {"message": "Not Found"}


def test_an_api_bearer_token_does_not_open_the_function_url(http, api):
    answer = http.get("/calendar.ics", headers={"Authorization": f"Bearer {api.token}"})

    assert answer.status == 404


def test_revoking_a_feed_token_closes_the_feed_at_once(http, admin, local_owner):
    made = admin(
        "create-token",
        "--owner",
        local_owner.name,
        "--name",
        "phone",
        "--scope",
        "feed",
    )
    assert made.returncode == 0, made.stderr
    feed_url = re.search(r"http://\S+/calendar\.ics\?token=\S+", made.stdout)[0]
    token_id = re.search(r"feed token (\w+)", made.stdout)[1]
    opened = http.get(feed_url.removeprefix(http.base_url))

    revoked = admin("revoke-token", "--owner", local_owner.name, token_id)
    closed = http.get(feed_url.removeprefix(http.base_url))

    assert feed_url.startswith(f"{http.base_url}/calendar.ics?token=clk_")
    assert opened.status == 200
    assert revoked.returncode == 0, revoked.stderr
    assert closed.status == 404
