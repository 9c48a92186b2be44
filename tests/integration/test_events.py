"""The sample events in events/: one per function, true to the template's routes."""

import json
from urllib.parse import parse_qsl

import pytest

from tools.template import ROOT, load_template, routes

# A function's sample event is for its main route; HEAD only mirrors a GET.
ROUTES = {route.code_dir.name: route for route in routes() if route.method != "HEAD"}
FUNCTIONS = sorted(
    path.name for path in (ROOT / "functions").iterdir() if path.is_dir()
)
AUTHORIZER = "authorize"
ROUTE_FUNCTIONS = [function for function in FUNCTIONS if function != AUTHORIZER]


def sample(name: str) -> dict:
    return json.loads((ROOT / "events" / f"{name}.json").read_text(encoding="utf-8"))


def test_every_function_but_the_authorizer_has_a_route_in_the_template():
    assert sorted(ROUTES) == ROUTE_FUNCTIONS


def test_the_authorizer_function_is_the_apis_default_authorizer():
    template = load_template()
    auth = template["Resources"]["ClocksHttpApi"]["Properties"]["Auth"]
    authorizer = auth["Authorizers"][auth["DefaultAuthorizer"]]
    code_uri = template["Resources"]["AuthorizerFunction"]["Properties"]["CodeUri"]

    assert authorizer["FunctionArn"] == {"GetAtt": "AuthorizerFunction.Arn"}
    assert code_uri.rstrip("/").endswith(f"functions/{AUTHORIZER}")


@pytest.mark.parametrize("function", ROUTE_FUNCTIONS)
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


@pytest.mark.parametrize("function", ROUTE_FUNCTIONS)
def test_each_route_event_carries_the_owner_the_authorizer_vouched_for(
    function, sample_owner
):
    event = sample(function)

    assert event["requestContext"]["authorizer"] == {"lambda": {"owner": sample_owner}}
    # API Gateway passes the header on to the integration after authorizing it.
    assert (
        event["headers"]["authorization"]
        == sample(AUTHORIZER)["headers"]["authorization"]
    )


@pytest.mark.parametrize("function", [*ROUTE_FUNCTIONS, "calendar_feed_url"])
def test_each_sample_query_string_agrees_with_its_parameter_map(function):
    event = sample(function)

    assert dict(parse_qsl(event["rawQueryString"])) == event.get(
        "queryStringParameters", {}
    )


def test_the_function_url_sample_is_a_default_route_for_the_feed_with_a_token():
    event = sample("calendar_feed_url")

    assert event["version"] == "2.0"
    assert event["routeKey"] == event["requestContext"]["routeKey"] == "$default"
    assert (
        event["rawPath"] == event["requestContext"]["http"]["path"] == "/calendar.ics"
    )
    assert event["requestContext"]["domainName"].endswith(".on.aws")
    assert "authorizer" not in event["requestContext"]
    assert event["queryStringParameters"]["token"].startswith("clk_")


def test_the_authorizer_sample_is_a_payload_2_request_event_for_a_route():
    event = sample(AUTHORIZER)
    route_key = event["routeKey"]
    method, _, path = route_key.partition(" ")

    assert event["version"] == "2.0"
    assert event["type"] == "REQUEST"
    assert route_key in {f"{route.method} {route.path}" for route in routes()}
    assert event["requestContext"]["routeKey"] == route_key
    assert event["rawPath"] == event["requestContext"]["http"]["path"] == path
    assert event["routeArn"].startswith("arn:aws:execute-api:")
    assert event["routeArn"].endswith(f"/$default/{method}{path}")
    assert event["identitySource"] == [event["headers"]["authorization"]]
    assert event["headers"]["authorization"].startswith("Bearer clk_")
    assert "authorizer" not in event["requestContext"]
    assert dict(parse_qsl(event["rawQueryString"])) == event["queryStringParameters"]


@pytest.mark.parametrize("function", ROUTE_FUNCTIONS)
def test_each_sample_event_gets_a_json_or_calendar_answer_without_server_error(
    api, function
):
    reply = api(function)

    assert reply.status < 500
    if reply.status != 204:
        content_type = reply.headers["Content-Type"]
        assert content_type.startswith(("application/json", "text/calendar"))


def test_the_sample_events_are_let_in_and_served(api, sample_owner):
    assert api.authorize() == {"isAuthorized": True, "context": {"owner": sample_owner}}
    assert api("calendar_feed", event="calendar_feed_url").status == 200
    assert api("get_active_timer").json == {"active": False}


@pytest.mark.parametrize("function", FUNCTIONS)
def test_each_function_imports_on_its_own_with_a_handler(function_loader, function):
    module = function_loader(function)

    assert callable(module.handler)
    assert module.__name__ == f"clocks_function_{function}"
