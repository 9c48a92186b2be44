"""HTTP glue shared by every function: routing, query strings, errors, responses."""

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.utilities.typing import LambdaContext
from botocore.exceptions import ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as NetworkError

from clocks.entry import Caller
from clocks.errors import (
    ClocksError,
    InvalidInputError,
    MalformedRequestError,
    UnauthorizedError,
)
from clocks.settings import WEEK_STARTS, load_settings, zone_named
from clocks.storage import entry_store

API_PREFIX = "/api/clocks"
# DynamoDB answers that mean "not now" rather than "never": the client may retry.
RETRYABLE_CODES = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "TransactionConflictException",
    "TransactionCanceledException",
    "TransactionInProgressException",
}
JSON = "application/json"

logger = Logger()


def json_response(payload: object, status: int = 200) -> Response:
    """A JSON answer; non-ASCII text stays readable."""
    return Response(
        status_code=status,
        content_type=JSON,
        body=json.dumps(payload, ensure_ascii=False),
    )


def _clocks_error(error: ClocksError) -> Response:
    # The message may quote the request, so only its kind is logged.
    logger.info(
        "request refused",
        extra={"status": error.status_code, "error": type(error).__name__},
    )
    return json_response({"message": error.message, **error.details}, error.status_code)


def _database_error(error: Exception) -> Response:
    if isinstance(error, ClientError) and (
        error.response.get("Error", {}).get("Code") not in RETRYABLE_CODES
    ):
        return _unexpected_error(error)
    logger.warning("database busy", extra={"error": type(error).__name__})
    busy = json_response(
        {"message": "the database is busy; nothing was changed, try again shortly"},
        503,
    )
    busy.headers["Retry-After"] = "1"
    return busy


def _unexpected_error(error: Exception) -> Response:
    logger.exception("request failed")
    return json_response(
        {"message": "something went wrong on our side; try again"}, 500
    )


def _no_route(error: Exception) -> Response:
    return json_response({"message": "no such endpoint"}, 404)


def _refuse_a_body(app: APIGatewayHttpResolver, next_middleware: Any) -> Response:
    # A body where none is read would be ignored, and a filter sent as one would
    # silently match everything; only nothing or an empty object passes.
    try:
        body = (app.current_event.decoded_body or "").strip()
    except UnicodeDecodeError:
        body = "?"
    if body not in ("", "{}"):
        raise MalformedRequestError("this endpoint takes no request body")
    return next_middleware(app)


def create_app(reads_body: bool = False) -> APIGatewayHttpResolver:
    """A resolver for payload format 2.0 events with the shared error mapping.

    Unless the endpoint `reads_body`, a request that sends one is refused.
    """
    app = APIGatewayHttpResolver(strip_prefixes=[API_PREFIX])
    if not reads_body:
        app.use(middlewares=[_refuse_a_body])
    app.exception_handler(ClocksError)(_clocks_error)
    app.exception_handler(ClientError)(_database_error)
    # Connection failures and timeouts; other client-side errors are bugs (500).
    app.exception_handler(NetworkError)(_database_error)
    app.exception_handler(HTTPClientError)(_database_error)
    app.exception_handler(Exception)(_unexpected_error)
    app.not_found(_no_route)
    return app


def lambda_handler(
    app: APIGatewayHttpResolver,
) -> Callable[[dict[str, Any], LambdaContext], dict[str, Any]]:
    """The function's entry point: structured logs around the resolver."""

    @logger.inject_lambda_context(clear_state=True)
    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        return app.resolve(event, context)

    return handler


def caller_for(owner: str) -> Caller:
    """The owner with the zone and week start they chose, or the stack's."""
    settings = load_settings()
    profile = entry_store().profile_of(owner)
    try:
        zone = zone_named(profile["time_zone"]) if "time_zone" in profile else None
    except ValueError:
        logger.warning("stored time zone unknown", extra={"owner": owner})
        zone = None
    week_start = WEEK_STARTS.get(profile.get("week_start", settings.week_start), 0)
    return Caller(owner=owner, zone=zone or settings.time_zone, week_start=week_start)


def authorized_owner(app: APIGatewayHttpResolver) -> str | None:
    """The owner the API's authorizer vouched for, if it did."""
    context = app.current_event.raw_event.get("requestContext") or {}
    authorizer = context.get("authorizer") or {}
    return (authorizer.get("lambda") or {}).get("owner") or None


def caller_of(app: APIGatewayHttpResolver) -> Caller:
    """Who the request acts for; a request without an authorized owner is refused."""
    owner = authorized_owner(app)
    if owner is None:
        raise UnauthorizedError()
    return caller_for(owner)


def query_of(app: APIGatewayHttpResolver, accepted: tuple[str, ...]) -> dict[str, str]:
    """The query parameters, each at most once; unknown names are refused.

    The raw query string is read because API Gateway joins repeated parameters
    with commas, which would be indistinguishable from a comma in a value.
    """
    raw = app.current_event.raw_query_string or ""
    try:
        parsed = parse_qs(
            raw, keep_blank_values=True, strict_parsing=False, max_num_fields=50
        )
    except ValueError:
        raise InvalidInputError("the query string has too many parameters") from None
    unknown = sorted(set(parsed) - set(accepted))
    if unknown:
        raise InvalidInputError(
            f"unknown query parameter {unknown[0]!r}; accepted: {', '.join(accepted)}"
        )
    repeated = sorted(name for name, values in parsed.items() if len(values) > 1)
    if repeated:
        raise InvalidInputError(
            f"query parameter {repeated[0]!r} is given more than once"
        )
    too_long = sorted(name for name, values in parsed.items() if len(values[0]) > 500)
    if too_long:
        raise InvalidInputError(f"query parameter {too_long[0]!r} is too long")
    return {
        name: values[0].strip() for name, values in parsed.items() if values[0].strip()
    }


def etag_matches(app: APIGatewayHttpResolver, etag: str) -> bool:
    """Whether If-None-Match names `etag` (weak or strong form) or is `*`."""
    header = (app.current_event.headers or {}).get("if-none-match") or ""
    candidates = {part.strip().removeprefix("W/") for part in header.split(",")}
    return "*" in candidates or etag in candidates


def required_start(app: APIGatewayHttpResolver) -> str:
    """The `start` parameter that names one entry, as PATCH and DELETE take it."""
    query = query_of(app, ("start",))
    if "start" not in query:
        raise InvalidInputError(
            "start is required: the entry's start as listed, "
            "e.g. ?start=2026-04-20T09:00:00"
        )
    return query["start"]
