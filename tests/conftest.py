"""Fixtures shared by the unit and integration tests.

Nothing here reaches AWS: the credentials are dummies, endpoint overrides are removed
and the tables live in moto's in-memory DynamoDB. With
CLOCKS_TEST_DATABASE=dynamodb-local they live in one DynamoDB Local on 127.0.0.1
instead, started for the whole run and emptied before each test: DynamoDB Local
refuses requests that moto lets pass, and serializes concurrent writes as DynamoDB
does.

The sample events in events/ are requests of SAMPLE_OWNER: the API events carry the
owner the authorizer vouched for, and the `api` fixture stores the tokens whose
secrets the authorizer and Function URL events send.
"""

import base64
import copy
import importlib.util
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, urlencode

import boto3
import botocore.loaders
import botocore.session
import pytest
from moto import mock_aws

from clocks.periods import utc_now
from clocks.settings import load_settings
from clocks.storage import EntryStore, entry_store
from clocks.tokens import Scope, TokenStore, token_store
from tools.dynamodb_local import (
    DynamoDBLocalError,
    ensure_table,
    local_client,
    start_dynamodb_local,
)
from tools.template import load_template, table_definition

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "events"
FUNCTIONS = ROOT / "functions"
TABLE_NAME = "ClocksEntriesTest"
TOKENS_TABLE_NAME = "ClocksTokensTest"
REGION = "eu-central-1"
DEFAULT_ZONE = "Europe/Berlin"
# Who the sample events act for, and the secrets they send (see events/).
SAMPLE_OWNER = "alice"
SAMPLE_API_SECRET = "clk_lnYNYtMj_VHZnC2BxyrHKqpVbJyo2rx_l7pnJRAmHj0"
SAMPLE_FEED_SECRET = "clk_eZZwj4fNL0HNmk8fnbpPVqDTSnEvuPP98VJzRQpM3fQ"
TOKENS_CREATED_AT = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
# "moto" (the default) or "dynamodb-local".
TEST_DATABASE = os.environ.get("CLOCKS_TEST_DATABASE") or "moto"
TEST_DATABASES = ("moto", "dynamodb-local")


def forget_settings() -> None:
    """Drop the cached settings and stores so that the next call reads the env again."""
    load_settings.cache_clear()
    entry_store.cache_clear()
    token_store.cache_clear()


@pytest.fixture
def time_zone() -> str:
    """The owner's zone; parametrize `time_zone` to run a test in another one."""
    return DEFAULT_ZONE


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch, time_zone: str) -> Iterator[None]:
    """Dummy credentials, a fixed region and the settings the functions read."""
    for name in (
        "AWS_ENDPOINT_URL",
        "AWS_ENDPOINT_URL_DYNAMODB",
        "AWS_PROFILE",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
    ):
        monkeypatch.delenv(name, raising=False)
    # No profile or config file of the machine may point boto3 anywhere.
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("TABLE_NAME", TABLE_NAME)
    monkeypatch.setenv("TOKENS_TABLE", TOKENS_TABLE_NAME)
    monkeypatch.setenv("TIME_ZONE", time_zone)
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "clocks")
    forget_settings()
    yield
    forget_settings()


@pytest.fixture
def table_name() -> str:
    return TABLE_NAME


@pytest.fixture(scope="session")
def service_models() -> Any:
    """One botocore loader for the whole run; reading its JSON models is slow."""
    return botocore.loaders.create_loader()


@cache
def _template() -> dict[str, Any]:
    # Parsing the YAML takes longer than creating both tables.
    return load_template()


@pytest.fixture(scope="session")
def dynamodb_local(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The endpoint of one DynamoDB Local for the run, with both tables created."""
    try:
        server = start_dynamodb_local(tmp_path_factory.mktemp("dynamodb-local"))
    except DynamoDBLocalError as error:
        pytest.exit(f"CLOCKS_TEST_DATABASE=dynamodb-local: {error}", returncode=1)
    try:
        client = local_client(server.endpoint_url)
        ensure_table(client, TABLE_NAME)
        ensure_table(client, TOKENS_TABLE_NAME, resource="TokensTable")
        yield server.endpoint_url
    finally:
        server.stop()


def _empty_table(client: Any, table_name: str, resource: str) -> None:
    key_schema = table_definition(table_name, _template(), resource)["KeySchema"]
    keys = [part["AttributeName"] for part in key_schema]
    pages = client.get_paginator("scan").paginate(
        TableName=table_name,
        ProjectionExpression=", ".join(f"#{number}" for number in range(len(keys))),
        ExpressionAttributeNames={f"#{number}": key for number, key in enumerate(keys)},
        ConsistentRead=True,
    )
    items = [item for page in pages for item in page["Items"]]
    # BatchWriteItem takes at most 25 requests.
    for first in range(0, len(items), 25):
        requests = [
            {"DeleteRequest": {"Key": item}} for item in items[first : first + 25]
        ]
        while requests:
            answer = client.batch_write_item(RequestItems={table_name: requests})
            requests = answer.get("UnprocessedItems", {}).get(table_name, [])


def _local_dynamodb(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    service_models: Any,
) -> Iterator[Any]:
    endpoint_url = request.getfixturevalue("dynamodb_local")
    # Only DynamoDB goes to the local endpoint; aws_env removed every other override.
    monkeypatch.setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint_url)
    previous = boto3.DEFAULT_SESSION
    session = botocore.session.get_session()
    session.register_component("data_loader", service_models)
    boto3.setup_default_session(botocore_session=session)
    client = boto3.client("dynamodb", region_name=REGION)
    _empty_table(client, TABLE_NAME, "EntriesTable")
    _empty_table(client, TOKENS_TABLE_NAME, "TokensTable")
    try:
        yield client
    finally:
        boto3.DEFAULT_SESSION = previous


@pytest.fixture
def dynamodb(
    aws_env: None,
    service_models: Any,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Any]:
    """A DynamoDB with both tables, their schemas read from template.yaml.

    moto's in-memory one, or DynamoDB Local with CLOCKS_TEST_DATABASE=dynamodb-local.
    """
    if TEST_DATABASE not in TEST_DATABASES:
        pytest.fail(f"CLOCKS_TEST_DATABASE must be one of {', '.join(TEST_DATABASES)}")
    if TEST_DATABASE == "dynamodb-local":
        yield from _local_dynamodb(request, monkeypatch, service_models)
        return
    with mock_aws():
        # A fresh default session per test (mock_aws restores the old one on exit)
        # that shares the loaded service models, so clients are quick to create.
        session = botocore.session.get_session()
        session.register_component("data_loader", service_models)
        boto3.setup_default_session(botocore_session=session)
        client = boto3.client("dynamodb", region_name=REGION)
        template = _template()
        client.create_table(**table_definition(TABLE_NAME, template))
        client.create_table(
            **table_definition(TOKENS_TABLE_NAME, template, resource="TokensTable")
        )
        yield client


@pytest.fixture
def store(dynamodb: Any) -> EntryStore:
    """The store the functions use, bound to the moto table."""
    return entry_store()


@pytest.fixture
def sample_owner() -> str:
    """The owner the sample events act for."""
    return SAMPLE_OWNER


@pytest.fixture
def tokens(dynamodb: Any) -> TokenStore:
    """The token store the authorizer and the feed use, bound to the moto table."""
    return token_store()


@pytest.fixture
def make_token(tokens: TokenStore) -> Callable[..., str]:
    """Store a token and return its secret: make_token("bob", scope="feed")."""

    def make_token(
        owner: str = SAMPLE_OWNER,
        scope: Scope = "api",
        *,
        expires_at: datetime | None = None,
        secret: str | None = None,
    ) -> str:
        secret, _ = tokens.create(
            owner,
            f"{scope} token of {owner}",
            scope,
            TOKENS_CREATED_AT,
            expires_at=expires_at,
            secret=secret,
        )
        return secret

    return make_token


def load_function(name: str) -> ModuleType:
    """Import functions/<name>/app.py under a module name of its own."""
    path = FUNCTIONS / name / "app.py"
    spec = importlib.util.spec_from_file_location(f"clocks_function_{name}", path)
    assert spec is not None and spec.loader is not None, f"no function {name!r}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class LambdaContextStub:
    """The attributes of a Lambda context that the functions and Powertools read."""

    function_name: str = "clocks-test-function"
    function_version: str = "$LATEST"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = (
        "arn:aws:lambda:eu-central-1:123456789012:function:clocks-test-function"
    )
    aws_request_id: str = "6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
    log_group_name: str = "/aws/lambda/clocks-test-function"
    log_stream_name: str = "2026/04/20/[$LATEST]0123456789abcdef"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


@pytest.fixture
def lambda_context() -> LambdaContextStub:
    return LambdaContextStub()


@cache
def _event_file(name: str) -> dict[str, Any]:
    return json.loads((EVENTS / f"{name}.json").read_text(encoding="utf-8"))


_KEEP: Any = object()
Query = str | Mapping[str, str] | Sequence[tuple[str, str]]


def _set_query(event: dict[str, Any], query: Query) -> None:
    if isinstance(query, str):
        raw = query
    else:
        pairs = list(query.items()) if isinstance(query, Mapping) else list(query)
        raw = urlencode(pairs)
    event["rawQueryString"] = raw
    # API Gateway joins repeated parameters with commas in this map.
    joined: dict[str, str] = {}
    for name, value in parse_qsl(raw, keep_blank_values=True):
        joined[name] = f"{joined[name]},{value}" if name in joined else value
    if joined:
        event["queryStringParameters"] = joined
    else:
        event.pop("queryStringParameters", None)


def _set_body(event: dict[str, Any], body: Any) -> None:
    headers = event["headers"]
    if body is None:
        event.pop("body", None)
        event["isBase64Encoded"] = False
        headers.pop("content-length", None)
        return
    if isinstance(body, bytes):
        event["body"] = base64.b64encode(body).decode("ascii")
        event["isBase64Encoded"] = True
        headers["content-length"] = str(len(body))
        return
    text = body if isinstance(body, str) else json.dumps(body)
    event["body"] = text
    event["isBase64Encoded"] = False
    headers["content-length"] = str(len(text.encode("utf-8")))
    headers.setdefault("content-type", "application/json")


def make_event(
    name: str,
    *,
    method: str | None = None,
    path: str | None = None,
    query: Query | None = None,
    body: Any = _KEEP,
    headers: Mapping[str, str | None] | None = None,
    owner: Any = _KEEP,
) -> dict[str, Any]:
    """A copy of events/<name>.json with the given parts replaced.

    `query` replaces the query string (a raw string, a mapping or pairs, so that
    a parameter can repeat); `body` takes an object to send as JSON, a raw string,
    bytes (sent base64-encoded) or None for no body; a header set to None is removed;
    `owner` is who the authorizer vouched for, None for an event without authorizer.
    """
    event = copy.deepcopy(_event_file(name))
    http = event["requestContext"]["http"]
    if method is not None:
        http["method"] = method
    if path is not None:
        event["rawPath"] = http["path"] = path
    if event["routeKey"] != "$default":
        event["routeKey"] = event["requestContext"]["routeKey"] = (
            f"{http['method']} {event['rawPath']}"
        )
    if query is not None:
        _set_query(event, query)
    if body is not _KEEP:
        _set_body(event, body)
    for header, value in (headers or {}).items():
        if value is None:
            event["headers"].pop(header.lower(), None)
        else:
            event["headers"][header.lower()] = value
    if owner is None:
        event["requestContext"].pop("authorizer", None)
    elif owner is not _KEEP:
        event["requestContext"]["authorizer"] = {"lambda": {"owner": owner}}
    return event


@dataclass(frozen=True)
class Reply:
    """What a function answered, in the shape API Gateway turns into HTTP."""

    status: int
    headers: dict[str, str]
    body: str

    @property
    def json(self) -> Any:
        assert self.headers.get("Content-Type", "").startswith("application/json"), (
            self.headers
        )
        return json.loads(self.body)

    @property
    def message(self) -> str:
        return self.json["message"]


class Api:
    """Invokes the functions' handlers with events from events/, at a settable time."""

    def __init__(self, context: LambdaContextStub) -> None:
        self._context = context
        self._modules: dict[str, ModuleType] = {}
        # None follows the real clock; a datetime (UTC) freezes it for every function.
        self.now: datetime | None = None

    def _clock(self) -> datetime:
        return self.now if self.now is not None else utc_now()

    def module(self, function: str) -> ModuleType:
        """The function's module, imported once per test."""
        if function not in self._modules:
            module = load_function(function)
            # The functions read the time through this name; it is the one seam.
            module.utc_now = self._clock
            self._modules[function] = module
        return self._modules[function]

    def __call__(
        self, function: str, *, event: str | None = None, **overrides: Any
    ) -> Reply:
        """Send events/<event or function>.json, changed by `overrides`.

        `owner="bob"` sends the request as another owner; `owner=None` sends it
        without the authorizer's context.
        """
        return self.send(function, self.event(event or function, **overrides))

    def event(self, name: str, **overrides: Any) -> dict[str, Any]:
        """events/<name>.json changed by `overrides`, to change further and send."""
        return make_event(name, **overrides)

    def send(self, function: str, event: dict[str, Any]) -> Reply:
        """Answer an event exactly as given."""
        answer = self.module(function).handler(event, self._context)
        body = answer.get("body") or ""
        if answer.get("isBase64Encoded"):
            body = base64.b64decode(body).decode("utf-8")
        return Reply(
            status=answer["statusCode"], headers=answer.get("headers") or {}, body=body
        )

    def authorize(self, authorization: Any = _KEEP) -> dict[str, Any]:
        """The authorizer's answer to events/authorize.json.

        `authorization` replaces the Authorization header; None leaves it out.
        """
        request = make_event("authorize")
        if authorization is not _KEEP:
            request["headers"].pop("authorization", None)
            request.pop("identitySource", None)
            if authorization is not None:
                request["headers"]["authorization"] = authorization
                request["identitySource"] = [authorization]
        return self.module("authorize").handler(request, self._context)


@pytest.fixture
def sample_tokens(make_token: Callable[..., str]) -> None:
    """The api and feed tokens whose secrets the sample events send."""
    make_token(SAMPLE_OWNER, "api", secret=SAMPLE_API_SECRET)
    make_token(SAMPLE_OWNER, "feed", secret=SAMPLE_FEED_SECRET)


@pytest.fixture
def api(dynamodb: Any, sample_tokens: None, lambda_context: LambdaContextStub) -> Api:
    """Call a function by its directory name: api("start_timer", body={...})."""
    return Api(lambda_context)


@pytest.fixture
def function_loader() -> Callable[[str], ModuleType]:
    return load_function
