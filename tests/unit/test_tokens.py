"""Token secrets, the Authorization header and what a token admits, without AWS."""

import base64
import re
from datetime import UTC, datetime, timedelta

import pytest

from clocks.tokens import (
    SECRET_PREFIX,
    Token,
    TokenStore,
    bearer_secret,
    new_secret,
    secret_hash,
)

NOW = datetime(2026, 4, 22, 10, 0, tzinfo=UTC)
SECRET = "clk_lnYNYtMj_VHZnC2BxyrHKqpVbJyo2rx_l7pnJRAmHj0"


def token(scope="api", expires_at=None) -> Token:
    return Token(
        token_id="a1b2c3d4e5f6",
        owner="alice",
        name="laptop",
        scope=scope,
        created_at=NOW - timedelta(days=30),
        expires_at=expires_at,
    )


@pytest.mark.parametrize(
    "header",
    [
        f"Bearer {SECRET}",
        f"bearer {SECRET}",
        f"BEARER {SECRET}",
        f"  Bearer {SECRET}  ",
        f"Bearer   {SECRET}",
    ],
)
def test_the_secret_is_read_from_a_bearer_header(header):
    assert bearer_secret(header) == SECRET


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "   ",
        "Bearer",
        "Bearer ",
        "Bearer    ",
        SECRET,
        f"Basic {SECRET}",
        f"Token {SECRET}",
        f"Bearer: {SECRET}",
        f"Bearer\t{SECRET}",
        f"Bearer {SECRET} {SECRET}",
        "Bearer " + "x" * 201,
    ],
)
def test_anything_but_one_bearer_secret_reads_as_none(header):
    assert bearer_secret(header) is None


def test_a_secret_of_200_characters_is_the_longest_read():
    assert bearer_secret("Bearer " + "x" * 200) == "x" * 200


def test_a_new_secret_is_the_prefix_and_256_random_bits_in_url_safe_base64():
    secret = new_secret()

    body = secret.removeprefix(SECRET_PREFIX)
    assert secret.startswith("clk_")
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", body)
    assert len(base64.urlsafe_b64decode(body + "=")) == 32


def test_new_secrets_do_not_repeat():
    secrets = {new_secret() for _ in range(2_000)}

    assert len(secrets) == 2_000


def test_new_secrets_use_the_whole_alphabet_evenly():
    characters = "".join(new_secret().removeprefix(SECRET_PREFIX) for _ in range(2_000))

    counts = [characters.count(c) for c in set(characters)]
    # 86,000 draws from 64 symbols: 1,300 to 1,450 of each (the last character of
    # a secret carries only 4 bits); a skewed generator lands far outside.
    assert len(counts) == 64
    assert min(counts) > 1_100
    assert max(counts) < 1_600


def test_the_stored_key_is_a_fixed_length_hash_that_finds_the_same_secret_again():
    digest = secret_hash(SECRET)

    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert digest == secret_hash(SECRET)
    assert digest != secret_hash(SECRET[:-1] + "1")
    assert secret_hash("x" * 200) != secret_hash("x" * 199)


@pytest.mark.parametrize("scope", ["api", "feed"])
def test_a_token_admits_only_its_own_scope(scope):
    other = "feed" if scope == "api" else "api"

    assert token(scope).admits(scope, NOW) is True
    assert token(scope).admits(other, NOW) is False


def test_a_token_without_expiry_admits_forever():
    assert token().admits("api", datetime(2099, 12, 31, tzinfo=UTC)) is True


@pytest.mark.parametrize(
    ("now", "admitted"),
    [
        (NOW - timedelta(days=1), True),
        (NOW - timedelta(microseconds=1), True),
        (NOW, False),
        (NOW + timedelta(microseconds=1), False),
        (NOW + timedelta(days=1), False),
    ],
)
def test_a_token_stops_admitting_at_the_instant_it_expires(now, admitted):
    assert token(expires_at=NOW).admits("api", now) is admitted


def test_an_expired_token_admits_no_scope():
    expired = token(expires_at=NOW)

    assert not expired.admits("api", NOW)
    assert not expired.admits("feed", NOW)


class NoTable:
    """A client that fails the test if the table is asked at all."""

    def get_item(self, **request):
        raise AssertionError(f"looked up {request}")


@pytest.mark.parametrize("secret", [None, "", "x" * 201])
def test_a_missing_or_overlong_secret_is_refused_without_a_lookup(secret):
    store = TokenStore(NoTable(), "tokens")

    assert store.authenticate(secret, "api", NOW) is None
