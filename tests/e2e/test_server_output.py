"""No token reaches the server's output, whichever way it was sent.

This module runs last (see conftest), so that it covers every token of the run.
"""

import secrets

import pytest

pytestmark = pytest.mark.e2e


def test_no_token_used_in_the_run_shows_in_the_server_output(
    server, api, http, tokens, local_owner, used_secrets
):
    feed, _ = tokens.create(local_owner.name, "feed")
    revoked = tokens.revoked(local_owner.name)
    unknown = "clk_" + secrets.token_urlsafe(32)
    used_secrets.add(unknown)
    # Accepted and refused, in the header, the query and the body.
    answers = [
        api.get("/active"),
        api.with_token(revoked).get("/active"),
        api.with_token(unknown).get("/entries"),
        api.get(f"/calendar.ics?token={feed}"),
        api.get(f"/entries?token={feed}"),
        api.post("/start", {"customer": "Output Check", "token": feed}),
        http.get(tokens.feed_url(feed)),
        http.get(tokens.feed_url(unknown)),
        http.get(tokens.feed_url(revoked)),
    ]
    assert [answer.status for answer in answers] == [
        200, 403, 403, 200, 422, 422, 200, 404, 404,
    ]  # fmt: skip

    output = server.output

    after_banner = output.partition("Ctrl-C stops it.")[2]
    assert "GET /calendar.ics 200" in after_banner
    assert "?token=" not in after_banner
    leaked = sorted(secret for secret in used_secrets if secret in output)
    assert leaked == [], f"{len(leaked)} of {len(used_secrets)} tokens were printed"
