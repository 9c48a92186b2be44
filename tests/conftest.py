"""Fixtures shared by the unit and integration tests.

Nothing here reaches AWS: the credentials are dummies, endpoint overrides are removed
and the table lives in moto's in-memory DynamoDB.
"""

import base64
import copy
import importlib.util
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
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
from tools.template import table_definition

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT / "events"
FUNCTIONS = ROOT / "functions"
TABLE_NAME = "ClocksEntriesTest"
REGION = "eu-central-1"
DEFAULT_ZONE = "Europe/Berlin"


def forget_settings() -> None:
    """Drop the cached settings and store so that the next call reads the env again."""
    load_settings.cache_clear()
    entry_store.cache_clear()


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


@pytest.fixture
def dynamodb(aws_env: None, service_models: Any) -> Iterator[Any]:
    """A moto DynamoDB with the entries table, its schema read from template.yaml."""
    with mock_aws():
        # A fresh default session per test (mock_aws restores the old one on exit)
        # that shares the loaded service models, so clients are quick to create.
        session = botocore.session.get_session()
        session.register_component("data_loader", service_models)
        boto3.setup_default_session(botocore_session=session)
        client = boto3.client("dynamodb", region_name=REGION)
        client.create_table(**table_definition(TABLE_NAME))
        yield client


@pytest.fixture
def store(dynamodb: Any) -> EntryStore:
    """The store the functions use, bound to the moto table."""
    return entry_store()


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
) -> dict[str, Any]:
    """A copy of events/<name>.json with the given parts replaced.

    `query` replaces the query string (a raw string, a mapping or pairs, so that
    a parameter can repeat); `body` takes an object to send as JSON, a raw string,
    bytes (sent base64-encoded) or None for no body; a header set to None is removed.
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
        """Send events/<event or function>.json, changed by `overrides`."""
        request = make_event(event or function, **overrides)
        answer = self.module(function).handler(request, self._context)
        body = answer.get("body") or ""
        if answer.get("isBase64Encoded"):
            body = base64.b64decode(body).decode("utf-8")
        return Reply(
            status=answer["statusCode"], headers=answer.get("headers") or {}, body=body
        )


@pytest.fixture
def api(dynamodb: Any, lambda_context: LambdaContextStub) -> Api:
    """Call a function by its directory name: api("start_timer", body={...})."""
    return Api(lambda_context)


@pytest.fixture
def function_loader() -> Callable[[str], ModuleType]:
    return load_function
