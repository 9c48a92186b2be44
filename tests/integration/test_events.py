"""The sample events in events/: one per function, true to the template's routes."""

import json
from urllib.parse import parse_qsl

import pytest

from tools.template import ROOT, routes

ROUTES = {route.code_dir.name: route for route in routes()}
FUNCTIONS = sorted(
    path.name for path in (ROOT / "functions").iterdir() if path.is_dir()
)


def sample(name: str) -> dict:
    return json.loads((ROOT / "events" / f"{name}.json").read_text(encoding="utf-8"))


def test_every_function_has_a_route_in_the_template():
    assert sorted(ROUTES) == FUNCTIONS


@pytest.mark.parametrize("function", FUNCTIONS)
def test_each_sample_event_is_a_payload_2_request_for_its_route(function):
    event = sample(function)
    route = ROUTES[function]
    http = event["requestContext"]["http"]

    assert event["version"] == "2.0"
    assert event["routeKey"] == event["requestContext"]["routeKey"]
    assert event["routeKey"] == f"{route.method} {route.path}"
    assert event["rawPath"] == http["path"] == route.path
    assert http["method"] == route.method
    assert event["requestContext"]["stage"] == "$default"
    assert http["sourceIp"]
    if event.get("body") is not None:
        assert isinstance(json.loads(event["body"]), dict)
        assert event["headers"]["content-type"] == "application/json"
        assert int(event["headers"]["content-length"]) == len(event["body"].encode())


@pytest.mark.parametrize("function", FUNCTIONS)
def test_each_sample_query_string_agrees_with_its_parameter_map(function):
    event = sample(function)

    assert dict(parse_qsl(event["rawQueryString"])) == event.get(
        "queryStringParameters", {}
    )


def test_the_function_url_sample_is_a_default_route_for_the_feed():
    event = sample("calendar_feed_url")

    assert event["version"] == "2.0"
    assert event["routeKey"] == event["requestContext"]["routeKey"] == "$default"
    assert (
        event["rawPath"] == event["requestContext"]["http"]["path"] == "/calendar.ics"
    )
    assert event["requestContext"]["domainName"].endswith(".on.aws")


@pytest.mark.parametrize("function", FUNCTIONS)
def test_each_sample_event_gets_a_json_or_calendar_answer_without_server_error(
    api, function
):
    reply = api(function)

    assert reply.status < 500
    if reply.status != 204:
        content_type = reply.headers["Content-Type"]
        assert content_type.startswith(("application/json", "text/calendar"))


@pytest.mark.parametrize("function", FUNCTIONS)
def test_each_function_imports_on_its_own_with_a_handler(function_loader, function):
    module = function_loader(function)

    assert callable(module.handler)
    assert module.__name__ == f"clocks_function_{function}"
