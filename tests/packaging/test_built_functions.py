"""The built functions answer their sample events with only the build output importable.

The tables hold the tokens whose secrets the sample events send, so the authorizer
lets its sample request in and the feed serves its Function URL sample.
"""

import json
import subprocess
import sys
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from clocks.tokens import TokenStore, bearer_secret
from tests.packaging.builds import REGION, Build, host_architecture, resources_of
from tools.template import ROOT, load_template, table_definition

pytestmark = pytest.mark.packaging

STACK = load_template()
FUNCTIONS = resources_of(STACK, "AWS::Serverless::Function")
EVENTS = ROOT / "events"
HOST = Path(__file__).with_name("lambda_host.py")
TABLE_NAME = "ClocksEntriesPackaging"
TOKENS_TABLE_NAME = "ClocksTokensPackaging"
AUTHORIZER = "AuthorizerFunction"
FEED = "CalendarFeedFunction"
LAYER_MODULES = (
    "clocks",
    "pydantic",
    "pydantic_core",
    "aws_lambda_powertools",
    "icalendar",
    "tzdata",
)
RUNTIME_MODULES = ("boto3", "botocore")


def code_dir_name(function: str) -> str:
    return Path(STACK["Resources"][function]["Properties"]["CodeUri"]).name


def event_names(function: str) -> list[str]:
    """events/<code dir>.json, and <code dir>_url.json for a Function URL."""
    names = [code_dir_name(function)]
    if "FunctionUrlConfig" in STACK["Resources"][function]["Properties"]:
        names.append(f"{code_dir_name(function)}_url")
    return names


def read_event(name: str) -> dict[str, Any]:
    path = EVENTS / f"{name}.json"
    assert path.exists(), f"events/{name}.json is missing"
    return json.loads(path.read_text(encoding="utf-8"))


def resolved(variables: dict[str, Any]) -> dict[str, str]:
    """Environment variables with references to tables and parameters filled in."""
    references = {
        "EntriesTable": TABLE_NAME,
        "TokensTable": TOKENS_TABLE_NAME,
        **{name: spec["Default"] for name, spec in STACK["Parameters"].items()},
    }
    return {
        name: references[value["Ref"]] if isinstance(value, dict) else str(value)
        for name, value in variables.items()
    }


def function_environment() -> dict[str, str]:
    """The variables the template gives every function, parameters at their defaults."""
    return resolved(STACK["Globals"]["Function"]["Environment"]["Variables"])


def own_environment(function: str) -> dict[str, str]:
    """The variables the template gives this one function on top of the global ones."""
    properties = STACK["Resources"][function]["Properties"]
    return resolved(properties.get("Environment", {}).get("Variables", {}))


class RecordingClient:
    """Keeps the writes of a TokenStore to replay them in the Lambda host."""

    def __init__(self) -> None:
        self.writes: list[dict[str, Any]] = []

    def put_item(self, **request: Any) -> None:
        self.writes.append(request)


def sample_owner() -> str:
    return read_event("calendar_feed")["requestContext"]["authorizer"]["lambda"][
        "owner"
    ]


def sample_token_writes() -> list[dict[str, Any]]:
    """The items of the api and feed tokens whose secrets the sample events send."""
    api_secret = bearer_secret(read_event("authorize")["headers"]["authorization"])
    feed_secret = read_event("calendar_feed_url")["queryStringParameters"]["token"]
    client = RecordingClient()
    store = TokenStore(client, TOKENS_TABLE_NAME)
    now = datetime.now(UTC)
    store.create(sample_owner(), "sample api", "api", now, secret=api_secret)
    store.create(sample_owner(), "sample feed", "feed", now, secret=feed_secret)
    return client.writes


def runtime_packages() -> list[str]:
    """This venv's site-packages, standing in for the boto3 the runtime ships."""
    return list(
        dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    )


@dataclass(frozen=True)
class HostRun:
    functions: dict[str, Any]
    modules: dict[str, str | None]
    log: str


@pytest.fixture(scope="module")
def host_build(build_for: Callable[[str], Build]) -> Build:
    return build_for(host_architecture())


@pytest.fixture(scope="module")
def host_run(host_build: Build, tmp_path_factory: pytest.TempPathFactory) -> HostRun:
    """One interpreter answers every function's events, as described in lambda_host."""
    runtime = STACK["Globals"]["Function"]["Runtime"]
    here = f"python{sys.version_info.major}.{sys.version_info.minor}"
    if here != runtime:
        pytest.fail(f"the packaging tests need {runtime}, not {here}")
    scratch = tmp_path_factory.mktemp("lambda-host")
    plan = {
        "layer": str(host_build.layer_python),
        "runtime_packages": runtime_packages(),
        "tables": [
            table_definition(TABLE_NAME, STACK),
            table_definition(TOKENS_TABLE_NAME, STACK, resource="TokensTable"),
        ],
        "items": sample_token_writes(),
        "functions": [
            {
                "name": function,
                "code": str(host_build.function_dir(function)),
                "handler": STACK["Globals"]["Function"]["Handler"],
                "environment": own_environment(function),
                "events": {name: read_event(name) for name in event_names(function)},
            }
            for function in FUNCTIONS
        ],
    }
    plan_path, result_path = scratch / "plan.json", scratch / "result.json"
    plan_path.write_text(json.dumps(plan), encoding="utf-8")
    environment = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(scratch),
        "LANG": "C.UTF-8",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_CONFIG_FILE": str(scratch / "aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(scratch / "aws-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        **function_environment(),
    }
    completed = subprocess.run(
        [sys.executable, "-I", "-S", "-B", str(HOST), str(plan_path), str(result_path)],
        cwd=scratch,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    log = completed.stdout + completed.stderr
    if completed.returncode != 0:
        pytest.fail(f"lambda_host failed ({completed.returncode}):\n{log[-6000:]}")
    result = json.loads(result_path.read_text(encoding="utf-8"))
    return HostRun(result["functions"], result["modules"], log)


def served_answer(
    host_run: HostRun, host_build: Build, function: str, event: str
) -> dict[str, Any]:
    """The function's answer to one event, once it is known to come from its build."""
    served = host_run.functions[function]
    assert "import_error" not in served, served["import_error"]
    assert Path(served["module"]).parent == host_build.function_dir(function)
    answer = served["answers"][event]
    assert "error" not in answer, answer["error"]
    return answer


def test_the_template_has_the_authorizer_and_the_feed_under_test() -> None:
    assert AUTHORIZER in FUNCTIONS
    assert event_names(AUTHORIZER) == ["authorize"]
    assert event_names(FEED) == ["calendar_feed", "calendar_feed_url"]


@pytest.mark.parametrize(
    ("function", "event"),
    [
        (function, name)
        for function in FUNCTIONS
        if function != AUTHORIZER
        for name in event_names(function)
    ],
)
def test_built_function_answers_its_sample_event_without_a_server_error(
    function: str, event: str, host_run: HostRun, host_build: Build
) -> None:
    answer = served_answer(host_run, host_build, function, event)

    assert isinstance(answer["status"], int), answer
    assert 200 <= answer["status"] < 500, f"{answer}\n{host_run.log[-4000:]}"
    # The owner comes through: the sample events are not refused as anonymous.
    assert answer["status"] not in {401, 403}, answer


def test_built_authorizer_lets_the_sample_token_in_as_its_owner(
    host_run: HostRun, host_build: Build
) -> None:
    answer = served_answer(host_run, host_build, AUTHORIZER, "authorize")

    assert answer["isAuthorized"] is True, f"{answer}\n{host_run.log[-4000:]}"
    assert answer["context"] == {"owner": sample_owner()}


def test_built_feed_serves_a_calendar_for_the_sample_feed_token_on_its_url(
    host_run: HostRun, host_build: Build
) -> None:
    answer = served_answer(host_run, host_build, FEED, "calendar_feed_url")

    assert answer["status"] == 200, f"{answer}\n{host_run.log[-4000:]}"
    assert answer["body"].startswith("BEGIN:VCALENDAR")


@pytest.mark.parametrize("module", LAYER_MODULES)
def test_domain_package_and_its_dependencies_come_from_the_layer(
    module: str, host_run: HostRun, host_build: Build
) -> None:
    origin = host_run.modules[module]
    assert origin is not None, f"{module} was never imported"
    assert Path(origin).is_relative_to(host_build.layer_python), origin


@pytest.mark.parametrize("module", RUNTIME_MODULES)
def test_boto3_comes_from_the_runtime_not_from_the_build(
    module: str, host_run: HostRun
) -> None:
    origin = host_run.modules[module]
    assert origin is not None, f"{module} was never imported"
    assert any(Path(origin).is_relative_to(path) for path in runtime_packages()), origin
