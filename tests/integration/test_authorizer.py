"""The API's Lambda authorizer: only a valid, unexpired api token lets a request in."""

from datetime import timedelta

import pytest

REFUSED = {"isAuthorized": False}


def test_a_valid_api_token_lets_its_owner_in(api, make_token):
    secret = make_token("bob")

    answer = api.authorize(f"Bearer {secret}")

    assert answer == {"isAuthorized": True, "context": {"owner": "bob"}}


def test_each_token_answers_for_its_own_owner(api, make_token, sample_owner):
    mine, theirs = make_token(sample_owner), make_token("bob")

    assert api.authorize(f"Bearer {mine}")["context"] == {"owner": sample_owner}
    assert api.authorize(f"Bearer {theirs}")["context"] == {"owner": "bob"}


@pytest.mark.parametrize("scheme", ["bearer", "BEARER", "Bearer"])
def test_the_scheme_name_is_case_insensitive(api, make_token, scheme):
    secret = make_token()

    assert api.authorize(f"{scheme} {secret}")["isAuthorized"] is True


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "   ",
        "Basic x",
        "Basic YWxpY2U6c2VjcmV0",
        "Bearer",
        "Bearer ",
        "Token clk_x",
        "clk_lnYNYtMj_VHZnC2BxyrHKqpVbJyo2rx_l7pnJRAmHj0",
        "Bearer clk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "Bearer clk_lnYNYtMj_VHZnC2BxyrHKqpVbJyo2rx_l7pnJRAmHj0 x",
        "Bearer " + "x" * 5000,
        "Bearer \ud800",
        "Bearer clk_\u00e9t\u00e9",
    ],
    ids=[
        "no header",
        "empty",
        "blank",
        "basic",
        "basic credentials",
        "bearer alone",
        "bearer and a space",
        "another scheme",
        "secret without scheme",
        "unknown secret",
        "two words",
        "overlong",
        "lone surrogate",
        "not ascii",
    ],
)
def test_a_missing_or_malformed_or_unknown_token_is_refused_with_nothing_else(
    api, authorization
):
    assert api.authorize(authorization) == REFUSED


def test_a_revoked_token_is_refused(api, make_token, tokens):
    secret = make_token("bob")
    (token,) = tokens.list("bob")
    assert api.authorize(f"Bearer {secret}")["isAuthorized"] is True

    assert tokens.revoke("bob", token.token_id) is True

    assert api.authorize(f"Bearer {secret}") == REFUSED


def test_a_token_is_refused_from_the_moment_it_expires(api, make_token):
    expiry = api.now
    secret = make_token(expires_at=expiry)

    api.now = expiry - timedelta(seconds=1)
    before = api.authorize(f"Bearer {secret}")
    api.now = expiry
    at_expiry = api.authorize(f"Bearer {secret}")
    api.now = expiry + timedelta(days=30)
    later = api.authorize(f"Bearer {secret}")

    assert before["isAuthorized"] is True
    assert at_expiry == REFUSED
    assert later == REFUSED


def test_a_feed_token_does_not_open_the_api(api, make_token):
    secret = make_token(scope="feed")

    assert api.authorize(f"Bearer {secret}") == REFUSED


def test_another_owners_revocation_does_not_touch_a_token(
    api, make_token, tokens, sample_owner
):
    secret = make_token("bob")
    (bobs,) = tokens.list("bob")

    assert tokens.revoke(sample_owner, bobs.token_id) is False

    assert api.authorize(f"Bearer {secret}")["context"] == {"owner": "bob"}
