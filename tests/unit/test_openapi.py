"""openapi.json: up to date, complete, valid, and true to what the handlers answer."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

import jsonschema_rs
import pytest
import schemathesis
from botocore.exceptions import ClientError
from pydantic import ValidationError

from clocks.durations import parse_duration
from clocks.errors import InvalidInputError
from clocks.requests import (
    BatchInvoiceRequest,
    QuickBookRequest,
    StartTimerRequest,
    UpdateEntryRequest,
)
from clocks.schema import FEED_URL_PATH, REQUEST_MODELS, openapi_document
from clocks.storage import entry_store
from tools import openapi
from tools.template import ROOT, routes

# A Wednesday; 12:00 in Berlin.
NOW = datetime(2026, 4, 22, 10, 0, tzinfo=UTC)
# The least each request model accepts.
MINIMAL_BODIES = {
    StartTimerRequest: {"customer": "Acme Corp"},
    QuickBookRequest: {"customer": "Acme Corp", "duration": "1h"},
    UpdateEntryRequest: {},
    BatchInvoiceRequest: {"starts": ["2026-04-20T09:00:00"]},
}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return openapi_document()


def validator(document: dict[str, Any], schema: dict[str, Any]) -> Any:
    """A JSON Schema validator that resolves the document's components."""
    return jsonschema_rs.Draft202012Validator(
        {**schema, "components": document["components"]}, validate_formats=True
    )


def component(document: dict[str, Any], model: type) -> dict[str, Any]:
    return document["components"]["schemas"][model.__name__]


def test_the_committed_document_is_the_generated_one():
    committed = (ROOT / "openapi.json").read_text(encoding="utf-8")

    assert committed == openapi.render(openapi.generated_document()), (
        "openapi.json is out of date; run `python -m tools.openapi`"
    )


def test_check_fails_on_a_stale_file_and_passes_on_a_fresh_one(tmp_path):
    stale = tmp_path / "openapi.json"
    stale.write_text('{"openapi": "3.1.0"}\n', encoding="utf-8")

    assert openapi.main(["--check", "--output", str(stale)]) == openapi.EXIT_DIFFERS
    assert openapi.main(["--output", str(stale)]) == 0
    assert openapi.main(["--check", "--output", str(stale)]) == 0


def test_every_route_of_the_template_is_documented_and_no_other(document):
    documented = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "head", "post", "patch", "delete")
        and path != FEED_URL_PATH
    }

    assert documented == {(route.method, route.path) for route in routes()}


def test_the_feed_url_is_documented_with_its_feed_token(document):
    feed_url = document["paths"][FEED_URL_PATH]

    assert set(feed_url) >= {"get", "head"}
    assert feed_url["get"]["security"] == [{"feedToken": []}]
    assert "404" in feed_url["get"]["responses"]


def test_every_api_route_needs_a_bearer_token(document):
    assert document["security"] == [{"bearerAuth": []}]
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    for route in routes():
        operation = document["paths"][route.path][route.method.lower()]
        assert "security" not in operation
        assert {"401", "403"} <= set(operation["responses"])


def test_the_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1.")
    schemathesis.openapi.from_dict(document).validate()


def test_a_broken_document_is_caught_by_the_validity_check(document):
    broken = json.loads(json.dumps(document))
    broken["paths"]["/api/clocks/active"]["get"]["responses"] = "none"

    with pytest.raises(Exception):  # noqa: B017 - any refusal will do
        schemathesis.openapi.from_dict(broken).validate()


def test_the_period_parameter_lists_every_period(document):
    parameters = document["paths"]["/api/clocks/entries"]["get"]["parameters"]
    period = next(p for p in parameters if p["name"] == "period")

    assert period["schema"]["enum"] == [
        "today",
        "yesterday",
        "week",
        "last_week",
        "month",
        "last_month",
        "year",
        "last_year",
        "all",
    ]


def test_no_function_imports_the_schema_module():
    # Building the document is for tools and tests; cold starts should not pay.
    script = (
        "import importlib.util, sys\n"
        "from pathlib import Path\n"
        "for app in sorted(Path('functions').glob('*/app.py')):\n"
        "    name = 'function_' + app.parent.name\n"
        "    spec = importlib.util.spec_from_file_location(name, app)\n"
        "    spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        "print('clocks.schema' in sys.modules)\n"
    )
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("AWS_")
    }
    environment |= {
        "PYTHONPATH": str(ROOT / "layers" / "clocks"),
        "AWS_DEFAULT_REGION": "eu-central-1",
        "TABLE_NAME": "ClocksEntries",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


# --- request bodies: the document says what the models accept ---------------------


def accepts(model: type, body: dict[str, Any]) -> bool:
    try:
        model.model_validate_json(json.dumps(body))
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("model", REQUEST_MODELS, ids=lambda model: model.__name__)
def test_a_field_may_be_null_exactly_where_the_document_says(document, model):
    schema = component(document, model)
    check = validator(document, schema)

    for name in schema["properties"]:
        body = {**MINIMAL_BODIES[model], name: None}
        assert check.is_valid(body) == accepts(model, body), name


@pytest.mark.parametrize(
    ("model", "field", "text"),
    [
        (StartTimerRequest, "customer", "Acme Corp"),
        (StartTimerRequest, "customer", "Café Zürich 株式会社"),
        (StartTimerRequest, "customer", ""),
        (StartTimerRequest, "customer", "Acme\u0000Corp"),
        (StartTimerRequest, "customer", "Acme\nCorp"),
        (StartTimerRequest, "customer", "Acme\u0085Corp"),
        (StartTimerRequest, "customer", "A" * 201),
        (StartTimerRequest, "description", "tab\tstop"),
        (StartTimerRequest, "task_id", "ABC-1\u007f"),
        (QuickBookRequest, "contract", "Q2 \u2028 2026"),
        (QuickBookRequest, "notes", "line one\nline two\tindented"),
        (QuickBookRequest, "notes", "line one\r\nline two"),
        (QuickBookRequest, "notes", "bell \u0007"),
        (UpdateEntryRequest, "notes", "x" * 10_001),
    ],
)
def test_text_rules_of_the_document_match_the_models(document, model, field, text):
    body = {**MINIMAL_BODIES[model], field: text}

    assert validator(document, component(document, model)).is_valid(body) == accepts(
        model, body
    )


@pytest.mark.parametrize(
    "duration",
    [
        "2h",
        "1.5h",
        "8.2h",
        "30m",
        "30min",
        "90 minutes",
        "1h30m",
        "1h 30m",
        "1h30",
        "1:30",
        " 2 hours ",
        "2",
        "h",
        "-1h",
        "1:60",
        "1h 75m",
        "12345h",
        "1,5h",
        "two hours",
    ],
)
def test_the_duration_pattern_reads_what_the_parser_reads(document, duration):
    booking = component(document, QuickBookRequest)["properties"]["duration"]
    try:
        parse_duration(duration)
        readable = True
    except InvalidInputError as error:
        # Zero, over 24 hours and 75 minutes past the hour are read, then refused.
        readable = "is not a duration" not in error.message

    assert validator(document, booking).is_valid(duration) == readable


# --- answers: what the handlers send is what the document describes ----------------


def documented_content(
    document: dict[str, Any], method: str, path: str, status: int
) -> dict[str, Any]:
    """The media types the document gives an answer; empty for one without a body."""
    responses = document["paths"][path][method.lower()]["responses"]
    assert str(status) in responses, f"{method} {path} does not document {status}"
    answer = responses[str(status)]
    if "$ref" in answer:
        answer = document["components"]["responses"][answer["$ref"].split("/")[-1]]
    return answer.get("content", {})


@pytest.fixture
def answers(api, document):
    """Sends a request to a function and checks the answer against the document."""
    api.now = NOW
    # HEAD mirrors the feed's GET; a function's main route is the other one.
    route_of = {
        route.code_dir.name: route for route in routes() if route.method != "HEAD"
    }

    def answer(function: str, **overrides: Any) -> Any:
        reply = api(function, **overrides)
        route = route_of[function]
        method = overrides.get("method", route.method)
        content = documented_content(document, method, route.path, reply.status)
        if not content or method == "HEAD":
            assert reply.body == "", f"{function} {reply.status}: {reply.body}"
            return reply
        media_type = reply.headers["Content-Type"].split(";")[0]
        assert media_type in content, f"{function} {reply.status}: {media_type}"
        if media_type == "application/json":
            schema = content[media_type]["schema"]
            errors = [
                error.message
                for error in validator(document, schema).iter_errors(reply.json)
            ]
            assert errors == [], f"{function} {reply.status}: {reply.body}"
        return reply

    return answer


def test_timer_answers_match_the_document(answers, api):
    assert answers("get_active_timer").json == {"active": False}
    assert answers("start_timer").status == 201
    assert answers("get_active_timer").json["active"] is True
    conflict = answers("start_timer", body={"customer": "Beta Inc"})
    assert conflict.status == 409
    assert conflict.json["running"]["customer"]
    api.now += timedelta(minutes=30)
    assert answers("stop_timer").status == 200
    assert answers("stop_timer").status == 404


def test_entry_answers_match_the_document(answers):
    at_two = {"duration": "1h", "date": "2026-04-20", "start_time": "14:00"}
    now = {"customer": "Acme Corp", "duration": "2h"}
    assert answers("quick_book", body=now).status == 201
    assert answers("quick_book").status == 201
    assert answers("quick_book", body={**at_two, "customer": "A"}).status == 201
    assert answers("quick_book", body={**at_two, "customer": "B"}).status == 409
    assert len(answers("list_entries", query={"period": "all"}).json) == 3
    assert answers("update_entry").status == 200
    assert answers("update_entry", body={"notes": None}).status == 200
    assert answers("update_entry", query={"start": "2031-01-01T09:00:00"}).status == (
        404
    )
    assert answers("delete_entry").status == 204
    assert answers("delete_entry").status == 404


def test_summary_and_invoice_answers_match_the_document(answers):
    answers("quick_book")
    answers("start_timer")

    assert answers("get_summary", query={"period": "all"}).json["customers"]
    preview = answers("invoice_preview", query={"customer": "acme corp"}).json
    assert preview["entries"]
    starts = [entry["start"] for entry in preview["entries"]]
    body = {"starts": [*starts, "2031-01-01T09:00:00"]}
    assert answers("batch_invoice", body=body).json["invoiced"] == len(starts)
    assert answers("batch_invoice", body=body).json["already_invoiced"] == starts


@pytest.mark.parametrize(
    ("function", "overrides", "status"),
    [
        ("start_timer", {"body": '{"customer": '}, 400),
        ("start_timer", {"body": {"customer": "A", "custmer": "B"}}, 422),
        ("start_timer", {"headers": {"content-type": "text/plain"}}, 415),
        ("start_timer", {"body": {"customer": "A" * 70_000}}, 413),
        ("quick_book", {"body": {"customer": "A", "duration": "soon"}}, 422),
        ("list_entries", {"query": "period=fortnight"}, 422),
        ("list_entries", {"query": "period=week&period=week"}, 422),
        ("get_summary", {"query": "from_date=2026-02-30"}, 422),
        ("invoice_preview", {"query": ""}, 422),
        ("delete_entry", {"query": "start=2026-03-29T02:30:00"}, 422),
        ("batch_invoice", {"body": {"starts": []}}, 422),
        ("calendar_feed", {"query": "period=all"}, 422),
    ],
)
def test_error_answers_match_the_document(answers, function, overrides, status):
    assert answers(function, **overrides).status == status


def test_an_invoiced_entry_refused_a_change_as_documented(answers):
    start = answers("quick_book").json["start"]
    answers("batch_invoice", body={"starts": [start]})

    assert answers("delete_entry", query={"start": start}).status == 409
    assert answers("update_entry", query={"start": start}).status == 409


def test_a_busy_database_answers_as_documented(answers, monkeypatch):
    def throttle(**request):
        error = {"Code": "ThrottlingException", "Message": "slow down"}
        raise ClientError({"Error": error}, "GetItem")

    monkeypatch.setattr(entry_store()._client, "get_item", throttle)

    for function in ("get_active_timer", "start_timer", "list_entries"):
        assert answers(function).status == 503


def test_refusals_of_api_gateway_match_the_document(document):
    for status, message in (("401", "Unauthorized"), ("403", "Forbidden")):
        content = documented_content(document, "GET", "/api/clocks/active", int(status))
        schema = content["application/json"]["schema"]
        assert validator(document, schema).is_valid({"message": message})


def test_the_feed_answers_as_documented(answers):
    answers("quick_book")

    feed = answers("calendar_feed")
    etag = feed.headers["ETag"]
    assert feed.status == 200
    assert answers("calendar_feed", headers={"if-none-match": etag}).status == 304
    assert answers("calendar_feed", method="HEAD").status == 200
