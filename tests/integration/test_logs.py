"""What the functions write to their logs never includes a secret a client sent.

CloudWatch keeps whatever a function prints, readable by anyone with log access, so
neither token secrets nor Authorization headers may appear there, at any log level.
"""

import logging
import sys
from datetime import timedelta

import pytest

from tools.template import routes

BOB = "bob"


@pytest.fixture
def function_logs(capfd, caplog, monkeypatch):
    """Everything the functions log, at DEBUG, as printed and as log records."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="clocks")
    # Powertools binds its handler to the stdout of the moment it was created;
    # point it at the stdout captured now.
    for handler in logging.getLogger("clocks").handlers:
        if isinstance(handler, logging.StreamHandler):
            monkeypatch.setattr(handler, "stream", sys.stdout)

    def read() -> str:
        out, err = capfd.readouterr()
        records = [
            f"{record.getMessage()} {vars(record)!r}" for record in caplog.records
        ]
        return "\n".join([out, err, *records])

    return read


@pytest.fixture
def secrets_in_play(api, make_token, tokens) -> dict[str, str]:
    """A token of each kind, valid or not, that the requests below send."""
    revoked = make_token(BOB, "api")
    (token,) = tokens.list(BOB)
    tokens.revoke(BOB, token.token_id)
    return {
        "sample api": api.event("authorize")["headers"]["authorization"].split()[1],
        "sample feed": api.event("calendar_feed_url")["queryStringParameters"]["token"],
        "bob api": make_token(BOB, "api"),
        "bob feed": make_token(BOB, "feed"),
        "revoked": revoked,
        "expired": make_token(BOB, "api", expires_at=api.now - timedelta(hours=1)),
        "expired feed": make_token(BOB, "feed", expires_at=api.now),
        "unknown": "clk_7hVqS2mXbE0pLr9tKcW4uYz1NfJ6aGdQ3oHsIiTxRvB",
    }


# Every function behind an API route.
ROUTE_FUNCTIONS = sorted({route.code_dir.name for route in routes()})


def a_day_of_requests(api, secret: dict[str, str]) -> set[str]:
    """Authorizer, feed and API calls, each good and bad; the headers sent."""
    headers = {"Basic YWxpY2U6aHVudGVyMg==", "Bearer", "Bearer " + "x" * 300}
    headers |= {f"Bearer {value}" for value in secret.values()}
    headers |= {f"bearer {secret['bob api']}", secret["bob api"]}
    for header in sorted(headers):
        api.authorize(header)
    api.authorize(None)
    api.authorize()

    for value in secret.values():
        api("calendar_feed", event="calendar_feed_url", query={"token": value})
    api("calendar_feed", event="calendar_feed_url", query=f"token={secret['unknown']}")
    api("calendar_feed", event="calendar_feed_url", query="token=a&token=b")
    api("calendar_feed", event="calendar_feed_url")

    bobs = {"authorization": f"Bearer {secret['bob api']}"}
    for function in ROUTE_FUNCTIONS:
        api(function)
        api(function, owner=BOB, headers=bobs)
        api(function, owner=None)
    api("calendar_feed", query={"token": secret["bob feed"]})
    api("list_entries", query={"token": secret["bob api"]})
    api("start_timer", body={"customer": secret["unknown"] + "x" * 300})
    api("start_timer", body={"customer": "Acme", "token": secret["bob api"]})
    api("quick_book", body="{" + secret["bob api"])
    api("batch_invoice", body={"starts": [secret["bob feed"]]})
    api("update_entry", query={"start": secret["bob api"]}, body={"notes": "x"})
    return headers


def test_no_token_secret_or_authorization_header_reaches_the_logs(
    api, secrets_in_play, function_logs
):
    sent_headers = a_day_of_requests(api, secrets_in_play)

    logs = function_logs()

    assert "token accepted" in logs
    assert "token refused" in logs
    assert "request refused" in logs
    leaked = [name for name, value in secrets_in_play.items() if value in logs]
    assert leaked == []
    assert [header for header in sent_headers if header in logs] == []
    assert "YWxpY2U6aHVudGVyMg" not in logs


def test_the_logs_still_say_who_was_let_in(api, function_logs, sample_owner):
    api.authorize()

    logs = function_logs()

    assert "token accepted" in logs
    assert sample_owner in logs
