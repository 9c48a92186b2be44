"""Personal access tokens: random secrets stored only as their SHA-256 hash.

A token has a scope: `api` opens the JSON API (as a Bearer token), `feed` opens
only the calendar feed (as ?token=, since calendar apps cannot send headers).
Tokens are looked up by the hash of the secret, so no secret is ever compared
character by character and none is kept at rest.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, Literal

import boto3
from botocore.exceptions import ClientError

from clocks.settings import dynamodb_config, load_settings
from clocks.times import format_instant, parse_instant

Scope = Literal["api", "feed"]
SCOPES: tuple[Scope, ...] = ("api", "feed")
# A recognisable prefix lets secret scanners spot a leaked token.
SECRET_PREFIX = "clk_"
# Owners key every entry, and "#" joins owner and customer or task in the index
# keys; an owner with "#" could read another owner's index partition.
OWNER_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}")


def check_owner(owner: str) -> str:
    """The owner name if it is safe as a key; ValueError otherwise."""
    if not OWNER_PATTERN.fullmatch(owner):
        raise ValueError(
            f"{owner!r} is not an owner name: 1 to 128 letters, digits and . _ @ + -, "
            "starting with a letter or digit"
        )
    return owner


@dataclass(frozen=True)
class Token:
    """What is known of a token; never its secret."""

    token_id: str
    owner: str
    name: str
    scope: Scope
    created_at: datetime
    expires_at: datetime | None = None

    def admits(self, scope: Scope, now: datetime) -> bool:
        """Whether the token opens `scope` at `now`."""
        expired = self.expires_at is not None and now >= self.expires_at
        return self.scope == scope and not expired


def new_secret() -> str:
    """A fresh secret with 256 bits from the operating system's CSPRNG."""
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    """The key a token is stored under."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def bearer_secret(authorization: str | None) -> str | None:
    """The secret of an `Authorization: Bearer <secret>` header, if well-formed."""
    if not authorization:
        return None
    kind, _, secret = authorization.strip().partition(" ")
    secret = secret.strip()
    if kind.lower() != "bearer" or not _plausible(secret):
        return None
    return secret


def _plausible(secret: str | None) -> bool:
    # Secrets are short URL-safe ASCII; anything else cannot match and is not hashed.
    return (
        bool(secret) and len(secret) <= 200 and secret.isascii() and " " not in secret
    )


def _token_from(item: dict[str, Any]) -> Token:
    expires = item.get("expires_at", {}).get("S")
    return Token(
        token_id=item["token_id"]["S"],
        owner=item["owner"]["S"],
        name=item["name"]["S"],
        scope=item["scope"]["S"],
        created_at=parse_instant(item["created_at"]["S"]),
        expires_at=parse_instant(expires) if expires else None,
    )


class TokenStore:
    """Tokens of every owner in one DynamoDB table keyed by `token_hash`."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def find(self, secret: str) -> Token | None:
        """The token a secret belongs to, if it exists (revoked ones do not)."""
        answer = self._client.get_item(
            TableName=self._table,
            Key={"token_hash": {"S": secret_hash(secret)}},
            # A revoked token must fail on the very next request.
            ConsistentRead=True,
        )
        return _token_from(answer["Item"]) if "Item" in answer else None

    def authenticate(
        self, secret: str | None, scope: Scope, now: datetime
    ) -> str | None:
        """The owner a secret acts for in `scope`, or None for any kind of refusal."""
        if not _plausible(secret):
            return None
        token = self.find(secret)
        return token.owner if token and token.admits(scope, now) else None

    def create(
        self,
        owner: str,
        name: str,
        scope: Scope,
        now: datetime,
        expires_at: datetime | None = None,
        secret: str | None = None,
    ) -> tuple[str, Token]:
        """Store a new token; the secret is returned here and never again."""
        check_owner(owner)
        secret = secret or new_secret()
        token = Token(
            token_id=secrets.token_hex(6),
            owner=owner,
            name=name,
            scope=scope,
            created_at=now,
            expires_at=expires_at,
        )
        item = {
            "token_hash": {"S": secret_hash(secret)},
            "token_id": {"S": token.token_id},
            "owner": {"S": owner},
            "name": {"S": name},
            "scope": {"S": scope},
            "created_at": {"S": format_instant(now)},
        }
        if expires_at is not None:
            item["expires_at"] = {"S": format_instant(expires_at)}
        self._client.put_item(
            TableName=self._table,
            Item=item,
            ConditionExpression="attribute_not_exists(token_hash)",
        )
        return secret, token

    def _items_of(self, owner: str) -> list[dict[str, Any]]:
        paginator = self._client.get_paginator("query")
        pages = paginator.paginate(
            TableName=self._table,
            IndexName="ByOwner",
            KeyConditionExpression="#owner = :owner",
            ExpressionAttributeNames={"#owner": "owner"},
            ExpressionAttributeValues={":owner": {"S": owner}},
        )
        return [item for page in pages for item in page["Items"]]

    def list(self, owner: str) -> list[Token]:
        """The owner's tokens, oldest first, without their secrets."""
        return [_token_from(item) for item in self._items_of(owner)]

    def revoke(self, owner: str, token_id: str) -> bool:
        """Delete one of the owner's tokens; False if the owner has no such token."""
        for item in self._items_of(owner):
            if item["token_id"]["S"] != token_id:
                continue
            try:
                self._client.delete_item(
                    TableName=self._table,
                    Key={"token_hash": item["token_hash"]},
                    ConditionExpression="#owner = :owner",
                    ExpressionAttributeNames={"#owner": "owner"},
                    ExpressionAttributeValues={":owner": {"S": owner}},
                )
            except ClientError as error:
                if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                    return False
                raise
            return True
        return False


@cache
def token_store() -> TokenStore:
    """The process-wide token store, created on first use."""
    settings = load_settings()
    if not settings.tokens_table_name:
        raise RuntimeError("TOKENS_TABLE is not set for this function")
    client = boto3.client("dynamodb", config=dynamodb_config())
    return TokenStore(client, settings.tokens_table_name)
