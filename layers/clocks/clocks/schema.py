"""The API's OpenAPI 3.1 document, built from the request and response models.

The response models here describe what entry_json, timer_json and the timesheet
functions answer. Only tools and tests import this module: no function does, so
that building schemas never lengthens a cold start.
"""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import GenerateJsonSchema, SkipJsonSchema, models_json_schema
from pydantic_core import core_schema

from clocks import durations, requests
from clocks.bodies import MAX_BODY_BYTES
from clocks.periods import PERIODS
from clocks.requests import (
    BatchInvoiceRequest,
    QuickBookRequest,
    StartTimerRequest,
    UpdateEntryRequest,
)

OPENAPI_VERSION = "3.1.0"
API_PREFIX = "/api/clocks"
# The calendar feed's Function URL, which calendar apps poll with ?token=.
FEED_URL_PATH = "/calendar.ics"
JSON = "application/json"
CALENDAR = "text/calendar"
# clocks.http refuses longer query values.
MAX_QUERY_VALUE = 500
WALL_CLOCK_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$"
# What `start` takes: the listed wall-clock time, seconds and an offset optional.
START_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?$"
# Unicode's control characters (category Cc), which text fields refuse.
SINGLE_LINE_PATTERN = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
# Notes may also hold tabs and line breaks.
MULTI_LINE_PATTERN = "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f]*$"
# The forms parse_duration reads, from its own expressions; it lower-cases first.
DURATION_PATTERN = (
    r"^\s*(?:"
    + "|".join(
        form.pattern
        for form in (
            durations._HOURS_ONLY,
            durations._MINUTES_ONLY,
            durations._HOURS_AND_MINUTES,
            durations._CLOCK,
        )
    )
    + r")\s*$"
)
# UpdateEntryRequest clears the other fields with null; these it refuses to clear.
KEPT_WHEN_NULL = ("customer", "hours", "new_date", "start_time", "invoiced")

WallClock = Annotated[
    str,
    Field(
        pattern=WALL_CLOCK_PATTERN,
        description="Wall-clock time in the owner's zone, to the second",
        examples=["2026-04-20T09:00:00"],
    ),
]
Hours = Annotated[
    float, Field(ge=0, description="Hours from whole seconds, to two decimals")
]


class _Answer(BaseModel):
    # A field the API starts sending must be added here, or the drift tests fail.
    model_config = ConfigDict(extra="forbid")


class Entry(_Answer):
    """A finished entry; its start names it in PATCH, DELETE and batch-invoice."""

    id: str
    start: WallClock
    end: WallClock
    customer: str
    description: str
    hours: Hours
    task_id: str | None
    contract: str | None
    invoiced: bool
    notes: str


class Timer(_Answer):
    """The running timer, with the hours so far."""

    active: Literal[True]
    id: str
    start: WallClock
    customer: str
    description: str
    hours: Hours
    task_id: str | None
    contract: str | None
    notes: str


class NoTimer(_Answer):
    """No timer runs."""

    active: Literal[False]


class CustomerHours(_Answer):
    customer: str
    hours: Hours
    entry_count: Annotated[int, Field(ge=1)]


class Summary(_Answer):
    """Hours per customer in whole local days, both ends inclusive."""

    from_date: Annotated[str, Field(json_schema_extra={"format": "date"})]
    to_date: Annotated[str, Field(json_schema_extra={"format": "date"})]
    customers: list[CustomerHours]
    total_hours: Hours


class InvoicePreview(_Answer):
    """Finished entries of a customer (and contract) not yet invoiced."""

    customer: str
    contract: str | None
    entries: list[Entry]
    total_hours: Hours
    entry_count: Annotated[int, Field(ge=0)]


class BatchInvoiceOutcome(_Answer):
    """How many entries were marked, and the starts that were not."""

    invoiced: Annotated[int, Field(ge=0)]
    already_invoiced: list[WallClock]
    not_found: list[WallClock]


class Error(_Answer):
    """Every error answer; some carry details beside the message."""

    message: str
    problems: Annotated[
        list[str] | SkipJsonSchema[None],
        Field(description="Each field that failed validation, with why"),
    ] = None
    value: Annotated[
        str | SkipJsonSchema[None], Field(description="The value that was refused")
    ] = None
    running: Annotated[
        Timer | SkipJsonSchema[None],
        Field(description="The timer that is running, when a start is refused"),
    ] = None


REQUEST_MODELS: tuple[type[BaseModel], ...] = (
    StartTimerRequest,
    QuickBookRequest,
    UpdateEntryRequest,
    BatchInvoiceRequest,
)
RESPONSE_MODELS: tuple[type[BaseModel], ...] = (
    Entry,
    Timer,
    NoTimer,
    Summary,
    InvoicePreview,
    BatchInvoiceOutcome,
    Error,
)


class _ClocksJsonSchema(GenerateJsonSchema):
    """Pydantic's schemas, plus what the text validators of clocks.requests refuse."""

    def function_after_schema(
        self, schema: core_schema.AfterValidatorFunctionSchema
    ) -> dict[str, Any]:
        generated = super().function_after_schema(schema)
        check = schema["function"]["function"]
        if check is requests._not_blank:
            generated["minLength"] = max(generated.get("minLength", 0), 1)
        elif check is requests._single_line:
            generated["pattern"] = SINGLE_LINE_PATTERN
        elif check is requests._multi_line:
            generated["pattern"] = MULTI_LINE_PATTERN
        return generated


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _component_schemas() -> dict[str, Any]:
    models = [(model, "validation") for model in REQUEST_MODELS] + [
        (model, "serialization") for model in RESPONSE_MODELS
    ]
    _, generated = models_json_schema(
        models,
        ref_template="#/components/schemas/{model}",
        schema_generator=_ClocksJsonSchema,
    )
    schemas = generated["$defs"]
    for model in RESPONSE_MODELS:
        # An answer leaves out a detail it lacks; a default says nothing there.
        for field in schemas[model.__name__]["properties"].values():
            field.pop("default", None)
    booking = schemas[QuickBookRequest.__name__]["properties"]
    booking["duration"] |= {
        "pattern": DURATION_PATTERN,
        "description": f"One of {durations.ACCEPTED_FORMS}; at most 24 hours",
    }
    update = schemas[UpdateEntryRequest.__name__]["properties"]
    for name in KEPT_WHEN_NULL:
        update[name] = _without_null(update[name])
    return dict(sorted(schemas.items()))


def _without_null(field: dict[str, Any]) -> dict[str, Any]:
    kept = {
        key: value for key, value in field.items() if key not in ("anyOf", "default")
    }
    choices = [choice for choice in field["anyOf"] if choice != {"type": "null"}]
    (only,) = choices
    return {**only, **kept}


def _error_response(description: str, example: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {JSON: {"schema": _ref("Error"), "example": {"message": example}}},
    }


RESPONSES: dict[str, dict[str, Any]] = {
    "BadRequest": _error_response(
        "The body cannot be read: not JSON, not a JSON object, not UTF-8",
        "the body is not valid JSON",
    ),
    "Unauthorized": _error_response(
        "No Authorization header (API Gateway's answer)", "Unauthorized"
    ),
    "Forbidden": _error_response(
        "The token is not a valid api token (API Gateway's answer)", "Forbidden"
    ),
    "NotFound": _error_response(
        "No entry starts at that time, or no timer runs",
        "no entry starts at that time",
    ),
    "Conflict": _error_response(
        "The change collides with another entry, the running timer or a concurrent "
        "edit, or the entry is invoiced and locked",
        "another entry already starts at that time",
    ),
    "PayloadTooLarge": _error_response(
        f"The body is larger than {MAX_BODY_BYTES // 1024} KiB",
        "the body is larger than 64 KiB",
    ),
    "UnsupportedMediaType": _error_response(
        "The body is not sent as application/json",
        "send the body as JSON with Content-Type: application/json",
    ),
    "InvalidInput": _error_response(
        "Well-formed but not acceptable: an unknown or repeated parameter, a bad "
        "date, time, duration or period, a wall-clock time the clocks skip",
        "from_date must be a date in YYYY-MM-DD form, such as 2026-04-20",
    ),
    "ServiceUnavailable": {
        **_error_response(
            "The database is busy or out of reach; nothing was changed",
            "the database is busy; nothing was changed, try again shortly",
        ),
        "headers": {
            "Retry-After": {
                "description": "Seconds to wait before trying again",
                "schema": {"type": "string"},
            }
        },
    },
}


def _answer(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    if schema is None:
        return {"description": description}
    return {"description": description, "content": {JSON: {"schema": schema}}}


_STATUS_OF = {
    "BadRequest": "400",
    "Unauthorized": "401",
    "Forbidden": "403",
    "NotFound": "404",
    "Conflict": "409",
    "PayloadTooLarge": "413",
    "UnsupportedMediaType": "415",
    "InvalidInput": "422",
    "ServiceUnavailable": "503",
}


def _responses(answers: dict[str, Any], *refusals: str) -> dict[str, Any]:
    """The answers and refusals, with API Gateway's 401 and 403 and a busy 503.

    Every route can answer 400: a body that cannot be read, or one sent where none
    is read.
    """
    names = (*refusals, "BadRequest", "Unauthorized", "Forbidden", "ServiceUnavailable")
    refused = {
        _STATUS_OF[name]: {"$ref": f"#/components/responses/{name}"} for name in names
    }
    return dict(sorted({**answers, **refused}.items()))


def _query(
    name: str,
    schema: dict[str, Any],
    description: str,
    required: bool = False,
    example: str | None = None,
) -> dict[str, Any]:
    parameter: dict[str, Any] = {
        "name": name,
        "in": "query",
        "description": description,
        "schema": schema,
    }
    if required:
        parameter["required"] = True
    if example is not None:
        parameter["example"] = example
    return parameter


def _text(max_length: int = MAX_QUERY_VALUE) -> dict[str, Any]:
    return {"type": "string", "maxLength": max_length}


DAY = {"type": "string", "format": "date", "examples": ["2026-04-20"]}
PERIOD = _query(
    "period",
    {"type": "string", "enum": list(PERIODS)},
    "A named period in the owner's zone; from_date and to_date win over it",
)
FROM_DATE = _query("from_date", DAY, "First local day, inclusive")
TO_DATE = _query("to_date", DAY, "Last local day, inclusive")
CUSTOMER = _query("customer", _text(), "A customer, matched case-insensitively")
START = _query(
    "start",
    {"type": "string", "pattern": START_PATTERN, "maxLength": MAX_QUERY_VALUE},
    "The entry's start as listed; an offset may be given",
    required=True,
    example="2026-04-20T09:00:00",
)
IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "description": "The feed's ETag from an earlier answer; 304 if it still holds",
    "schema": {"type": "string"},
}
ETAG_HEADERS = {
    "ETag": {"schema": {"type": "string"}},
    "Cache-Control": {"schema": {"type": "string"}},
}


def _body(model: type[BaseModel], example: dict[str, Any]) -> dict[str, Any]:
    return {
        "required": True,
        "content": {JSON: {"schema": _ref(model.__name__), "example": example}},
    }


def _feed(operation_id: str, summary: str, head: bool) -> dict[str, Any]:
    content = {} if head else {"content": {CALENDAR: {"schema": {"type": "string"}}}}
    return {
        "operationId": operation_id,
        "summary": summary,
        "parameters": [FROM_DATE, TO_DATE, IF_NONE_MATCH],
        "responses": _responses(
            {
                "200": {
                    "description": "The iCalendar feed of the finished entries",
                    "headers": ETAG_HEADERS,
                    **content,
                },
                "304": {
                    "description": "The feed is unchanged since the given ETag",
                    "headers": ETAG_HEADERS,
                },
            },
            "InvalidInput",
        ),
    }


def _operations() -> dict[tuple[str, str], dict[str, Any]]:
    """Every operation of the HTTP API, by method and path."""
    entries_path = f"{API_PREFIX}/entries"
    active = {"oneOf": [_ref("Timer"), _ref("NoTimer")]}
    body_refusals = (
        "BadRequest",
        "PayloadTooLarge",
        "UnsupportedMediaType",
        "InvalidInput",
    )
    return {
        ("get", entries_path): {
            "operationId": "listEntries",
            "summary": "Entries of a period, date range, customer or task",
            "parameters": [
                PERIOD,
                FROM_DATE,
                TO_DATE,
                CUSTOMER,
                _query("task_id", _text(), "A task; across all dates unless limited"),
            ],
            "responses": _responses(
                {
                    "200": _answer(
                        "The entries, sorted by start",
                        {"type": "array", "items": _ref("Entry")},
                    )
                },
                "InvalidInput",
            ),
        },
        ("get", f"{API_PREFIX}/active"): {
            "operationId": "getActiveTimer",
            "summary": "The running timer",
            "responses": _responses(
                {"200": _answer("The running timer, or active false", active)}
            ),
        },
        ("post", f"{API_PREFIX}/start"): {
            "operationId": "startTimer",
            "summary": "Start the timer",
            "requestBody": _body(
                StartTimerRequest,
                {"customer": "Acme Corp", "description": "Landing page"},
            ),
            "responses": _responses(
                {"201": _answer("The timer, started now", _ref("Timer"))},
                "Conflict",
                *body_refusals,
            ),
        },
        ("post", f"{API_PREFIX}/stop"): {
            "operationId": "stopTimer",
            "summary": "Stop the timer, which becomes an entry",
            "responses": _responses(
                {"200": _answer("The finished entry", _ref("Entry"))},
                "NotFound",
                "Conflict",
            ),
        },
        ("post", f"{API_PREFIX}/quick-book"): {
            "operationId": "quickBook",
            "summary": "Book time after the fact",
            "requestBody": _body(
                QuickBookRequest,
                {
                    "customer": "Acme Corp",
                    "duration": "1h30m",
                    "date": "2026-04-20",
                    "contract": "Q2 2026",
                },
            ),
            "responses": _responses(
                {"201": _answer("The booked entry", _ref("Entry"))},
                "Conflict",
                *body_refusals,
            ),
        },
        ("patch", entries_path): {
            "operationId": "updateEntry",
            "summary": "Change an entry; null clears an optional text",
            "parameters": [START],
            "requestBody": _body(
                UpdateEntryRequest, {"hours": 2.5, "notes": "Review completed"}
            ),
            "responses": _responses(
                {"200": _answer("The changed entry", _ref("Entry"))},
                "NotFound",
                "Conflict",
                *body_refusals,
            ),
        },
        ("delete", entries_path): {
            "operationId": "deleteEntry",
            "summary": "Delete an entry",
            "parameters": [START],
            "responses": _responses(
                {"204": _answer("The entry is gone")},
                "NotFound",
                "Conflict",
                "InvalidInput",
            ),
        },
        ("get", f"{API_PREFIX}/summary"): {
            "operationId": "getSummary",
            "summary": "Hours per customer; a running timer counts up to now",
            "parameters": [PERIOD, FROM_DATE, TO_DATE],
            "responses": _responses(
                {"200": _answer("Hours per customer", _ref("Summary"))},
                "InvalidInput",
            ),
        },
        ("get", f"{API_PREFIX}/invoice-preview"): {
            "operationId": "invoicePreview",
            "summary": "Unbilled entries of a customer, and contract",
            "parameters": [
                {**CUSTOMER, "required": True},
                _query("contract", _text(), "Only entries of this contract"),
                FROM_DATE,
                TO_DATE,
            ],
            "responses": _responses(
                {"200": _answer("What an invoice would hold", _ref("InvoicePreview"))},
                "InvalidInput",
            ),
        },
        ("post", f"{API_PREFIX}/batch-invoice"): {
            "operationId": "batchInvoice",
            "summary": "Mark entries invoiced, by their starts",
            "requestBody": _body(
                BatchInvoiceRequest, {"starts": ["2026-04-20T09:00:00"]}
            ),
            "responses": _responses(
                {"200": _answer("What was marked", _ref("BatchInvoiceOutcome"))},
                *body_refusals,
            ),
        },
        ("get", f"{API_PREFIX}/calendar.ics"): _feed(
            "getCalendarFeed", "The calendar feed, for the token's owner", head=False
        ),
        ("head", f"{API_PREFIX}/calendar.ics"): _feed(
            "headCalendarFeed", "The calendar feed's headers alone", head=True
        ),
    }


def _feed_url_operation(method: str) -> dict[str, Any]:
    operation = _feed(
        f"{method}CalendarFeedUrl",
        "The calendar feed on the Function URL, for calendar apps",
        head=method == "head",
    )
    responses = {
        status: answer
        for status, answer in operation["responses"].items()
        if status not in ("401", "403")
    }
    responses["404"] = _error_response(
        "No valid feed token: none, an api token, unknown, revoked or expired",
        "Not Found",
    )
    return {
        **operation,
        "security": [{"feedToken": []}],
        "responses": dict(sorted(responses.items())),
    }


def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the Clocks API."""
    paths: dict[str, dict[str, Any]] = {}
    for (method, path), operation in _operations().items():
        paths.setdefault(path, {})[method] = operation
    paths[FEED_URL_PATH] = {
        "servers": [
            {"url": "http://127.0.0.1:3000", "description": "make run"},
            {
                "url": "https://{url_id}.lambda-url.{region}.on.aws",
                "description": "The stack output CalendarFeedUrl",
                "variables": {
                    "url_id": {"default": "feed"},
                    "region": {"default": "eu-central-1"},
                },
            },
        ],
        "get": _feed_url_operation("get"),
        "head": _feed_url_operation("head"),
    }
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Clocks",
            "version": "0.1.0",
            "description": (
                "Time tracking: a timer, bookings after the fact, entries, hours per "
                "customer, invoices and a calendar feed. Times are wall-clock times "
                "in the owner's zone; every error is JSON with a message."
            ),
        },
        # The local run first: a client that picks the first server stays here.
        "servers": [
            {"url": "http://127.0.0.1:3000", "description": "make run"},
            {
                "url": "https://{api_id}.execute-api.{region}.amazonaws.com",
                "description": "The stack output ApiUrl, without /api/clocks",
                "variables": {
                    "api_id": {"default": "api"},
                    "region": {"default": "eu-central-1"},
                },
            },
        ],
        "security": [{"bearerAuth": []}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": _component_schemas(),
            "responses": RESPONSES,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An api token: clk_ and 43 characters",
                },
                "feedToken": {
                    "type": "apiKey",
                    "in": "query",
                    "name": "token",
                    "description": "A feed token, for calendar apps",
                },
            },
        },
    }
